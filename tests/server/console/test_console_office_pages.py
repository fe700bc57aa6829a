"""The dashboard, the factories and the conflicts pages, both backends, on data laptops
pushed: figures per scope, the laptop's search in the page, a conflict settled in the browser
and written to the audit log, escaping of hostile registry text."""

from __future__ import annotations

import pytest
from console_world import post, sign_in, site
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import supervisors
from test_server_console_overview import _concurrent_phones, seed_registry

from fieldapp.server import audit


@pytest.fixture
def office(api):
    db = api.app.state.db
    supervisors(db)
    api.registry = seed_registry(db)
    api.site = site(db)
    api.db = db
    return api


def test_dashboard_in_thai_with_province_names(office):
    r = sign_in(office.site, "sup10").get("/")
    assert r.status_code == 200
    assert "การตรวจเดือนนี้" in r.text and "กรุงเทพมหานคร" in r.text


def test_factory_search_and_page(office):
    b = sign_in(office.site, "sup10")
    r = b.get("/factories", params={"q": "น้ำตาล"})
    assert "บริษัท ไทยน้ำตาล จำกัด" in r.text
    assert "ชลบุรีน้ำตาล" not in r.text            # province 20: not this supervisor's
    assert "บริษัท ไทยน้ำตาล จำกัด" in b.get("/factories", params={"q": "3-10(1)-1/46"}).text
    one = b.get(f"/factories/{office.registry['10100000000011']}")
    assert one.status_code == 200 and "นายสมชาย ใจดี" in one.text
    assert b.get(f"/factories/{office.registry['20200000000013']}").status_code == 404
    for hostile in ('"; DROP TABLE records; --', "%", "_", "' OR 1=1 --", "ก" * 500):
        assert b.get("/factories", params={"q": hostile}).status_code == 200


def test_conflict_settled_in_the_browser(office):
    f10, _ = _concurrent_phones(office)
    other = sign_in(office.site, "sup20")
    assert "02-111" not in other.get("/conflicts").text
    b = sign_in(office.site, "sup10")
    page = b.get("/conflicts")
    assert "02-111" in page.text and "02-222" in page.text
    conflict_id = page.text.split('action="/conflicts/')[1].split("/resolve")[0]
    stolen = post(other, f"/conflicts/{conflict_id}/resolve", {"choice": "lost"},
                  page="/conflicts")
    assert stolen.status_code == 409                      # not theirs: nothing changes
    r = post(b, f"/conflicts/{conflict_id}/resolve", {"choice": "lost"}, page="/conflicts")
    assert r.status_code == 303
    with office.db.read() as c:
        phone = c.value("SELECT data FROM records WHERE tbl = 'factories' AND id = ?", (f10,))
    assert '"02-111"' in phone                            # the other value now rules
    rows, _ = audit.search(office.db, audit.AuditFilter(username="sup10", action="change"))
    assert any(conflict_id in r["target"] for r in rows)
    again = post(b, f"/conflicts/{conflict_id}/resolve", {"choice": "kept"}, page="/conflicts")
    assert again.status_code == 409                       # already settled


def test_hostile_factory_name_is_escaped(office):
    from server_fixtures import ADMIN

    from fieldapp.core.hlc import HybridClock
    from fieldapp.core.ids import uuid7
    from fieldapp.server.push import Op, push
    f10 = office.registry["10100000000012"]
    push(office.db, ADMIN, [Op(uuid7(), "factories", f10, "upsert",
                               {"name": '<script>alert("x")</script>โรงงาน'},
                               HybridClock("office").now())], 0)
    b = sign_in(office.site, "sup10")
    for path in ("/factories?q=โรงงาน", f"/factories/{f10}"):
        html = b.get(path).text
        assert '<script>alert("x")' not in html and "&lt;script&gt;" in html, path
