"""Reading a workbook's sheets as tables of plain values, every cell kept with its place.

Only the shape is checked here: known sheets, known and unique column headings, no data under
a blank heading, no formulas (the value a formula shows is not stored in a file written by
every tool, so it cannot be trusted). What the values mean is reader.py's job.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from fieldapp.xlsform.problems import SheetProblem
from fieldapp.xlsform.vocabulary import (
    CHOICES,
    COLUMNS,
    INSTRUCTIONS,
    REQUIRED_COLUMNS,
    SETTINGS,
    SURVEY,
)


@dataclass
class Row:
    number: int                     # the row as Excel numbers it
    values: dict[str, Any]          # heading -> value (None for a blank cell)


@dataclass
class Table:
    sheet: str
    letters: dict[str, str] = field(default_factory=dict)   # heading -> column letter
    rows: list[Row] = field(default_factory=list)

    def problem(self, row: int | None, heading: str | None, thai: str,
                english: str) -> SheetProblem:
        return SheetProblem(self.sheet, row, self.letters.get(heading) if heading else None,
                            heading, thai, english)


def open_workbook(data: bytes) -> tuple[Any, list[SheetProblem]]:
    """The openpyxl workbook in ``data``, or None and the reason it cannot be opened."""
    from openpyxl import load_workbook  # imported on use: it is slow to import
    try:
        # data_only=False: a formula stays visible as a formula, so it can be refused.
        return load_workbook(io.BytesIO(data), data_only=False), []
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        return None, [SheetProblem(
            None, None, None, None, "ไฟล์นี้ไม่ใช่สมุดงาน Excel (.xlsx) หรือไฟล์เสียหาย",
            f"the file is not an Excel workbook (.xlsx) or it is damaged ({exc})")]


def read_tables(workbook) -> tuple[dict[str, Table], list[SheetProblem]]:
    """The survey, choices and settings sheets as tables, and every problem of their shape."""
    problems: list[SheetProblem] = []
    names = workbook.sheetnames
    for name in names:
        if name not in COLUMNS and name != INSTRUCTIONS:
            close = difflib.get_close_matches(name.lower(), [*COLUMNS, INSTRUCTIONS], n=1)
            hint_th = f" หมายถึง {close[0]!r} หรือไม่" if close else ""
            hint_en = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(SheetProblem(
                name, None, None, None,
                f"สมุดงานแบบตรวจมีได้เฉพาะแผ่น survey, choices, settings และ instructions "
                f"ลบหรือเปลี่ยนชื่อแผ่นนี้{hint_th}",
                f"a checklist workbook has only the sheets survey, choices, settings and "
                f"instructions; delete or rename this sheet{hint_en}"))
    tables: dict[str, Table] = {}
    for name in (SURVEY, CHOICES, SETTINGS):
        if name not in names:
            problems.append(SheetProblem(name, None, None, None, f"ไม่มีแผ่นงาน {name!r}",
                                         f"the sheet {name!r} is missing"))
            continue
        table, found = _read_table(workbook[name], name)
        tables[name] = table
        problems += found
    return tables, problems


def _read_table(sheet, name: str) -> tuple[Table, list[SheetProblem]]:
    from openpyxl.utils import get_column_letter
    table = Table(name)
    problems: list[SheetProblem] = []
    known = [c.name for c in COLUMNS[name]]
    grid = list(sheet.iter_rows())
    header = grid[0] if grid else ()
    by_index: dict[int, str] = {}
    for cell in header:
        letter = get_column_letter(cell.column)
        if cell.data_type == "f":
            problems.append(SheetProblem(name, 1, letter, None, "หัวคอลัมน์ต้องเป็นข้อความ "
                                         "ไม่ใช่สูตร", "a column heading must be text, "
                                         "not a formula"))
            continue
        heading = cell.value.strip() if isinstance(cell.value, str) else cell.value
        if heading in (None, ""):
            continue
        heading = str(heading)
        if heading not in known:
            close = difflib.get_close_matches(heading, known, n=1, cutoff=0.6)
            hint_th = f" หมายถึง {close[0]!r} หรือไม่" if close else ""
            hint_en = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(SheetProblem(
                name, 1, letter, heading,
                f"ไม่รู้จักคอลัมน์ {heading!r} ในแผ่น {name}{hint_th} (คอลัมน์ที่ใช้ได้: "
                f"{', '.join(known)})",
                f"unknown column {heading!r} in the {name} sheet{hint_en} (known columns: "
                f"{', '.join(known)})"))
            continue
        if heading in table.letters:
            problems.append(SheetProblem(
                name, 1, letter, heading,
                f"คอลัมน์ {heading!r} ซ้ำกับคอลัมน์ {table.letters[heading]}",
                f"the column {heading!r} appears twice (also column "
                f"{table.letters[heading]})"))
            continue
        table.letters[heading] = letter
        by_index[cell.column] = heading
    for heading in REQUIRED_COLUMNS[name]:
        if heading not in table.letters:
            problems.append(SheetProblem(name, 1, None, heading,
                                         f"ไม่มีคอลัมน์ {heading!r} ซึ่งต้องมี",
                                         f"the required column {heading!r} is missing"))
    blank_reported: set[int] = set()
    for cells in grid[1:]:
        values: dict[str, Any] = {}
        for cell in cells:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            letter = get_column_letter(cell.column)
            heading = by_index.get(cell.column)
            if heading is None:
                if cell.column not in blank_reported and not _reported_heading(
                        problems, name, letter):
                    blank_reported.add(cell.column)
                    problems.append(SheetProblem(
                        name, cell.row, letter, None,
                        "มีข้อมูลในคอลัมน์ที่ไม่มีหัวคอลัมน์ ใส่หัวคอลัมน์หรือลบข้อมูล",
                        "a value in a column without a heading; give the column a heading "
                        "or delete the value"))
                continue
            if cell.data_type == "f":
                problems.append(SheetProblem(
                    name, cell.row, letter, heading, "ใช้สูตรไม่ได้ พิมพ์ค่าลงไปตรง ๆ",
                    "formulas are not read; type the value itself"))
                continue
            if isinstance(value, (datetime, date, time)):
                problems.append(SheetProblem(
                    name, cell.row, letter, heading,
                    "เซลล์นี้เป็นวันที่/เวลาของ Excel ใส่เป็นข้อความหรือตัวเลขแทน",
                    "this cell holds an Excel date or time; type text or a number instead"))
                continue
            values[heading] = value.strip() if isinstance(value, str) else value
        if values:
            table.rows.append(Row(cells[0].row, values))
    return table, problems


def _reported_heading(problems: list[SheetProblem], sheet: str, letter: str) -> bool:
    """Whether the column's heading was already reported (unknown, duplicate): its values
    would only repeat that one mistake."""
    return any(p.sheet == sheet and p.row == 1 and p.column == letter for p in problems)
