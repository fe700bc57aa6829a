"""A template -> an XLSForm workbook an office can start from.

The workbook is what reader.py reads back into the same template, and what pyxform (the ODK
converter) accepts: survey/choices/settings in XLSForm's own shape, our extras in extra
columns that XLSForm tools ignore, an instructions sheet they ignore too. Headings carry a
Thai note, the heading row is frozen and columns are wide enough to read.
"""

from __future__ import annotations

import io
import re

from fieldapp.core.template_model import Template
from fieldapp.xlsform.relevant import from_show_if
from fieldapp.xlsform.vocabulary import (
    CHOICE_COLUMNS,
    CHOICES,
    EN,
    INSTRUCTIONS,
    RESULT_CHOICES,
    RESULT_LIST,
    SETTINGS,
    SETTINGS_COLUMNS,
    SURVEY,
    SURVEY_COLUMNS,
    TH,
    Column,
)

_TYPES = {"number": "decimal", "text": "text", "document": "text", "date": "date",
          "gps": "geopoint", "photo": "image"}

INSTRUCTIONS_TEXT = (
    ("วิธีแก้ไขแบบตรวจนี้ (How to edit this checklist)", True),
    ("สมุดงานนี้เป็นแบบตรวจของ FieldApp ในรูปแบบ XLSForm: แผ่น survey คือข้อคำถาม แผ่น choices "
     "คือรายการตัวเลือก แผ่น settings คือชื่อและรุ่นของแบบตรวจ แผ่นนี้ (instructions) "
     "ไม่ถูกอ่าน", False),
    ("This workbook is a FieldApp checklist in XLSForm form: survey holds the questions, "
     "choices the option lists, settings the title and version. This sheet is not read.", False),
    ("1. เพิ่มหมวด: แถว begin_group (name, label) ตามด้วยข้อคำถาม แล้วปิดด้วยแถว end_group "
     "(Add a section: a begin_group row, its questions, an end_group row.)", False),
    (f"2. ข้อผ่าน/ไม่ผ่าน/ไม่เกี่ยวข้อง: type = select_one {RESULT_LIST} (รายการสงวน ห้ามแก้) "
     f"(A pass/fail/NA item: type select_one {RESULT_LIST}; the list is reserved.)", False),
    ("3. ค่าที่วัด: type = decimal ใส่ limit_min / limit_max และ unit ค่าที่เกินมาตรฐานยังบันทึก"
     "ได้เสมอและถูกทำเครื่องหมายว่าเกิน ห้ามใช้คอลัมน์ constraint "
     "(A measured value: decimal with limit_min/limit_max and unit. An over-limit value is "
     "always recorded and flagged; there is no constraint column.)", False),
    ("4. แสดงเมื่อ: relevant เช่น ${ww.treatment} = 'fail' หรือ selected(${ww.kind}, 'oil') "
     "ต่อด้วย or ได้ (ข้อเดียวกัน) ไม่รองรับ and, not, != "
     "(Show only when: relevant, e.g. ${ww.treatment} = 'fail'; or-joined about one item.)",
     False),
    ("5. ภาพถ่าย: type = image; พิกัด: geopoint; วันที่: date; เอกสารที่ตรวจพบ: text และ "
     "document = yes (Photo: image; GPS: geopoint; a document sighted: text with document yes.)",
     False),
    ("6. เพิ่ม version ในแผ่น settings ทุกครั้งก่อนเผยแพร่ ห้ามเปลี่ยน form_id และห้ามนำ name "
     "เดิมไปใช้กับคำถามอื่น (Raise the version before publishing; never change form_id or "
     "reuse a name for a different question.)", False),
    ("7. ตรวจไฟล์: fieldapp templates import-xlsx FILE.xlsx หรือเมนู ไฟล์ → ดูตัวอย่างแบบตรวจ "
     "ทุกข้อผิดพลาดจะบอกแผ่น แถว และคอลัมน์ (Check it with `fieldapp templates import-xlsx` or "
     "File → Preview a checklist file; every mistake names its sheet, row and column.)", False),
    ("คอลัมน์ที่ไม่รู้จักหรือสะกดผิด (เช่น relevent) จะถูกแจ้งเป็นข้อผิดพลาด ไม่ถูกข้ามไปเงียบ ๆ "
     "(An unknown or misspelt column, such as relevent, is an error, never skipped.)", False),
)


