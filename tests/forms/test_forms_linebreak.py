"""Line breaks of real Thai paragraphs the typesetter has not seen, checked the way a reader
would: text extracted from the rendered PDF, each line end compared with two independent
segmentations (PyThaiNLP's newmm with its stock dictionary, and longest matching). A line
may only end where at least one of them also sees a word boundary; both calling it the middle
of a word is a mid-word break.

News-style paragraphs add what inspection notes have less of: people's and places' names the
dictionary does not know (ชุณหะวัณ, หนองระเวียง), and compounds that overlap other dictionary
words (สำนักงาน|อุตสาหกรรม, not สำนัก|งานอุตสาหกรรม)."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from pythainlp.tokenize import word_tokenize
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from fieldapp.forms import fonts
from fieldapp.forms.paragraph import TextStyle, ThaiParagraph
from fieldapp.forms.shaping import text_width

PARAGRAPHS = [
    "ผู้ประกอบกิจการโรงงานต้องจัดให้มีระบบบำบัดน้ำเสียที่มีประสิทธิภาพเพียงพอต่อการบำบัดน้ำเสีย"
    "ที่เกิดขึ้นจากกระบวนการผลิตทั้งหมดและต้องควบคุมดูแลให้ระบบดังกล่าวทำงานอยู่ตลอดเวลาที่มี"
    "การระบายน้ำทิ้งออกนอกโรงงาน",
    "เจ้าหน้าที่ได้ตรวจสอบบริเวณที่เก็บกากอุตสาหกรรมพบว่าภาชนะบรรจุบางส่วนไม่มีฉลากระบุชนิดของ"
    "ของเสียและไม่มีหลังคาป้องกันน้ำฝนจึงแนะนำให้ปรับปรุงให้เป็นไปตามประกาศกระทรวงอุตสาหกรรม"
    "ภายในสามสิบวัน",
    "ชาวบ้านในชุมชนใกล้เคียงร้องเรียนว่ามีกลิ่นเหม็นและฝุ่นละอองฟุ้งกระจายในช่วงเวลากลางคืนโดย"
    "เฉพาะวันที่มีลมพัดจากทิศตะวันออกเฉียงใต้ซึ่งส่งผลกระทบต่อสุขภาพของเด็กและผู้สูงอายุ",
    "ผลการตรวจวัดคุณภาพอากาศจากปล่องระบายของหม้อไอน้ำพบว่าปริมาณฝุ่นละอองรวมสูงกว่าค่ามาตรฐาน"
    "ที่กำหนดไว้ในประกาศกระทรวงอุตสาหกรรมเรื่องกำหนดค่าปริมาณของสารเจือปนในอากาศที่ระบาย"
    "ออกจากโรงงานจึงสั่งให้ปรับปรุงแก้ไขระบบควบคุมมลพิษทางอากาศโดยเร็ว",
    "โรงงานได้ส่งรายงานผลการปฏิบัติตามมาตรการป้องกันและแก้ไขผลกระทบสิ่งแวดล้อมประจำปีครบถ้วน"
    "แต่ยังไม่ได้จัดทำบัญชีรายการสารเคมีอันตรายที่เก็บรักษาไว้ภายในอาคารคลังสินค้าให้เป็นปัจจุบัน",
]

# Written for this test in the style of Thai news reports: names, offices, compounds.
NEWS = [
    "นายวีระพงษ์ ชุณหะวัณ ผู้ว่าราชการจังหวัดนครราชสีมา เปิดเผยว่าสำนักงานอุตสาหกรรมจังหวัด"
    "นครราชสีมาได้รับเรื่องร้องเรียนจากชาวบ้านตำบลหนองระเวียงเกี่ยวกับกลิ่นเหม็นจากโรงงานแปรรูป"
    "มันสำปะหลัง จึงสั่งการให้เจ้าหน้าที่ลงพื้นที่ตรวจสอบร่วมกับองค์การบริหารส่วนตำบลทันที",
    "กระทรวงอุตสาหกรรมโดยกรมโรงงานอุตสาหกรรมร่วมกับกระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"
    "จัดประชุมชี้แจงผู้ประกอบการในนิคมอุตสาหกรรมมาบตาพุด จังหวัดระยอง เรื่องมาตรการควบคุม"
    "การระบายสารอินทรีย์ระเหยง่าย โดยมีนางสาวพรทิพย์ ชุณหะวัณ ผู้อำนวยการสำนักงานอุตสาหกรรม"
    "จังหวัดระยองเป็นประธาน",
    "สำนักงานคณะกรรมการสิ่งแวดล้อมแห่งชาติรายงานว่าคุณภาพอากาศในเขตอำเภอเมืองสมุทรปราการ"
    "มีค่าฝุ่นละอองขนาดเล็กเกินมาตรฐานติดต่อกันเป็นวันที่สาม สำนักงานป้องกันและบรรเทา"
    "สาธารณภัยจังหวัดจึงประสานสำนักงานอุตสาหกรรมจังหวัดให้ตรวจสอบโรงงานหลอมโลหะในพื้นที่"
    "อย่างเข้มงวด",
    "ที่ศาลากลางจังหวัดขอนแก่น นายประยูร ชุณหะวัณ รองผู้ว่าราชการจังหวัดขอนแก่น พร้อมด้วย"
    "อุตสาหกรรมจังหวัดขอนแก่นและนายอำเภอบ้านไผ่ แถลงผลการตรวจสอบโรงงานผลิตเอทานอลที่ปล่อย"
    "น้ำเสียลงลำห้วยสาธารณะจนปลาตายเป็นจำนวนมาก โดยสำนักงานอุตสาหกรรมจังหวัดได้สั่งให้โรงงาน"
    "หยุดประกอบกิจการชั่วคราวตามมาตรา 39 แห่งพระราชบัญญัติโรงงาน",
    "คณะกรรมาธิการการอุตสาหกรรม สภาผู้แทนราษฎร เชิญผู้แทนกระทรวงอุตสาหกรรม สำนักงาน"
    "คณะกรรมการส่งเสริมการลงทุน และการนิคมอุตสาหกรรมแห่งประเทศไทยมาชี้แจงกรณีการลักลอบทิ้ง"
    "กากอุตสาหกรรมในพื้นที่จังหวัดฉะเชิงเทรา ซึ่งนายสมศักดิ์ ชุณหะวัณ ประธานกรรมาธิการระบุว่า"
    "ต้องเร่งแก้ไขโดยด่วน",
    "เมื่อวันที่ 15 มีนาคม นางสาวกาญจนา ชุณหะวัณ อุตสาหกรรมจังหวัดลพบุรี นำเจ้าหน้าที่"
    "สำนักงานอุตสาหกรรมจังหวัดลงพื้นที่ตำบลโคกตูม ตรวจสอบโรงงานโม่บดและย่อยหินหลังได้รับแจ้งว่า"
    "มีฝุ่นหินฟุ้งกระจายเข้าบ้านเรือนประชาชน พบว่าระบบสเปรย์น้ำชำรุดจึงสั่งให้ปรับปรุงภายใน"
    "เจ็ดวัน",
]
# A compound whose parts are words (สำนัก + งาน) and a name the dictionary does not know.
KEEP_WHOLE = ("สำนักงาน", "ชุณหะวัณ", "อุตสาหกรรม", "กระทรวง", "ผู้ว่าราชการจังหวัด")
SIZE = 16
CM = 28.3465  # points
FRAME_PADDING = 6  # points each side: ReportLab's frame takes them off the page width


def line_width(width_cm: float) -> float:
    return width_cm * CM - 2 * FRAME_PADDING


def rendered_lines(text: str, width_cm: float) -> list[str]:
    fonts.register_fonts()
    out = io.BytesIO()
    margin = (A4[0] - width_cm * CM) / 2
    SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin).build(
        [ThaiParagraph(text, TextStyle(size=SIZE))])
    doc = pypdfium2.PdfDocument(out.getvalue())
    try:
        page_text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return [line.strip() for line in page_text.splitlines() if line.strip()]


def words(text: str, engine: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for token in word_tokenize(text, engine=engine, keep_whitespace=True):
        spans.append((pos, pos + len(token)))
        pos += len(token)
    return spans


def boundaries(text: str, engine: str) -> set[int]:
    return {end for _start, end in words(text, engine)}


def line_ends(text: str, lines: list[str]) -> list[int]:
    """Where in ``text`` each line but the last ends (extracted lines lose the spaces at
    their ends, so each is looked up after the one before)."""
    ends, pos = [], 0
    for line in lines[:-1]:
        pos = text.index(line, pos) + len(line)
        ends.append(pos)
    return ends


def mid_word_breaks(text: str, lines: list[str], width_cm: float | None = None) -> list[str]:
    """Line ends that both independent segmentations place inside a word; with ``width_cm``,
    not counting a word wider than the line (the shorter of the two readings' words)."""
    newmm, longest = words(text, "newmm"), words(text, "longest")
    bad = []
    for pos in line_ends(text, lines):
        inside = [text[a:b] for a, b in (*newmm, *longest) if a < pos < b]
        if len(inside) < 2:
            continue  # a word boundary for at least one of them
        word = min(inside, key=len)
        if width_cm and text_width(word, fonts.REGULAR, SIZE) > line_width(width_cm):
            continue  # it has to break somewhere
        bad.append(f"…{text[pos - 8:pos]}|{text[pos:pos + 8]}…")
    return bad


@pytest.mark.parametrize("width_cm", [6.0, 9.5, 12.0, 16.0])
@pytest.mark.parametrize("paragraph", range(len(PARAGRAPHS)))
def test_unseen_paragraphs_break_only_between_words(paragraph, width_cm):
    text = PARAGRAPHS[paragraph]
    lines = rendered_lines(text, width_cm)
    assert "".join(lines) == text, "the extracted lines must give back the paragraph"
    assert len(lines) >= 2
    assert mid_word_breaks(text, lines) == [], f"mid-word breaks at {width_cm} cm"


def split_words(text: str, lines: list[str], width_cm: float) -> list[str]:
    """Occurrences of KEEP_WHOLE cut by a line end although a line could hold them."""
    ends, bad = line_ends(text, lines), []
    for word in KEEP_WHOLE:
        fits = text_width(word, fonts.REGULAR, SIZE) <= line_width(width_cm)
        for start in (i for i in range(len(text)) if text.startswith(word, i)):
            cut = [p for p in ends if start < p < start + len(word)]
            if cut and fits:
                bad.append(f"{text[start:cut[0]]}|{text[cut[0]:start + len(word)]}")
    return bad


@pytest.mark.parametrize("width_cm", [3.0, 4.5, 6.0, 9.5, 12.0, 16.0])
@pytest.mark.parametrize("paragraph", range(len(NEWS)))
def test_news_prose_keeps_names_and_compounds_whole(paragraph, width_cm):
    text = NEWS[paragraph]
    lines = rendered_lines(text, width_cm)
    assert "".join("".join(lines).split()) == "".join(text.split()), "lines give back the text"
    assert mid_word_breaks(text, lines, width_cm) == [], f"mid-word breaks at {width_cm} cm"
    assert split_words(text, lines, width_cm) == [], f"split at {width_cm} cm"


def test_the_check_catches_a_breaker_that_cuts_anywhere():
    # Lines cut every 23 characters, as a generic PDF tool would: the check must object.
    text = PARAGRAPHS[0]
    naive = [text[i:i + 23] for i in range(0, len(text), 23)]
    assert len(mid_word_breaks(text, naive)) >= 3
