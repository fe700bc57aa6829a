"""Workbooks for the XLSForm tests: the sample template (tests/template_samples.py) exported,
opened with openpyxl so a test can break one cell, then read back."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from template_samples import sample_doc

from fieldapp.core.templates import parse_template
from fieldapp.xlsform import parse_workbook, write_xlsform


def sample_workbook(doc: dict | None = None):
    """The exported workbook of the sample template (or of ``doc``), open for editing."""
    template = parse_template(doc or sample_doc(), "sample")
    return load_workbook(io.BytesIO(write_xlsform(template)))


def column_of(sheet, heading: str) -> int:
    """The column number of ``heading`` in row 1; a new column at the end if it has none."""
    for cell in sheet[1]:
        if cell.value == heading:
            return cell.column
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column, value=heading)
    return column


def cell(sheet, row: int, heading: str):
    return sheet.cell(row=row, column=column_of(sheet, heading))


def row_named(sheet, name: str) -> int:
    """The row whose ``name`` cell is ``name`` (the first, for choices)."""
    column = column_of(sheet, "name")
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == name:
            return row
    raise KeyError(name)


def to_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_back(workbook):
    """parse_workbook of the (edited) workbook: (document or None, problems)."""
    return parse_workbook(to_bytes(workbook))
