"""Line breaks of real Thai paragraphs the typesetter has not seen, checked the way a reader
would: text extracted from the rendered PDF, each line end compared with two independent
segmentations (PyThaiNLP's newmm with its stock dictionary, and longest matching). A line
may only end where at least one of them also sees a word boundary; both calling it the middle
of a word is a mid-word break."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from pythainlp.tokenize import word_tokenize
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from fieldapp.forms import fonts
from fieldapp.forms.paragraph import TextStyle, ThaiParagraph

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


def rendered_lines(text: str, width_cm: float) -> list[str]:
    fonts.register_fonts()
    out = io.BytesIO()
    margin = (A4[0] - width_cm * 28.3465) / 2
    SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin).build(
        [ThaiParagraph(text, TextStyle(size=16))])
    doc = pypdfium2.PdfDocument(out.getvalue())
    try:
        page_text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return [line.strip() for line in page_text.splitlines() if line.strip()]


def boundaries(text: str, engine: str) -> set[int]:
    ends, pos = set(), 0
    for token in word_tokenize(text, engine=engine, keep_whitespace=True):
        pos += len(token)
        ends.add(pos)
    return ends


def mid_word_breaks(text: str, lines: list[str]) -> list[str]:
    """Line ends that both independent segmentations place inside a word."""
    newmm, longest = boundaries(text, "newmm"), boundaries(text, "longest")
    bad, pos = [], 0
    for line in lines[:-1]:
        pos += len(line)
        if pos not in newmm and pos not in longest:
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


def test_the_check_catches_a_breaker_that_cuts_anywhere():
    # Lines cut every 23 characters, as a generic PDF tool would: the check must object.
    text = PARAGRAPHS[0]
    naive = [text[i:i + 23] for i in range(0, len(text), 23)]
    assert len(mid_word_breaks(text, naive)) >= 3
