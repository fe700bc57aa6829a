"""Broken checklist workbooks: each mistake is refused at its own cell, in Thai and English.

Every case starts from the exported sample template, breaks one thing the way an office
author could, and asserts the problem's sheet, row, column and words. Nothing is skipped
silently, so a misspelt column or an unsupported type must be among the problems.
"""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter
from xlsform_workbooks import cell, column_of, read_back, row_named, sample_workbook

from fieldapp.xlsform import parse_workbook


def _at(workbook, sheet: str, row: int | None, heading: str | None):
    """Where a problem about ``heading`` of ``row`` is expected: (sheet, row, column)."""
    if heading is None or heading.isupper():   # no heading: the column letter itself
        return sheet, row, heading
    return sheet, row, get_column_letter(column_of(workbook[sheet], heading))


def _case(workbook, name):
    """Apply the case ``name`` to ``workbook``; return (sheet, row, heading, thai, english)."""
    survey, choices, settings = workbook["survey"], workbook["choices"], workbook["settings"]
    if name == "misspelt_relevant_column":
        column = column_of(survey, "relevant")
        survey.cell(row=1, column=column, value="relevent")
        return "survey", 1, "relevent", "ไม่รู้จักคอลัมน์ 'relevent'", "did you mean 'relevant'"
    if name == "constraint_column":
        cell(survey, row_named(survey, "bod"), "constraint").value = ". <= 20"
        return "survey", 1, "constraint", "ไม่รู้จักคอลัมน์ 'constraint'", \
            "unknown column 'constraint'"
    if name == "unsupported_type":
        cell(survey, row_named(survey, "remarks"), "type").value = "note"
        return "survey", row_named(survey, "remarks"), "type", "ไม่รองรับชนิด 'note'", \
            "the type 'note' is not supported"
    if name == "unknown_list":
        cell(survey, row_named(survey, "fuel"), "type").value = "select_multiple fuels"
        return "survey", row_named(survey, "fuel"), "type", "ไม่มีรายการตัวเลือก 'fuels'", \
            "has no list 'fuels'"
    if name == "multiple_results":
        cell(survey, row_named(survey, "coal_store"), "type").value = \
            "select_multiple pass_fail_na"
        return "survey", row_named(survey, "coal_store"), "type", "ผลการตรวจมีคำตอบเดียว", \
            "a result has one answer"
    if name == "bad_name":
        row = row_named(survey, "flow")
        cell(survey, row, "name").value = "Flow Rate"
        return "survey", row, "name", "รหัส 'Flow Rate' ใช้ไม่ได้", \
            "the name 'Flow Rate' cannot be used"
    if name == "duplicate_name":
        row = row_named(survey, "remarks")
        cell(survey, row, "name").value = "flow"
        return "survey", row, "name", "รหัส 'flow' ซ้ำกับแถว", "'flow' is already used in row"
    if name == "duplicate_section_name":
        row = row_named(survey, "water")
        cell(survey, row, "name").value = "general"
        return "survey", row, "name", "รหัส 'general' ซ้ำกับแถว 2", \
            "'general' is already used in row 2"
    if name == "thai_label_in_english":
        row = row_named(survey, "sampled")
        cell(survey, row, "label::Thai (th)").value = "Sampled on"
        return "survey", row, "label::Thai (th)", "ไม่มีอักษรไทย", "has no Thai letters"
    if name == "missing_english_label":
        row = row_named(survey, "sampled")
        cell(survey, row, "label::English (en)").value = None
        return "survey", row, "label::English (en)", "ต้องใส่ข้อความภาษาอังกฤษ", \
            "the English text is required"
    if name == "relevant_unknown_reference":
        row = row_named(survey, "remarks")
        cell(survey, row, "relevant").value = "${boiler} = 'fail'"
        return "survey", row, "relevant", "ไม่มีข้อชื่อนี้อยู่ก่อนแถวนี้", \
            "${boiler} is not a question above this row"
    if name == "relevant_later_reference":
        row = row_named(survey, "has_boiler")
        cell(survey, row, "relevant").value = "${boiler_ok} = 'fail'"
        return "survey", row, "relevant", "ไม่มีข้อชื่อนี้อยู่ก่อนแถวนี้", \
            "${boiler_ok} is not a question above this row"
    if name == "relevant_section_reference":
        row = row_named(survey, "remarks")
        cell(survey, row, "relevant").value = "${general} = 'yes'"
        return "survey", row, "relevant", "เป็นชื่อหมวด ไม่ใช่ข้อ", "names a section"
    if name == "relevant_and":
        row = row_named(survey, "valve_detail")
        cell(survey, row, "relevant").value = \
            "${boiler_ok} = 'fail' and ${has_boiler} = 'yes'"
        return "survey", row, "relevant", "ไม่รองรับ and", "'and' is not supported"
    if name == "relevant_not_equal":
        row = row_named(survey, "valve_detail")
        cell(survey, row, "relevant").value = "${boiler_ok} != 'pass'"
        return "survey", row, "relevant", "ไม่รองรับ !=", "'!=' is not supported"
    if name == "relevant_syntax":
        row = row_named(survey, "valve_detail")
        cell(survey, row, "relevant").value = "${boiler_ok} = "
        return "survey", row, "relevant", "อ่านเงื่อนไขไม่ได้", \
            "expected ${name} or a 'value' but found the end"
    if name == "relevant_impossible_value":
        row = row_named(survey, "valve_detail")
        cell(survey, row, "relevant").value = "${boiler_ok} = 'broken'"
        return "survey", row, "relevant", "'broken' ไม่ใช่คำตอบที่เป็นไปได้ของ 'boiler_ok'", \
            "'broken' is not a possible answer of 'boiler_ok'"
    if name == "relevant_equals_on_multiple":
        row = row_named(survey, "coal_store")
        cell(survey, row, "relevant").value = "${fuel} = 'coal'"
        return "survey", row, "relevant", "ใช้ selected(${fuel}, 'ค่า') แทน =", \
            "'fuel' takes several choices: write selected(${fuel}, 'value') instead of ="
    if name == "relevant_on_number":
        row = row_named(survey, "flow")
        cell(survey, row, "relevant").value = "${ph} = '7'"
        return "survey", row, "relevant", "เงื่อนไขขึ้นกับข้อผลการตรวจหรือข้อตัวเลือกเท่านั้น", \
            "'ph' is a number question"
    if name == "limits_reversed":
        row = row_named(survey, "ph")
        cell(survey, row, "limit_min").value = 10
        return "survey", row, "limit_min", "ค่าต่ำสุด 10 มากกว่าค่าสูงสุด 9.0", \
            "the minimum 10 is above the maximum 9.0"
    if name == "limit_with_separator":
        row = row_named(survey, "bod")
        cell(survey, row, "limit_max").value = "3,000"
        return "survey", row, "limit_max", "ใส่ตัวเลขธรรมดา", "no thousands separator"
    if name == "limit_on_text":
        row = row_named(survey, "remarks")
        cell(survey, row, "limit_max").value = 5
        return "survey", row, "limit_max", "ใช้ได้เฉพาะกับ ค่าที่วัด", \
            "is only for measured values"
    if name == "photo_on_fail_of_date":
        row = row_named(survey, "sampled")
        cell(survey, row, "requires_photo_on_fail").value = "yes"
        return "survey", row, "requires_photo_on_fail", "ใช้ได้เฉพาะกับ ข้อผลการตรวจ", \
            "is only for results"
    if name == "required_maybe":
        row = row_named(survey, "flow")
        cell(survey, row, "required").value = "maybe"
        return "survey", row, "required", "ใส่ yes หรือ no", "write yes or no"
    if name == "deadline_zero":
        row = row_named(survey, "boiler_ok")
        cell(survey, row, "deadline_days").value = 0
        return "survey", row, "deadline_days", "ใส่จำนวนเต็ม 1–3650", \
            "write a whole number 1–3650"
    if name == "item_outside_section":
        row = survey.max_row + 1
        survey.cell(row=row, column=column_of(survey, "type"), value="text")
        cell(survey, row, "name").value = "late"
        cell(survey, row, "label::Thai (th)").value = "ข้อท้าย"
        cell(survey, row, "label::English (en)").value = "Late"
        return "survey", row, "type", "ทุกข้อต้องอยู่ในหมวด", "every question belongs to a section"
    if name == "nested_section":
        row = row_named(survey, "water")
        end = row - 1
        assert survey.cell(row=end, column=1).value == "end_group"
        survey.cell(row=end, column=1).value = "text"
        cell(survey, end, "name").value = "extra"
        cell(survey, end, "label::Thai (th)").value = "เพิ่ม"
        cell(survey, end, "label::English (en)").value = "Extra"
        return "survey", row, "type", "หมวดซ้อนกันไม่ได้", "sections cannot be nested"
    if name == "missing_end_group":
        survey.cell(row=survey.max_row, column=1).value = None
        return "survey", row_named(survey, "water"), "type", \
            "หมวด 'water' ไม่มี end_group", "has no end_group"
    if name == "group_with_relevant":
        row = row_named(survey, "water")
        cell(survey, row, "relevant").value = "${has_boiler} = 'yes'"
        return "survey", row, "relevant", "ใช้คอลัมน์ 'relevant' กับแถว begin_group ไม่ได้", \
            "has no meaning on a begin_group row"
    if name == "formula":
        row = row_named(survey, "bod")
        cell(survey, row, "limit_max").value = "=10*2"
        return "survey", row, "limit_max", "ใช้สูตรไม่ได้", "formulas are not read"
    if name == "value_without_heading":
        row = row_named(survey, "bod")
        column = survey.max_column + 2
        survey.cell(row=row, column=column, value="?")
        return "survey", row, get_column_letter(column), "คอลัมน์ที่ไม่มีหัวคอลัมน์", "a column without a heading"
    if name == "duplicate_choice":
        row = row_named(choices, "no")
        cell(choices, row, "name").value = "yes"
        return "choices", row, "name", "ตัวเลือก 'yes' ซ้ำ", "appears twice in the list"
    if name == "unused_list":
        row = choices.max_row + 1
        for heading, value in (("list_name", "spare"), ("name", "x"),
                               ("label::Thai (th)", "ก"), ("label::English (en)", "X")):
            cell(choices, row, heading).value = value
        return "choices", row, "list_name", "ไม่มีข้อใดในแผ่น survey ใช้รายการ 'spare'", \
            "no question of the survey sheet uses the list 'spare'"
    if name == "reserved_list_reworded":
        row = row_named(choices, "na")
        cell(choices, row, "label::English (en)").value = "N/A"
        return "choices", row, "label::English (en)", "ห้ามแก้ไข", \
            "must be 'not applicable'"
    if name == "version_not_whole":
        cell(settings, 2, "version").value = "1.5"
        return "settings", 2, "version", "ใส่จำนวนเต็ม", "write a whole number 1 or more"
    if name == "unknown_kind":
        cell(settings, 2, "kind").value = "weekly"
        return "settings", 2, "kind", "ประเภทต้องเป็น", "kind must be one of"
    if name == "english_default_language":
        cell(settings, 2, "default_language").value = "English (en)"
        return "settings", 2, "default_language", "ภาษาหลักต้องเป็น 'Thai (th)'", \
            "the default language must be 'Thai (th)'"
    if name == "bad_form_id":
        cell(settings, 2, "form_id").value = "Env General"
        return "settings", 2, "form_id", "form_id 'Env General' ใช้ไม่ได้", \
            "the form_id 'Env General' cannot be used"
    if name == "legal_ref_english_only":
        row = row_named(survey, "remarks")
        cell(survey, row, "legal_ref::English (en)").value = "Factory Act s.8"
        return "survey", row, "legal_ref::Thai (th)", "ใส่ภาษาไทยด้วย", \
            "needs the Thai one beside it"
    raise AssertionError(name)


