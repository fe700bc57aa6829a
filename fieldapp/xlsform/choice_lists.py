"""The choices sheet: option lists by name, the reserved result list checked word for word,
and lists no question uses (an author's forgotten edit, so an error)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fieldapp.xlsform.cells import Reading, name_cell, text_of, text_pair
from fieldapp.xlsform.sheets import Table
from fieldapp.xlsform.vocabulary import EN, RESULT_CHOICES, RESULT_LIST, TH


@dataclass
class ChoiceList:
    first_row: int
    choices: list[dict] = field(default_factory=list)
    used: bool = False


def read_choice_lists(table: Table, reading: Reading) -> dict[str, ChoiceList]:
    lists: dict[str, ChoiceList] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        list_name = text_of(row.values.get("list_name"))
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
        entry = lists.setdefault(list_name, ChoiceList(row.number))
        name = name_cell(table, row, "name", reading)
        label = text_pair(table, row, "label", reading, required=True)
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


def _check_reserved(table: Table, reserved: ChoiceList, reading: Reading) -> None:
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


def unused_lists(table: Table, lists: dict[str, ChoiceList], reading: Reading) -> None:
    for name, entry in lists.items():
        if not entry.used and name != RESULT_LIST:
            reading.add(table, entry.first_row, "list_name",
                        f"ไม่มีข้อใดในแผ่น survey ใช้รายการ {name!r} ลบรายการหรือใช้ใน "
                        "select_one/select_multiple",
                        f"no question of the survey sheet uses the list {name!r}; delete it or "
                        "use it in a select_one/select_multiple")
