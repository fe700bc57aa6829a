"""The console's inspection list and detail (fieldapp.server.queries), both backends, on data
pushed through the sync API as laptops send it: scope per role, filters, search (Thai text,
IDs with separators, SQL-ish text), sorting, hostile page numbers, and the projection kept
current across push, amendment and a factory's rename."""

from __future__ import annotations

from datetime import date

import pytest
from server_fixtures import ADMIN, PASSWORD
from test_server_api import Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server import projection
from fieldapp.server.auth import Principal, add_user, grant_province
from fieldapp.server.push import Op, push
from fieldapp.server.queries.inspection_detail import inspection_detail, may_read_blob
from fieldapp.server.queries.inspections import (
    InspectionFilter,
    filter_choices,
    iter_inspections,
    search_inspections,
)


def principal(db, username: str) -> Principal:
    with db.read() as c:
        user = c.one("SELECT id, role FROM users WHERE username = ?", (username,))
        provinces = frozenset(r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (user["id"],)))
    return Principal(user["id"], username, user["role"], provinces, "browser")


def supervisors(db) -> None:
    for name, code in (("sup10", "10"), ("sup20", "20")):
        add_user(db, name, PASSWORD, "supervisor")
        grant_province(db, name, code)


class World:
    """Inspections of anong (province 10, two of them, one finalized and amended) and chai
    (province 20), pushed through the API."""

    def __init__(self, api):
        self.api = api
        self.db = api.app.state.db
        supervisors(self.db)
        f10, _, f20 = api.factories
        self.anong, self.chai = login(api, "anong", "anong"), login(api, "chai", "chai")
        self.a, self.c = Device("anong"), Device("chai")
        self.draft10, ops = inspection_ops(self.a, f10)
        ops[1]["payload"].update(record_no="2569/AAAA0001", started_at="2026-03-05T02:00:00Z")
        push_ok(api, self.anong, ops)
        self.final10, ops = inspection_ops(self.a, f10)
        ops[1]["payload"].update(record_no="2569/BBBB0002", started_at="2026-02-10T03:00:00Z",
                                 kind="complaint")
        ops.append(self.a.op("findings", uuid7(), {
            "inspection_id": self.final10, "item_id": "1.1", "description": "น้ำเสีย",
            "order_text": "แก้ไขภายใน 30 วัน", "deadline": "2026-03-01", "status": "open"}))
        ops.append(self.a.op("answers", uuid7(), {
            "inspection_id": self.final10, "item_id": "ww.ph", "value": "10.5",
            "result": "fail", "note": "เกินเกณฑ์", "exceeded": 1}))
        ops.append(self.a.op("participants", uuid7(), {
            "inspection_id": self.final10, "role": "representative", "name": "คุณสมชาย"}))
        push_ok(api, self.anong, ops)
        push_ok(api, self.anong, [self.a.op("inspections", self.final10, {
            "state": "finalized", "content_hash": "claimed",
            "finalized_at": "2026-02-10T05:00:00Z"})])
        self.amend10, ops = inspection_ops(self.a, f10)
        ops[1]["payload"].update(amends_id=self.final10, record_no="2569/CCCC0003",
                                 started_at="2026-02-12T03:00:00Z")
        acks = push_ok(api, self.anong, ops)
        assert acks[1]["outcome"] == "applied", acks
        self.insp20, ops = inspection_ops(self.c, f20)
        ops[1]["payload"].update(record_no="2569/DDDD0004", started_at="2026-03-01T01:00:00Z")
        push_ok(api, self.chai, ops)

    def who(self, name):
        return principal(self.db, name)

    def ids(self, name, **filters):
        page = search_inspections(self.db, self.who(name), InspectionFilter(**filters))
        return {r["id"] for r in page.rows}


@pytest.fixture
def world(api):
    return World(api)


def test_each_role_lists_only_its_scope(world):
    w = world
    everything = {w.draft10, w.final10, w.amend10, w.insp20}
    assert w.ids("admin") == everything
    assert w.ids("sup10") == {w.draft10, w.final10, w.amend10}
    assert w.ids("sup20") == {w.insp20}
    assert w.ids("anong") == {w.draft10, w.final10, w.amend10}
    assert w.ids("boon") == set()        # same province, none of their own
    assert w.ids("chai") == {w.insp20}
    # a filter cannot widen a scope
    assert w.ids("sup20", province="10") == set()
    outsider = Principal("nobody", "nobody", "supervisor", frozenset({"99"}), "browser")
    assert search_inspections(w.db, outsider, InspectionFilter()).total == 0


