"""The printed form rendered by the office server is the laptop's paper: same text, same
verification payload, and `fieldapp verify` says MATCH for it against the office server."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from server_fixtures import (
    FACTORIES,
    PASSWORD,
    Laptop,
    add_users,
    inproc_client,
    live_server,
    make_app,
    seed_factories,
)
from test_forms_builders import LONG_NOTE, photo, signature_image

from fieldapp.core.errors import FieldAppError
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.settings import PrintSettings
from fieldapp.forms.verification import read_pdf_payload
from fieldapp.server.auth import Principal, add_user, grant_province
from fieldapp.server.printed_form import render_printed_form, settings_from_environment
from fieldapp.store import inspections as insp
from fieldapp.store import signing
from fieldapp.store.templates import latest_published

UNKNOWN_ID = "01890a5d-ac96-774b-bcce-b302099a8057"


def principal(db, username: str) -> Principal:
    """The caller as the server's auth would name them (role and granted provinces)."""
    with db.read() as c:
        user = c.one("SELECT id, role FROM users WHERE username = ?", (username,))
        provinces = frozenset(r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (user["id"],)))
    return Principal(user["id"], username, user["role"], provinces, "office-console")


def finalized_with_photos(store, factory_id: str) -> str:
    """A finalized inspection with every item answered, failed items with notes, findings and
    item photos, two general photos, participants and two signature images."""
    template = latest_published(store, "env-general")
    record = insp.create_inspection(store, factory_id=factory_id,
                                    template_version_id=template.version_id,
                                    purpose="ตรวจกำกับดูแลประจำปี",
                                    started_at="2026-11-20T02:30:00.000Z")
    iid = record["id"]
    inspector = insp.add_participant(store, iid, role="inspector", name="นางสาวอนงค์ ตรวจการ",
                                     position="นักวิชาการอุตสาหกรรมชำนาญการ")
    rep = insp.add_participant(store, iid, role="representative", name="นายสมชาย ใจดี",
                               position="ผู้จัดการโรงงาน")
    for n, item in enumerate(template.items.values()):
        failed = n % 4 == 1
        if item.type == "result":
            insp.set_answer(store, iid, item.id, result="fail" if failed else "pass",
                            note=LONG_NOTE if failed else None)
        else:
            insp.set_answer(store, iid, item.id, result="not_checked")
        if failed and item.type == "result":
            insp.add_finding(store, iid, item_id=item.id, description=f"{item.label['th']} "
                             "ไม่เป็นไปตามที่กำหนด", legal_basis="พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 37",
                             order_text="ให้ปรับปรุงแก้ไข", deadline="2026-12-20")
            insp.add_attachment(store, iid, photo(n, (320, 240)), item_id=item.id,
                                caption="ภาพประกอบ")
    for k in range(2):
        insp.add_attachment(store, iid, photo(1000 + k, (640, 480), exif_rotate=k == 0),
                            caption=f"บ่อบำบัดน้ำเสียจุดที่ {k + 1}")
    signing.sign(store, iid, signer_name=inspector["name"], signer_role="inspector",
                 image_png=signature_image(1), participant_id=inspector["id"])
    signing.sign(store, iid, signer_name=rep["name"], signer_role="representative",
                 image_png=signature_image(2), participant_id=rep["id"])
    signing.finalize(store, iid)
    return iid


