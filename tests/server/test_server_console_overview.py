"""The console's factories, dashboard, conflicts and laptops (fieldapp.server.queries), both
backends: the laptop's trigram search on the server's projection, scope per role, conflict
review that writes a laptop-visible change (never to a finalized record), the app version a
laptop reports, and the V5 migration filling the projections of an existing database."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from server_fixtures import ADMIN, pg_schema_url
from test_server_api import Device, H, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import principal, supervisors

from fieldapp import __version__
from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.fid import facreg_key
from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server import schema
from fieldapp.server.auth import Principal
from fieldapp.server.loop.orders import report_done, verify
from fieldapp.server.loop.reviews import set_review
from fieldapp.server.push import Op, push
from fieldapp.server.queries.conflicts import list_conflicts, resolve_conflict
from fieldapp.server.queries.dashboard import dashboard, month_bounds
from fieldapp.server.queries.devices import list_devices
from fieldapp.server.queries.factories import factory_detail, search_factories
from fieldapp.server.queries.inspections import InspectionFilter, search_inspections
from fieldapp.server.queries.users import list_users
from fieldapp.store.factories import factory_id

REGISTRY = [
    # fid, province, name, operator, facreg, district
    ("10100000000011", "10", "บริษัท ไทยน้ำตาล จำกัด", "นายสมชาย ใจดี", "3-10(1)-1/46กท",
     "บางรัก"),
    ("10100000000012", "10", "บริษัท สยามเหล็กกล้า จำกัด", "นางสาวสมหญิง", "3-64(1)-12/50กท",
     "ปทุมวัน"),
    ("20200000000013", "20", "บริษัท ชลบุรีน้ำตาล จำกัด", "นายชล", "3-10(1)-5/55ชบ", "เมือง"),
]


def seed_registry(db) -> dict[str, str]:
    clock = HybridClock("office")
    ops = [Op(uuid7(), "factories", factory_id(fid), "upsert", {
        "fid": fid, "name": name, "operator": operator, "facreg": facreg,
        "facreg_key": facreg_key(facreg), "province_code": code, "district": district,
        "province": f"จังหวัด {code}", "address": "99 หมู่ 1"}, clock.now())
        for fid, code, name, operator, facreg, district in REGISTRY]
    acks = push(db, ADMIN, ops, 0)
    assert all(a["outcome"] == "applied" for a in acks), acks
    return {fid: factory_id(fid) for fid, *_ in REGISTRY}


@pytest.fixture
def office(api):
    db = api.app.state.db
    supervisors(db)
    api.registry = seed_registry(db)
    return api


def names(page) -> set[str]:
    return {r["name"] for r in page.rows}


def test_factory_search_reads_queries_as_the_laptop_does(office):
    db = office.app.state.db
    admin = principal(db, "admin")
    assert names(search_factories(db, admin, "น้ำตาล")) == {
        "บริษัท ไทยน้ำตาล จำกัด", "บริษัท ชลบุรีน้ำตาล จำกัด"}
    # legal forms narrow nothing; every other word must appear
    assert names(search_factories(db, admin, "บริษัท สยาม")) == {"บริษัท สยามเหล็กกล้า จำกัด"}
    assert names(search_factories(db, admin, "ไทย น้ำตาล")) == {"บริษัท ไทยน้ำตาล จำกัด"}
    # a company form abbreviated as people type it, on both engines as on the laptop
    assert names(search_factories(db, admin, "บจก. สยาม")) == {"บริษัท สยามเหล็กกล้า จำกัด"}
    assert {"บริษัท ไทยน้ำตาล จำกัด", "บริษัท ชลบุรีน้ำตาล จำกัด"} <= names(
        search_factories(db, admin, "บจก"))
    assert names(search_factories(db, admin, "หจก")) & names(
        search_factories(db, admin, "น้ำตาล")) == set()
    # operator, FID with and without separators, registration number in any spelling
    assert names(search_factories(db, admin, "สมหญิง")) == {"บริษัท สยามเหล็กกล้า จำกัด"}
    for typed in ("10100000000011", "1-0100-000000011", "3-10(1)-1/46กท", "3101146กท",
                  "3 - 10(1) - 1 / 46กท"):
        assert names(search_factories(db, admin, typed)) == {"บริษัท ไทยน้ำตาล จำกัด"}, typed
    assert names(search_factories(db, admin, "0000000013")) == {"บริษัท ชลบุรีน้ำตาล จำกัด"}
    # short text: a prefix of the name or the FID
    assert names(search_factories(db, admin, "บร")) >= {"บริษัท ไทยน้ำตาล จำกัด"}
    assert names(search_factories(db, admin, "20")) >= {"บริษัท ชลบุรีน้ำตาล จำกัด"}
    # filters and an empty query
    assert names(search_factories(db, admin, "", province="10", district="ปทุมวัน")) == {
        "บริษัท สยามเหล็กกล้า จำกัด"}
    assert search_factories(db, admin, "").total == 3 + 3      # the api fixture's three too


def test_factory_search_scope_and_hostile_input(office):
    db = office.app.state.db
    assert names(search_factories(db, principal(db, "chai"), "น้ำตาล")) == {
        "บริษัท ชลบุรีน้ำตาล จำกัด"}
    assert names(search_factories(db, principal(db, "sup10"), "ชลบุรี")) == set()
    assert names(search_factories(db, principal(db, "sup10"), "", province="20")) == set()
    admin = principal(db, "admin")
    for text in ('" OR 1=1 --', "%%%", "___", "name:x", "ids : *", "NEAR(a b)", "'; DROP",
                 "\\", "ก" * 10_000, "\x00\x01", "(", '"'):
        page = search_factories(db, admin, text, page=10**40, per_page=-3)
        assert page.page >= 1 and page.per_page == 1
        assert all(r["name"] for r in page.rows)
        if text.strip("\x00\x01"):
            assert page.total == 0, text


def test_factory_search_follows_a_rename(office):
    db = office.app.state.db
    fid = "10100000000012"
    acks = push(db, ADMIN, [Op(uuid7(), "factories", factory_id(fid), "upsert",
                               {"name": "บริษัท เหล็กใหม่ จำกัด"},
                               HybridClock("office").now())], 10**6)
    assert acks[0]["outcome"] == "applied"
    admin = principal(db, "admin")
    assert names(search_factories(db, admin, "สยามเหล็ก")) == set()
    assert names(search_factories(db, admin, "เหล็กใหม่")) == {"บริษัท เหล็กใหม่ จำกัด"}
    acks = push(db, ADMIN, [Op(uuid7(), "factories", factory_id(fid), "delete", {},
                               HybridClock("office").now())], 10**6)
    assert names(search_factories(db, admin, "เหล็กใหม่")) == set()
    assert factory_detail(db, admin, factory_id(fid)) is None


def _finalized_with_order(api, auth, dev, factory, deadline, reviewer=None):
    """A finalized record with one finding that orders a correction; approved by
    ``reviewer`` (an order exists only from then on). Returns (record id, finding id)."""
    iid, ops = inspection_ops(dev, factory)
    finding = uuid7()
    ops.append(dev.op("findings", finding, {
        "inspection_id": iid, "description": "ฝุ่นเกิน", "order_text": "ติดตั้งระบบดักฝุ่น",
        "deadline": deadline, "status": "open"}))
    push_ok(api, auth, ops)
    ack = push_ok(api, auth, [dev.op("inspections", iid, {"state": "finalized",
                                                          "content_hash": "claimed"})])[0]
    assert ack["outcome"] == "applied", ack
    if reviewer is not None:
        db = api.app.state.db
        set_review(db, principal(db, reviewer), iid, "approved")
    return iid, finding


def test_factory_detail_and_dashboard(office):
    db = office.app.state.db
    f10 = office.registry["10100000000011"]
    anong, chai = login(office, "anong"), login(office, "chai")
    a, c = Device("anong"), Device("chai")
    # Orders as the office's loop makes them: issued when a record is approved, in force
    # while open or reported done (counted from the orders, not from the findings: those
    # of records nobody approved, and orders long verified, were counted too).
    late, _ = _finalized_with_order(office, anong, a, f10, "2020-01-01", "sup10")
    _, reported = _finalized_with_order(office, anong, a, f10, "2999-01-01", "sup10")
    _, done = _finalized_with_order(office, anong, a, f10, "2020-01-01", "sup10")
    _finalized_with_order(office, anong, a, f10, "2020-01-01")   # not approved: no order
    sup = principal(db, "sup10")
    report_done(db, sup, reported, "ติดตั้งแล้ว")
    verify(db, sup, done, None)
    _finalized_with_order(office, chai, c, office.registry["20200000000013"], "2020-01-01",
                          "sup20")

    detail = factory_detail(db, principal(db, "sup10"), f10)
    assert detail["fields"]["name"] == "บริษัท ไทยน้ำตาล จำกัด"
    assert len(detail["inspections"]) == 4
    assert [o["status"] for o in detail["open_orders"]] == ["open", "reported_done"]
    assert detail["open_orders"][0]["overdue"] and not detail["open_orders"][1]["overdue"]
    assert detail["open_orders"][0]["description"] == "ฝุ่นเกิน"
    assert detail["open_orders"][0]["inspection_id"] == late
    assert factory_detail(db, principal(db, "sup20"), f10) is None
    assert factory_detail(db, principal(db, "boon"), f10)["inspections"] == []  # not theirs
    assert factory_detail(db, principal(db, "admin"), "' OR 1=1 --") is None
    assert factory_detail(db, principal(db, "admin"), f10 + "\x00") is None
    assert search_factories(db, principal(db, "admin"), "", province="\x00").total == 0

    # the inspections were started on 1 January 2026 (inspection_ops): that month
    now = datetime(2026, 1, 20, tzinfo=UTC)
    sup10 = dashboard(db, principal(db, "sup10"), now=now)
    assert sup10["month"] == "2026-01-01"
    assert sup10["by_state"] == {"finalized": 4}
    assert sup10["by_kind"] == {"routine": 4}
    assert (sup10["orders_open"], sup10["orders_overdue"]) == (2, 1)
    assert [o["deadline"] for o in sup10["overdue"]] == ["2020-01-01"]
    assert [d["username"] for d in sup10["laptops"]] == ["anong"]
    # each finalize claimed a hash the server's copy does not have: recorded for review,
    # and only "keep" is possible on a finalized record
    review = list_conflicts(db, principal(db, "sup10"))
    assert sup10["conflicts_waiting"] == len(review) == 4
    assert {(c["field"], tuple(c["choices"])) for c in review} == {("content_hash", ("kept",))}
    sup20 = dashboard(db, principal(db, "sup20"), now=now)
    assert sup20["by_state"] == {"finalized": 1} and sup20["orders_overdue"] == 1
    assert [d["username"] for d in sup20["laptops"]] == ["chai"]
    assert dashboard(db, principal(db, "boon"), now=now)["inspections_this_month"] == 0
    assert dashboard(db, principal(db, "admin"), now=datetime(2026, 2, 1, tzinfo=UTC))[
        "inspections_this_month"] == 0
    # Bangkok's month: 31 Jan 18:00 UTC is already 1 February there
    assert month_bounds(datetime(2026, 1, 31, 18, 0, tzinfo=UTC))[0].isoformat() == \
        "2026-02-01"
    assert month_bounds(datetime(2026, 12, 31, 1, 0, tzinfo=UTC))[1].isoformat() == \
        "2027-01-01"


def _concurrent_phones(api):
    """anong and boon both change the phone of a province-10 factory without having seen
    each other's change: boon's later clock wins, anong's value is the conflict's loser."""
    f10 = api.registry["10100000000011"]
    anong, boon = login(api, "anong", "a"), login(api, "boon", "b")
    c0 = api.get("/v1/pull", headers=anong).json()["cursor"]
    push_ok(api, anong, [Device("a").op("factories", f10, {"phone": "02-111"})], cursor=c0)
    push_ok(api, boon, [Device("b").op("factories", f10, {"phone": "02-222"})], cursor=c0)
    return f10, anong


def test_conflict_review_scope_and_taking_the_lost_value(office):
    db = office.app.state.db
    f10, anong = _concurrent_phones(office)
    assert list_conflicts(db, principal(db, "anong")) == []      # inspectors review none
    assert list_conflicts(db, principal(db, "sup20")) == []
    waiting = list_conflicts(db, principal(db, "sup10"))
    assert len(waiting) == 1
    conflict = waiting[0]
    assert (conflict["kept_value"], conflict["lost_value"], conflict["current_value"]) == (
        "02-222", "02-111", "02-222")
    assert conflict["choices"] == ["kept", "lost"] and conflict["label"]
    assert dashboard(db, principal(db, "sup10"))["conflicts_waiting"] == 1
    for name in ("anong", "sup20"):
        with pytest.raises(NotFoundError):
            resolve_conflict(db, principal(db, name), conflict["id"], "lost")
    with pytest.raises(ValidationError):
        resolve_conflict(db, principal(db, "sup10"), conflict["id"], "both")
    done = resolve_conflict(db, principal(db, "sup10"), conflict["id"], "lost")
    assert done["choice"] == "lost" and done["resolved_by"] == "sup10"
    # the value reaches laptops as an ordinary change from the office
    cursor_rows = office.get("/v1/pull", headers=anong).json()["changes"]
    row = next(ch["row"] for ch in cursor_rows if ch["row"]["id"] == f10)
    assert row["phone"] == "02-111" and row["device_id"] == "office"
    assert list_conflicts(db, principal(db, "sup10")) == []
    assert list_conflicts(db, principal(db, "sup10"), include_resolved=True)[0]["choice"] == \
        "lost"
    with pytest.raises(NotFoundError):                            # settled once only
        resolve_conflict(db, principal(db, "admin"), conflict["id"], "kept")
    for bad in ("no-such-conflict", conflict["id"] + "\x00", None):
        with pytest.raises(NotFoundError):
            resolve_conflict(db, principal(db, "admin"), bad, "kept")


def test_conflict_keep_and_a_value_that_moved_on(office):
    db = office.app.state.db
    f10, anong = _concurrent_phones(office)
    conflict = list_conflicts(db, principal(db, "admin"))[0]
    # the field changed again after the conflict: taking the old loser is refused
    cursor = office.get("/v1/pull", headers=anong).json()["cursor"]
    push_ok(office, anong, [Device("a").op("factories", f10, {"phone": "02-333"})], cursor)
    with pytest.raises(ValidationError):
        resolve_conflict(db, principal(db, "admin"), conflict["id"], "lost")
    kept = resolve_conflict(db, principal(db, "admin"), conflict["id"], "kept")
    assert kept["choice"] == "kept"
    with db.read() as c:
        assert '"02-333"' in c.value("SELECT data FROM records WHERE id = ?", (f10,))


def test_a_finalized_record_offers_only_keep(office):
    db = office.app.state.db
    f10 = office.registry["10100000000011"]
    one, two = login(office, "anong", "a1"), login(office, "anong", "a2")
    d1, d2 = Device("a1"), Device("a2")
    iid, ops = inspection_ops(d1, f10)
    push_ok(office, one, ops)
    c0 = office.get("/v1/pull", headers=two).json()["cursor"]
    push_ok(office, one, [d1.op("inspections", iid, {"purpose": "ตรวจตามแผน"})], cursor=c0)
    push_ok(office, two, [d2.op("inspections", iid, {"purpose": "ตรวจร้องเรียน"})], cursor=c0)
    push_ok(office, two, [d2.op("inspections", iid, {"state": "finalized",
                                                      "content_hash": "claimed"})])
    conflict = next(c for c in list_conflicts(db, principal(db, "sup10"))
                    if c["field"] == "purpose")
    assert conflict["frozen"] and conflict["choices"] == ["kept"]
    assert conflict["inspection_id"] == iid
    with pytest.raises(ValidationError):
        resolve_conflict(db, principal(db, "sup10"), conflict["id"], "lost")
    with db.read() as c:
        assert "ตรวจร้องเรียน" in c.value("SELECT data FROM records WHERE id = ?", (iid,))
    resolve_conflict(db, principal(db, "sup10"), conflict["id"], "kept")
    detail_conflicts = [c for c in list_conflicts(db, principal(db, "sup10"),
                                                  include_resolved=True)
                        if c["id"] == conflict["id"]]
    assert detail_conflicts[0]["choice"] == "kept"


def test_laptops_fold_logins_scope_and_app_version(office):
    db = office.app.state.db
    assert H["X-FieldApp-App"] == __version__        # every laptop request reports it
    login(office, "anong", "lap-1")
    login(office, "anong", "lap-1")
    chai = login(office, "chai", "lap-2")
    r = office.get("/v1/pull", headers={**chai, "X-FieldApp-App": "0.2.0\x00<b>"})
    assert r.status_code == 200
    every = {d["device_id"]: d for d in list_devices(db, principal(db, "admin"))}
    assert every["lap-1"]["logins"] == 2 and every["lap-1"]["app_version"] == __version__
    assert every["lap-2"]["app_version"] == "0.2.0<b>" and not every["lap-2"]["revoked"]
    assert {d["device_id"] for d in list_devices(db, principal(db, "sup10"))} == {"lap-1"}
    assert {d["device_id"] for d in list_devices(db, principal(db, "chai"))} == {"lap-2"}
    assert list_devices(db, principal(db, "boon")) == []


def test_odd_values_from_a_laptop_never_fail_its_push(office):
    """A factory reported from the field with a NUL in its name, a number for a district
    and a class beyond 32 bits: stored as sent, projected as text the console can show."""
    db = office.app.state.db
    anong, dev = login(office, "anong"), Device("anong")
    fid = "10999999999999"
    acks = push_ok(office, anong, [dev.op("factories", factory_id(fid), {
        "fid": fid, "name": "โรงงาน\x00ใหม่", "province_code": "10", "district": 7,
        "factory_class": 2**40, "status": "x", "operator": 12.5})])
    assert acks[0]["outcome"] == "applied", acks
    iid, ops = inspection_ops(dev, factory_id(fid))
    ops[1]["payload"]["record_no"] = "2569/\x00NUL"
    acks = push_ok(office, anong, ops)
    assert [a["outcome"] for a in acks[1:]] == ["applied", "applied"], acks
    admin = principal(db, "admin")
    found = search_factories(db, admin, "งานใหม่").rows
    assert [(r["name"], r["district"], r["factory_class"]) for r in found] == [
        ("โรงงานใหม่", "7", None)]
    rows = search_inspections(db, admin, InspectionFilter(text="2569/NUL")).rows
    assert [r["id"] for r in rows] == [iid]


def test_users_by_scope(office):
    db = office.app.state.db
    login(office, "anong", "lap-1")
    by_admin = {u["username"]: u for u in list_users(db, principal(db, "admin"))}
    assert set(by_admin) == {"admin", "anong", "boon", "chai", "sup10", "sup20"}
    assert by_admin["anong"]["provinces"] == ["10"] and by_admin["anong"]["last_seen"]
    assert "password_hash" not in by_admin["anong"]
    assert [u["username"] for u in list_users(db, principal(db, "sup10"))] == [
        "anong", "boon", "sup10"]
    assert [u["username"] for u in list_users(db, principal(db, "chai"))] == ["chai"]


def test_the_v5_migration_fills_projections_of_an_existing_database(request, tmp_path,
                                                                    monkeypatch):
    """A V4 database holding synced rows gets its projections when it migrates."""
    def check(db):
        full = list(schema.MIGRATIONS)
        monkeypatch.setattr(schema, "MIGRATIONS", full[:4])
        monkeypatch.setattr(schema, "SCHEMA_VERSION", 4)
        schema.migrate(db)
        factory = {"fid": "10100000000011", "name": "โรงงานเดิม", "province_code": "10",
                   "district": "บางรัก"}
        inspection = {"factory_id": "f1", "template_version_id": "t1", "kind": "routine",
                      "state": "finalized", "started_at": "2026-01-01T00:00:00Z",
                      "record_no": "2569/OLD00001"}
        with db.write() as c:
            for seq, (tbl, rid, data, owner) in enumerate((
                    ("factories", "f1", factory, None),
                    ("inspections", "i1", inspection, "u1")), start=1):
                c.run("INSERT INTO records (tbl, id, province, owner, parent_id, blob_sha, "
                      "frozen, data, fields, updated_hlc, device_id, deleted, seq) "
                      "VALUES (?, ?, '10', ?, NULL, NULL, 0, ?, '{}', 'h', 'd', 0, ?)",
                      (tbl, rid, owner, json.dumps(data), seq))
        monkeypatch.setattr(schema, "MIGRATIONS", full)
        monkeypatch.setattr(schema, "SCHEMA_VERSION", len(full))
        assert schema.migrate(db) == len(full)
        admin = Principal("root", "root", "admin", frozenset(), "browser")
        rows = search_inspections(db, admin, InspectionFilter(text="โรงงานเดิม")).rows
        assert [(r["id"], r["fid"], r["district"]) for r in rows] == [
            ("i1", "10100000000011", "บางรัก")]
        assert names(search_factories(db, admin, "งานเดิ")) == {"โรงงานเดิม"}
        schema.migrate(db)                                # nothing left to do: unchanged
        with db.read() as c:
            assert c.value("SELECT count(*) FROM inspection_index") == 1

    from fieldapp.server.storage_sqlite import SqliteDatabase
    db = SqliteDatabase(str(tmp_path / "v4.db"))
    try:
        check(db)
    finally:
        db.close()
    from fieldapp.server.storage_pg import PostgresDatabase
    with pg_schema_url(request.getfixturevalue("pg_database")) as url:
        db = PostgresDatabase(url)
        try:
            check(db)
        finally:
            db.close()