def write_xlsform(template: Template) -> bytes:
    """The workbook of ``template`` as .xlsx bytes."""
    from openpyxl import Workbook  # imported on use: it is slow to import

    workbook = Workbook()
    survey = workbook.active
    survey.title = SURVEY
    lists = _choice_lists(template)
    _fill(survey, SURVEY_COLUMNS, _survey_rows(template, lists))
    _fill(workbook.create_sheet(CHOICES), CHOICE_COLUMNS, _choice_rows(template, lists))
    _fill(workbook.create_sheet(SETTINGS), SETTINGS_COLUMNS, [_settings_row(template)])
    _instructions(workbook.create_sheet(INSTRUCTIONS))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(sheet, columns: tuple[Column, ...], rows: list[dict]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(column.note_th, "FieldApp", width=320, height=110)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row.get(column.name)
            if value is not None:
                cell = sheet.cell(row=number, column=index, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"   # words that begin with '=', not a formula
                if isinstance(value, str) and len(value) > column.width:
                    cell.alignment = wrap
    sheet.freeze_panes = "C2" if sheet.title == SURVEY else "A2"


def _choice_lists(template: Template) -> dict[str, str]:
    """Item id -> list name; items with the same options share one list (yes/no lists)."""
    by_options: dict[tuple, str] = {}
    names: dict[str, str] = {}
    taken = {RESULT_LIST}
    for item in template.items.values():
        if not item.choices:
            continue
        options = tuple((c.id, c.label["th"], c.label["en"]) for c in item.choices)
        if options not in by_options:
            base = re.sub(r"[^A-Za-z0-9_]", "_", item.id)
            name, n = base, 2
            while name in taken:
                name, n = f"{base}_{n}", n + 1
            taken.add(name)
            by_options[options] = name
        names[item.id] = by_options[options]
    return names


def _decimal_cell(text: str):
    """A limit as a number cell when the number reads back as the same text, else as text
    (so 9.0 stays 9.0 and -0 stays -0: a number cell would come back as 9 and 0)."""
    if "." not in text:
        return int(text) if str(int(text)) == text else text
    as_float = float(text)
    return as_float if repr(as_float) == text and not text.endswith(".0") else text


def _survey_rows(template: Template, lists: dict[str, str]) -> list[dict]:
    rows: list[dict] = []
    body_items = {raw["id"]: raw for s in template.body["sections"] for raw in s["items"]}
    for section in template.sections:
        rows.append({"type": "begin_group", "name": section.id,
                     f"label::{TH}": section.title["th"], f"label::{EN}": section.title["en"]})
        for item in section.items:
            raw = body_items[item.id]
            if item.type == "result":
                kind = f"select_one {RESULT_LIST}"
            elif item.type in ("choice", "multi_choice"):
                verb = "select_one" if item.type == "choice" else "select_multiple"
                kind = f"{verb} {lists[item.id]}"
            else:
                kind = _TYPES[item.type]
            row = {"type": kind, "name": item.id,
                   f"label::{TH}": item.label["th"], f"label::{EN}": item.label["en"]}
            if item.help:
                row[f"hint::{TH}"], row[f"hint::{EN}"] = item.help["th"], item.help["en"]
            if item.required:
                row["required"] = "yes"
            if item.show_if:
                show_if = item.show_if
                controller = template.items[show_if["item"]]
                values = [show_if["equals"]] if "equals" in show_if else show_if["in"]
                row["relevant"] = from_show_if(controller.id, values,
                                               controller.type == "multi_choice",
                                               "equals" in show_if)
            limits = raw.get("limits") or {}
            if "min" in limits:
                row["limit_min"] = _decimal_cell(limits["min"])
            if "max" in limits:
                row["limit_max"] = _decimal_cell(limits["max"])
            if item.unit:
                row["unit"] = item.unit
            if item.legal_basis:
                row[f"legal_ref::{TH}"] = item.legal_basis
            if item.legal_basis_en:
                row[f"legal_ref::{EN}"] = item.legal_basis_en
            if item.type in ("result", "number"):
                if item.on_fail["note"]:
                    row["requires_note_on_fail"] = "yes"
                if item.on_fail["photo"]:
                    row["requires_photo_on_fail"] = "yes"
            if item.order_text:
                row["order_text"] = item.order_text
            if item.deadline_days is not None:
                row["deadline_days"] = item.deadline_days
            if item.type == "document":
                row["document"] = "yes"
            rows.append(row)
        rows.append({"type": "end_group"})
    return rows


def _choice_rows(template: Template, lists: dict[str, str]) -> list[dict]:
    """The reserved result list first, then each shared list once, in item order."""
    rows = [{"list_name": RESULT_LIST, "name": name, f"label::{TH}": th, f"label::{EN}": en}
            for name, th, en in RESULT_CHOICES]
    written: set[str] = set()
    for item_id, list_name in lists.items():
        if list_name in written:
            continue
        written.add(list_name)
        rows += [{"list_name": list_name, "name": c.id, f"label::{TH}": c.label["th"],
                  f"label::{EN}": c.label["en"]} for c in template.items[item_id].choices]
    return rows


def _settings_row(template: Template) -> dict:
    row = {"form_id": template.key, "form_title": template.title["th"],
           "version": template.version, "default_language": TH,
           "form_title_en": template.title["en"], "kind": template.kind,
           "form_code": template.form_code}
    if template.description:
        row["description_th"] = template.description["th"]
        row["description_en"] = template.description["en"]
    return row


def _instructions(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 120
    for number, (text, heading) in enumerate(INSTRUCTIONS_TEXT, start=1):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if heading:
            cell.font = Font(bold=True, size=14)
