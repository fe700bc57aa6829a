"""The printed record: text extraction, line breaks in the PDF, QR round trip, verification,
drafts, blank forms and page breaks. Text is read back with PDFium (pypdfium2, honours the
/ActualText of shaped lines); pdftotext is an extra cross-check when poppler is installed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdfium2
import pytest
from test_forms_builders import LONG_NOTE, build_inspection, synthetic_template

from fieldapp.forms.images import render_pdf_pages
from fieldapp.forms.inspection_form import record_state, render_blank_form, render_inspection_pdf
from fieldapp.forms.settings import PrintSettings
from fieldapp.forms.verification import (
    MATCH,
    MODIFIED,
    UNKNOWN,
    parse_payload,
    read_pdf_payload,
    verify_payload,
)
from fieldapp.store.inspections import load_bundle
from fieldapp.store.signing import amend, finalize


def page_texts(pdf: bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def flat(text: str) -> str:
    """Text without white space: a line may wrap at any space of the source."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from fieldapp.store.db import open_store
    store = open_store(tmp_path_factory.mktemp("form") / "f.db")
    iid = build_inspection(store, photos=3)
    pdf = render_inspection_pdf(store, iid, settings=PrintSettings(office_name="สำนักงานอุตสาหกรรมจังหวัดปทุมธานี"))
    yield store, iid, pdf
    store.close()


def test_every_block_is_extractable(printed):
    store, iid, pdf = printed
    text = flat("\n".join(page_texts(pdf)))
    bundle = load_bundle(store, iid)
    for expected in ("สำนักงานอุตสาหกรรมจังหวัดปทุมธานี", "แบบตรวจโรงงานด้านสิ่งแวดล้อม (ทั่วไป)",
                     "บริษัท ไทยอุตสาหกรรมอาหารสัตว์ จำกัด", "10180000125417", "3-22(3)-1/41ชน",
                     "20 พฤศจิกายน 2569 เวลา 09.30 น.", "นางสาวสุดารัตน์ ตรวจการ", "นายสมชาย ใจดี",
                     "ค่าบีโอดี (BOD) ของน้ำทิ้ง", "เกณฑ์ ≤ 20 mg/L", "ไม่ผ่าน", "ผ่าน",
                     "ข้อบกพร่องและคำสั่งให้แก้ไข", "20 ธันวาคม 2569", "พนักงานเจ้าหน้าที่ (ผู้ตรวจ)",
                     "ผู้แทนโรงงาน", "ภาคผนวก ภาพถ่ายประกอบการตรวจ", "ภาพถ่ายบริเวณบ่อบำบัดน้ำเสียจุดที่ 1",
                     bundle["inspection"]["record_no"], iid):
        assert flat(expected) in text, expected
    n = len(page_texts(pdf))
    assert all(f"หน้า {k}/{n}" in t for k, t in enumerate(page_texts(pdf), start=1))


def test_long_thai_paragraph_breaks_only_at_word_boundaries(printed):
    """Each extracted line of the note ends where an independent segmentation (newmm with
    the stock dictionary only) also puts a word boundary."""
    from pythainlp.tokenize import word_tokenize
    _, _, pdf = printed
    lines = [ln.strip() for t in page_texts(pdf) for ln in t.splitlines()]
    note_lines = []
    for i, line in enumerate(lines):
        if line.startswith("หมายเหตุ ข้อ"):
            for following in lines[i:]:
                if note_lines and (re.match(r"\d+\.\d+", following) or "หน้า" in following):
                    break
                note_lines.append(following)
            break
    assert len(note_lines) >= 2
    joined = "".join(note_lines)
    stock = set()
    pos = 0
    for tok in word_tokenize(joined, engine="newmm"):
        pos += len(tok)
        stock.add(pos)
    pos = 0
    for line in note_lines[:-1]:
        pos += len(line)
        if not joined[pos:pos + 1].isspace() and joined[pos - 1:pos] != " ":
            assert pos in stock, (line, joined[pos:pos + 10])


def test_text_stays_inside_the_margins(printed):
    _, _, pdf = printed
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            width = page.get_width()
            for k in range(tp.count_chars()):
                left, _, right, _ = tp.get_charbox(k)
                if right > left:  # skip zero-width marks and spaces
                    assert left >= 3 * 72 / 2.54 - 2 and right <= width - 2 * 72 / 2.54 + 2
    finally:
        doc.close()


def test_qr_round_trip_and_metadata(printed):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is in the [test] extra")
    store, iid, pdf = printed
    image = render_pdf_pages(pdf, dpi=200, pages=[0])[0]
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    digest = load_bundle(store, iid)["inspection"]["content_hash"]
    assert f"FA1|{iid}|0|{digest}" in found
    assert read_pdf_payload(pdf).text() == f"FA1|{iid}|0|{digest}"
    meta = pypdfium2.PdfDocument(pdf).get_metadata_dict()
    assert meta["Title"] and meta["Author"] == "FieldApp" and digest in meta["Subject"]


