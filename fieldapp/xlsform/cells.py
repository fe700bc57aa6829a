"""Reading one cell of a checklist workbook for what it says, or saying why it cannot be read.

Every helper takes the table and row so that a refusal carries its sheet, row and column;
``Reading`` collects the refusals of a whole workbook (never only the first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fieldapp.xlsform.problems import SheetProblem
from fieldapp.xlsform.sheets import Row, Table
from fieldapp.xlsform.vocabulary import EN, NO, TH, YES

_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,60}$")
_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
THAI_LETTER = re.compile("[\u0e01-\u0e5b]")


@dataclass
class Reading:
    problems: list[SheetProblem] = field(default_factory=list)
    # JSON pointer -> (table, row) it was read from: the loader's findings map back to cells.
    origins: dict[str, tuple[Table, int]] = field(default_factory=dict)

    def add(self, table: Table, row: int | None, heading: str | None, thai: str,
            english: str) -> None:
        self.problems.append(table.problem(row, heading, thai, english))



def text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def yes_no(table: Table, row: Row, heading: str, reading: Reading) -> bool:
    value = row.values.get(heading)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text not in NO:
        reading.add(table, row.number, heading, f"ใส่ yes หรือ no (หรือเว้นว่าง) ไม่ใช่ {value!r}",
                    f"write yes or no (or leave it blank), not {value!r}")
    return False


def decimal_cell(table: Table, row: Row, heading: str, reading: Reading) -> str | None:
    value = row.values.get(heading)
    if value is None:
        return None
    if isinstance(value, bool):
        text = None
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
    else:
        text = str(value).strip()
    if text is None or not _DECIMAL.match(text):
        reading.add(table, row.number, heading,
                    f"ใส่ตัวเลขธรรมดา เช่น 20 หรือ 5.5 (ไม่มีเครื่องหมายจุลภาคหรือหน่วย) "
                    f"ไม่ใช่ {value!r}",
                    f"write a plain number such as 20 or 5.5 (no thousands separator, no "
                    f"unit), not {value!r}")
        return None
    return text


def whole_number(table: Table, row: Row, heading: str, reading: Reading, low: int,
           high: int | None) -> int | None:
    value = row.values.get(heading)
    if value is None:
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number < low or (high is not None and number > high):
        span = f"{low}–{high}" if high is not None else f"{low} ขึ้นไป"
        span_en = f"{low}–{high}" if high is not None else f"{low} or more"
        reading.add(table, row.number, heading, f"ใส่จำนวนเต็ม {span} ไม่ใช่ {value!r}",
                    f"write a whole number {span_en}, not {value!r}")
        return None
    return number


def text_pair(table: Table, row: Row, stem: str, reading: Reading, *, required: bool,
          thai_letters: bool = False, th: str | None = None, en: str | None = None) -> dict | None:
    """``{"th": …, "en": …}`` from the two language columns of ``stem`` (both or none)."""
    th_col, en_col = th or f"{stem}::{TH}", en or f"{stem}::{EN}"
    th_text, en_text = text_of(row.values.get(th_col)), text_of(row.values.get(en_col))
    if th_text is None and en_text is None and not required:
        return None
    ok = True
    for heading, text, lang_th, lang_en in ((th_col, th_text, "ภาษาไทย", "Thai"),
                                            (en_col, en_text, "ภาษาอังกฤษ", "English")):
        if text is None:
            ok = False
            if heading not in table.letters:
                continue   # the missing column is reported once, not on every row
            reading.add(table, row.number, heading, f"ต้องใส่ข้อความ{lang_th}",
                        f"the {lang_en} text is required here")
    if th_text is not None and thai_letters and not THAI_LETTER.search(th_text):
        ok = False
        reading.add(table, row.number, th_col,
                    f"ข้อความภาษาไทย {th_text!r} ไม่มีอักษรไทย ใส่ข้อความภาษาไทยที่นี่ "
                    "และภาษาอังกฤษในคอลัมน์ภาษาอังกฤษ",
                    f"the Thai text {th_text!r} has no Thai letters; write the Thai wording "
                    "here and the English one in the English column")
    return {"th": th_text, "en": en_text} if ok else None


def name_cell(table: Table, row: Row, heading: str, reading: Reading) -> str | None:
    value = row.values.get(heading)
    if value is None:
        reading.add(table, row.number, heading, "ต้องใส่รหัส (name)", "a name is required")
        return None
    text = text_of(value)
    if not _NAME.match(text):
        reading.add(table, row.number, heading,
                    f"รหัส {text!r} ใช้ไม่ได้: ใช้อักษรอังกฤษตัวเล็ก ตัวเลข . _ - "
                    "ขึ้นต้นด้วยตัวอักษร ยาวไม่เกิน 61 ตัว",
                    f"the name {text!r} cannot be used: lower-case letters, digits, '.', '_' "
                    "and '-', starting with a letter, at most 61 characters")
        return None
    return text