CASES = [
    "misspelt_relevant_column", "constraint_column", "unsupported_type", "unknown_list",
    "multiple_results", "bad_name", "duplicate_name", "duplicate_section_name", "thai_label_in_english",
    "missing_english_label", "relevant_unknown_reference", "relevant_later_reference",
    "relevant_section_reference", "relevant_and", "relevant_not_equal", "relevant_syntax",
    "relevant_impossible_value", "relevant_equals_on_multiple", "relevant_on_number", "limits_reversed",
    "limit_with_separator", "limit_on_text", "photo_on_fail_of_date", "required_maybe",
    "deadline_zero", "item_outside_section", "nested_section", "missing_end_group",
    "group_with_relevant", "formula", "value_without_heading", "duplicate_choice",
    "unused_list", "reserved_list_reworded", "version_not_whole", "unknown_kind",
    "english_default_language", "bad_form_id", "legal_ref_english_only",
]


@pytest.mark.parametrize("name", CASES)
def test_mistake_is_refused_at_its_cell(name):
    workbook = sample_workbook()
    sheet, row, heading, thai, english = _case(workbook, name)
    where = _at(workbook, sheet, row, heading)
    document, problems = read_back(workbook)
    assert document is None
    matching = [p for p in problems if (p.sheet, p.row, p.column) == where
                and thai in p.message_th and english in p.message_en]
    assert matching, f"no problem at {where} saying {thai!r}/{english!r}: " + \
        "; ".join(str(p) for p in problems)


