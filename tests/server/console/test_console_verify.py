"""Verify a paper (/verify): a PDF, a phone photo or a scan of a printed page answers MATCH,
MODIFIED or UNKNOWN with a link to the record; another province's record answers exactly
like one that does not exist; bad files get a message, never a 500; every check is in the
audit log."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from console_world import add_people, browser, csrf_of, sign_in, site
from paper_photo import Shot, photograph, qr_picture, scan
from PIL import Image
from server_fixtures import FACTORIES, Laptop, inproc_client, make_app, seed_factories
from test_server_verification import printable_record

from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.verification import read_pdf_payload
from fieldapp.server import audit, paper_check
from fieldapp.store import signing


@pytest.fixture
def app(server_db):
    add_people(server_db)
    return site(server_db)


@pytest.fixture
def world(app, server_db, tmp_path):
    """A finalized inspection by anong (province 10), synced, and its printed PDF."""
    seed_factories(server_db, FACTORIES)
    laptop = Laptop(tmp_path / "laptop.db", inproc_client(make_app(server_db)), "anong")
    try:
        assert laptop.sync().ok
        factory = laptop.store.query(
            "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        record_id = printable_record(laptop.store, factory)
        assert laptop.sync().ok
        pdf = render_inspection_pdf(laptop.store, record_id)
        yield {"app": app, "laptop": laptop, "record_id": record_id, "pdf": pdf}
    finally:
        laptop.close()


def upload(b, data: bytes, name: str = "paper.jpg", mime: str = "image/jpeg"):
    csrf = csrf_of(b.get("/verify").text)
    return b.post("/verify", data={"csrf": csrf}, files={"paper": (name, data, mime)})


WORDS = {"MATCH": ("ตรงกับบันทึก", "Matches the record"),
         "MODIFIED": ("มีการเปลี่ยนแปลงหลังพิมพ์", "Changed since printing"),
         "UNKNOWN": ("ตรวจสอบไม่ได้", "Cannot be verified")}


def outcome(r) -> str:
    found = re.search(r'id="outcome" data-outcome="([A-Z]+)">([^<]+)<', r.text)
    # The reader sees the outcome in words, never its code.
    assert found is None or found.group(2) in WORDS[found.group(1)], found
    assert found, r.text[:2000]
    return found.group(1)


def test_the_printed_pdf_matches_and_links_to_the_record(world, server_db):
    b = sign_in(world["app"], "somchai")
    page = b.get("/verify")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    r = upload(b, world["pdf"], "form.pdf", "application/pdf")
    assert r.status_code == 200 and outcome(r) == "MATCH"
    assert f'href="/inspections/{world["record_id"]}"' in r.text
    assert "เอกสารตรงกับบันทึก" in r.text and "ข้อมูลกำกับของไฟล์ PDF" in r.text
    rows, _ = audit.search(server_db, audit.AuditFilter(username="somchai", action="view"))
    assert rows[0]["target"] == f"/inspections/{world['record_id']}"
    assert rows[0]["detail"].startswith("MATCH")


def test_a_phone_photo_of_the_printed_page_matches(world):
    """Turned on the desk, photographed at an angle with the camera's EXIF rotation, low
    contrast under a shadow, a little soft, JPEG-compressed."""
    b = sign_in(world["app"], "somchai")
    b.cookies.set("fieldapp_lang", "en")
    shot = Shot(angle=-8, tilt=0.18, blur=1.1, contrast=0.45, shadow=True, exif_rotation=6,
                quality=60, width=3200, seed=4)
    r = upload(b, photograph(world["pdf"], shot))
    assert r.status_code == 200 and outcome(r) == "MATCH", r.text[-3000:]
    assert "the QR code in the picture" in r.text and "The paper matches the record." in r.text
    assert f'href="/inspections/{world["record_id"]}"' in r.text


def test_a_grey_png_scan_matches(world):
    b = sign_in(world["app"], "admin")   # an administrator sees every province
    r = upload(b, scan(world["pdf"]), "scan.png", "image/png")
    assert outcome(r) == "MATCH"


def test_a_scanned_pdf_without_metadata_matches_by_its_qr_code(world):
    picture = Image.open(io.BytesIO(scan(world["pdf"], dpi=250)))
    out = io.BytesIO()
    picture.convert("RGB").save(out, "PDF", resolution=250)
    b = sign_in(world["app"], "somchai")
    r = upload(b, out.getvalue(), "scan.pdf", "application/pdf")
    assert outcome(r) == "MATCH" and "คิวอาร์โค้ดบนหน้าไฟล์ PDF" in r.text


def test_an_amended_record_makes_the_old_paper_modified(world):
    laptop, record_id = world["laptop"], world["record_id"]
    amendment = signing.amend(laptop.store, record_id)["id"]
    assert laptop.sync().ok
    b = sign_in(world["app"], "somchai")
    photo = photograph(world["pdf"], Shot(seed=7))
    r = upload(b, photo)
    assert outcome(r) == "MATCH" and "ยังไม่ยืนยัน" in r.text   # amendment still a draft
    signing.finalize(laptop.store, amendment, require_signatures=False)
    assert laptop.sync().ok
    r = upload(b, photo)
    assert r.status_code == 200 and outcome(r) == "MODIFIED"
    assert "ปัจจุบันเป็นฉบับที่ 1" in r.text


def test_a_paper_whose_content_differs_is_modified(world):
    """The same record and version with another content hash: what a paper printed from an
    altered copy of the record carries."""
    payload = read_pdf_payload(world["pdf"])
    forged = f"FA1|{payload.record_id}|0|{'ab' * 32}"
    b = sign_in(world["app"], "somchai")
    r = upload(b, qr_picture(forged))
    assert outcome(r) == "MODIFIED" and "เนื้อหาของบันทึกแตกต่าง" in r.text


def test_random_and_foreign_codes_are_unknown(app):
    b = sign_in(app, "somchai")
    stranger = "FA1|01890a5d-ac96-774b-bcce-b302099a8057|0|" + "0" * 64
    r = upload(b, qr_picture(stranger))
    assert outcome(r) == "UNKNOWN" and "record-link" not in r.text
    r = upload(b, qr_picture("https://example.com/not-ours"))
    assert outcome(r) == "UNKNOWN" and "ไม่พบรหัสตรวจสอบ" in r.text
    r = upload(b, qr_picture("FA1|01890a5d-ac96-774b-bcce-b302099a8057|0|DRAFT"))
    assert outcome(r) == "UNKNOWN" and "ฉบับร่าง" in r.text


def test_another_province_learns_nothing(world, server_db):
    """Wilai supervises province 20: the paper of a province-10 record answers exactly as a
    made-up record does, with no link."""
    b = sign_in(world["app"], "wilai")
    real = upload(b, world["pdf"], "form.pdf", "application/pdf")
    payload = read_pdf_payload(world["pdf"])
    made_up = f"FA1|01890a5d-ac96-774b-bcce-b302099a8057|0|{payload.content_hash}"
    fake = upload(b, qr_picture(made_up))
    assert outcome(real) == outcome(fake) == "UNKNOWN"
    assert "/inspections/" not in real.text

    def answer(r):
        return re.search(r'<section class="card verdict".*?</h2>\s*<p>(.*?)</p>', r.text,
                         re.S).group(1)
    assert answer(real) == answer(fake)


@pytest.mark.parametrize("who", ["anong", "chai"])
def test_inspectors_may_not_verify(app, who):
    b = sign_in(app, who)
    assert b.get("/verify").status_code == 403
    assert "/verify" not in b.get("/account/password").text  # not in their menu


def test_upload_needs_a_session_and_the_csrf_token(app):
    r = browser(app).post("/verify", files={"paper": ("a.jpg", qr_picture("x"))})
    assert r.status_code == 401
    b = sign_in(app, "somchai")
    r = b.post("/verify", files={"paper": ("a.jpg", qr_picture("x"), "image/jpeg")})
    assert r.status_code == 400 and 'id="outcome"' not in r.text


def _png_bomb() -> bytes:
    """A valid PNG header claiming 60,000 x 60,000 pixels, with a few bytes of data."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 60_001 * 20)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name, data, message", [
    ("empty.pdf", b"", "กรุณาเลือกไฟล์ก่อน"),
    ("notes.txt", "สวัสดี <script>alert(1)</script>".encode(), "เฉพาะไฟล์ PDF, JPEG และ PNG"),
    ("photo.heic", b"\0\0\0\x18ftypheic" + b"\0" * 100, "HEIC"),
    ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "ไฟล์เสียหายหรือไม่สมบูรณ์"),
    ("cut.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0", "ไฟล์เสียหายหรือไม่สมบูรณ์"),
    ("bomb.png", _png_bomb(), "ความละเอียดสูงเกิน"),
])
def test_bad_files_get_a_clear_message(app, name, data, message):
    b = sign_in(app, "somchai")
    r = upload(b, data, name, "application/octet-stream")
    assert r.status_code == 400, r.text[-2000:]
    assert message in r.text and 'id="outcome"' not in r.text
    assert "<script>alert(1)" not in r.text


