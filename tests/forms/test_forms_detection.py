"""The paper shows a lab's "<2" and "ND" as the report wrote them, with the unit, and the
judgement: passed, or undecided with the inspector's decision (core/detection.py)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from test_forms_builders import build_inspection

from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.store.inspections import set_answer

# The "measured value / limit" column of the checklist table, in points from the page's left
# edge (forms/blocks.CHECK_COLUMNS after the 3 cm margin: 12.4 cm to 15.8 cm).
VALUE_COLUMN = (345, 450)


def _value_column(pdf: bytes, tmp_path) -> str:
    """The text of the value column, as pdftotext reads it word by word with positions: the
    plain text interleaves the table's columns line by line."""
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         check=True, text=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    column = "".join(html.unescape(w) for x, w in words
                     if VALUE_COLUMN[0] < float(x) < VALUE_COLUMN[1])
    return "".join(column.split())   # a cell may wrap anywhere it has a space


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_below_detection_values_print_with_unit_and_judgement(store, tmp_path):
    iid = build_inspection(store, photos=0, final=False, signatures="none", fail_every=0)
    set_answer(store, iid, "ww.bod", value="<2")
    set_answer(store, iid, "ww.oil_grease", value="ไม่พบ")
    set_answer(store, iid, "ww.cod", value="n.d. (<0.5)")
    set_answer(store, iid, "ww.ss", value="<60")
    set_answer(store, iid, "ww.ss", result="fail", note="ห้องปฏิบัติการรายงานต่ำกว่า 60",
               keep=("value",))
    set_answer(store, iid, "ww.ph", value="<2")
    text = _value_column(render_inspection_pdf(store, iid), tmp_path)
    for expected in ("<2mg/Lเกณฑ์≤20mg/Lอยู่ในเกณฑ์มาตรฐาน",
                     "ไม่พบ(ND)เกณฑ์≤5mg/Lอยู่ในเกณฑ์มาตรฐาน",
                     "ไม่พบ(ND<0.5mg/L)เกณฑ์≤120mg/Lอยู่ในเกณฑ์มาตรฐาน",
                     "<60mg/Lเกณฑ์≤50mg/Lตัดสินจากค่านี้ไม่ได้ขีดจำกัดการตรวจวัดสูงกว่าเกณฑ์"
                     "ผู้ตรวจวินิจฉัย:ไม่ผ่าน",
                     "<2เกณฑ์5.5–9.0ต่ำกว่าเกณฑ์มาตรฐาน"):
        assert expected in text, expected


def _value_column_lines(pdf: bytes, tmp_path) -> list[str]:
    """The value column's lines as drawn: its words grouped by their baseline."""
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         check=True, text=True).stdout
    lines: dict[tuple[int, float], list[str]] = {}
    for page, body in enumerate(out.split("<page ")[1:]):
        for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" '
                                     r'yMax="([\d.]+)">([^<]*)</word>', body):
            if VALUE_COLUMN[0] < float(x) < VALUE_COLUMN[1]:
                lines.setdefault((page, round(float(y))), []).append(html.unescape(word))
    return [" ".join(words) for _key, words in sorted(lines.items())]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_bound_keeps_its_sign_number_and_unit_on_one_line(store, tmp_path):
    # In the 3.4 cm column "ไม่พบ (ND < 0.005 mg/L)" ended a line with "<" and
    # "< 12,500 mg/L" put "<" alone on its line.
    iid = build_inspection(store, photos=0, final=False, signatures="none", fail_every=0)
    set_answer(store, iid, "ww.cod", value="ไม่พบ (<0.005)")
    set_answer(store, iid, "ww.tds", value="<12500")
    set_answer(store, iid, "ww.bod", value="ND<0.5")
    lines = _value_column_lines(render_inspection_pdf(store, iid), tmp_path)
    assert "< 0.005 mg/L)" in lines and "< 12,500 mg/L" in lines, lines
    assert "< 0.5 mg/L)" in lines, lines
    for line in lines:
        assert not re.search(r"[<≤≥]$", line), lines          # a sign ends no line
        assert not re.match(r"mg/L", line), lines              # a unit starts none