def test_the_untouched_sample_is_accepted():
    document, problems = read_back(sample_workbook())
    assert problems == []
    assert [s["id"] for s in document["sections"]] == ["general", "water"]


def test_missing_and_extra_sheets_are_named():
    workbook = sample_workbook()
    del workbook["settings"]
    workbook.create_sheet("Sheet1")
    document, problems = read_back(workbook)
    assert document is None
    by_sheet = {p.sheet: p for p in problems}
    assert "the sheet 'settings' is missing" in by_sheet["settings"].message_en
    assert "ไม่มีแผ่นงาน 'settings'" in by_sheet["settings"].message_th
    assert "delete or rename this sheet" in by_sheet["Sheet1"].message_en
    assert by_sheet["Sheet1"].row is None and by_sheet["Sheet1"].column is None


def test_a_file_that_is_not_a_workbook():
    document, problems = parse_workbook(b"key,version\nenv-general,1\n")
    assert document is None
    [problem] = problems
    assert problem.sheet is None
    assert "not an Excel workbook" in problem.message_en
    assert "ไม่ใช่สมุดงาน Excel" in problem.message_th


def test_every_mistake_is_reported_not_only_the_first():
    workbook = sample_workbook()
    survey = workbook["survey"]
    cell(survey, row_named(survey, "flow"), "required").value = "maybe"
    cell(survey, row_named(survey, "remarks"), "type").value = "barcode"
    cell(workbook["settings"], 2, "kind").value = "weekly"
    _document, problems = read_back(workbook)
    assert {(p.sheet, p.heading) for p in problems} >= {
        ("survey", "required"), ("survey", "type"), ("settings", "kind")}


def test_problem_text_names_the_cell():
    workbook = sample_workbook()
    survey = workbook["survey"]
    row = row_named(survey, "flow")
    cell(survey, row, "required").value = "maybe"
    _document, [problem] = read_back(workbook)
    letter = get_column_letter(column_of(survey, "required"))
    assert problem.cell == f"survey!{letter}{row}"
    assert str(problem).startswith(f"survey!{letter}{row} (required): ใส่ yes หรือ no")
    assert problem.as_dict()["message_en"].startswith("write yes or no")