def test_a_truncated_photo_is_damaged(app):
    photo = qr_picture("FA1|x|0|DRAFT", size=1200)
    b = sign_in(app, "somchai")
    r = upload(b, photo[: len(photo) // 2])
    assert r.status_code == 400 and "ไฟล์เสียหายหรือไม่สมบูรณ์" in r.text


def test_a_huge_file_is_refused_with_its_limit(app, monkeypatch):
    monkeypatch.setattr(paper_check, "MAX_UPLOAD_BYTES", 2**20)
    b = sign_in(app, "somchai")
    r = upload(b, b"%PDF-1.7\n" + b"\0" * 2**20, "form.pdf", "application/pdf")
    assert r.status_code == 413 and "ไฟล์มีขนาดเกิน 1 MB" in r.text
    # Beyond what the console reads at all: the same kind of answer, not "form expired".
    from fieldapp.server.console import security
    monkeypatch.setattr(security, "MAX_FORM_BYTES", 50_000)
    r = upload(b, b"%PDF-1.7\n" + b"\0" * 60_000, "form.pdf", "application/pdf")
    assert r.status_code == 413 and "หมดอายุ" not in r.text


def test_the_page_in_english_escapes_the_code_it_read(app):
    """A code's record id is limited to letters, digits and dashes by the payload format;
    whatever else a QR holds never reaches the page."""
    b = sign_in(app, "somchai")
    b.cookies.set("fieldapp_lang", "en")
    r = upload(b, qr_picture('FA1|<img src=x onerror=alert(1)>|0|' + "0" * 64))
    assert r.status_code == 200 and outcome(r) == "UNKNOWN"
    assert "<img src=x" not in r.text and "No FieldApp verification code" in r.text
