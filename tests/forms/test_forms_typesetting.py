"""How the paper writes things, from an audit of 80 printed records: times the official
Thai way, numbers by one rule, no empty boxes for characters Sarabun lacks, place names of
an address kept whole, the office's name on its line, a witness who signs."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from test_forms_builders import build_inspection, photo
from test_forms_render import flat, page_texts

from fieldapp.core.thaidate import thai_digits
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.settings import PrintSettings
from fieldapp.store.inspections import set_answer


@pytest.mark.parametrize(("digits", "expected"), [
    (False, "20 พฤศจิกายน 2569 เวลา 09.30 น."), (True, "๒๐ พฤศจิกายน ๒๕๖๙ เวลา ๐๙.๓๐ น.")])
def test_the_inspection_time_is_written_as_official_thai_documents_write_it(
        store, digits, expected):
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    text = flat(page_texts(render_inspection_pdf(
        store, iid, settings=PrintSettings(thai_digits=digits)))[0])
    assert flat(expected) in text
    assert ":30" not in text and ":๓๐" not in text


@pytest.mark.parametrize("digits", [False, True])
def test_measured_values_limits_and_counts_follow_one_number_rule(store, digits):
    """Thousands grouped from 1,000 up in values as in limits (12500 printed beside its
    limit's 3,000), the recorded decimals kept (7.20 is not 7.2), Thai digits respected."""
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    for item_id, value in (("ww.tds", "12500"), ("lic.workers", "1250"), ("ww.ph", "7.20"),
                           ("ww.oil_grease", "0.005")):
        set_answer(store, iid, item_id, value=value)
    text = flat("".join(page_texts(render_inspection_pdf(
        store, iid, settings=PrintSettings(thai_digits=digits)))))
    shown = thai_digits if digits else str
    for expected in ("12,500 mg/L", "≤ 3,000 mg/L", "1,250 คน", "7.20", "0.005 mg/L"):
        assert flat(shown(expected)) in text, expected
    assert shown("12500") not in text and shown("1250คน") not in text


TYPED = "ผ่าน ✓ ไม่ผ่าน ✗ ✔✘ 👍🏽 ❤️ 👨‍👩‍👧 ★ № □ 工厂 \u200b"


def test_no_character_sarabun_lacks_is_drawn_as_an_empty_box(store, tmp_path):
    """Ticks, crosses, emoji and other symbols people type, in every place typed text
    reaches the paper: what each Sarabun subset in the PDF draws (its ToUnicode map) is
    only characters Sarabun has a glyph for (or its shaped alternates), never the empty box
    (U+FFFF) shaping gives a character it lacks; copying still gives the typed text."""
    from pdf_glyphs import drawn_characters

    from fieldapp.forms.shaping import covered
    from fieldapp.store.changes import save_row
    from fieldapp.store.inspections import add_attachment, add_finding, get_inspection

    iid = build_inspection(store, photos=1, signatures="refused", final=False)
    factory_id = get_inspection(store, iid)["factory_id"]
    save_row(store, "factories", {"id": factory_id, "name": f"บริษัท ทดสอบ {TYPED} จำกัด"})
    set_answer(store, iid, "ww.bod", value="18", note=f"สั้น {TYPED}")
    set_answer(store, iid, "ww.cod", value="96", note=f"หมายเหตุยาว {TYPED} " * 3)
    add_finding(store, iid, description=f"ข้อบกพร่อง {TYPED}", order_text=f"คำสั่ง {TYPED}")
    add_attachment(store, iid, photo(3, (320, 240)), caption=f"ภาพ {TYPED}")
    pdf = render_inspection_pdf(store, iid, settings=PrintSettings(
        office_name=f"สำนักงานอุตสาหกรรมจังหวัดทดสอบ {TYPED}"))

    drawn = drawn_characters(pdf)
    assert set(drawn) == {"Sarabun-Regular", "Sarabun-Bold"}
    for font, name in (("Sarabun-Regular", "Sarabun"), ("Sarabun-Bold", "Sarabun-Bold")):
        missing = {hex(c) for c in drawn[font]
                   if c not in covered(name) and not 0xE000 <= c <= 0xF8FF}
        assert not missing, (font, missing)
    # Copying gives what was typed (/ActualText), not the substitutes drawn. (PDFium
    # drops characters beyond U+FFFF from an ActualText; poppler keeps them.)
    text = flat("".join(page_texts(pdf)))
    assert "[U+" not in text
    assert flat("สั้น ผ่าน ✓ ไม่ผ่าน ✗ ✔✘") in text and flat("★ № □ 工厂") in text
    if shutil.which("pdftotext"):
        path = tmp_path / "typed.pdf"
        path.write_bytes(pdf)
        poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                 text=True, check=True).stdout
        assert "👍" in poppler and "[U+" not in poppler


def test_a_character_no_font_has_prints_as_its_code_and_ticks_are_drawn():
    from fieldapp.forms import fonts
    from fieldapp.forms.shaping import MARK_WIDTH, runs, text_width

    fonts.register_fonts()
    assert runs("ok ✓ 👍\u200d❤️ ✗", fonts.REGULAR) == (
        ("text", "ok "), ("tick", "✓"), ("text", " [U+1F44D][U+2764] "), ("cross", "✗"))
    assert text_width("a✓", fonts.REGULAR, 10) == pytest.approx(
        text_width("a", fonts.REGULAR, 10) + MARK_WIDTH * 10)
    assert text_width("a👍", fonts.REGULAR, 10) == text_width("a[U+1F44D]", fonts.REGULAR, 10)


