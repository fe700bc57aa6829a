"""An XLSForm checklist workbook -> the template document the template loader checks.

Every cell is read for what it says or refused with its place; nothing is skipped quietly. The
document built here then goes through core/template_loading.parse_template, the same checks a
JSON file gets, and whatever that finds is reported at the row it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fieldapp.core.template_loading import TemplateError, parse_template
from fieldapp.core.template_model import KINDS, RESULTS
from fieldapp.xlsform.problems import SheetProblem
from fieldapp.xlsform.relevant import RelevantError, parse_relevant, references, to_show_if
from fieldapp.xlsform.sheets import Row, Table, open_workbook, read_tables
from fieldapp.xlsform.vocabulary import (
    BEGIN_GROUP,
    CHOICES,
    EN,
    END_GROUP,
    NO,
    RESULT_CHOICES,
    RESULT_LIST,
    SETTINGS,
    SIMPLE_TYPES,
    SUPPORTED_TYPES_TEXT,
    SURVEY,
    TH,
    YES,
)

_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,60}$")
_KEY = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_THAI = re.compile("[\u0e01-\u0e5b]")
# Which template types may fill a column at all (others must leave it blank).
_ONLY_FOR = {
    "limit_min": ("number",), "limit_max": ("number",), "unit": ("number",),
    "requires_note_on_fail": ("result", "number"), "requires_photo_on_fail": ("result", "number"),
    "document": ("text", "document"),
}


@dataclass
class _Reading:
    problems: list[SheetProblem] = field(default_factory=list)
    # JSON pointer -> (table, row) it was read from: the loader's findings map back to cells.
    origins: dict[str, tuple[Table, int]] = field(default_factory=dict)

    def add(self, table: Table, row: int | None, heading: str | None, thai: str,
            english: str) -> None:
        self.problems.append(table.problem(row, heading, thai, english))


def read_xlsform(data: bytes) -> tuple[dict | None, list[SheetProblem]]:
    """The template document in workbook ``data`` and no problems, or None and every problem.

    The document has passed the template loader's checks (``parse_template`` accepts it)."""
    workbook, problems = open_workbook(data)
    if workbook is None:
        return None, problems
    tables, problems = read_tables(workbook)
    reading = _Reading(problems)
    if len(tables) < 3:
        return None, reading.problems
    document = _settings(tables[SETTINGS], reading)
    lists = _choice_lists(tables[CHOICES], reading)
    document["sections"] = _survey(tables[SURVEY], lists, reading)
    _unused_lists(tables[CHOICES], lists, reading)
    if reading.problems:
        return None, reading.problems
    try:
        parse_template(document, "xlsx")
    except TemplateError as exc:
        return None, [_placed(problem, reading) for problem in exc.problems]
    return document, []


# -- cells ---------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _yes(table: Table, row: Row, heading: str, reading: _Reading) -> bool:
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


def _decimal(table: Table, row: Row, heading: str, reading: _Reading) -> str | None:
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


