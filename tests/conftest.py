"""Shared fixtures: a fresh store on a temporary file, the sample data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fieldapp.store.db import open_store  # noqa: E402

# Server databases on SQLite and PostgreSQL, laptops, fault injection (sync/server tests).
pytest_plugins = ["server_fixtures"]


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    """argon2id as the server ships it costs ~0.6 s a hash on a 2-core CI machine, and the
    suite signs in thousands of times. Tests hash with the same algorithm at the smallest
    cost; what a password check decides does not depend on the cost."""
    from argon2 import PasswordHasher

    from fieldapp.server import auth
    shipped, dummy = auth._hasher, auth._DUMMY_HASH
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    auth._DUMMY_HASH = auth._hasher.hash("not a password")
    yield
    auth._hasher, auth._DUMMY_HASH = shipped, dummy

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "fieldapp.db")
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    """The real registry sample files (../shared/data beside the checkout)."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the sample data folder {SHARED_DATA}")
        pytest.skip(f"sample data folder {SHARED_DATA} is not beside this checkout")
    return SHARED_DATA


# A small template that exercises the rules the store enforces: required items, a legal
# limit, a failed item that needs a note and a photo, and a conditional item.
MINI_TEMPLATE = {
    "key": "mini", "version": 1, "kind": "routine", "form_code": "ทดสอบ.01",
    "title": {"th": "แบบตรวจทดสอบ", "en": "Test checklist"},
    "sections": [
        {"id": "lic", "title": {"th": "ใบอนุญาต", "en": "Licence"}, "items": [
            {"id": "lic.match", "type": "result", "required": True,
             "label": {"th": "การประกอบกิจการตรงตามใบอนุญาต", "en": "Operation matches licence"},
             "on_fail": {"note": True, "photo": True}},
        ]},
        {"id": "ww", "title": {"th": "น้ำเสีย", "en": "Wastewater"}, "items": [
            {"id": "ww.ph", "type": "number", "required": True, "unit": "",
             "label": {"th": "ค่าความเป็นกรด-ด่าง", "en": "pH"},
             "limits": {"min": "5.5", "max": "9.0"}, "on_fail": {"note": True}},
            {"id": "ww.bod", "type": "number", "unit": "mg/L",
             "label": {"th": "ค่าบีโอดี", "en": "BOD"}, "limits": {"max": "20"}},
        ]},
        {"id": "boiler", "title": {"th": "หม้อน้ำ", "en": "Boilers"}, "items": [
            {"id": "boiler.has", "type": "choice", "required": True,
             "label": {"th": "มีหม้อน้ำหรือไม่", "en": "Is there a boiler?"},
             "choices": [{"id": "yes", "label": {"th": "มี", "en": "Yes"}},
                         {"id": "no", "label": {"th": "ไม่มี", "en": "No"}}]},
            {"id": "boiler.test", "type": "result", "required": True,
             "show_if": {"item": "boiler.has", "equals": "yes"},
             "label": {"th": "ผลทดสอบหม้อน้ำประจำปี", "en": "Annual boiler test"}},
        ]},
    ],
}


@pytest.fixture
def template(store):
    from fieldapp.core.templates import parse_template
    from fieldapp.store.templates import publish_template

    tpl = parse_template(MINI_TEMPLATE, "mini.json")
    publish_template(store, tpl)
    return tpl


@pytest.fixture
def factory(store):
    from fieldapp.core.ids import name_id
    from fieldapp.store.changes import save_row

    fid = "10130000125461"
    return save_row(store, "factories", {"id": name_id("factory", fid), "fid": fid,
                                         "name": "บริษัท ไทย ยามาซากิ จำกัด",
                                         "province": "ปทุมธานี", "province_code": "13"})


@pytest.fixture
def draft(store, template, factory):
    from fieldapp.store.inspections import create_inspection

    return create_inspection(store, factory_id=factory["id"],
                             template_version_id=template.version_id, purpose="ตรวจประจำปี")
