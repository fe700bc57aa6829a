"""The office's loop through real sync: a record approved at the office issues its orders,
which reach every inspector of the province with their photos; a follow-up planned for
another inspector is finalized on their laptop and verifies the order at the office; an
approved record takes no amendment until it is reopened."""

from __future__ import annotations

import pytest
from server_fixtures import (
    ADMIN,
    FACTORIES,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)

from fieldapp.core.ids import uuid7
from fieldapp.server.auth import grant_province
from fieldapp.server.loop.plans import create_plans
from fieldapp.server.office import write_fields
from fieldapp.server.records import Record
from fieldapp.store import inspections as insp
from fieldapp.store import signing
from fieldapp.store.blobs import read_blob
from fieldapp.store.changes import save_row
from fieldapp.store.office_loop import my_plan
from fieldapp.store.sync_state import rejected_changes
from fieldapp.store.templates import get_template, latest_published

PHOTO = b"\xff\xd8 the leaking drum " * 500


def _server_row(db, table: str, row_id: str) -> Record | None:
    with db.read() as c:
        row = c.one("SELECT * FROM records WHERE tbl = ? AND id = ?", (table, row_id))
    return Record.from_row(row) if row else None


def _finalized_with_order(store, factory_id: str) -> tuple[str, str]:
    """A finalized record with one finding that orders a correction (photo on its item)."""
    tpl = latest_published(store, "env-general")
    record = insp.create_inspection(store, factory_id=factory_id,
                                    template_version_id=tpl.version_id, created_by="anong")
    template = get_template(store, tpl.version_id)
    item = next(iter(template.items))
    for item_id in template.items:
        insp.set_answer(store, record["id"], item_id, result="not_checked")
    insp.add_participant(store, record["id"], role="representative", name="คุณผู้จัดการ")
    finding = insp.add_finding(store, record["id"], item_id=item,
                               description="ถังสารเคมีรั่วซึม", legal_basis="มาตรา 37",
                               order_text="ซ่อมแซมถังและจัดทำคันกั้น", deadline="2027-01-15")
    insp.add_attachment(store, record["id"], PHOTO, caption="ถังรั่ว", item_id=item)
    for name, role in (("อนงค์", "inspector"), ("คุณผู้จัดการ", "representative")):
        signing.sign(store, record["id"], signer_name=name, signer_role=role,
                     image_png=b"\x89PNG" + name.encode() * 40)
    signing.finalize(store, record["id"])
    return record["id"], finding["id"]


def _review(db, inspection_id: str, state: str, comment: str | None = None) -> dict:
    return write_fields(db, ADMIN, "reviews", inspection_id, {
        "inspection_id": inspection_id, "state": state, "comment": comment,
        "reviewer": "somchai", "reviewed_at": "2026-12-05T09:00:00.000Z"})


