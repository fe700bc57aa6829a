"""Templates to workbooks and back: the shipped templates survive the trip, the workbook is
one an office can work in and one ODK's converter (pyxform) accepts, and a section written
only in Excel reaches an inspection and its printed form."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from xlsform_workbooks import cell, column_of, read_back, row_named, to_bytes

from fieldapp.cli import main
from fieldapp.core.templates import load_template, parse_template
from fieldapp.store.templates import bundled_template_files
from fieldapp.xlsform import WorkbookError, load_workbook_template, write_xlsform
from fieldapp.xlsform.relevant import RelevantError, from_show_if, parse_relevant, to_show_if

SHIPPED = bundled_template_files()


def _same_meaning(body: dict) -> dict:
    """The body with the one spelling XLSForm cannot keep apart made equal: a show_if
    ``"in"`` of a single value and ``"equals"`` that value mean the same, and for a
    multi_choice controller both are written ``selected(${x}, 'v')``."""
    body = copy.deepcopy(body)
    body.pop("$schema", None)
    for section in body["sections"]:
        for item in section["items"]:
            show_if = item.get("show_if")
            if show_if and len(show_if.get("in", ())) == 1:
                item["show_if"] = {"item": show_if["item"], "equals": show_if["in"][0]}
    return body


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_template_round_trip(path):
    original = load_template(path)
    document, problems = read_back(load_workbook(io.BytesIO(write_xlsform(original))))
    assert problems == []
    back = parse_template(document, "xlsx")
    assert (back.key, back.version, back.kind, back.form_code) == \
        (original.key, original.version, original.kind, original.form_code)
    assert _same_meaning(back.body) == _same_meaning(original.body)
    # Every item behaves the same: type, words, limits, what it needs, when it shows.
    for item_id, item in original.items.items():
        twin = back.items[item_id]
        assert (twin.number, twin.type, twin.label, twin.help, twin.required, twin.limits,
                twin.unit, twin.on_fail, twin.legal_basis, twin.order_text, twin.deadline_days,
                twin.choices) == (item.number, item.type, item.label, item.help, item.required,
                                  item.limits, item.unit, item.on_fail, item.legal_basis,
                                  item.order_text, item.deadline_days, item.choices)
        assert twin.conditions == item.conditions


def test_exported_workbook_is_office_friendly():
    template = load_template(next(p for p in SHIPPED if p.stem == "env-general"))
    workbook = load_workbook(io.BytesIO(write_xlsform(template)))
    assert workbook.sheetnames == ["survey", "choices", "settings", "instructions"]
    for name in ("survey", "choices", "settings"):
        sheet = workbook[name]
        assert sheet.freeze_panes in ("A2", "C2")          # the heading row stays in view
        for heading in sheet[1]:
            assert heading.comment is not None and any(
                "\u0e01" <= ch <= "\u0e5b" for ch in heading.comment.text), heading.value
            assert sheet.column_dimensions[heading.column_letter].width >= 10
    instructions = " ".join(str(c.value) for c in workbook["instructions"]["A"])
    assert "begin_group" in instructions and "relevant" in instructions
    # 9.0 stays 9.0: a limit a number cell would shorten is written as text.
    survey = workbook["survey"]
    ph_row = row_named(survey, "ww.ph")
    assert cell(survey, ph_row, "limit_max").value == "9.0"
    assert cell(survey, ph_row, "limit_min").value == 5.5


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_exported_workbook_converts_with_pyxform(path, tmp_path):
    pyxform = pytest.importorskip("pyxform.xls2xform")
    template = load_template(path)
    file = tmp_path / f"{template.key}.xlsx"
    file.write_bytes(write_xlsform(template))
    result = pyxform.convert(xlsform=str(file), validate=False)
    assert f'id="{template.key}"' in result.xform
    for item_id in template.items:
        assert f"/{item_id}\"" in result.xform or f"/{item_id} " in result.xform
    # The only remarks allowed are pyxform's advice to limit photo sizes (max-pixels).
    assert [w for w in result.warnings if "max-pixels" not in w] == []


def test_the_parser_does_not_need_pyxform():
    # In a fresh interpreter where importing pyxform fails, the round trip still works.
    code = (
        "import sys; sys.modules['pyxform'] = None\n"
        "from fieldapp.core.templates import load_template\n"
        "from fieldapp.store.templates import bundled_template_files\n"
        "from fieldapp.xlsform import parse_workbook, write_xlsform\n"
        "doc, problems = parse_workbook(write_xlsform(load_template("
        "bundled_template_files()[0])))\n"
        "assert doc is not None and problems == [], problems\n"
        "assert 'pyxform' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert done.returncode == 0, done.stderr


def test_cli_export_then_import(tmp_path, capsys):
    xlsx, out = tmp_path / "env-general.xlsx", tmp_path / "env-general.json"
    db = tmp_path / "none.db"
    assert main(["--db", str(db), "templates", "export-xlsx", "env-general", "-o",
                 str(xlsx)]) == 0
    assert not db.exists()          # exporting a shipped template creates no database
    assert main(["templates", "import-xlsx", str(xlsx), "-o", str(out)]) == 0
    assert "OK: env-general v1, 98 items" in capsys.readouterr().out
    assert main(["templates", "validate", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["key"] == "env-general"


def test_cli_import_lists_every_problem(tmp_path, capsys):
    workbook = load_workbook(io.BytesIO(write_xlsform(load_template(SHIPPED[0]))))
    survey = workbook["survey"]
    survey.cell(row=1, column=column_of(survey, "relevant"), value="relevent")
    cell(workbook["settings"], 2, "kind").value = "weekly"
    file = tmp_path / "broken.xlsx"
    file.write_bytes(to_bytes(workbook))
    assert main(["templates", "import-xlsx", str(file)]) == 1
    err = capsys.readouterr().err
    assert "ไม่ผ่าน (INVALID)" in err and "2 problem(s)" in err
    assert "survey!" in err and "relevent" in err and "settings!" in err
    with pytest.raises(WorkbookError) as caught:
        load_workbook_template(file)
    assert len(caught.value.sheet_problems) == 2


def test_cli_export_unknown_key(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "x.db"), "templates", "export-xlsx", "nothing",
                 "-o", str(tmp_path / "x.xlsx")]) == 1
    assert "no template with the key 'nothing'" in capsys.readouterr().err


# -- the issue's "done when": a section written only in Excel, inspected and printed --------

NEW_SECTION = [
    ("begin_group", "odour", "กลิ่นรบกวนบริเวณรั้วโรงงาน", "Odour at the boundary", {}),
    ("decimal", "odour.level", "ค่าความเข้มกลิ่นที่รั้วโรงงาน", "Odour concentration at the fence",
     {"limit_max": 2, "unit": "OU", "requires_note_on_fail": "yes",
      "legal_ref::Thai (th)": "ประกาศกระทรวงอุตสาหกรรม เรื่อง ค่าความเข้มกลิ่น พ.ศ. 2548"}),
    ("select_one pass_fail_na", "odour.source_closed", "ปิดคลุมแหล่งกำเนิดกลิ่นแล้ว",
     "Odour source is enclosed", {"requires_photo_on_fail": "yes", "required": "yes"}),
    ("select_one pass_fail_na", "odour.scrubber", "ระบบบำบัดกลิ่นทำงานระหว่างตรวจ",
     "Odour scrubber running at the visit",
     {"relevant": "${odour.source_closed} = 'fail'", "requires_note_on_fail": "yes"}),
    ("image", "odour.photo", "ภาพถ่ายแหล่งกำเนิดกลิ่น", "Photo of the odour source", {}),
    ("end_group", None, None, None, {}),
]


def _with_new_section(workbook) -> None:
    survey = workbook["survey"]
    start = survey.max_row + 1
    for offset, (kind, name, th, en, extra) in enumerate(NEW_SECTION):
        row = start + offset
        cell(survey, row, "type").value = kind
        if name:
            cell(survey, row, "name").value = name
            cell(survey, row, "label::Thai (th)").value = th
            cell(survey, row, "label::English (en)").value = en
        for heading, value in extra.items():
            cell(survey, row, heading).value = value
    cell(workbook["settings"], 2, "version").value = 2


def test_section_authored_in_excel_is_inspected_and_printed(store):
    from test_forms_builders import build_inspection
    from test_forms_render import flat, page_texts

    from fieldapp.core.templates import is_visible
    from fieldapp.forms.inspection_form import render_inspection_pdf
    from fieldapp.store.inspections import answers_by_item, set_answer

    shipped = load_template(next(p for p in SHIPPED if p.stem == "env-general"))
    workbook = load_workbook(io.BytesIO(write_xlsform(shipped)))
    _with_new_section(workbook)
    document, problems = read_back(workbook)
    assert problems == []
    template = parse_template(document, "env-general.xlsx")
    assert template.version == 2 and template.sections[-1].id == "odour"
    level = template.item("odour.level")
    assert (level.type, str(level.limits.max), level.unit) == ("number", "2", "OU")
    scrubber = template.item("odour.scrubber")
    assert scrubber.show_if == {"item": "odour.source_closed", "equals": "fail"}
    assert template.item("odour.photo").type == "photo"

    iid = build_inspection(store, template=template, final=False)
    # The inspector finds the source open: the scrubber question appears and is answered;
    # an over-limit reading is recorded (a legal limit is not a constraint) and flagged.
    set_answer(store, iid, "odour.source_closed", result="fail", note="เปิดโล่ง")
    answers = answers_by_item(store, iid)
    assert is_visible(scrubber, answers)
    set_answer(store, iid, "odour.scrubber", result="fail", note="ปิดเครื่อง")
    assert set_answer(store, iid, "odour.level", value="3.5", note="เกิน")["exceeded"] == 1
    pdf = render_inspection_pdf(store, iid)
    text = flat("".join(page_texts(pdf)))
    assert flat("กลิ่นรบกวนบริเวณรั้วโรงงาน") in text
    assert flat("ระบบบำบัดกลิ่นทำงานระหว่างตรวจ") in text


# -- the relevant grammar ------------------------------------------------------------------

_ID = st.from_regex(r"[a-z][a-z0-9_.-]{0,12}", fullmatch=True)


@given(name=_ID, values=st.lists(_ID, min_size=1, max_size=4, unique=True),
       multi=st.booleans(), equals=st.booleans())
def test_relevant_written_then_read_gives_the_same_condition(name, values, multi, equals):
    equals = equals and len(values) == 1
    text = from_show_if(name, values, multi, equals)
    controller, read, equals_only = to_show_if(parse_relevant(text))
    assert (controller, read) == (name, values)
    assert equals_only == (equals and not multi)


@pytest.mark.parametrize("text", [
    "(${a} = 'x' or selected(${a}, 'y'))", "${a}='x'", "'x' = ${a}",
    "((${a} = 'x')) or (${a} = 'y' or ${a} = 'z')",
])
def test_relevant_accepts_or_of_one_item(text):
    controller, values, _eq = to_show_if(parse_relevant(text))
    assert controller == "a" and values[0] == "x"


@pytest.mark.parametrize("text, english", [
    ("not(${a} = 'x')", "'not()' is not supported"),
    ("${a} = 'x' or ${b} = 'y'", "more than one item"),
    ("${a} > 3", "'>' is not supported"),
    ("${a} = ${b}", "compare one ${item} with a quoted value"),
    ("count(${a}) = 1", "'count' is not supported"),
    ("${a} = 'x' )", "unexpected ')'"),
    ("${a} == 'x'", "expected ${name} or a 'value' but found '='"),
    ("selected(${a}, x)", "expected 'text' but found 'x'"),
    ("${a} = 'x' # y", "unexpected character '#'"),
    ("", "the condition is empty"),
])
def test_relevant_refusals_say_why(text, english):
    with pytest.raises(RelevantError) as caught:
        to_show_if(parse_relevant(text))
    assert english in caught.value.english
    assert caught.value.thai
