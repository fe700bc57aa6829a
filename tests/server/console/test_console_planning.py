"""Planned work in the console, both backends: the registry filtered by district, class and
years since the last inspection (never inspected included), many factories assigned in one
step (one plan each, reaching only that inspector's laptop), refused whole when the inspector
lacks the province, and the plans list with cancelling a plan not started."""

from __future__ import annotations

import pytest
from console_world import csrf_of, field_value, post, sign_in, site
from test_server_api import Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import principal, supervisors

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.pull import pull
from fieldapp.server.push import Op, push
from fieldapp.store.factories import factory_id
from fieldapp.store.wirejson import loads

TODAY = "2026-06-15"


def seed(db) -> dict[str, str]:
    """30 factories in province 10 over two districts and three classes, 3 in province 20;
    returns fid -> row id."""
    from server_fixtures import ADMIN
    clock = HybridClock("office")
    rows = [(f"1010{n:010d}", "10", f"โรงงานแผน {n:02d}", "บางรัก" if n % 2 else "ปทุมวัน",
             n % 3 + 1) for n in range(30)]
    rows += [(f"2020{n:010d}", "20", f"โรงงานชลบุรี {n}", "เมืองชลบุรี", 1) for n in range(3)]
    ops = [Op(uuid7(), "factories", factory_id(fid), "upsert", {
        "fid": fid, "name": name, "province_code": code, "province": f"จังหวัด {code}",
        "district": district, "factory_class": cls, "status": 1}, clock.now())
        for fid, code, name, district, cls in rows]
    assert all(a["outcome"] == "applied" for a in push(db, ADMIN, ops, 0))
    return {fid: factory_id(fid) for fid, *_ in rows}


@pytest.fixture
def office(api, monkeypatch):
    monkeypatch.setenv("FIELDAPP_TODAY", TODAY)
    db = api.app.state.db
    supervisors(db)
    api.db, api.site, api.reg = db, site(db), seed(db)
    # anong inspected factory 01 this year and factory 03 four years ago
    dev, auth = Device("anong"), login(api, "anong")
    for fid, started in (("10100000000001", "2026-01-10T02:00:00Z"),
                         ("10100000000003", "2022-03-01T02:00:00Z")):
        _, ops = inspection_ops(dev, api.reg[fid])
        ops[1]["payload"]["started_at"] = started
        push_ok(api, auth, ops)
    return api


def plans_of(db) -> list[dict]:
    with db.read() as c:
        return [{**loads(r["data"]), "id": r["id"], "owner": r["owner"]}
                for r in c.all("SELECT id, owner, data FROM records WHERE tbl = 'plans'")]


def ticked_ids(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('name="factory" value="')[1:]]


def test_registry_filtered_by_district_class_and_years(office):
    b = sign_in(office.site, "sup10")
    everything = b.get("/planning")
    assert everything.status_code == 200
    assert len(ticked_ids(everything.text)) == 30 and "โรงงานชลบุรี" not in everything.text
    district = ticked_ids(b.get("/planning", params={"district": "บางรัก"}).text)
    assert len(district) == 15
    cls = ticked_ids(b.get("/planning", params={"class": "2"}).text)
    assert len(cls) == 10
    stale = set(ticked_ids(b.get("/planning", params={"years": "2"}).text))
    assert office.reg["10100000000001"] not in stale      # inspected this year
    assert office.reg["10100000000003"] in stale          # four years ago
    assert office.reg["10100000000005"] in stale          # never
    assert len(stale) == 29
    both = set(ticked_ids(b.get("/planning", params={"years": "5",
                                                      "district": "บางรัก"}).text))
    assert not both & {office.reg["10100000000001"], office.reg["10100000000003"]}
    assert len(both) == 13
    # another province's supervisor sees their own registry only
    other = ticked_ids(sign_in(office.site, "sup20").get("/planning").text)
    assert len(other) == 4          # with the shared world's factory of province 20