def test_approval_issues_orders_and_a_follow_up_verifies_them(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    anong = Laptop(tmp_path / "anong.db", inproc_client(app), "anong")
    boon = Laptop(tmp_path / "boon.db", inproc_client(app), "boon")
    chai = Laptop(tmp_path / "chai.db", inproc_client(app), "chai")
    try:
        assert anong.sync().ok and boon.sync().ok and chai.sync().ok
        factory = anong.store.query("SELECT id FROM factories WHERE province_code = '10' "
                                    "ORDER BY fid LIMIT 1")[0]["id"]
        record_id, finding_id = _finalized_with_order(anong.store, factory)
        assert anong.sync().ok
        # Finalized, not yet approved: no order exists anywhere.
        assert _server_row(server_db, "orders", finding_id) is None

        assert _review(server_db, record_id, "approved")["outcome"] == "applied"
        order = _server_row(server_db, "orders", finding_id)
        assert order.data["status"] == "open" and order.data["responsible"] == "คุณผู้จัดการ"
        assert order.data["order_text"] == "ซ่อมแซมถังและจัดทำคันกั้น"
        assert order.data["issued_on"] and order.province == "10"

        # A follow-up for boon (another inspector of the province).
        boon_id = server_db_user(server_db, "boon")
        [plan_id] = create_plans(server_db, ADMIN, [factory], assignee_id=boon_id,
                                 planned_on="2027-01-20", kind="follow_up",
                                 order_ids=[finding_id])
        assert boon.sync().ok and anong.sync().ok and chai.sync().ok
        # Orders reach every inspector of the province, with the finding's photo bytes;
        # the review only the record's owner; the plan only its assignee.
        [photo] = boon.store.query("SELECT sha256 FROM order_photos WHERE order_id = ?",
                                   (finding_id,))
        assert read_blob(boon.store.blob_dir, photo["sha256"]) == PHOTO
        assert boon.store.query("SELECT id FROM plans") == [{"id": plan_id}]
        assert anong.store.query("SELECT state FROM reviews") == [{"state": "approved"}]
        assert boon.store.query("SELECT id FROM reviews") == []
        assert anong.store.query("SELECT id FROM plans") == []
        assert chai.store.query("SELECT id FROM orders") == []   # another province

        # boon's follow-up: the order is corrected.
        tpl = latest_published(boon.store, "follow-up")
        follow = insp.create_inspection(boon.store, factory_id=factory, kind="follow_up",
                                        template_version_id=tpl.version_id, created_by="boon")
        save_row(boon.store, "plans", {"id": plan_id, "status": "started",
                                       "inspection_id": follow["id"]})
        save_row(boon.store, "answers", {"id": uuid7(), "inspection_id": follow["id"],
                                         "item_id": f"order:{finding_id}", "result": "pass",
                                         "value": "corrected", "note": "ซ่อมแล้ว"})
        for item_id in get_template(boon.store, tpl.version_id).items:
            insp.set_answer(boon.store, follow["id"], item_id, result="not_checked")
        for name, role in (("บุญ", "inspector"), ("คุณผู้จัดการ", "representative")):
            signing.sign(boon.store, follow["id"], signer_name=name, signer_role=role,
                         image_png=b"\x89PNG" + name.encode() * 40)
        signing.finalize(boon.store, follow["id"])
        save_row(boon.store, "plans", {"id": plan_id, "status": "done"})
        summary = boon.sync()
        assert summary.ok and summary.rejected == 0, (summary.errors,
                                                       rejected_changes(boon.store))
        order = _server_row(server_db, "orders", finding_id)
        assert order.data["status"] == "verified"
        assert order.data["followup_result"] == "corrected"
        assert order.data["followup_inspection_id"] == follow["id"]
        assert _server_row(server_db, "plans", plan_id).data["status"] == "done"
        with server_db.read() as c:
            history = [r["status"] for r in c.all(
                "SELECT status FROM order_history WHERE order_id = ? ORDER BY at, id",
                (finding_id,))]
        assert history == ["open", "verified"]
        assert anong.sync().ok
        assert anong.store.query("SELECT status FROM orders WHERE id = ?", (finding_id,)) == \
            [{"status": "verified"}]
    finally:
        for laptop in (anong, boon, chai):
            laptop.close()


def server_db_user(db, username: str) -> str:
    with db.read() as c:
        return c.value("SELECT id FROM users WHERE username = ?", (username,))


def _synced_laptop(server_db, tmp_path) -> tuple[Laptop, str]:
    """anong's laptop after a first sync with an office of users and factories, and a
    factory of her province: ``(laptop, factory id)``."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    anong = Laptop(tmp_path / "anong.db", inproc_client(make_app(server_db)), "anong")
    assert anong.sync().ok
    factory = anong.store.query("SELECT id FROM factories WHERE province_code = '10' "
                                "ORDER BY fid LIMIT 1")[0]["id"]
    return anong, factory


@pytest.fixture
def synced_record(server_db, tmp_path):
    """anong's laptop with one finalized record that orders a correction, synced:
    ``(laptop, factory id, record id, finding id)``."""
    anong, factory = _synced_laptop(server_db, tmp_path)
    try:
        record_id, finding_id = _finalized_with_order(anong.store, factory)
        assert anong.sync().ok
        yield anong, factory, record_id, finding_id
    finally:
        anong.close()


def test_an_approved_record_takes_an_amendment_only_after_reopening(server_db, synced_record):
    anong, factory, record_id, _ = synced_record
    assert _review(server_db, record_id, "approved")["outcome"] == "applied"
    tpl = latest_published(anong.store, "env-general")
    amendment = insp.create_inspection(anong.store, factory_id=factory,
                                       template_version_id=tpl.version_id,
                                       amends_id=record_id, created_by="anong")
    summary = anong.sync()
    refused = rejected_changes(anong.store)
    assert summary.rejected >= 1 and any("approved" in r["reason"] for r in refused)
    assert _server_row(server_db, "inspections", amendment["id"]) is None

    assert _review(server_db, record_id, "reopened")["outcome"] == "applied"
    second = insp.create_inspection(anong.store, factory_id=factory,
                                    template_version_id=tpl.version_id,
                                    amends_id=record_id, created_by="anong")
    assert anong.sync().ok
    assert _server_row(server_db, "inspections", second["id"]) is not None


def test_laptops_cannot_write_the_offices_rows(server_db, synced_record):
    anong, factory, record_id, finding_id = synced_record
    # The inspector approves their own record and issues an order: both refused.
    save_row(anong.store, "reviews", {"id": record_id, "inspection_id": record_id,
                                      "state": "approved"})
    save_row(anong.store, "orders", {"id": finding_id, "inspection_id": record_id,
                                     "factory_id": factory, "order_text": "x",
                                     "status": "verified"})
    summary = anong.sync()
    assert summary.rejected == 2
    assert _server_row(server_db, "reviews", record_id) is None
    assert _server_row(server_db, "orders", finding_id) is None


def test_a_plan_reassigned_while_away_leaves_the_old_laptop(server_db, tmp_path):
    """The office gives anong's plan to boon while anong is in a factory and has marked it
    started: her next sync is told her change was refused and the plan leaves her list;
    boon's laptop lists it. Given back, it returns to her list."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    anong = Laptop(tmp_path / "anong.db", inproc_client(app), "anong")
    boon = Laptop(tmp_path / "boon.db", inproc_client(app), "boon")
    try:
        assert anong.sync().ok and boon.sync().ok
        factory = anong.store.query("SELECT id FROM factories WHERE province_code = '10' "
                                    "ORDER BY fid LIMIT 1")[0]["id"]
        [plan_id] = create_plans(server_db, ADMIN, [factory],
                                 assignee_id=server_db_user(server_db, "anong"),
                                 planned_on="2027-01-20")
        assert anong.sync().ok
        assert [p["id"] for p in my_plan(anong.store)] == [plan_id]

        save_row(anong.store, "plans", {"id": plan_id, "status": "started"})  # offline
        boon_id = server_db_user(server_db, "boon")
        assert write_fields(server_db, ADMIN, "plans", plan_id,
                            {"assignee": boon_id})["outcome"] == "applied"
        summary = anong.sync()
        assert summary.rejected == 1
        assert [r["row_id"] for r in rejected_changes(anong.store)] == [plan_id]
        assert my_plan(anong.store) == []
        assert boon.sync().ok
        assert [p["id"] for p in my_plan(boon.store)] == [plan_id]

        assert write_fields(server_db, ADMIN, "plans", plan_id, {
            "assignee": server_db_user(server_db, "anong")})["outcome"] == "applied"
        assert anong.sync().ok and boon.sync().ok
        assert [p["id"] for p in my_plan(anong.store)] == [plan_id]
        assert my_plan(boon.store) == []
    finally:
        anong.close()
        boon.close()


def test_a_plan_reassigned_before_a_new_snapshot_leaves_the_old_laptop(server_db, tmp_path):
    """anong is granted another province while her plan goes to boon: her next sync takes
    a new snapshot, whose cursor lies past the plan's tombstone; the snapshot not listing
    the plan takes it off her list all the same."""
    anong, factory = _synced_laptop(server_db, tmp_path)
    try:
        anong_id = server_db_user(server_db, "anong")
        # Two plans of one factory (a routine one and a complaint's: a second routine one
        # would be refused as planned already).
        given, kept = (create_plans(server_db, ADMIN, [factory], assignee_id=anong_id,
                                    planned_on=day, kind=kind)[0]
                       for day, kind in (("2027-01-20", "routine"), ("2027-01-21", "complaint")))
        assert anong.sync().ok
        assert {p["id"] for p in my_plan(anong.store)} == {given, kept}

        assert write_fields(server_db, ADMIN, "plans", given, {
            "assignee": server_db_user(server_db, "boon")})["outcome"] == "applied"
        grant_province(server_db, "anong", "20")
        assert anong.sync().ok
        assert anong.store.query("SELECT count(*) AS n FROM factories "
                                 "WHERE province_code = '20'")[0]["n"] > 0  # a new snapshot
        assert [p["id"] for p in my_plan(anong.store)] == [kept]
    finally:
        anong.close()


def test_a_laptop_behind_pruned_notes_takes_a_new_snapshot_and_drops_the_row(server_db,
                                                                              tmp_path):
    """The office pruned the note that anong's plan went to boon (server/scope_exits.py)
    before her laptop synced again: her pull is answered with ``rescope``, the new
    snapshot does not list the plan, and it leaves her list and her sealed copies; her
    other plan stays, and the next sync pulls pages as usual."""
    from fieldapp.core.hlc import HybridClock, wall_of
    from fieldapp.server import scope_exits

    anong, factory = _synced_laptop(server_db, tmp_path)
    try:
        anong_id = server_db_user(server_db, "anong")
        given, kept = (create_plans(server_db, ADMIN, [factory], assignee_id=anong_id,
                                    planned_on=day, kind=kind)[0]
                       for day, kind in (("2027-01-20", "routine"), ("2027-01-21", "complaint")))
        assert anong.sync().ok
        assert write_fields(server_db, ADMIN, "plans", given, {
            "assignee": server_db_user(server_db, "boon")})["outcome"] == "applied"
        later = wall_of(HybridClock("office").now()) + 91 * 86_400_000
        assert scope_exits.prune(server_db, now_ms=later) == 1
        with server_db.read() as c:
            assert c.value("SELECT count(*) FROM scope_exits") == 0

        summary = anong.sync()
        assert summary.ok, summary.errors
        assert [p["id"] for p in my_plan(anong.store)] == [kept]
        assert anong.store.query("SELECT id FROM office_copies WHERE tbl = 'plans'") == \
            [{"id": kept}]
        requests = anong.client.requests
        again = anong.sync()
        assert again.ok and again.pulled == 0
        assert anong.client.requests - requests == 1   # an idle sync: one empty page
    finally:
        anong.close()