def test_signature_images_are_drawn(printed):
    _, _, pdf = printed
    doc = pypdfium2.PdfDocument(pdf)
    last_text_page = next(i for i, t in enumerate(page_texts(pdf)) if "5. ลายมือชื่อ" in t)
    objs = list(doc[last_text_page].get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
    assert len(objs) >= 2


def test_verify_match_then_modified_after_amendment(tmp_path, store):
    iid = build_inspection(store, photos=0)
    pdf = render_inspection_pdf(store, iid, tmp_path / "form.pdf")
    payload = read_pdf_payload(pdf)
    assert verify_payload(payload, lambda rid: record_state(store, rid)).outcome == MATCH
    # While the amendment is a draft the signed original is still the record.
    amendment = amend(store, iid)["id"]
    verdict = verify_payload(payload, lambda rid: record_state(store, rid))
    assert verdict.outcome == MATCH and verdict.exit_code == 0
    assert "amendment is in progress" in verdict.reason
    finalize(store, amendment, require_signatures=False)
    verdict = verify_payload(payload, lambda rid: record_state(store, rid))
    assert verdict.outcome == MODIFIED and verdict.exit_code == 1
    assert verify_payload(payload, lambda rid: None).outcome == UNKNOWN
    forged = parse_payload(payload.text()[:-4] + "0000")
    assert verify_payload(forged, lambda rid: record_state(store, rid)).outcome == MODIFIED


def test_local_verification_ends_on_a_loop_of_amendments(store):
    """Rows synced from a server that accepted them before it checked amendments may loop:
    the walk still ends, and a chain is walked only so far."""
    from fieldapp.store.inspections import create_inspection, get_inspection

    a = build_inspection(store, photos=0, final=False, signatures="none")
    first = get_inspection(store, a)
    b = create_inspection(store, factory_id=first["factory_id"],
                          template_version_id=first["template_version_id"])["id"]
    with store.transaction() as conn:
        conn.execute("UPDATE inspections SET amends_id = ? WHERE id = ?", (b, a))
        conn.execute("UPDATE inspections SET amends_id = ? WHERE id = ?", (a, b))
    assert record_state(store, a).version == 1
    assert record_state(store, b).version == 1


def test_verify_command_exit_codes(tmp_path):
    from fieldapp.cli import main
    from fieldapp.store.db import open_store
    db = tmp_path / "cli.db"
    s = open_store(db)
    iid = build_inspection(s, photos=0)
    s.close()
    out = tmp_path / "form.pdf"
    assert main(["--db", str(db), "print", iid, "-o", str(out), "--thai-digits"]) == 0
    assert main(["--db", str(db), "verify", str(out)]) == 0
    (tmp_path / "plain.pdf").write_bytes(render_blank_form(synthetic_template(5)))
    assert main(["--db", str(db), "verify", str(tmp_path / "plain.pdf")]) == 2


def test_draft_has_watermark_and_no_hash_claim(store):
    iid = build_inspection(store, photos=0, final=False, signatures="none")
    pdf = render_inspection_pdf(store, iid)
    text = "\n".join(page_texts(pdf))
    assert "ฉบับร่าง (DRAFT)" in text
    assert read_pdf_payload(pdf).content_hash is None
    assert verify_payload(read_pdf_payload(pdf), lambda rid: record_state(store, rid)).outcome \
        == UNKNOWN


def test_refusal_prints_reason_and_witness(store):
    iid = build_inspection(store, photos=0, signatures="refused")
    text = flat("\n".join(page_texts(render_inspection_pdf(store, iid))))
    assert flat("เหตุผล: ผู้แทนโรงงานไม่เห็นด้วยกับผลการตรวจวัดค่าน้ำทิ้ง") in text
    assert flat("พยาน: นายวีระ พยานดี") in text


def test_page_breaks_on_a_200_item_inspection(store):
    template = synthetic_template(200, key="synthetic-200")
    iid = build_inspection(store, template=template, photos=0, fail_every=0)
    texts = page_texts(render_inspection_pdf(store, iid))
    assert len(texts) > 5
    for text in texts[1:]:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if lines and lines[0].startswith("หมวด"):
            # A page that starts inside a section repeats its title and column headings,
            # and the title is followed by at least one item row.
            assert any(ln.startswith("ข้อ") for ln in lines[1:4])
    sig = [i for i, t in enumerate(texts) if "5. ลายมือชื่อ" in t]
    assert len(sig) == 1
    assert "ผู้แทนโรงงาน" in texts[sig[0]] and "พนักงานเจ้าหน้าที่ (ผู้ตรวจ)" in texts[sig[0]]
    for text in texts:  # a section title never sits alone at a page foot
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and "หน้า" not in ln]
        tail = [ln for ln in lines if not ln.startswith(("เลขที่บันทึก", "รหัสบันทึก", "แฮช"))]
        assert not (tail and tail[-1].startswith("หมวด"))


def test_blank_form_renders(tmp_path):
    pdf = render_blank_form(synthetic_template(20), tmp_path / "blank.pdf",
                            settings=PrintSettings(thai_digits=True))
    text = "\n".join(page_texts(pdf))
    assert "แบบตรวจโรงงานทดสอบ" in text and "ลงชื่อ" in text and "หน้า ๑/" in text
    assert (tmp_path / "blank.pdf").read_bytes() == pdf


