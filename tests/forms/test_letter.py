"""The official Thai letter (fieldapp/forms/letter.py) and the wording filled into it
(fieldapp/server/loop/wording.py): the text a reader extracts, Thai dates, first-line
indents that keep every character, and placeholders checked before they can break a letter."""

from __future__ import annotations

import subprocess

import pytest

from fieldapp.core.errors import ValidationError
from fieldapp.core.thaidate import format_date
from fieldapp.forms import fonts
from fieldapp.forms.letter import INDENT, IndentedParagraph, Letter, _style, render_letter_pdf
from fieldapp.server.loop.settings import DEFAULTS, check
from fieldapp.server.loop.wording import PLACEHOLDERS, check_wording, fill

BODY = ("ตามที่สำนักงานอุตสาหกรรมจังหวัดได้ตรวจสอบโรงงานของท่าน พบว่าระบบบำบัดน้ำเสียไม่ทำงาน "
        "จึงได้มีคำสั่งให้ท่านปรับปรุงแก้ไขภายในวันที่กำหนด บัดนี้ท่านยังมิได้ปฏิบัติตามคำสั่ง")


def letter(**changes) -> Letter:
    values = dict(number="ที่ อก ๐๓๒๐/", office_name="สำนักงานอุตสาหกรรมจังหวัดชลบุรี",
                  office_address="ถนนพระยาสัจจา\nจังหวัดชลบุรี ๒๐๐๐๐",
                  date=format_date("2026-12-05"), subject="ให้หยุดประกอบกิจการโรงงาน",
                  to="ผู้ประกอบกิจการโรงงาน บริษัท ตัวอย่าง จำกัด",
                  reference="คำสั่งลงวันที่ 10 กุมภาพันธ์ 2569", paragraphs=[BODY, BODY],
                  signer_name="นายสมชาย ใจดี", signer_position="อุตสาหกรรมจังหวัดชลบุรี",
                  contact="กลุ่มกำกับและตรวจสอบโรงงาน\nโทร. ๐ ๓๘๒๗ ๔๐๐๐")
    return Letter(**{**values, **changes})


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_letter_reads_as_written(tmp_path):
    text = text_of(render_letter_pdf(letter()), tmp_path)
    flat = "".join(text.split())
    for part in ("ที่อก๐๓๒๐/", "สำนักงานอุตสาหกรรมจังหวัดชลบุรี", "5ธันวาคม2569",
                 "เรื่องให้หยุดประกอบกิจการโรงงาน", "เรียนผู้ประกอบกิจการโรงงาน",
                 "อ้างถึงคำสั่ง", "".join(BODY.split()), "ขอแสดงความนับถือ",
                 "(นายสมชายใจดี)", "กลุ่มกำกับและตรวจสอบโรงงาน"):
        assert part in flat, part
    lines = [ln for ln in text.splitlines() if ln.strip()]
    first = lines[0]
    # ที่ at the left, the office on the same line at the right; the date from the centre
    assert first.lstrip().startswith("ที่") and "สำนักงาน" in first
    date_line = next(ln for ln in lines if "ธันวาคม" in ln)
    assert len(date_line) - len(date_line.lstrip()) > 20
    closing = next(ln for ln in lines if "ขอแสดงความนับถือ" in ln)
    assert len(closing) - len(closing.lstrip()) > 20


def test_a_long_letter_numbers_its_later_pages(tmp_path):
    text = text_of(render_letter_pdf(letter(paragraphs=[BODY] * 14, thai_digits=True)),
                   tmp_path)
    assert "- ๒ -" in text and "\f" in text
    # the signature never stands alone: text of the body is on its page
    last = text.rstrip("\f\n").split("\f")[-1]
    assert "ขอแสดงความนับถือ" in last and "ท่าน" in last.split("ขอแสดงความนับถือ")[0]


def test_first_line_indent_keeps_every_character():
    fonts.register_fonts()
    p = IndentedParagraph(BODY * 3, _style())
    lines = p._break(450)
    assert "".join(lines) == BODY * 3
    assert len(lines) > 2
    assert p.measure(lines[0].rstrip()) <= 450 - INDENT


def test_placeholders_are_filled_and_checked():
    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    assert fill("{factory_name} {{literal}} {fid}", values) == \
        "<factory_name> {literal} <fid>"
    assert fill("{deadline}", {}) == "................"  # missing: a blank to fill in
    for bad, word in (("{factory_nmae}", "factory_nmae"), ("{", "{"), ("}", "}"),
                      ("{fid!r}", "fid!r"), ("{0}", "{0}"), ("{fid.__class__}", "fid")):
        with pytest.raises(ValidationError) as err:
            check_wording(f"ตามที่ {bad}")
        assert word in str(err.value)
    # the settings refuse such wording when saved; the defaults are valid
    with pytest.raises(ValidationError):
        check("escalation_body", "{nope}")
    for key, (default, _kind) in DEFAULTS.items():
        assert check(key, default) is not None