def test_many_factories_assigned_in_one_step(office):
    db = office.db
    b = sign_in(office.site, "sup10")
    chosen = ticked_ids(b.get("/planning").text)[:25]
    anong = principal(db, "anong")
    r = post(b, "/planning", {"factory": chosen, "assignee": anong.user_id,
                              "template": "env-general", "planned_on": "2026-07-01",
                              "note": "รอบตรวจไตรมาส 3"})
    assert r.status_code == 303, r.text
    made = plans_of(db)
    assert len(made) == 25 and {p["factory_id"] for p in made} == set(chosen)
    assert {(p["assignee"], p["owner"], p["kind"], p["status"], p["planned_on"])
            for p in made} == {(anong.user_id, anong.user_id, "routine", "planned",
                                "2026-07-01")}
    got = [c for c in pull(db, anong, 0, limit=10_000)["changes"] if c["t"] == "plans"]
    assert len(got) == 25
    assert not [c for c in pull(db, principal(db, "boon"), 0, limit=10_000)["changes"]
                if c["t"] == "plans"]
    page = b.get("/plans")
    assert "25" in b.get(r.headers["location"]).text and page.text.count("/cancel") == 25
    with db.read() as c:
        assert c.value("SELECT count(*) FROM audit_log WHERE action = 'change' "
                       "AND target = '/plans'") == 1


def test_all_that_match_the_filter(office):
    db = office.db
    b = sign_in(office.site, "sup10")
    r = post(b, "/planning", {"all_matching": "1", "district": "ปทุมวัน", "years": "2",
                              "assignee": principal(db, "boon").user_id,
                              "template": "env-general", "planned_on": "2026-07-02"},
             page="/planning")
    assert r.status_code == 303, r.text
    made = plans_of(db)
    # the even-numbered factories: none inspected
    assert len(made) == 15
    # The same again plans none twice: "all that match" skips the planned ones (nothing
    # left to plan here), and ticking a planned factory is refused with the reason.
    again = post(b, "/planning", {"all_matching": "1", "district": "ปทุมวัน", "years": "2",
                                  "assignee": principal(db, "boon").user_id,
                                  "template": "env-general", "planned_on": "2026-07-09"},
                 page="/planning")
    assert again.status_code == 400 and len(plans_of(db)) == 15
    one = post(b, "/planning", {"factory": [made[0]["factory_id"]],
                                "assignee": principal(db, "boon").user_id,
                                "template": "env-general", "planned_on": "2026-07-09"},
               page="/planning")
    assert one.status_code == 400
    assert "มีแผนตรวจประจำที่ยังไม่ได้ตรวจอยู่แล้ว" in one.text
    assert len(plans_of(db)) == 15
    listed = b.get("/planning?district=ปทุมวัน&years=2").text
    assert "วางแผนไว้" in listed


def test_refused_whole_when_the_inspector_lacks_the_province(office):
    db = office.db
    b = sign_in(office.site, "sup10")
    chosen = ticked_ids(b.get("/planning").text)[:5]
    r = post(b, "/planning", {"factory": chosen, "assignee": principal(db, "chai").user_id,
                              "template": "env-general", "planned_on": "2026-07-01",
                              "note": "หมายเหตุที่พิมพ์ไว้"})
    assert r.status_code == 400 and "หมายเหตุที่พิมพ์ไว้" in r.text
    assert set(ticked_ids(r.text)) >= set(chosen)
    assert all(f'value="{i}" checked' in r.text for i in chosen)   # still ticked
    assert plans_of(db) == []
    # a factory of another province forged into the form: refused, nothing made
    forged = [*chosen, office.reg["20200000000001"]]   # province 20
    r = post(b, "/planning", {"factory": forged, "assignee": principal(db, "anong").user_id,
                              "template": "env-general", "planned_on": "2026-07-01"})
    assert r.status_code == 400 and plans_of(db) == []
    # nothing chosen, no inspector, no template: each said, nothing made
    b.cookies.set("fieldapp_lang", "en")
    r = post(b, "/planning", {"template": "no-such", "planned_on": "", "note": "เก็บไว้"})
    assert r.status_code == 400
    for text in ("Tick at least one factory", "Choose the inspector", "Choose a published "
                 "template", "Enter the planned date"):
        assert text in r.text
    assert "เก็บไว้" in r.text and plans_of(db) == []


