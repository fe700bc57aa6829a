"""An XLSForm checklist workbook -> the template document the template loader checks.

Every cell is read for what it says or refused with its place; nothing is skipped quietly. The
document built here then goes through core/template_loading.parse_template, the same checks a
JSON file gets, and whatever that finds is reported at the row it came from.
"""

from __future__ import annotations

from fieldapp.core.template_loading import TemplateError, parse_template
from fieldapp.xlsform.cells import Reading
from fieldapp.xlsform.choice_lists import read_choice_lists, unused_lists
from fieldapp.xlsform.problems import SheetProblem
from fieldapp.xlsform.settings_sheet import read_settings
from fieldapp.xlsform.sheets import open_workbook, read_tables
from fieldapp.xlsform.survey_sheet import read_survey
from fieldapp.xlsform.vocabulary import (
    CHOICES,
    EN,
    SETTINGS,
    SURVEY,
    TH,
)


def read_xlsform(data: bytes) -> tuple[dict | None, list[SheetProblem]]:
    """The template document in workbook ``data`` and no problems, or None and every problem.

    The document has passed the template loader's checks (``parse_template`` accepts it)."""
    workbook, problems = open_workbook(data)
    if workbook is None:
        return None, problems
    tables, problems = read_tables(workbook)
    reading = Reading(problems)
    if len(tables) < 3:
        return None, reading.problems
    document = read_settings(tables[SETTINGS], reading)
    lists = read_choice_lists(tables[CHOICES], reading)
    document["sections"] = read_survey(tables[SURVEY], lists, reading)
    unused_lists(tables[CHOICES], lists, reading)
    if reading.problems:
        return None, reading.problems
    try:
        parse_template(document, "xlsx")
    except TemplateError as exc:
        return None, [_placed(problem, reading) for problem in exc.problems]
    return document, []



# -- the loader's findings, placed ---------------------------------------------------------

_FIELD_COLUMN = {
    "label": "label", "title": "label", "help": "hint", "legal_basis": f"legal_ref::{TH}",
    "legal_basis_en": f"legal_ref::{EN}", "limits": "limit_min", "unit": "unit",
    "show_if": "relevant", "order_text": "order_text", "deadline_days": "deadline_days",
    "id": "name", "required": "required", "type": "type", "on_fail": "requires_note_on_fail",
    "key": "form_id", "version": "version", "kind": "kind", "form_code": "form_code",
    "description": "description_th",
}


def _placed(problem: str, reading: Reading) -> SheetProblem:
    """A loader finding (``xlsx: /sections/1/items/2/label/th: reason``) at its cell."""
    text = problem.removeprefix("xlsx: ")
    pointer, _, reason = text.partition(": ")
    parts = pointer.strip("/").split("/") if pointer.strip("/") else []
    for length in range(len(parts), -1, -1):
        prefix = "/" + "/".join(parts[:length]) if length else ""
        if prefix in reading.origins:
            table, row = reading.origins[prefix]
            rest = parts[length:]
            heading = _FIELD_COLUMN.get(rest[0]) if rest else None
            if heading in ("label", "hint"):
                language = EN if rest[-1] == "en" else TH
                heading = f"{heading}::{language}"
                if table.sheet == SETTINGS:
                    heading = "form_title_en" if language == EN else "form_title"
            return table.problem(row, heading, f"แบบตรวจไม่ผ่านการตรวจสอบ: {reason}",
                                 reason)
    return SheetProblem(None, None, None, None, f"แบบตรวจไม่ผ่านการตรวจสอบ: {text}", text)