def test_rows_carry_factory_template_inspector_and_amendment(world):
    w = world
    rows = {r["id"]: r for r in search_inspections(w.db, w.who("admin"),
                                                   InspectionFilter()).rows}
    final = rows[w.final10]
    assert final["factory_name"] == "โรงงานหนึ่ง" and final["fid"] == "10100000000001"
    assert final["inspector"] == "anong" and final["state"] == "finalized"
    assert final["template_key"] == "env-general" and final["template_version"] == 1
    assert final["amended_by"] == w.amend10 and rows[w.amend10]["amends_id"] == w.final10
    assert final["province"] == "10" and final["province_name"]


def test_filters(world):
    w = world
    admin = "admin"
    assert w.ids(admin, state="finalized") == {w.final10}
    assert w.ids(admin, kind="complaint") == {w.final10}
    assert w.ids(admin, province="20") == {w.insp20}
    assert w.ids(admin, inspector=w.who("chai").user_id) == {w.insp20}
    assert w.ids(admin, template="env-general") == {w.draft10, w.final10, w.amend10, w.insp20}
    assert w.ids(admin, template="no-such") == set()
    # Bangkok days: 2026-03-05T02:00Z is 09:00 on 5 March in Bangkok
    assert w.ids(admin, date_from=date(2026, 3, 1), date_to=date(2026, 3, 5)) == {
        w.draft10, w.insp20}
    assert w.ids(admin, date_from=date(2026, 3, 2)) == {w.draft10}
    assert w.ids(admin, date_to=date(2026, 2, 11)) == {w.final10}
    assert w.ids(admin, date_from="2026-03-02") == {w.draft10}          # as a URL carries it
    assert w.ids(admin, date_from="yesterday'--") == w.ids(admin)       # unreadable: no bound


def test_text_search_by_name_fid_and_record_number(world):
    w = world
    assert w.ids("admin", text="หนึ่ง") == {w.draft10, w.final10, w.amend10}
    assert w.ids("admin", text="สาม") == {w.insp20}
    assert w.ids("admin", text="20200000000003") == {w.insp20}
    assert w.ids("admin", text="2-0200-000000003") == {w.insp20}     # with separators
    assert w.ids("admin", text="2569/bbbb0002") == {w.final10}
    assert w.ids("admin", text="BBBB-0002") == {w.final10}
    assert w.ids("admin", text="โรงงาน 2569/DDDD") == {w.insp20}      # every word must match
    assert w.ids("chai", text="หนึ่ง") == set()                         # not in scope


@pytest.mark.parametrize("text", ["' OR 1=1 --", "%", "_", "\\", "x'); DROP TABLE records;--",
                                  "โรงงาน%", "ก" * 5000, "; SELECT * FROM users"])
def test_hostile_text_matches_nothing_it_should_not(world, text):
    page = search_inspections(world.db, world.who("admin"), InspectionFilter(text=text))
    assert page.total == 0 and page.rows == []


def test_control_characters_are_not_search_text(world):
    page = search_inspections(world.db, world.who("admin"), InspectionFilter(text="\x00\x1b"))
    assert page.total == 4                  # nothing left to search for: the whole list
    page = search_inspections(world.db, world.who("admin"), InspectionFilter(text="สาม\x00"))
    assert {r["id"] for r in page.rows} == {world.insp20}


