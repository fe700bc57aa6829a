"""The settings sheet: the template's key, version, kind, form code, title and description."""

from __future__ import annotations

import re

from fieldapp.core.template_model import KINDS
from fieldapp.xlsform.cells import Reading, text_of, text_pair, whole_number
from fieldapp.xlsform.sheets import Table
from fieldapp.xlsform.vocabulary import TH

_KEY = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


def read_settings(table: Table, reading: Reading) -> dict:
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
    key = text_of(row.values.get("form_id"))
    if key is None or not _KEY.match(key):
        reading.add(table, row.number, "form_id",
                    f"form_id {key!r} ใช้ไม่ได้: อักษรอังกฤษตัวเล็ก ตัวเลข และ - "
                    "ขึ้นต้นด้วยตัวอักษร เช่น env-general",
                    f"the form_id {key!r} cannot be used: lower-case letters, digits and "
                    "'-', starting with a letter (e.g. env-general)")
    document["key"] = key
    version = whole_number(table, row, "version", reading, 1, None)
    if version is None and row.values.get("version") is None:
        reading.add(table, row.number, "version", "ต้องใส่รุ่น (version) เป็นจำนวนเต็ม",
                    "a version (a whole number from 1) is required")
    document["version"] = version
    language = text_of(row.values.get("default_language"))
    if language != TH:
        reading.add(table, row.number, "default_language",
                    f"ภาษาหลักต้องเป็น {TH!r} ไม่ใช่ {language!r}",
                    f"the default language must be {TH!r}, not {language!r}")
    kind = text_of(row.values.get("kind"))
    if kind not in KINDS:
        reading.add(table, row.number, "kind",
                    f"ประเภทต้องเป็น {', '.join(KINDS)} ไม่ใช่ {kind!r}",
                    f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    document["kind"] = kind
    form_code = text_of(row.values.get("form_code"))
    if form_code is None:
        reading.add(table, row.number, "form_code", "ต้องใส่รหัสแบบฟอร์ม (form_code)",
                    "the form code printed on the form is required")
    document["form_code"] = form_code
    document["title"] = text_pair(table, row, "form_title", reading, required=True,
                              thai_letters=True, th="form_title", en="form_title_en")
    description = text_pair(table, row, "description", reading, required=False,
                        th="description_th", en="description_en")
    if description:
        document["description"] = description
    return document
