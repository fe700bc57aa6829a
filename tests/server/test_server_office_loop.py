"""The office's loop on the server, both backends (docs/office-loop.md): only the office
writes complaints, plans, reviews and orders (a laptop only starts and finishes its own
plans); bad office values are refused; who reads which rows and bytes; orders issued on
approval, cancelled by an approved amendment, updated by a follow-up; approved records take
no amendment until reopened; derived writes happen once, and roll back with their push."""

from __future__ import annotations

import pytest
from office_loop_world import TEMPLATE, TEMPLATE_ID, LoopWorld
from server_fixtures import PASSWORD, TestClient, make_app

from fieldapp.core.ids import uuid7
from fieldapp.core.office_words import APPROVED
from fieldapp.server import blob_access
from fieldapp.server import push as push_module
from fieldapp.server.loop_scope import OFFICE_ONLY, PLAN_CANCELLED, PLAN_DONE
from fieldapp.sync import protocol as P


@pytest.fixture
def world(server_db):
    return LoopWorld(server_db)


def rejected(acks):
    assert all(a["outcome"] == P.REJECTED and a["reason"] for a in acks), acks
    return [a["reason"] for a in acks]


# -- a laptop writes none of the office's rows ------------------------------------------------

def _attacks(w: LoopWorld):
    """(name, operations of anong's laptop) that must all be refused. Built on a world with
    anong's approved record (orders issued), complaints and plans of anong and boon."""
    mine = w.record("anong")
    w.review(mine["id"], "approved")
    boons = w.record("boon")
    order = mine["findings"][0]
    complaint = w.complaint(w.f10, "anong")
    own_plan, boons_plan = w.plan("anong"), w.plan("boon")
    cancelled_plan, done_plan = w.plan("anong", status="cancelled"), w.plan("anong", status="done")
    data = b"anong's own bytes"
    sha = w.blob("anong", data)
    a = lambda *args, **kw: w.op("anong", *args, **kw)  # noqa: E731
    return {
        "create complaint": [a("complaints", uuid7(), {
            "received_on": "2026-01-01", "channel": "phone", "problem_types": "odour",
            "description": "x", "status": "received", "factory_id": w.f10})],
        "update assigned complaint": [a("complaints", complaint, {"status": "closed"})],
        "create complaint file": [a("complaint_files", uuid7(), {
            "complaint_id": complaint, **w.blob_row(sha, data)})],
        "approve own record": [a("reviews", mine["id"], {
            "inspection_id": mine["id"], "state": "approved"})],
        "review own record again": [a("reviews", mine["id"], {"state": "reopened"})],
        "review a colleague's": [a("reviews", boons["id"], {
            "inspection_id": boons["id"], "state": "returned"})],
        "create order": [a("orders", uuid7(), {
            "inspection_id": mine["id"], "factory_id": w.f10, "order_text": "x",
            "status": "open"})],
        "verify own order": [a("orders", order, {"status": "verified"})],
        "delete own order": [a("orders", order, {}, kind="delete")],
        "create order photo": [a("order_photos", uuid7(), {
            "order_id": order, **w.blob_row(sha, data)})],
        "create plan": [a("plans", uuid7(), {
            "template_key": "env-general", "kind": "routine", "planned_on": "2026-01-01",
            "assignee": w.uid("anong"), "status": "planned", "factory_id": w.f10})],
        "start a colleague's plan": [a("plans", boons_plan, {"status": "started"})],
        "move own plan": [a("plans", own_plan, {"planned_on": "2027-01-01"})],
        "reassign own plan": [a("plans", own_plan, {"assignee": w.uid("boon")})],
        "start and move own plan": [a("plans", own_plan, {"status": "started",
                                                           "note": "later"})],
        "cancel own plan": [a("plans", own_plan, {"status": "cancelled"})],
        "re-plan own plan": [a("plans", own_plan, {"status": "planned"})],
        "clear own plan's status": [a("plans", own_plan, {"status": None})],
        "delete own plan": [a("plans", own_plan, {}, kind="delete")],
        "own plan names a colleague's inspection": [a("plans", own_plan, {
            "status": "started", "inspection_id": boons["id"]})],
        "own plan names an unknown inspection": [a("plans", own_plan, {
            "inspection_id": uuid7()})],
        "start own plan the office cancelled": [a("plans", cancelled_plan, {
            "status": "started"})],
        "finish own plan the office cancelled": [a("plans", cancelled_plan, {
            "status": "done", "inspection_id": mine["id"]})],
        "restart own finished plan": [a("plans", done_plan, {"status": "started"})],
    }