def test_plans_list_filters_and_cancel(office):
    db = office.db
    b = sign_in(office.site, "sup10")
    ids = ticked_ids(b.get("/planning").text)
    anong, boon = principal(db, "anong"), principal(db, "boon")
    for who, some in ((anong, ids[:3]), (boon, ids[3:5])):
        assert post(b, "/planning", {"factory": some, "assignee": who.user_id,
                                     "template": "env-general", "planned_on": "2026-07-01"}
                    ).status_code == 303
    assert b.get("/plans", params={"inspector": boon.user_id}).text.count("/cancel") == 2
    made = {p["factory_id"]: p for p in plans_of(db)}
    first, started = made[ids[0]], made[ids[1]]
    # anong's laptop starts one
    push_ok(office, login(office, "anong"), [Device("anong").op(
        "plans", started["id"], {"status": "started"})])
    assert b.get("/plans", params={"status": "started"}).text.count("/cancel") == 0
    token = csrf_of(b.get("/plans").text)
    assert b.post(f"/plans/{first['id']}/cancel", data={"csrf": token}).status_code == 303
    assert {p["id"]: p["status"] for p in plans_of(db)}[first["id"]] == "cancelled"
    assert b.post(f"/plans/{first['id']}/cancel", data={"csrf": token}).status_code == 409
    assert b.post(f"/plans/{started['id']}/cancel", data={"csrf": token}).status_code == 409
    other = sign_in(office.site, "sup20")
    token20 = csrf_of(other.get("/plans").text)
    assert other.post(f"/plans/{made[ids[2]]['id']}/cancel",
                      data={"csrf": token20}).status_code == 404
    assert "โรงงานแผน" not in other.get("/plans").text
    # the cancelled plan reaches anong's laptop as cancelled
    rows = {c["row"]["id"]: c["row"] for c in pull(db, anong, 0, limit=10_000)["changes"]
            if c["t"] == "plans"}
    assert rows[first["id"]]["status"] == "cancelled"


def test_all_that_match_counts_only_those_it_plans(office):
    # The count included the factories already planned, which "all that match" skips.
    db = office.db
    b = sign_in(office.site, "sup10")
    boon = principal(db, "boon").user_id
    chosen = ticked_ids(b.get("/planning?district=ปทุมวัน").text)[:5]
    r = post(b, "/planning", {"factory": chosen, "assignee": boon, "template": "env-general",
                              "planned_on": "2026-07-01"}, page="/planning")
    assert r.status_code == 303, r.text
    page = b.get("/planning?district=ปทุมวัน").text
    assert "15 แห่ง, ในจำนวนนี้วางแผนไว้แล้ว 5 แห่ง" in page
    offer = page.split('id="all-matching"')[1].split("</label>")[0]
    assert "โรงงานทั้ง 10 แห่ง" in offer and "ไม่รวม 5 แห่ง" in offer
    r = post(b, "/planning", {"all_matching": "1", "district": "ปทุมวัน", "assignee": boon,
                              "template": "env-general", "planned_on": "2026-07-02"},
             page="/planning")
    assert r.status_code == 303 and len(plans_of(db)) == 15        # the 10 it offered
    # Another district: none planned, the offer as it was.
    other = b.get("/planning?district=บางรัก").text
    assert "โรงงานทั้ง 15 แห่งที่ตรงกับตัวกรอง (ไม่เฉพาะ" in other
    assert "วางแผนไว้แล้ว" not in other.split('id="matching"')[1].split("</p>")[0]
    b.cookies.set("fieldapp_lang", "en")
    english = b.get("/planning?district=ปทุมวัน").text
    assert "All 0 factories that match the filter and are not planned yet" in english


def test_the_planned_date_goes_back_as_its_field_shows_it(office):
    """The planned date is shown in the Buddhist era (the office's day, 15/06/2569) and,
    posted back unchanged, plans that day (console/date_fields.py)."""
    b = sign_in(office.site, "sup10")
    page = b.get("/planning").text
    shown = field_value(page, "planned_on")
    assert shown == "15/06/2569"
    r = post(b, "/planning", {"factory": ticked_ids(page)[:1],
                              "assignee": principal(office.db, "anong").user_id,
                              "template": "env-general", "planned_on": shown})
    assert r.status_code == 303, r.text
    assert [p["planned_on"] for p in plans_of(office.db)] == [TODAY]