def _whole(table: Table, row: Row, heading: str, reading: _Reading, low: int,
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


def _pair(table: Table, row: Row, stem: str, reading: _Reading, *, required: bool,
          thai_letters: bool = False, th: str | None = None, en: str | None = None) -> dict | None:
    """``{"th": …, "en": …}`` from the two language columns of ``stem`` (both or none)."""
    th_col, en_col = th or f"{stem}::{TH}", en or f"{stem}::{EN}"
    th_text, en_text = _text(row.values.get(th_col)), _text(row.values.get(en_col))
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
    if th_text is not None and thai_letters and not _THAI.search(th_text):
        ok = False
        reading.add(table, row.number, th_col,
                    f"ข้อความภาษาไทย {th_text!r} ไม่มีอักษรไทย ใส่ข้อความภาษาไทยที่นี่ "
                    "และภาษาอังกฤษในคอลัมน์ภาษาอังกฤษ",
                    f"the Thai text {th_text!r} has no Thai letters; write the Thai wording "
                    "here and the English one in the English column")
    return {"th": th_text, "en": en_text} if ok else None


def _name(table: Table, row: Row, heading: str, reading: _Reading) -> str | None:
    value = row.values.get(heading)
    if value is None:
        reading.add(table, row.number, heading, "ต้องใส่รหัส (name)", "a name is required")
        return None
    text = _text(value)
    if not _NAME.match(text):
        reading.add(table, row.number, heading,
                    f"รหัส {text!r} ใช้ไม่ได้: ใช้อักษรอังกฤษตัวเล็ก ตัวเลข . _ - "
                    "ขึ้นต้นด้วยตัวอักษร ยาวไม่เกิน 61 ตัว",
                    f"the name {text!r} cannot be used: lower-case letters, digits, '.', '_' "
                    "and '-', starting with a letter, at most 61 characters")
        return None
    return text


# -- settings ------------------------------------------------------------------------------

def _settings(table: Table, reading: _Reading) -> dict:
    if not table.rows:
        reading.add(table, 2, None, "แผ่น settings ต้องมีค่าในแถวที่ 2",
                    "the settings sheet needs its values in row 2")
        return {}
    row = table.rows[0]
    if row.number != 2:
        reading.add(table, row.number, None, "ค่าของแผ่น settings ต้องอยู่ในแถวที่ 2",
                    "the values of the settings sheet belong in row 2")
    for extra in table.rows[1:]:
        reading.add(table, extra.number, None, "แผ่น settings มีค่าได้แถวเดียว (แถวที่ 2)",
                    "the settings sheet has one row of values (row 2); delete this row")
    reading.origins[""] = (table, row.number)
    document: dict = {"format": "fieldapp.template/1"}
    key = _text(row.values.get("form_id"))
    if key is None or not _KEY.match(key):
        reading.add(table, row.number, "form_id",
                    f"form_id {key!r} ใช้ไม่ได้: อักษรอังกฤษตัวเล็ก ตัวเลข และ - "
                    "ขึ้นต้นด้วยตัวอักษร เช่น env-general",
                    f"the form_id {key!r} cannot be used: lower-case letters, digits and "
                    "'-', starting with a letter (e.g. env-general)")
    document["key"] = key
    version = _whole(table, row, "version", reading, 1, None)
    if version is None and row.values.get("version") is None:
        reading.add(table, row.number, "version", "ต้องใส่รุ่น (version) เป็นจำนวนเต็ม",
                    "a version (a whole number from 1) is required")
    document["version"] = version
    language = _text(row.values.get("default_language"))
    if language != TH:
        reading.add(table, row.number, "default_language",
                    f"ภาษาหลักต้องเป็น {TH!r} ไม่ใช่ {language!r}",
                    f"the default language must be {TH!r}, not {language!r}")
    kind = _text(row.values.get("kind"))
    if kind not in KINDS:
        reading.add(table, row.number, "kind",
                    f"ประเภทต้องเป็น {', '.join(KINDS)} ไม่ใช่ {kind!r}",
                    f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    document["kind"] = kind
    form_code = _text(row.values.get("form_code"))
    if form_code is None:
        reading.add(table, row.number, "form_code", "ต้องใส่รหัสแบบฟอร์ม (form_code)",
                    "the form code printed on the form is required")
    document["form_code"] = form_code
    document["title"] = _pair(table, row, "form_title", reading, required=True,
                              thai_letters=True, th="form_title", en="form_title_en")
    description = _pair(table, row, "description", reading, required=False,
                        th="description_th", en="description_en")
    if description:
        document["description"] = description
    return document


# -- choices -------------------------------------------------------------------------------

@dataclass
class _List:
    first_row: int
    choices: list[dict] = field(default_factory=list)
    used: bool = False


def _choice_lists(table: Table, reading: _Reading) -> dict[str, _List]:
    lists: dict[str, _List] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        list_name = _text(row.values.get("list_name"))
        if list_name is None:
            reading.add(table, row.number, "list_name", "ต้องใส่ชื่อรายการ (list_name)",
                        "the list_name is required")
            continue
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_.-]*$", list_name):
            reading.add(table, row.number, "list_name",
                        f"ชื่อรายการ {list_name!r} ใช้ไม่ได้: อักษรอังกฤษ ตัวเลข . _ - "
                        "ไม่มีช่องว่าง", f"the list name {list_name!r} cannot be used: letters, "
                        "digits, '.', '_' and '-', no spaces")
            continue
        entry = lists.setdefault(list_name, _List(row.number))
        name = _name(table, row, "name", reading)
        label = _pair(table, row, "label", reading, required=True)
        if name is None:
            continue
        if (list_name, name) in seen:
            reading.add(table, row.number, "name",
                        f"ตัวเลือก {name!r} ซ้ำในรายการ {list_name!r} (แถว "
                        f"{seen[(list_name, name)]})",
                        f"the choice {name!r} appears twice in the list {list_name!r} "
                        f"(also row {seen[(list_name, name)]})")
            continue
        seen[(list_name, name)] = row.number
        if label is not None:
            entry.choices.append({"id": name, "label": label, "_row": row.number})
    reserved = lists.get(RESULT_LIST)
    if reserved is not None:
        _check_reserved(table, reserved, reading)
    return lists


def _check_reserved(table: Table, reserved: _List, reading: _Reading) -> None:
    """The reserved result list must be the app's own four results in the app's own words:
    the inspector sees those words whatever the workbook says, so a changed one would be a
    silent mistake."""
    expected = {name: (th, en) for name, th, en in RESULT_CHOICES}
    wording = ", ".join(f"{n} = {th} / {en}" for n, th, en in RESULT_CHOICES)
    why_th = f"รายการ {RESULT_LIST} สงวนไว้สำหรับผลการตรวจ ห้ามแก้ไข (ต้องเป็น {wording})"
    why_en = (f"the list {RESULT_LIST} is reserved for inspection results and cannot be "
              f"changed (it must be {wording})")
    for choice in reserved.choices:
        want = expected.pop(choice["id"], None)
        if want is None:
            reading.add(table, choice["_row"], "name", f"ไม่มีตัวเลือก {choice['id']!r}: "
                        f"{why_th}", f"there is no choice {choice['id']!r}: {why_en}")
            continue
        for heading, have, should in ((f"label::{TH}", choice["label"]["th"], want[0]),
                                      (f"label::{EN}", choice["label"]["en"], want[1])):
            if have != should:
                reading.add(table, choice["_row"], heading, f"ต้องเป็น {should!r}: {why_th}",
                            f"must be {should!r}: {why_en}")
    for name in expected:
        reading.add(table, reserved.first_row, "list_name",
                    f"ขาดตัวเลือก {name!r}: {why_th}", f"the choice {name!r} is missing: "
                    f"{why_en}")


def _unused_lists(table: Table, lists: dict[str, _List], reading: _Reading) -> None:
    for name, entry in lists.items():
        if not entry.used and name != RESULT_LIST:
            reading.add(table, entry.first_row, "list_name",
                        f"ไม่มีข้อใดในแผ่น survey ใช้รายการ {name!r} ลบรายการหรือใช้ใน "
                        "select_one/select_multiple",
                        f"no question of the survey sheet uses the list {name!r}; delete it or "
                        "use it in a select_one/select_multiple")


# -- survey --------------------------------------------------------------------------------

def _item_type(table: Table, row: Row, lists: dict[str, _List],
               reading: _Reading) -> tuple[str | None, _List | None]:
    raw = _text(row.values["type"])
    words = raw.split()
    if words and words[0] in ("select_one", "select_multiple") and len(words) == 2:
        entry = lists.get(words[1])
        if entry is None:
            reading.add(table, row.number, "type",
                        f"ไม่มีรายการตัวเลือก {words[1]!r} ในแผ่น choices",
                        f"the choices sheet has no list {words[1]!r}")
            return None, None
        entry.used = True
        if words[1] == RESULT_LIST:
            if words[0] == "select_multiple":
                reading.add(table, row.number, "type",
                            f"ผลการตรวจมีคำตอบเดียว ใช้ select_one {RESULT_LIST}",
                            f"a result has one answer: use select_one {RESULT_LIST}")
                return None, None
            return "result", None
        return ("choice" if words[0] == "select_one" else "multi_choice"), entry
    if raw in SIMPLE_TYPES:
        kind = SIMPLE_TYPES[raw]
        if kind == "text" and _yes(table, row, "document", reading):
            kind = "document"
        return kind, None
    reading.add(table, row.number, "type",
                f"ไม่รองรับชนิด {raw!r} (ชนิดที่ใช้ได้: {SUPPORTED_TYPES_TEXT})",
                f"the type {raw!r} is not supported (supported: {SUPPORTED_TYPES_TEXT})")
    return None, None


def _survey(table: Table, lists: dict[str, _List], reading: _Reading) -> list[dict]:
    sections: list[dict] = []
    section: dict | None = None
    # Section ids and item ids are separate sets in a template, as in the JSON files.
    names: dict[str, int] = {}
    section_names: dict[str, int] = {}
    earlier: dict[str, dict] = {}       # items above, by name
    group_names: set[str] = set()
    for row in table.rows:
        raw_type = row.values.get("type")
        if raw_type is None:
            reading.add(table, row.number, "type", "แถวนี้ไม่มีชนิด (type)",
                        "this row has no type")
            continue
        kind = _text(raw_type).strip()
        if kind in BEGIN_GROUP:
            if section is not None:
                reading.add(table, row.number, "type",
                            f"หมวดซ้อนกันไม่ได้: ปิดหมวด {section['id']!r} ด้วย end_group ก่อน",
                            f"sections cannot be nested: close {section['id']!r} with end_group "
                            "first")
            section = _begin_section(table, row, reading, section_names)
            pointer = f"/sections/{len(sections)}"
            reading.origins[pointer] = (table, row.number)
            sections.append(section)
            if section["id"]:
                group_names.add(section["id"])
            continue
        if kind in END_GROUP:
            _only_columns(table, row, ("type", "name"), reading, "end_group")
            if section is None:
                reading.add(table, row.number, "type", "end_group นี้ไม่มี begin_group คู่กัน",
                            "this end_group has no begin_group")
            elif not section["items"]:
                reading.add(table, section["_row"], "type",
                            f"หมวด {section['id']!r} ไม่มีข้อใดเลย", f"the section "
                            f"{section['id']!r} has no questions")
            section = None
            continue
        if section is None:
            reading.add(table, row.number, "type",
                        "ทุกข้อต้องอยู่ในหมวด: ใส่ begin_group ไว้ก่อนและ end_group ไว้หลัง",
                        "every question belongs to a section: put a begin_group before it "
                        "and an end_group after it")
            continue
        item = _item(table, row, lists, reading, names, earlier, group_names)
        if item is not None:
            reading.origins[f"/sections/{len(sections) - 1}/items/{len(section['items'])}"] = \
                (table, row.number)
            section["items"].append(item)
            earlier[item["id"]] = item
    if section is not None:
        reading.add(table, section["_row"], "type",
                    f"หมวด {section['id']!r} ไม่มี end_group ปิดท้าย",
                    f"the section {section['id']!r} has no end_group")
    if not sections and not reading.problems:
        reading.add(table, None, None, "แผ่น survey ยังไม่มีหมวดหรือข้อใดเลย",
                    "the survey sheet has no sections or questions")
    for s in sections:
        s.pop("_row", None)
        for item in s["items"]:
            for choice in item.get("choices", ()):
                choice.pop("_row", None)
    return sections


def _only_columns(table: Table, row: Row, allowed: tuple[str, ...], reading: _Reading,
                  what: str) -> None:
    for heading in row.values:
        if heading not in allowed:
            reading.add(table, row.number, heading,
                        f"ใช้คอลัมน์ {heading!r} กับแถว {what} ไม่ได้ ลบค่านี้",
                        f"the column {heading!r} has no meaning on a {what} row; delete "
                        "this value")


def _unique(table: Table, row: Row, name: str | None, names: dict[str, int],
            reading: _Reading) -> None:
    if name is None:
        return
    if name in names:
        reading.add(table, row.number, "name", f"รหัส {name!r} ซ้ำกับแถว {names[name]}",
                    f"the name {name!r} is already used in row {names[name]} (every "
                    "question, and every section, needs its own name)")
    else:
        names[name] = row.number


def _begin_section(table: Table, row: Row, reading: _Reading, names: dict[str, int]) -> dict:
    _only_columns(table, row, ("type", "name", f"label::{TH}", f"label::{EN}"), reading,
                  "begin_group")
    name = _name(table, row, "name", reading)
    _unique(table, row, name, names, reading)
    title = _pair(table, row, "label", reading, required=True, thai_letters=True)
    return {"id": name, "title": title, "items": [], "_row": row.number}


def _item(table: Table, row: Row, lists: dict[str, _List], reading: _Reading,
          names: dict[str, int], earlier: dict[str, dict], group_names: set[str]) -> dict | None:
    kind, entry = _item_type(table, row, lists, reading)
    name = _name(table, row, "name", reading)
    _unique(table, row, name, names, reading)
    label = _pair(table, row, "label", reading, required=True, thai_letters=True)
    if kind is None or name is None:
        return None
    for heading, allowed in _ONLY_FOR.items():
        if heading in row.values and kind not in allowed:
            reading.add(table, row.number, heading,
                        f"คอลัมน์ {heading!r} ใช้ได้เฉพาะกับ {_ONLY_TH[heading]}",
                        f"the column {heading!r} is only for {_ONLY_EN[heading]}")
    item: dict = {"id": name, "type": kind, "label": label}
    hint = _pair(table, row, "hint", reading, required=False)
    if hint:
        item["help"] = hint
    if _yes(table, row, "required", reading):
        item["required"] = True
    if kind == "number":
        low = _decimal(table, row, "limit_min", reading)
        high = _decimal(table, row, "limit_max", reading)
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            reading.add(table, row.number, "limit_min",
                        f"ค่าต่ำสุด {low} มากกว่าค่าสูงสุด {high}",
                        f"the minimum {low} is above the maximum {high}")
        limits = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
        if limits:
            item["limits"] = limits
        unit = _text(row.values.get("unit"))
        if unit:
            item["unit"] = unit
    if kind in ("result", "number"):
        on_fail = {k: True for k, heading in (("note", "requires_note_on_fail"),
                                              ("photo", "requires_photo_on_fail"))
                   if _yes(table, row, heading, reading)}
        if on_fail:
            item["on_fail"] = on_fail
    legal = _text(row.values.get(f"legal_ref::{TH}"))
    legal_en = _text(row.values.get(f"legal_ref::{EN}"))
    if legal:
        item["legal_basis"] = legal
    if legal_en:
        if not legal:
            reading.add(table, row.number, f"legal_ref::{TH}",
                        "มีกฎหมายอ้างอิงภาษาอังกฤษแต่ไม่มีภาษาไทย ใส่ภาษาไทยด้วย",
                        "the English legal reference needs the Thai one beside it")
        item["legal_basis_en"] = legal_en
    order = _text(row.values.get("order_text"))
    if order:
        item["order_text"] = order
    days = _whole(table, row, "deadline_days", reading, 1, 3650)
    if days is not None:
        item["deadline_days"] = days
    if entry is not None:
        item["choices"] = [dict(c) for c in entry.choices]
    relevant = _text(row.values.get("relevant"))
    if relevant:
        show_if = _show_if(table, row, relevant, reading, earlier, group_names)
        if show_if:
            item["show_if"] = show_if
    # Kept even when a cell of it was refused: a later condition that refers to it should
    # not add a second, misleading problem ("not a question above this row").
    return item


_ONLY_TH = {"limit_min": "ค่าที่วัด (integer, decimal)", "limit_max": "ค่าที่วัด (integer, decimal)",
            "unit": "ค่าที่วัด (integer, decimal)",
            "requires_note_on_fail": f"ข้อผลการตรวจ (select_one {RESULT_LIST}) และค่าที่วัด",
            "requires_photo_on_fail": f"ข้อผลการตรวจ (select_one {RESULT_LIST}) และค่าที่วัด",
            "document": "ข้อ text"}
_ONLY_EN = {"limit_min": "measured values (integer, decimal)",
            "limit_max": "measured values (integer, decimal)",
            "unit": "measured values (integer, decimal)",
            "requires_note_on_fail": f"results (select_one {RESULT_LIST}) and measured values",
            "requires_photo_on_fail": f"results (select_one {RESULT_LIST}) and measured values",
            "document": "text questions"}


def _show_if(table: Table, row: Row, text: str, reading: _Reading, earlier: dict[str, dict],
             group_names: set[str]) -> dict | None:
    def refuse(thai: str, english: str) -> None:
        reading.add(table, row.number, "relevant", thai, english)

    try:
        tree = parse_relevant(text)
    except RelevantError as exc:
        refuse(f"อ่านเงื่อนไขไม่ได้: {exc.thai}", f"cannot read the condition: {exc.english}")
        return None
    for ref in references(tree):
        if ref not in earlier:
            where_th = "เป็นชื่อหมวด ไม่ใช่ข้อ" if ref in group_names else \
                "ไม่มีข้อชื่อนี้อยู่ก่อนแถวนี้"
            where_en = "names a section, not a question" if ref in group_names else \
                "is not a question above this row"
            refuse(f"${{{ref}}} {where_th} (เงื่อนไขอ้างถึงได้เฉพาะข้อที่อยู่ก่อนหน้า)",
                   f"${{{ref}}} {where_en} (a condition may refer only to an earlier "
                   "question)")
            return None
    try:
        controller, values, equals_only = to_show_if(tree)
    except RelevantError as exc:
        refuse(exc.thai, exc.english)
        return None
    target = earlier[controller]
    if target["type"] not in ("result", "choice", "multi_choice"):
        refuse(f"เงื่อนไขขึ้นกับข้อผลการตรวจหรือข้อตัวเลือกเท่านั้น แต่ {controller!r} เป็นข้อชนิด "
               f"{target['type']}", f"a condition can depend only on a result or choice "
               f"question; {controller!r} is a {target['type']} question")
        return None
    if target["type"] == "multi_choice" and equals_only:
        # In XLSForm '=' on a select_multiple compares the whole answer ("a b"), which is
        # not what the author means and not what a checklist can do.
        refuse(f"{controller!r} เลือกได้หลายข้อ ใช้ selected(${{{controller}}}, 'ค่า') แทน =",
               f"{controller!r} takes several choices: write selected(${{{controller}}}, "
               "'value') instead of =")
        return None
    allowed = RESULTS if target["type"] == "result" else [c["id"] for c in target["choices"]]
    for value in values:
        if value not in allowed:
            refuse(f"{value!r} ไม่ใช่คำตอบที่เป็นไปได้ของ {controller!r} (ที่เป็นไปได้: "
                   f"{', '.join(allowed)})", f"{value!r} is not a possible answer of "
                   f"{controller!r} (possible: {', '.join(allowed)})")
            return None
    if equals_only and len(values) == 1:
        return {"item": controller, "equals": values[0]}
    return {"item": controller, "in": values}


# -- the loader's findings, placed ---------------------------------------------------------

_FIELD_COLUMN = {
    "label": "label", "title": "label", "help": "hint", "legal_basis": f"legal_ref::{TH}",
    "legal_basis_en": f"legal_ref::{EN}", "limits": "limit_min", "unit": "unit",
    "show_if": "relevant", "order_text": "order_text", "deadline_days": "deadline_days",
    "id": "name", "required": "required", "type": "type", "on_fail": "requires_note_on_fail",
    "key": "form_id", "version": "version", "kind": "kind", "form_code": "form_code",
    "description": "description_th",
}


def _placed(problem: str, reading: _Reading) -> SheetProblem:
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