ATTACKS = ["create complaint", "update assigned complaint", "create complaint file",
           "approve own record", "review own record again", "review a colleague's",
           "create order", "verify own order", "delete own order", "create order photo",
           "create plan", "start a colleague's plan", "move own plan", "reassign own plan",
           "start and move own plan", "cancel own plan", "re-plan own plan",
           "clear own plan's status", "delete own plan",
           "own plan names a colleague's inspection", "own plan names an unknown inspection",
           "start own plan the office cancelled", "finish own plan the office cancelled",
           "restart own finished plan"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_laptop_cannot_write_the_offices_rows(world, attack):
    ops = _attacks(world)[attack]
    before = world.state()
    reasons = rejected(world.push("anong", ops))
    assert world.state() == before, "a refused change changed something"
    if attack.startswith(("create", "update", "approve", "review", "verify", "delete")):
        assert reasons == [OFFICE_ONLY]
    if attack.endswith("the office cancelled"):
        assert reasons == [PLAN_CANCELLED]
    if attack == "restart own finished plan":
        assert reasons == [PLAN_DONE]


def test_all_attacks_are_listed(world):
    assert sorted(_attacks(world)) == sorted(ATTACKS)


def test_a_laptop_starts_and_finishes_its_own_plan(world):
    plan = world.plan("anong")
    mine = world.record("anong", finalize=False)
    assert world.push_one("anong", "plans", plan, {
        "status": "started", "inspection_id": mine["id"]})["outcome"] == P.APPLIED
    assert world.push_one("anong", "plans", plan, {"status": "done"})["outcome"] == P.APPLIED
    row = world.row("plans", plan)
    assert (row["status"], row["inspection_id"], row["planned_on"]) == \
        ("done", mine["id"], "2026-02-10")
    # boon holds province 10 too, but the plan is not his
    assert rejected([world.push_one("boon", "plans", plan, {"status": "started"})])


def test_a_plan_started_with_the_inspection_in_the_same_push(world):
    """The laptop's outbox carries the new inspection before the plan that names it."""
    plan = world.plan("anong")
    iid = uuid7()
    acks = world.push("anong", [
        world.op("anong", "template_versions", TEMPLATE_ID, TEMPLATE),
        world.op("anong", "inspections", iid, {
            "factory_id": world.f10, "template_version_id": TEMPLATE_ID, "kind": "routine",
            "state": "draft", "started_at": "2026-02-10T01:00:00Z"}),
        world.op("anong", "plans", plan, {"status": "started", "inspection_id": iid})])
    assert [a["outcome"] for a in acks] == [P.APPLIED] * 3, acks


# -- the office's own values --------------------------------------------------------------------

def _bad_office_writes(w: LoopWorld):
    draft = w.record("anong", finalize=False)
    done = w.record("anong")
    other = w.record("anong")
    complaint = {"received_on": "2026-01-05", "channel": "phone", "factory_id": w.f10,
                 "problem_types": "odour", "description": "x", "status": "received"}
    plan = {"factory_id": w.f10, "template_key": "env-general", "kind": "routine",
            "planned_on": "2026-02-10", "assignee": w.uid("anong"), "status": "planned"}
    review = {"inspection_id": done["id"], "state": "approved"}
    w.review(other["id"], "approved")
    order = other["findings"][0]
    return {
        "unknown channel": ("complaints", uuid7(), {**complaint, "channel": "fax"}),
        "unknown complaint state": ("complaints", uuid7(), {**complaint, "status": "done"}),
        "unknown problem type": ("complaints", uuid7(), {**complaint,
                                                         "problem_types": "odour,smell"}),
        "date not a date": ("complaints", uuid7(), {**complaint, "received_on": "5/1/2026"}),
        "date that does not exist": ("complaints", uuid7(), {**complaint,
                                                             "received_on": "2026-02-30"}),
        "complaint of an unknown factory": ("complaints", uuid7(), {**complaint,
                                                                     "factory_id": "nope"}),
        "unknown plan kind": ("plans", uuid7(), {**plan, "kind": "visit"}),
        "unknown plan state": ("plans", uuid7(), {**plan, "status": "late"}),
        "plan of an unknown factory": ("plans", uuid7(), {**plan, "factory_id": "nope"}),
        "plan of an unknown complaint": ("plans", uuid7(), {**plan, "complaint_id": "nope"}),
        "plan naming nothing": ("plans", uuid7(), {**plan, "factory_id": None}),
        "plan's bad order list": ("plans", uuid7(), {**plan, "order_ids": "a,,b"}),
        "unknown review state": ("reviews", done["id"], {**review, "state": "fine"}),
        "review id not the inspection's": ("reviews", uuid7(), review),
        "review of a draft": ("reviews", draft["id"], {"inspection_id": draft["id"],
                                                       "state": "approved"}),
        "review of an unknown record": ("reviews", "nope", {"inspection_id": "nope",
                                                            "state": "approved"}),
        "review state cleared": ("reviews", other["id"], {"state": None}),
        "review moved to another record": ("reviews", other["id"],
                                           {"inspection_id": done["id"]}),
        "unknown order state": ("orders", order, {"status": "closed"}),
        "bad deadline": ("orders", order, {"deadline": "2026-3-1"}),
        "order status cleared": ("orders", order, {"status": None}),
        "unknown follow-up result": ("orders", order, {"followup_result": "fine"}),
        "order of an unknown factory": ("orders", uuid7(), {
            "inspection_id": done["id"], "factory_id": "nope", "order_text": "x",
            "status": "open"}),
        "order moved to another factory": ("orders", order, {"factory_id": w.f10b}),
        "file of an unknown complaint": ("complaint_files", uuid7(), {
            "complaint_id": "nope", "sha256": "0" * 64, "size": 1, "mime": "image/jpeg"}),
    }


BAD_OFFICE = ["unknown channel", "unknown complaint state", "unknown problem type",
              "date not a date", "date that does not exist", "complaint of an unknown factory",
              "unknown plan kind", "unknown plan state", "plan of an unknown factory",
              "plan of an unknown complaint", "plan naming nothing", "plan's bad order list",
              "unknown review state", "review id not the inspection's", "review of a draft",
              "review of an unknown record", "review state cleared",
              "review moved to another record", "unknown order state", "bad deadline",
              "order status cleared", "unknown follow-up result", "order of an unknown factory",
              "order moved to another factory", "file of an unknown complaint"]


@pytest.mark.parametrize("case", BAD_OFFICE)
def test_the_office_cannot_write_bad_values(world, case):
    table, row_id, fields = _bad_office_writes(world)[case]
    before = world.state()
    ack = world.office(table, row_id, fields)
    assert ack["outcome"] == P.REJECTED and ack["reason"], ack
    assert world.state() == before


def test_all_bad_office_writes_are_listed(world):
    assert sorted(_bad_office_writes(world)) == sorted(BAD_OFFICE)


# -- who reads what ---------------------------------------------------------------------------

def _visibility_world(w: LoopWorld):
    anongs, boons, chais = w.record("anong"), w.record("boon"), w.record("chai", w.f20)
    for r in (anongs, boons, chais):
        w.review(r["id"], "approved")
    k = {}
    for name, factory in (("anong", w.f10), ("boon", w.f10b), ("chai", w.f20),
                          (None, w.f10)):
        cid = w.complaint(factory, name)
        data = f"complaint file {name}".encode()
        sha = w.blob("admin", data)
        fid = uuid7()
        w.office_ok("complaint_files", fid, {"complaint_id": cid, **w.blob_row(sha, data)})
        k[name] = {"complaint": cid, "file": fid, "sha": sha,
                   "plan": w.plan(name, factory) if name else None}
    return anongs, boons, chais, k


def _expected(w, name, anongs, boons, chais, k):
    """What ``name`` reads of the office's tables."""
    records = {"anong": [anongs], "boon": [boons], "chai": [chais]}
    seen = set()
    inspector = name in records
    by_province = {"10": [anongs, boons], "20": [chais]}
    provinces = {"anong": "10", "boon": "10", "chai": "20", "somsri": "10", "wichai": "20"}
    province = provinces.get(name)
    for r in (by_province[province] if province else [anongs, boons, chais]):
        for f in r["findings"]:
            seen.add(("orders", f))
        for aid, _ in r["photos"]:
            seen.add(("order_photos", aid))
    for r in (records[name] if inspector else
              by_province[province] if province else [anongs, boons, chais]):
        seen.add(("reviews", r["id"]))
    complaint_province = {"anong": "10", "boon": "10", "chai": "20", None: "10"}
    for owner, ids in k.items():
        if inspector and owner != name:
            continue
        if province and complaint_province[owner] != province:
            continue
        seen |= {("complaints", ids["complaint"]), ("complaint_files", ids["file"])}
        if ids["plan"]:
            seen.add(("plans", ids["plan"]))
    return seen


@pytest.mark.parametrize("name", ["anong", "boon", "chai", "somsri", "wichai", "admin"])
def test_each_role_reads_its_share_of_the_offices_rows(world, name):
    built = _visibility_world(world)
    expected = _expected(world, name, *built)
    for found in (world.pulled(name), world.snapped(name)):
        office = {key for key in found if key[0] in P.OFFICE_TABLES}
        assert office == expected, (office - expected, expected - office)


def test_bytes_follow_the_rows(world, server_db):
    anongs, boons, chais, k = _visibility_world(world)
    app = TestClient(make_app(server_db), raise_server_exceptions=False)
    app.headers.update(P.version_headers())

    def login(name):
        r = app.post("/v1/login", json={"username": name, "password": PASSWORD,
                                        "device_id": name})
        return {"Authorization": f"Bearer {r.json()['token']}"}

    photo = anongs["photos"][0][1]
    chais_photo = chais["photos"][0][1]
    readers = {
        photo: {"anong", "boon", "somsri", "admin"},         # an order photo of province 10
        chais_photo: {"chai", "wichai", "admin"},
        k["anong"]["sha"]: {"anong", "somsri", "admin"},    # a file of anong's complaint
        k["boon"]["sha"]: {"boon", "somsri", "admin"},
        k[None]["sha"]: {"somsri", "admin"},                # not assigned yet
    }
    for name in ("anong", "boon", "chai", "somsri", "wichai", "admin"):
        auth = login(name)
        who = world.who(name)
        for sha, allowed in readers.items():
            with server_db.read() as c:
                assert blob_access.may_read(c, who, sha) == (name in allowed), (name, sha)
            r = app.get(f"/v1/attachments/{sha}", headers=auth)
            assert r.status_code == (200 if name in allowed else 404), (name, sha)


def may_read(world, name, sha):
    who = world.who(name)
    with world.db.read() as c:
        return blob_access.may_read(c, who, sha)


def test_an_order_photo_opens_to_the_province_only_once_approved(world):
    record = world.record("anong", reps=())
    sha = record["photos"][0][1]
    assert not may_read(world, "boon", sha)
    world.review(record["id"], "approved")
    assert may_read(world, "boon", sha)


def test_a_reassigned_complaint_takes_its_files_along(world):
    cid = world.complaint(world.f10)          # registered with its photo, then assigned
    data = b"the complainant's photo"
    sha = world.blob("admin", data)
    fid = uuid7()
    world.office_ok("complaint_files", fid, {"complaint_id": cid, **world.blob_row(sha, data)})
    assert ("complaint_files", fid) not in world.pulled("anong")
    world.office_ok("complaints", cid, {"assignee": world.uid("anong"), "status": "assigned"})
    assert {("complaints", cid), ("complaint_files", fid)} <= world.pulled("anong")
    assert may_read(world, "anong", sha)
    # a laptop that pulled before the assignment gets the file on its next pull too
    cursor_before = world.head()
    world.office_ok("complaints", cid, {"assignee": world.uid("boon")})
    from fieldapp.server.pull import pull
    later = {(ch["t"], ch["row"]["id"]) for ch in
             pull(world.db, world.who("boon"), cursor_before, 1000)["changes"]}
    assert ("complaint_files", fid) in later
    assert may_read(world, "boon", sha)
    assert not may_read(world, "anong", sha)


# -- orders issued on approval ----------------------------------------------------------------

def test_approval_issues_one_order_per_finding_with_an_order(world):
    record = world.record("anong", findings=(("ww.running", "เดินระบบทุกวัน"),
                                             ("ww.meter", "ติดมาตรวัด"),
                                             ("ww.daily_log", None), ("ww.system", "  ")),
                          reps=("นายหนึ่ง", "นางสอง"),
                          photo_items=("ww.running", "ww.running", "ww.daily_log"))
    assert world.rows("orders") == {}       # received: no order before approval
    world.review(record["id"], "approved")
    orders = world.rows("orders")
    running, meter = record["findings"][:2]
    assert set(orders) == {running, meter}
    o = orders[running]
    assert o == {**o, "inspection_id": record["id"], "finding_id": running,
                 "factory_id": world.f10, "item_id": "ww.running",
                 "order_text": "เดินระบบทุกวัน", "issued_on": "2026-01-12",
                 "deadline": "2026-03-01", "responsible": "นายหนึ่ง", "status": "open",
                 "legal_basis": "ม.8", "description": "พบ ww.running"}
    photos = world.rows("order_photos")
    running_photos = {aid: sha for aid, sha in record["photos"][:2]}
    assert set(photos) == set(running_photos)
    for aid, p in photos.items():
        assert (p["order_id"], p["sha256"]) == (running, running_photos[aid])
    with world.db.read() as c:
        history = c.all("SELECT order_id, status, by_user FROM order_history")
    assert sorted((h["order_id"], h["status"], h["by_user"]) for h in history) == \
        sorted([(running, "open", "somsri"), (meter, "open", "somsri")])


def test_an_order_without_a_deadline_takes_the_offices_period(world):
    """The settings page promises "the period to correct when the inspector set no
    deadline"; the order had none, so it was never overdue nor in the monthly report."""
    first = world.record("anong", findings=(("ww.running", "เดินระบบ"),), deadline=None)
    world.review(first["id"], "approved")
    assert world.row("orders", first["findings"][0])["deadline"] == "2026-02-11"  # +30 days
    with world.db.write() as c:
        c.run("INSERT INTO office_settings (key, value, updated_at, updated_by) "
              "VALUES ('order_default_days', '45', '2026-01-01T00:00:00Z', 'admin')")
    second = world.record("anong", findings=(("ww.meter", "ติดมาตรวัด"),), deadline=None)
    world.review(second["id"], "approved")
    assert world.row("orders", second["findings"][0])["deadline"] == "2026-02-26"  # +45


def test_approving_again_issues_nothing_new(world):
    record = world.record("anong")
    world.review(record["id"], "approved")
    order = record["findings"][0]
    world.office_ok("orders", order, {"status": "reported_done", "responsible": "นายสาม"})
    before = world.state()
    world.review(record["id"], "reopened")
    world.review(record["id"], "approved")
    after = world.state()
    assert [r for r in after if r[0] in ("orders", "order_photos", order)] == \
        [r for r in before if r[0] in ("orders", "order_photos", order)]
    assert world.row("orders", order)["status"] == "reported_done"


def test_an_approved_record_takes_an_amendment_only_once_reopened(world):
    record = world.record("anong")
    world.review(record["id"], "returned", "แก้ชื่อผู้แทน")
    world.review(record["id"], "approved")
    before = world.state()
    iid = uuid7()
    amend = [world.op("anong", "inspections", iid, {
        "factory_id": world.f10, "template_version_id": TEMPLATE_ID, "kind": "routine",
        "state": "draft", "started_at": "2026-01-10T02:00:00Z", "amends_id": record["id"]})]
    assert rejected(world.push("anong", amend)) == [APPROVED]
    assert world.state() == before
    # a draft made before the approval cannot be pointed at it afterwards either
    draft = world.record("anong", finalize=False)
    assert rejected([world.push_one("anong", "inspections", draft["id"],
                                    {"amends_id": record["id"]})]) == [APPROVED]
    world.review(record["id"], "reopened")
    assert world.push("anong", [world.op("anong", "inspections", iid, amend[0].payload)]
                      )[0]["outcome"] == P.APPLIED


def test_approving_an_amendment_cancels_the_originals_untouched_orders(world):
    original = world.record("anong", findings=(("ww.running", "ก"), ("ww.meter", "ข"),
                                               ("ww.system", "ค"), ("ww.daily_log", "ง")))
    world.review(original["id"], "approved")
    untouched, reported, followed, escalated = original["findings"]
    world.office_ok("orders", reported, {"status": "reported_done"})
    world.office_ok("orders", followed, {"followup_result": "partly"})
    world.office_ok("orders", escalated, {"status": "escalated", "escalated_on": "2026-04-01"})
    world.review(original["id"], "reopened")
    amendment = world.record("anong", amends=original["id"],
                             findings=(("ww.running", "ก ใหม่"),))
    assert world.row("orders", untouched)["status"] == "open"   # not before its approval
    world.review(amendment["id"], "approved")
    orders = world.rows("orders")
    assert {o: orders[o]["status"] for o in original["findings"]} == {
        untouched: "cancelled", reported: "reported_done", followed: "open",
        escalated: "escalated"}
    assert orders[amendment["findings"][0]]["status"] == "open"


def test_an_approved_amendment_cancels_orders_up_its_chain(world):
    """A approved (orders), reopened; B amends A and is returned; C amends B and is
    approved: A's orders are replaced by C's though B never issued any."""
    a = world.record("anong")
    world.review(a["id"], "approved")
    world.review(a["id"], "reopened")
    b = world.record("anong", amends=a["id"])
    world.review(b["id"], "returned", "แก้อีกครั้ง")
    c = world.record("anong", amends=b["id"])
    world.review(c["id"], "approved")
    orders = world.rows("orders")
    assert orders[a["findings"][0]]["status"] == "cancelled"
    assert orders[c["findings"][0]]["status"] == "open"
    assert [o for o in orders.values() if o["status"] == "open"] == \
        [orders[c["findings"][0]]]


# -- follow-ups ---------------------------------------------------------------------------------

def test_a_follow_up_updates_the_orders_it_names(world):
    first = world.record("anong", findings=(("ww.running", "ก"), ("ww.meter", "ข"),
                                            ("ww.system", "ค")))
    world.review(first["id"], "approved")
    other = world.record("chai", world.f20)
    world.review(other["id"], "approved")
    elsewhere = world.record("boon", world.f10b)
    world.review(elsewhere["id"], "approved")
    corrected, not_corrected, reported = first["findings"]
    world.office_ok("orders", reported, {"status": "reported_done"})
    before = {**world.rows("orders")}
    answers = [(f"order:{corrected}", "corrected", "pass"),
               (f"order:{not_corrected}", "not_corrected", "fail"),
               (f"order:{reported}", "partly", "fail"),
               (f"order:{other['findings'][0]}", "corrected", "pass"),      # province 20
               (f"order:{elsewhere['findings'][0]}", "corrected", "pass"),  # another factory
               ("order:no-such-order", "corrected", "pass"),
               (f"order:{corrected}x", "corrected", "pass")]
    follow = world.record("boon", kind="follow_up", findings=(), photo_items=(),
                          answers=answers)
    orders = world.rows("orders")
    assert orders[corrected] == {**before[corrected], "status": "verified",
                                 "followup_result": "corrected",
                                 "followup_inspection_id": follow["id"],
                                 "followup_on": "2026-01-12"}
    assert (orders[not_corrected]["status"], orders[not_corrected]["followup_result"]) == \
        ("open", "not_corrected")
    # the factory said it was done; the follow-up found otherwise
    assert (orders[reported]["status"], orders[reported]["followup_result"]) == \
        ("open", "partly")
    for untouched in (other["findings"][0], elsewhere["findings"][0]):
        assert orders[untouched] == before[untouched]
    assert set(orders) == set(before)
    # The history says the result in words the office reads, not the code.
    with world.db.read() as c:
        note = c.value("SELECT note FROM order_history WHERE order_id = ? AND "
                       "inspection_id = ?", (not_corrected, follow["id"]))
    assert note == "ผลการตรวจติดตาม: ยังไม่แก้ไข (follow-up: not corrected)"


def test_an_orders_history_names_the_account_that_followed_it_up(world):
    """Not the name the follow-up carries: a laptop writes what it likes into
    ``created_by``, and the history must not say another inspector closed the order."""
    first = world.record("anong", findings=(("ww.running", "ก"),))
    world.review(first["id"], "approved")
    order = first["findings"][0]
    world.record("boon", kind="follow_up", findings=(), photo_items=(), created_by="anong",
                 answers=[(f"order:{order}", "corrected", "pass")])
    assert world.rows("orders")[order]["status"] == "verified"
    with world.db.read() as c:
        history = c.all("SELECT status, by_user FROM order_history WHERE order_id = ? "
                        "ORDER BY at", (order,))
    assert [(h["status"], h["by_user"]) for h in history] == [("open", "somsri"),
                                                              ("verified", "boon")]


def test_a_routine_inspection_with_order_answers_changes_no_order(world):
    first = world.record("anong")
    world.review(first["id"], "approved")
    before = world.rows("orders")
    world.record("anong", findings=(), photo_items=(),
                 answers=[(f"order:{first['findings'][0]}", "corrected", "pass")])
    assert world.rows("orders") == before


# -- derived writes happen once ---------------------------------------------------------------

def test_replaying_an_approval_derives_nothing_more(world):
    record = world.record("anong")
    op = world.op("admin", "reviews", record["id"], {"inspection_id": record["id"],
                                                     "state": "approved"})
    first = world.push("admin", [op])[0]
    assert first["outcome"] == P.APPLIED
    before = world.state()
    again = world.push("admin", [op, op])
    assert [a["outcome"] for a in again] == [P.DUPLICATE, P.DUPLICATE]
    assert world.state() == before


def test_replaying_a_follow_up_derives_nothing_more(world):
    first = world.record("anong")
    world.review(first["id"], "approved")
    order = first["findings"][0]
    follow = world.record("boon", kind="follow_up", findings=(), photo_items=(),
                          answers=[(f"order:{order}", "partly", "fail")])
    world.office_ok("orders", order, {"status": "escalated", "escalated_on": "2026-04-01"})
    before = world.state()
    acks = world.push("boon", follow["ops"])
    assert {a["outcome"] for a in acks} == {P.DUPLICATE}
    assert world.state() == before


def test_a_crash_in_the_derived_writes_rolls_back_the_whole_push(world, monkeypatch):
    first = world.record("anong")
    world.review(first["id"], "approved")
    order = first["findings"][0]
    follow = world.record("boon", kind="follow_up", findings=(), photo_items=(),
                          answers=[(f"order:{order}", "corrected", "pass")], finalize=False)
    finalize = [world.op("boon", "inspections", follow["id"], {
        "state": "finalized", "content_hash": "claimed",
        "finalized_at": "2026-01-12T03:00:00Z"})]
    real = push_module._apply_derived

    def crashing(conn, derived):
        real(conn, derived)   # every derived write made, then the power goes
        raise RuntimeError("injected: crash in the derived writes")

    monkeypatch.setattr(push_module, "_apply_derived", crashing)
    before = world.state()
    with pytest.raises(RuntimeError, match="injected"):
        world.push("boon", finalize)
    assert world.state() == before       # the finalize too: the laptop was not answered
    with world.db.read() as c:
        assert not c.value("SELECT count(*) FROM ops WHERE op_id = ?", (finalize[0].op_id,))
    monkeypatch.setattr(push_module, "_apply_derived", real)
    assert world.push("boon", finalize)[0]["outcome"] == P.APPLIED   # the laptop retries
    assert world.row("orders", order)["status"] == "verified"
    assert world.row("inspections", follow["id"])["state"] == "finalized"