def test_sorting_whitelist_and_hostile_paging(world):
    w = world
    admin = w.who("admin")
    by_date = search_inspections(w.db, admin, InspectionFilter(sort="started_at",
                                                               direction="asc")).rows
    assert [r["started_at"] for r in by_date] == sorted(r["started_at"] for r in by_date)
    by_name = search_inspections(w.db, admin, InspectionFilter(sort="factory_name",
                                                               direction="desc")).rows
    assert [r["factory_name"] for r in by_name] == sorted(
        (r["factory_name"] for r in by_name), reverse=True)
    # an unknown sort column (or SQL in it) falls back to the start date
    odd = search_inspections(w.db, admin, InspectionFilter(sort="id; DROP TABLE users",
                                                           direction="sideways")).rows
    assert [r["id"] for r in odd] == [r["id"] for r in reversed(by_date)]
    # huge, negative and non-numeric page numbers give a real page
    for page, per_page in ((10**30, 2), (-5, 2), ("x", 2), (2, 10**9), (1, 0)):
        got = search_inspections(w.db, admin, InspectionFilter(page=page, per_page=per_page))
        assert got.total == 4 and 1 <= got.page <= got.pages and got.rows
    last = search_inspections(w.db, admin, InspectionFilter(page=10**30, per_page=3))
    assert last.page == 2 and len(last.rows) == 1


def test_export_iterates_every_row_in_order(world, monkeypatch):
    from fieldapp.server.queries import inspections
    monkeypatch.setattr(inspections, "EXPORT_BATCH", 3)
    w = world
    f = InspectionFilter(sort="record_no", direction="asc", per_page=1)
    rows = list(iter_inspections(w.db, w.who("admin"), f))
    assert [r["record_no"] for r in rows] == sorted(r["record_no"] for r in rows)
    assert len(rows) == 4
    assert {r["id"] for r in iter_inspections(w.db, w.who("chai"), f)} == {w.insp20}


def test_filter_choices_follow_scope(world):
    w = world
    mine = filter_choices(w.db, w.who("sup10"))
    assert [p["code"] for p in mine["provinces"]] == ["10"]
    assert [u["username"] for u in mine["inspectors"]] == ["anong"]
    assert mine["templates"] == [{"key": "env-general", "versions": [1]}]
    assert set(mine["states"]) == {"draft", "finalized"}
    everyone = filter_choices(w.db, w.who("admin"))
    assert [p["code"] for p in everyone["provinces"]] == ["10", "20"]
    assert [u["username"] for u in everyone["inspectors"]] == ["anong", "chai"]


def test_detail_in_scope_and_none_outside(world):
    w = world
    d = inspection_detail(w.db, w.who("sup10"), w.final10)
    assert d is not None and d["state"] == "finalized" and d["inspector"] == "anong"
    assert d["factory"]["fid"] == "10100000000001"
    assert d["template"]["key"] == "env-general"
    answered = [i for i in d["items"] if i["answer_id"]]
    # in template order; an answer to an item the template lacks comes last, unlabelled
    assert [(i["item_id"], i["result"]) for i in answered] == [("ww.ph", "fail"),
                                                               ("1.1", "pass")]
    ph = answered[0]
    assert ph["label"]["th"] and ph["label"]["en"] and ph["section_title"]["th"]
    assert (ph["value"], ph["note"], ph["exceeded"]) == ("10.5", "เกินเกณฑ์", True)
    assert (ph["limit_min"], ph["limit_max"]) == ("5.5", "9.0") and ph["limit_text"]
    assert answered[1]["label"] is None
    assert len(d["items"]) > 1                      # unanswered items are shown too
    assert [f["description"] for f in d["findings"]] == ["น้ำเสีย"]
    assert [p["name"] for p in d["participants"]] == ["คุณสมชาย"]
    assert [a["id"] for a in d["amended_by"]] == [w.amend10] and d["amends"] == []
    assert {h["username"] for h in d["sync_history"]} == {"anong"}
    assert {h["device_id"] for h in d["sync_history"]} == {"anong"}
    amend = inspection_detail(w.db, w.who("anong"), w.amend10)
    assert [a["id"] for a in amend["amends"]] == [w.final10]
    for name in ("sup20", "chai", "boon"):
        assert inspection_detail(w.db, w.who(name), w.final10) is None
    for bad in ("no-such-id", "", "x" * 5000, "' OR 1=1 --", w.final10 + "\x00", None, 5):
        assert inspection_detail(w.db, w.who("admin"), bad) is None
    assert w.ids("admin", province="1\x000", district="\x00") == set()


