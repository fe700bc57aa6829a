"""Shared set-up for the GUI tests: a small template, a few factories, an app window."""

from __future__ import annotations

from fieldapp.core.templates import parse_template
from fieldapp.store.changes import save_row
from fieldapp.store.factories import factory_id
from fieldapp.store.templates import publish_template

TEMPLATE = {
    "key": "gui-test", "version": 1, "kind": "routine", "form_code": "GT-1",
    "title": {"th": "แบบตรวจทดสอบ", "en": "Test checklist"},
    "sections": [
        {"id": "lic", "title": {"th": "ใบอนุญาต", "en": "Licence"}, "items": [
            {"id": "lic.match", "type": "result", "required": True,
             "label": {"th": "การประกอบกิจการตรงกับใบอนุญาต", "en": "Operation matches licence"},
             "legal_basis": "มาตรา 8", "on_fail": {"note": True, "photo": True},
             "order_text": "ให้แก้ไขให้ตรงกับใบอนุญาต", "deadline_days": 30},
            {"id": "lic.why", "type": "text", "required": True,
             "label": {"th": "สาเหตุที่ไม่ตรง", "en": "Why it does not match"},
             "show_if": {"item": "lic.match", "equals": "fail"}},
        ]},
        {"id": "ww", "title": {"th": "น้ำเสีย", "en": "Wastewater"}, "items": [
            {"id": "ww.bod", "type": "number", "required": True, "unit": "mg/L",
             "label": {"th": "ค่าบีโอดี", "en": "BOD"}, "limits": {"max": "20"}},
            {"id": "ww.log", "type": "result", "required": True,
             "label": {"th": "มีบันทึกการเดินระบบประจำวัน", "en": "Daily operation log"}},
        ]},
    ],
}

FACTORIES = [
    ("10180000125417", "บริษัท ไทย ยามาซากิ จำกัด", "นครปฐม", "73"),
    ("20730000312345", "ห้างหุ้นส่วนจำกัด โรงสีข้าวรุ่งเรือง", "นครปฐม", "73"),
    ("21100000411111", "บริษัท สยามพลาสติก จำกัด", "สมุทรปราการ", "11"),
]


def populate(store) -> dict:
    """Publish the test template and three factories; returns ids for the tests."""
    template = parse_template(TEMPLATE, "gui-test")
    publish_template(store, template)
    ids = []
    for fid, name, province, code in FACTORIES:
        fac_id = factory_id(fid)
        save_row(store, "factories", {
            "id": fac_id, "fid": fid, "name": name, "province": province,
            "province_code": code, "district": "เมือง", "subdistrict": "ตำบลหนึ่ง",
            "status": 1, "lat": 13.8, "lng": 100.1})
        ids.append(fac_id)
    return {"template_id": template.version_id, "factories": ids}


def type_text(widget, text: str) -> None:
    """Type ``text`` as a Thai (Kedmanee) keyboard delivers it: key events carrying the
    character (QTest.keyClicks only knows ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    widget.setFocus()
    for char in text:
        key = ord(char.upper()) if char.isascii() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     char))


def add_photos(qtbot, strip, paths) -> int:
    """Add photo files to an item's strip as the window does (on a worker) and wait for
    them; how many the strip shows more than before."""
    before = strip.count
    task = strip.add_files(paths)
    qtbot.waitUntil(lambda: task.told.is_set() and strip.add_button.isEnabled(),
                    timeout=10_000)
    return strip.count - before