def pdf_text(pdf: bytes, tmp_path, name: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def test_server_form_is_the_laptops_and_verifies_on_the_server(server_db, tmp_path, capsys):
    from fieldapp.cli import main
    from fieldapp.sync import account

    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    with live_server(app) as url:
        laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
        try:
            assert laptop.sync().ok
            factory = laptop.store.query(
                "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
            record_id = finalized_with_photos(laptop.store, factory)
            assert laptop.sync().ok
            photos = laptop.store.query("SELECT count(*) AS n FROM attachments WHERE "
                                        "inspection_id = ? AND kind = 'photo'", (record_id,))
            assert photos[0]["n"] >= 3

            anong = principal(server_db, "anong")
            served = render_printed_form(server_db, anong, record_id)
            printed = render_inspection_pdf(laptop.store, record_id)
            assert served is not None and served.startswith(b"%PDF")
            assert read_pdf_payload(served) == read_pdf_payload(printed)
            assert read_pdf_payload(served).content_hash is not None
            served_text = pdf_text(served, tmp_path, "served")
            assert served_text == pdf_text(printed, tmp_path, "printed")
            assert "นายสมชาย ใจดี" in served_text

            pdf = tmp_path / "served.pdf"
            pdf.write_bytes(served)
            account.login(laptop.store, url, "anong", PASSWORD)
            db = str(laptop.store.path)
            assert main(["--db", db, "verify", str(pdf)]) == 0
            out = capsys.readouterr().out
            assert "MATCH" in out and f"office server {url}" in out

            # The finalized amendment prints its number, as on the laptop, and verifies.
            amendment = signing.amend(laptop.store, record_id)["id"]
            signing.finalize(laptop.store, amendment, require_signatures=False)
            assert laptop.sync().ok
            served = render_printed_form(server_db, anong, amendment)
            printed = render_inspection_pdf(laptop.store, amendment)
            assert read_pdf_payload(served).version == 1
            assert read_pdf_payload(served) == read_pdf_payload(printed)
            assert pdf_text(served, tmp_path, "served1") == pdf_text(printed, tmp_path,
                                                                      "printed1")
            pdf.write_bytes(served)
            assert main(["--db", db, "verify", str(pdf)]) == 0
            assert "MATCH" in capsys.readouterr().out
        finally:
            laptop.close()


def test_server_form_keeps_to_the_callers_scope(server_db, tmp_path):
    add_users(server_db)
    add_user(server_db, "dara", PASSWORD, "supervisor")
    grant_province(server_db, "dara", "10")
    add_user(server_db, "ek", PASSWORD, "supervisor")
    grant_province(server_db, "ek", "20")
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        assert laptop.sync().ok
        factory = laptop.store.query(
            "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        record_id = finalized_with_photos(laptop.store, factory)
        assert laptop.sync().ok
        expected = read_pdf_payload(render_inspection_pdf(laptop.store, record_id))
    finally:
        laptop.close()

    for reader in ("anong", "dara", "admin"):
        served = render_printed_form(server_db, principal(server_db, reader), record_id)
        assert served is not None, reader
        assert read_pdf_payload(served) == expected, reader
    # Another inspector of the province, an inspector and a supervisor of another province:
    # answered exactly like a record that does not exist.
    for outsider in ("boon", "chai", "ek"):
        assert render_printed_form(server_db, principal(server_db, outsider),
                                   record_id) is None, outsider
    assert render_printed_form(server_db, principal(server_db, "admin"), UNKNOWN_ID) is None
    # A factory is readable by its province's inspectors, but it is not an inspection.
    assert render_printed_form(server_db, principal(server_db, "anong"), factory) is None


def test_server_form_refuses_to_print_without_the_photo_bytes(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        assert laptop.sync().ok
        factory = laptop.store.query(
            "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        record_id = finalized_with_photos(laptop.store, factory)
        assert laptop.sync().ok
        sha = laptop.store.query("SELECT sha256 FROM attachments WHERE inspection_id = ? "
                                 "AND kind = 'photo' LIMIT 1", (record_id,))[0]["sha256"]
    finally:
        laptop.close()
    with server_db.write() as c:
        c.run("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
        c.run("DELETE FROM uploads WHERE sha256 = ?", (sha,))
    with pytest.raises(FieldAppError, match="sync the inspector's laptop"):
        render_printed_form(server_db, principal(server_db, "anong"), record_id)


def test_print_settings_come_from_the_environment_or_the_laptops_defaults(tmp_path):
    assert settings_from_environment({}) == PrintSettings()
    logo = tmp_path / "logo.png"
    chosen = settings_from_environment({"FIELDAPP_OFFICE_NAME": "สำนักงานอุตสาหกรรมจังหวัดปทุมธานี",
                                        "FIELDAPP_OFFICE_LOGO": str(logo),
                                        "FIELDAPP_THAI_DIGITS": "yes"})
    assert chosen == PrintSettings(office_name="สำนักงานอุตสาหกรรมจังหวัดปทุมธานี",
                                   office_logo=logo, thai_digits=True)