def test_detail_photos_signatures_and_blob_access(world):
    import hashlib
    w = world
    photo, ink = b"a photo", b"a signature"
    shas = []
    for data in (photo, ink):
        sha = hashlib.sha256(data).hexdigest()
        r = w.api.put(f"/v1/attachments/{sha}", content=data, headers={
            **w.anong, "Upload-Offset": "0", "Upload-Length": str(len(data))})
        assert r.json()["complete"]
        shas.append(sha)
    photo_id, sign_id = uuid7(), uuid7()
    acks = push_ok(w.api, w.anong, [
        w.a.op("attachments", photo_id, {"inspection_id": w.draft10, "kind": "photo",
                                         "item_id": "1.1", "caption": "ท่อน้ำทิ้ง",
                                         "sha256": shas[0], "size": len(photo),
                                         "mime": "image/jpeg"}),
        w.a.op("attachments", sign_id, {"inspection_id": w.draft10, "kind": "signature",
                                        "sha256": shas[1], "size": len(ink),
                                        "mime": "image/png"}),
        w.a.op("signatures", uuid7(), {"inspection_id": w.draft10, "signer_name": "คุณสมชาย",
                                       "signer_role": "representative",
                                       "signed_at": "2026-03-05T03:00:00Z",
                                       "attachment_id": sign_id, "content_hash": "h"}),
        w.a.op("signatures", uuid7(), {"inspection_id": w.draft10, "signer_name": "คุณสมหญิง",
                                       "signer_role": "witness", "refused": 1,
                                       "refusal_reason": "ไม่ประสงค์ลงนาม",
                                       "signed_at": "2026-03-05T03:01:00Z",
                                       "content_hash": "h"})])
    assert all(a["outcome"] == "applied" for a in acks), acks
    d = inspection_detail(w.db, w.who("anong"), w.draft10)
    assert [(p["sha256"], p["caption"], p["item_id"]) for p in d["photos"]] == [
        (shas[0], "ท่อน้ำทิ้ง", "1.1")]
    signs = {s["signer_name"]: s for s in d["signatures"]}
    assert signs["คุณสมชาย"]["sha256"] == shas[1] and not signs["คุณสมชาย"]["refused"]
    assert signs["คุณสมหญิง"]["refused"] and signs["คุณสมหญิง"]["sha256"] is None
    assert may_read_blob(w.db, w.who("sup10"), shas[0])
    assert may_read_blob(w.db, w.who("anong"), shas[1])
    assert not may_read_blob(w.db, w.who("sup20"), shas[0])
    assert not may_read_blob(w.db, w.who("boon"), shas[0])
    assert not may_read_blob(w.db, w.who("sup10"), "../../etc/passwd")


def test_projection_follows_push_rename_and_rebuild(world):
    w = world
    f10 = w.api.factories[0]
    # the office renames the factory and moves it to a district: its inspections follow
    clock = HybridClock("office")
    acks = push(w.db, ADMIN, [Op(uuid7(), "factories", f10, "upsert",
                                 {"name": "โรงงานใหม่เอี่ยม", "district": "บางรัก"},
                                 clock.now())], 10**6)
    assert acks[0]["outcome"] == "applied", acks
    assert w.ids("admin", text="ใหม่เอี่ยม") == {w.draft10, w.final10, w.amend10}
    assert w.ids("admin", text="หนึ่ง") == set()
    assert w.ids("admin", district="บางรัก") == {w.draft10, w.final10, w.amend10}
    # a laptop's later change to a draft shows at once; a deleted draft leaves the list
    push_ok(w.api, w.anong, [w.a.op("inspections", w.draft10, {"kind": "follow_up"})])
    assert w.ids("admin", kind="follow_up") == {w.draft10}
    push_ok(w.api, w.chai, [w.c.op("inspections", w.insp20, {}, kind="delete")])
    assert w.insp20 not in w.ids("admin")
    assert inspection_detail(w.db, w.who("admin"), w.insp20) is None
    # rebuilding from records gives the same projection (what the V5 migration runs)
    with w.db.read() as c:
        before = c.all("SELECT * FROM inspection_index ORDER BY id")
        factories_before = c.all("SELECT id, name, search FROM factory_index ORDER BY id")
    with w.db.write() as c:
        projection.rebuild(c)
    with w.db.read() as c:
        assert c.all("SELECT * FROM inspection_index ORDER BY id") == before
        assert c.all("SELECT id, name, search FROM factory_index ORDER BY id") == \
            factories_before
