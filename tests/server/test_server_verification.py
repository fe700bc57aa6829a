"""`fieldapp verify` against the office server: the server recomputes the content hash from
the rows it holds and knows the newest amendment of the chain."""

from __future__ import annotations

from server_fixtures import (
    FACTORIES,
    PASSWORD,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)
from test_sync_roundtrip import make_finalized

from fieldapp.forms.verification import MATCH, MODIFIED, UNKNOWN, Payload, verify_payload
from fieldapp.store import signing


def test_server_lookup_matches_then_sees_the_amendment(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    office = inproc_client(app)
    try:
        assert laptop.sync().ok
        factory = laptop.store.query(
            "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        record_id, digest = make_finalized(laptop.store, factory)
        assert laptop.sync().ok

        def lookup(rid):
            found = laptop.client.verification(rid)
            return None if found is None else (found["content_hash"], found["version"],
                                               found["amendment_in_progress"])

        paper = Payload(record_id, 0, digest)
        assert verify_payload(paper, lookup).outcome == MATCH
        assert verify_payload(Payload(record_id, 0, "0" * 64), lookup).outcome == MODIFIED
        assert verify_payload(Payload("01890a5d-ac96-774b-bcce-b302099a8057", 0, digest),
                              lookup).outcome == UNKNOWN

        # A draft amendment: the signed original is still the record, and the answer says
        # that an amendment is in progress.
        amendment = signing.amend(laptop.store, record_id)["id"]
        assert laptop.sync().ok
        state = laptop.client.verification(record_id)
        assert state["version"] == 0 and state["amendment_in_progress"] is True
        verdict = verify_payload(paper, lookup)
        assert verdict.outcome == MATCH and "amendment is in progress" in verdict.reason
        # Finalized, the amendment is the record: the paper of the original is out of date.
        signing.finalize(laptop.store, amendment, require_signatures=False)
        assert laptop.sync().ok
        assert laptop.client.verification(record_id)["version"] == 1
        assert verify_payload(paper, lookup).outcome == MODIFIED

        # Another inspector of the same province cannot see it: not their inspection.
        office.token = office.login("boon", PASSWORD, "dev-x", "x")["token"]
        assert office.verification(record_id) is None
        office.token = office.login("admin", PASSWORD, "dev-y", "y")["token"]
        assert office.verification(record_id)["version"] == 1
    finally:
        laptop.close()


def test_verify_command_asks_the_office_server_once_logged_in(server_db, tmp_path, capsys):
    from server_fixtures import live_server

    from fieldapp.cli import main
    from fieldapp.forms.inspection_form import render_inspection_pdf
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
            record_id = printable_record(laptop.store, factory)
            assert laptop.sync().ok
            pdf = tmp_path / "form.pdf"
            render_inspection_pdf(laptop.store, record_id, pdf)
            account.login(laptop.store, url, "anong", PASSWORD)
            db = str(laptop.store.path)
            assert main(["--db", db, "verify", str(pdf)]) == 0
            out = capsys.readouterr().out
            assert "MATCH" in out and f"office server {url}" in out
            # A draft amendment, on the laptop and on the server: both still MATCH and say
            # that an amendment is in progress.
            amendment = signing.amend(laptop.store, record_id)["id"]
            assert main(["--db", db, "verify", "--local", str(pdf)]) == 0
            assert "amendment is in progress" in capsys.readouterr().out
            assert laptop.sync().ok
            assert main(["--db", db, "verify", str(pdf)]) == 0
            out = capsys.readouterr().out
            assert "amendment is in progress" in out and "office server" in out
            # Finalized but not yet synced: the server still matches, the local check
            # already says MODIFIED.
            signing.finalize(laptop.store, amendment, require_signatures=False)
            assert main(["--db", db, "verify", str(pdf)]) == 0
            assert main(["--db", db, "verify", "--local", str(pdf)]) == 1
            assert "local database" in capsys.readouterr().out
            assert laptop.sync().ok
            assert main(["--db", db, "verify", str(pdf)]) == 1
            # Printed on the spot, before any sync: the office does not hold it yet, so the
            # laptop's own record is what the paper is checked against (not UNKNOWN).
            capsys.readouterr()
            unsent = printable_record(laptop.store, factory)
            paper = tmp_path / "unsent.pdf"
            render_inspection_pdf(laptop.store, unsent, paper)
            assert main(["--db", db, "verify", str(paper)]) == 0
            out = capsys.readouterr().out
            assert "MATCH" in out and "the office does not hold this record yet" in out
        finally:
            laptop.close()


def printable_record(store, factory_id):
    """A finalized inspection with real image bytes (the PDF embeds them)."""
    from fieldapp.store import inspections as insp
    from fieldapp.store.demo_inspections import photo_jpeg, signature_png
    from fieldapp.store.templates import latest_published

    template = latest_published(store, "env-general")
    record = insp.create_inspection(store, factory_id=factory_id,
                                    template_version_id=template.version_id)
    for item in template.items.values():
        insp.set_answer(store, record["id"], item.id, result="not_checked")
    insp.add_attachment(store, record["id"], photo_jpeg("x", 1), caption="บ่อบำบัด")
    for name, role in (("อนงค์", "inspector"), ("ผู้แทน", "representative")):
        signing.sign(store, record["id"], signer_name=name, signer_role=role,
                     image_png=signature_png(name, 2))
    signing.finalize(store, record["id"])
    return record["id"]
