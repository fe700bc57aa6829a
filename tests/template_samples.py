"""A small template document that uses every answer type, for the template tests.

Each test copies it (``sample_doc()``) and breaks or extends the copy.
"""

from __future__ import annotations

import copy


def _t(th: str, en: str) -> dict:
    return {"th": th, "en": en}


YES_NO = [{"id": "yes", "label": _t("มี", "Yes")}, {"id": "no", "label": _t("ไม่มี", "No")}]

_SAMPLE = {
    "key": "sample",
    "version": 1,
    "kind": "routine",
    "form_code": "ทดสอบ.01",
    "title": _t("แบบตรวจทดสอบ", "Sample checklist"),
    "sections": [
        {"id": "general", "title": _t("ทั่วไป", "General"), "items": [
            {"id": "has_boiler", "type": "choice", "label": _t("มีหม้อน้ำ", "Has a boiler"),
             "required": True, "choices": YES_NO},
            {"id": "boiler_ok", "type": "result", "label": _t("หม้อน้ำปลอดภัย", "Boiler safe"),
             "required": True, "show_if": {"item": "has_boiler", "equals": "yes"},
             "on_fail": {"note": True, "photo": True},
             "legal_basis": "กฎกระทรวง กำหนดมาตรฐานเกี่ยวกับหม้อน้ำ พ.ศ. 2549",
             "order_text": "ให้ซ่อมแซมหม้อน้ำ", "deadline_days": 30},
            {"id": "valve_detail", "type": "text",
             "label": _t("รายละเอียดลิ้นนิรภัย", "Safety valve details"), "required": True,
             "show_if": {"item": "boiler_ok", "in": ["fail"]}},
            {"id": "fuel", "type": "multi_choice", "label": _t("เชื้อเพลิง", "Fuels"),
             "choices": [{"id": "oil", "label": _t("น้ำมัน", "Oil")},
                         {"id": "gas", "label": _t("ก๊าซ", "Gas")},
                         {"id": "coal", "label": _t("ถ่านหิน", "Coal")}]},
            {"id": "coal_store", "type": "result", "label": _t("ลานกองถ่านหิน", "Coal yard"),
             "show_if": {"item": "fuel", "in": ["coal"]}},
        ]},
        {"id": "water", "title": _t("น้ำทิ้ง", "Effluent"), "items": [
            {"id": "ph", "type": "number", "label": _t("ค่า pH", "pH"),
             "limits": {"min": 5.5, "max": "9.0"}, "on_fail": {"note": True}},
            {"id": "bod", "type": "number", "label": _t("ค่า BOD", "BOD"), "unit": "mg/L",
             "limits": {"max": 20}, "required": True, "on_fail": {"note": True}},
            {"id": "flow", "type": "number", "label": _t("ปริมาณน้ำทิ้ง", "Flow"),
             "unit": "m³/d"},
            {"id": "sampled", "type": "date", "label": _t("วันที่เก็บตัวอย่าง", "Sampled on")},
            {"id": "lab_report", "type": "document",
             "label": _t("รายงานผลวิเคราะห์", "Laboratory report"), "required": True},
            {"id": "outlet", "type": "photo", "label": _t("ภาพจุดระบาย", "Outlet photo"),
             "required": True},
            {"id": "outlet_gps", "type": "gps", "label": _t("พิกัดจุดระบาย", "Outlet position")},
            {"id": "remarks", "type": "text", "label": _t("หมายเหตุ", "Remarks")},
        ]},
    ],
}


def sample_doc() -> dict:
    """A fresh deep copy of the sample template document."""
    return copy.deepcopy(_SAMPLE)