PLACES = ("ตำบลห้วยยางขาม", "อำเภอบางปะอิน", "จังหวัดพระนครศรีอยุธยา")


def _address_lines(factory: dict, width: float) -> list[str]:
    from fieldapp.forms import blocks, fonts
    from fieldapp.forms.paragraph import ThaiParagraph

    fonts.register_fonts()
    table = blocks.factory_block(blocks.Typesetter(), factory)[-1]
    row = next(r for r in table._cellvalues if "ที่ตั้ง" in r[0].text)
    cell: ThaiParagraph = row[1]
    cell.wrap(width, 1000)
    return [line.strip() for line in cell.lines]


@pytest.mark.parametrize("house", ["119/3", "119/3 อาคารเลขที่ 5", "เลขที่ 88/12 โฉนดที่ดิน 4521",
                                   "เลขที่ 88/12 โฉนดที่ดินเลขที่ 45218 เลขที่ดิน 12",
                                   "โฉนดที่ดินเลขที่ 45218 เลขที่ดิน 12 หน้าสำรวจ 3344 ระวาง"])
@pytest.mark.parametrize("width_cm", [6.0, 8.0, 11.8])
def test_an_address_breaks_between_place_names_never_inside_one(house, width_cm):
    """newmm reads ห้วยยางขาม as ห้วย|ยาง|ขาม: a line ended inside the sub-district's name, or
    between อำเภอ and its name. Each place with its label is one unit of the line."""
    from reportlab.lib.units import cm
    factory = {"address": house, "moo": "5", "road": "สายเอเชีย", "subdistrict": "ห้วยยางขาม",
               "district": "บางปะอิน", "province": "พระนครศรีอยุธยา"}
    lines = _address_lines(factory, width_cm * cm - 6)
    joined = " ".join(lines)
    for place in PLACES:
        assert any(place in line for line in lines), (place, lines)
    assert joined.replace(" ", "") == " ".join(
        (house, "หมู่ 5", "ถนน สายเอเชีย", *PLACES)).replace(" ", "")


def test_a_place_name_wider_than_the_line_still_breaks():
    factory = {"subdistrict": "ห้วยยางขาม", "district": "บางปะอิน", "province": "พระนครศรีอยุธยา"}
    lines = _address_lines(factory, 40)
    assert len(lines) > 3 and "".join(lines) == "".join(PLACES)


def _office_cell(name: str, logo: bytes | None):
    from fieldapp.forms import blocks, header_block
    top = header_block.header(blocks.Typesetter(), office_name=name, logo=logo, title="แบบ",
                        form_code="สอจ.01", record_no=None)[0]
    para = top._cellvalues[0][1][0]
    para.wrap(top._colWidths[1], 1000)
    return para


@pytest.mark.parametrize("logo", [False, True])
def test_the_offices_name_stays_on_one_line_or_wraps_between_words(logo):
    """The longest real office names: on one line, made smaller down to 13 pt; where even
    that does not fit (beside a logo), on two lines between จังหวัด and the province whole."""
    from test_forms_builders import signature_image

    from fieldapp.forms.header_block import OFFICE_MIN_SIZE
    image = signature_image(1) if logo else None
    short = _office_cell("สำนักงานอุตสาหกรรมจังหวัดปทุมธานี", image)
    assert len(short.lines) == 1 and short.style.size >= 15
    longest = _office_cell("สำนักงานอุตสาหกรรมจังหวัดพระนครศรีอยุธยา", image)
    if not logo:   # the logo's room is the name's
        assert len(longest.lines) == 1 and longest.style.size >= OFFICE_MIN_SIZE
    else:
        assert [line.strip() for line in longest.lines] == ["สำนักงานอุตสาหกรรมจังหวัด",
                                                             "พระนครศรีอยุธยา"]
    for name in ("สำนักงานอุตสาหกรรมจังหวัดประจวบคีรีขันธ์", "สำนักงานอุตสาหกรรมจังหวัดนครศรีธรรมราช"):
        lines = [line.strip() for line in _office_cell(name, image).lines]
        assert len(lines) == 1 or lines == ["สำนักงานอุตสาหกรรมจังหวัด", name[25:]], lines


def test_the_witness_of_a_refusal_signs_on_a_line_with_their_name_below(store):
    """A refusal to sign printed "พยาน: name" and no line for the witness to sign: the
    witness has a block of their own as every signer does (ลงชื่อ ...., (name), พยาน)."""
    iid = build_inspection(store, photos=0, signatures="refused")
    texts = page_texts(render_inspection_pdf(store, iid))
    page = next(t for t in texts if "5. ลายมือชื่อ" in t)
    assert page.count("ลงชื่อ") == 3                        # inspector, representative, witness
    lines = [line.strip() for line in page.splitlines()]
    assert "(นายวีระ พยานดี)" in lines
    after = lines[lines.index("(นายวีระ พยานดี)"):]
    assert any(line == "พยาน" or line.endswith(" พยาน") for line in after[:3]), after[:4]


def test_a_witness_is_not_given_two_lines(store):
    from fieldapp.store.inspections import add_participant
    iid = build_inspection(store, photos=0, signatures="refused", final=False)
    add_participant(store, iid, role="witness", name="นายวีระ พยานดี", position="ผู้ใหญ่บ้าน")
    page = next(t for t in page_texts(render_inspection_pdf(store, iid)) if "5. ลายมือชื่อ" in t)
    assert page.count("ลงชื่อ") == 3 and "ผู้ใหญ่บ้าน" in page