def test_pdftotext_gives_back_the_thai(printed, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; PDFium checks above cover "
                    "extraction")
    _, _, pdf = printed
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "ค่าบีโอดี (BOD) ของน้ำทิ้ง" in text
    assert "ระบบบำบัดน้ำเสีย" in text
    assert flat(LONG_NOTE) in flat(text)


def test_verify_reads_the_qr_of_a_scanned_copy(tmp_path, store):
    """A scan has no metadata: the payload comes from the QR code on the page image."""
    pytest.importorskip("zxingcpp", reason="zxing-cpp is in the [test] extra")
    from fieldapp.forms.verification import read_qr_payload
    iid = build_inspection(store, photos=0)
    pdf = render_inspection_pdf(store, iid)
    scan = render_pdf_pages(pdf, dpi=150, pages=[0])[0].convert("L")
    scan_pdf = tmp_path / "scan.pdf"
    scan.save(scan_pdf, "PDF", resolution=150)
    assert read_pdf_payload(str(scan_pdf)) is None
    payload = read_qr_payload(str(scan_pdf))
    assert payload == read_pdf_payload(pdf)
    assert verify_payload(payload, lambda rid: record_state(store, rid)).outcome == MATCH


def test_every_font_the_form_names_is_embedded_sarabun(printed, tmp_path):
    """Only the fonts it draws with, embedded: a table's cells named Helvetica, never drawn
    and never embedded, on every form (pdffonts listed it; a PDF/A check refuses it)."""
    _, _, pdf = printed
    blank = render_blank_form(synthetic_template(5), tmp_path / "blank.pdf")
    for document in (pdf, blank):
        names = set(re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", document))
        assert names and all(name.split(b"+")[-1].startswith(b"Sarabun") for name in names), \
            names


def test_an_unconfigured_office_is_the_factorys_province_office():
    from fieldapp.forms.inspection_form import office_heading
    plain = PrintSettings()
    assert office_heading(plain, {"province": "ลำปาง"}) == "สำนักงานอุตสาหกรรมจังหวัดลำปาง"
    assert office_heading(plain, {"province": None}) == "สำนักงานอุตสาหกรรมจังหวัด"
    assert office_heading(plain, {"province": "กรุงเทพมหานคร"}) == "สำนักงานอุตสาหกรรมจังหวัด"
    named = PrintSettings(office_name="สำนักงานอุตสาหกรรมจังหวัดปทุมธานี")
    assert office_heading(named, {"province": "ลำปาง"}) == named.office_name


def test_text_of_any_length_prints_in_rows_that_split_across_pages(tmp_path):
    """A long text answer, note, finding or order went in one table row taller than a page,
    and the whole record could not be printed ("too large on page 20"). Now long text has
    full-width rows of its own, cut at word boundaries, and every character is printed."""
    from fieldapp.forms.blocks import pieces
    from fieldapp.store.db import open_store
    from fieldapp.store.inspections import add_finding, set_answer, update_finding
    from fieldapp.store.templates import latest_published

    words = ("ตรวจพบการระบายน้ำเสียที่ยังไม่ผ่านการบำบัดลงสู่ลำรางสาธารณะด้านหลังโรงงาน"
             "โดยผ่านท่อพีวีซีขนาดสี่นิ้ว ")
    with open_store(tmp_path / "f.db") as store:
        iid = build_inspection(store, photos=0, final=False)
        text_item = next(i.id for i in latest_published(store, "env-general").items.values()
                         if i.type == "text")
        set_answer(store, iid, text_item, value=words * 60)
        finding = add_finding(store, iid, description="ข้อบกพร่อง")
        update_finding(store, finding["id"], description=words * 30,
                       order_text="ให้ปรับปรุง " + words * 12)
        pdf = render_inspection_pdf(store, iid)
    text = flat("\n".join(page_texts(pdf)))
    for long in (words * 60, words * 30, "ให้ปรับปรุง " + words * 12):
        # each row whole on its page (a page's footer may come between two rows)
        assert all(flat(piece) in text for piece in pieces(long))
    cut = pieces(words * 60, 500)
    assert "".join(cut) == words * 60 and all(len(p) <= 500 for p in cut)


def test_a_stored_photo_that_is_no_picture_prints_as_a_box_that_says_so(tmp_path):
    """Taken in by an older FieldApp (or damaged on disk since): the rest of the record
    prints, the photo's place says it cannot be read."""
    from fieldapp.forms.images import UNREADABLE
    from fieldapp.store.db import open_store
    from fieldapp.store.inspections import add_attachment

    with open_store(tmp_path / "f.db") as store:
        iid = build_inspection(store, photos=1, final=False)
        add_attachment(store, iid, b"not a photo at all" * 10, kind="photo",
                       mime="image/jpeg", caption="บ่อพัก")
        pdf = render_inspection_pdf(store, iid)
    text = flat("\n".join(page_texts(pdf)))
    assert flat(f"บ่อพัก ({UNREADABLE})") in text
