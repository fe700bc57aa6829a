"""The survey sheet: sections (begin_group/end_group) of questions, each row read into a
template item, its ``relevant`` into a ``show_if`` (relevant.py)."""

from __future__ import annotations

from decimal import Decimal

from fieldapp.core.template_model import RESULTS
from fieldapp.xlsform.cells import (
    Reading,
    decimal_cell,
    name_cell,
    text_of,
    text_pair,
    whole_number,
    yes_no,
)
from fieldapp.xlsform.choice_lists import ChoiceList
from fieldapp.xlsform.relevant import RelevantError, parse_relevant, references, to_show_if
from fieldapp.xlsform.sheets import Row, Table
from fieldapp.xlsform.vocabulary import (
    BEGIN_GROUP,
    EN,
    END_GROUP,
    RESULT_LIST,
    SIMPLE_TYPES,
    SUPPORTED_TYPES_TEXT,
    TH,
)

_ONLY_FOR = {
    "limit_min": ("number",), "limit_max": ("number",), "unit": ("number",),
    "requires_note_on_fail": ("result", "number"), "requires_photo_on_fail": ("result", "number"),
    "document": ("text", "document"),
}



def _item_type(table: Table, row: Row, lists: dict[str, ChoiceList],
               reading: Reading) -> tuple[str | None, ChoiceList | None]:
    raw = text_of(row.values["type"])
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
        if kind == "text" and yes_no(table, row, "document", reading):
            kind = "document"
        return kind, None
    reading.add(table, row.number, "type",
                f"ไม่รองรับชนิด {raw!r} (ชนิดที่ใช้ได้: {SUPPORTED_TYPES_TEXT})",
                f"the type {raw!r} is not supported (supported: {SUPPORTED_TYPES_TEXT})")
    return None, None


def read_survey(table: Table, lists: dict[str, ChoiceList], reading: Reading) -> list[dict]:
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
        kind = text_of(raw_type).strip()
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


def _only_columns(table: Table, row: Row, allowed: tuple[str, ...], reading: Reading,
                  what: str) -> None:
    for heading in row.values:
        if heading not in allowed:
            reading.add(table, row.number, heading,
                        f"ใช้คอลัมน์ {heading!r} กับแถว {what} ไม่ได้ ลบค่านี้",
                        f"the column {heading!r} has no meaning on a {what} row; delete "
                        "this value")


def _unique(table: Table, row: Row, name: str | None, names: dict[str, int],
            reading: Reading) -> None:
    if name is None:
        return
    if name in names:
        reading.add(table, row.number, "name", f"รหัส {name!r} ซ้ำกับแถว {names[name]}",
                    f"the name {name!r} is already used in row {names[name]} (every "
                    "question, and every section, needs its own name)")
    else:
        names[name] = row.number


def _begin_section(table: Table, row: Row, reading: Reading, names: dict[str, int]) -> dict:
    _only_columns(table, row, ("type", "name", f"label::{TH}", f"label::{EN}"), reading,
                  "begin_group")
    name = name_cell(table, row, "name", reading)
    _unique(table, row, name, names, reading)
    title = text_pair(table, row, "label", reading, required=True, thai_letters=True)
    return {"id": name, "title": title, "items": [], "_row": row.number}


def _item(table: Table, row: Row, lists: dict[str, ChoiceList], reading: Reading,
          names: dict[str, int], earlier: dict[str, dict], group_names: set[str]) -> dict | None:
    kind, entry = _item_type(table, row, lists, reading)
    name = name_cell(table, row, "name", reading)
    _unique(table, row, name, names, reading)
    label = text_pair(table, row, "label", reading, required=True, thai_letters=True)
    if kind is None or name is None:
        return None
    for heading, allowed in _ONLY_FOR.items():
        if heading in row.values and kind not in allowed:
            reading.add(table, row.number, heading,
                        f"คอลัมน์ {heading!r} ใช้ได้เฉพาะกับ {_ONLY_TH[heading]}",
                        f"the column {heading!r} is only for {_ONLY_EN[heading]}")
    item: dict = {"id": name, "type": kind, "label": label}
    hint = text_pair(table, row, "hint", reading, required=False)
    if hint:
        item["help"] = hint
    if yes_no(table, row, "required", reading):
        item["required"] = True
    if kind == "number":
        low = decimal_cell(table, row, "limit_min", reading)
        high = decimal_cell(table, row, "limit_max", reading)
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            reading.add(table, row.number, "limit_min",
                        f"ค่าต่ำสุด {low} มากกว่าค่าสูงสุด {high}",
                        f"the minimum {low} is above the maximum {high}")
        limits = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
        if limits:
            item["limits"] = limits
        unit = text_of(row.values.get("unit"))
        if unit:
            item["unit"] = unit
    if kind in ("result", "number"):
        on_fail = {k: True for k, heading in (("note", "requires_note_on_fail"),
                                              ("photo", "requires_photo_on_fail"))
                   if yes_no(table, row, heading, reading)}
        if on_fail:
            item["on_fail"] = on_fail
    legal = text_of(row.values.get(f"legal_ref::{TH}"))
    legal_en = text_of(row.values.get(f"legal_ref::{EN}"))
    if legal:
        item["legal_basis"] = legal
    if legal_en:
        if not legal:
            reading.add(table, row.number, f"legal_ref::{TH}",
                        "มีกฎหมายอ้างอิงภาษาอังกฤษแต่ไม่มีภาษาไทย ใส่ภาษาไทยด้วย",
                        "the English legal reference needs the Thai one beside it")
        item["legal_basis_en"] = legal_en
    order = text_of(row.values.get("order_text"))
    if order:
        item["order_text"] = order
    days = whole_number(table, row, "deadline_days", reading, 1, 3650)
    if days is not None:
        item["deadline_days"] = days
    if entry is not None:
        item["choices"] = [dict(c) for c in entry.choices]
    relevant = text_of(row.values.get("relevant"))
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


def _show_if(table: Table, row: Row, text: str, reading: Reading, earlier: dict[str, dict],
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
