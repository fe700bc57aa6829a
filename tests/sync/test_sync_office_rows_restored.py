"""The office's own rows made after its last backup, given back by a laptop through real
sync once the office is restored from that backup (store/office_copies.py,
server/sealed_copies.py; docs/sync-protocol.md, "Rows the office lost"): the complaint and
plan come back exactly as the office held them, and the inspector's change to the plan,
refused while the office lacked it, is taken."""

from __future__ import annotations

import json

import pytest
from server_fixtures import ADMIN
from test_sync_server_restore import Office, _factory, _laptops

from fieldapp.core.ids import uuid7
from fieldapp.server.office import write_fields
from fieldapp.store import office_copies
from fieldapp.store.changes import save_row
from fieldapp.store.office_copies import GIVE_BACK
from fieldapp.store.sync_state import get_state, pending_count, rejected_changes


@pytest.fixture
def office(tmp_path):
    office = Office(tmp_path)
    yield office
    office.db.close()


def _office_row(db, table: str, row_id: str) -> dict | None:
    """The row as the office holds it, less change numbers (its own history's)."""
    with db.read() as c:
        r = c.one("SELECT province, owner, data, fields, updated_hlc, device_id, deleted "
                  "FROM records WHERE tbl = ? AND id = ?", (table, row_id))
    if r is None:
        return None
    fields = json.loads(r["fields"])
    return {**r, "data": json.loads(r["data"]),
            "fields": {k: v[:2] for k, v in fields.items()}}


def _uid(db, name: str) -> str:
    with db.read() as c:
        return c.value("SELECT id FROM users WHERE username = ?", (name,))


def _office_made(office, factory: str) -> tuple[str, str]:
    anong = _uid(office.db, "anong")
    cid, pid = uuid7(), uuid7()
    for table, rid, fields in (
            ("complaints", cid, {"received_on": "2026-11-30", "channel": "line",
                                 "factory_id": factory, "problem_types": "odour",
                                 "description": "กลิ่นเหม็นจากปล่อง", "status": "assigned",
                                 "assignee": anong, "due_on": "2026-12-15"}),
            ("plans", pid, {"factory_id": factory, "template_key": "env-complaint",
                            "kind": "complaint", "planned_on": "2026-12-08",
                            "assignee": anong, "assignee_name": "อนงค์",
                            "complaint_id": cid, "status": "planned"})):
        assert write_fields(office.db, ADMIN, table, rid, fields)["outcome"] == "applied"
    return cid, pid


@pytest.mark.parametrize("started", ["synced-before-restore", "pending-at-restore"])
def test_office_rows_lost_by_a_restore_come_back_from_the_laptop(office, tmp_path, started):
    (a, b) = _laptops(office, tmp_path, "anong", "anong")
    try:
        assert a.sync().ok
        factory = _factory(a.store)
        office.backup()
        cid, pid = _office_made(office, factory)
        # A pulls them page by page; B takes its first snapshot only now (sealed there too).
        assert a.sync().ok and b.sync().ok
        for laptop in (a, b):
            kept = {r["tbl"] for r in laptop.store.query("SELECT tbl FROM office_copies")}
            assert kept == {"complaints", "plans"}
        save_row(a.store, "plans", {"id": pid, "status": "started"})
        if started == "synced-before-restore":
            assert a.sync().ok and pending_count(a.store) == 0
        held = {t: _office_row(office.db, t, i) for t, i in (("complaints", cid),
                                                                 ("plans", pid))}
        office.restore((a, b), announce=True)
        assert _office_row(office.db, "plans", pid) is None

        summary = a.sync()
        assert summary.ok, summary.errors
        assert not rejected_changes(a.store) and pending_count(a.store) == 0
        assert get_state(a.store, GIVE_BACK) is None
        assert _office_row(office.db, "complaints", cid) == held["complaints"]
        plan = _office_row(office.db, "plans", pid)
        if started == "synced-before-restore":
            assert plan == held["plans"]          # exactly, the laptop's change with it
        else:
            assert plan["data"] == {**held["plans"]["data"], "status": "started"}
        assert plan["owner"] == _uid(office.db, "anong")
        # B gives back the same copies: nothing changes; everyone converges.
        state = {t: _office_row(office.db, t, i) for t, i in (("complaints", cid),
                                                                  ("plans", pid))}
        assert b.sync().ok and a.sync().ok
        assert {t: _office_row(office.db, t, i) for t, i in (("complaints", cid),
                                                                 ("plans", pid))} == state
        for laptop in (a, b):
            row = laptop.store.query("SELECT status, deleted FROM plans WHERE id = ?", (pid,))
            assert row == [{"status": "started", "deleted": 0}]
            assert laptop.store.query("SELECT description FROM complaints WHERE id = ?",
                                      (cid,))[0]["description"] == "กลิ่นเหม็นจากปล่อง"
        again = a.sync()
        assert again.ok and again.resent == 0 and again.pushed == 0
    finally:
        a.close()
        b.close()


def test_a_plan_whose_complaint_another_laptop_holds_waits_for_it(office, tmp_path):
    """anong holds the plan, boon the complaint it names (assigned to each). After the
    restore anong's laptop gives back the plan first: refused for now (the office lacks
    its complaint), so the laptop keeps it to give back, once a sync, with no loop within
    one, and gives it back after boon's laptop brought the complaint."""
    (a, b) = _laptops(office, tmp_path, "anong", "boon")
    try:
        assert a.sync().ok and b.sync().ok
        factory = _factory(a.store)
        office.backup()
        boon, anong = _uid(office.db, "boon"), _uid(office.db, "anong")
        cid, pid = uuid7(), uuid7()
        assert write_fields(office.db, ADMIN, "complaints", cid, {
            "received_on": "2026-11-30", "channel": "line", "factory_id": factory,
            "problem_types": "odour", "description": "น้ำเสียลงคลอง", "status": "assigned",
            "assignee": boon})["outcome"] == "applied"
        assert write_fields(office.db, ADMIN, "plans", pid, {
            "factory_id": factory, "template_key": "env-complaint", "kind": "complaint",
            "planned_on": "2026-12-08", "assignee": anong, "complaint_id": cid,
            "status": "planned"})["outcome"] == "applied"
        assert a.sync().ok and b.sync().ok
        kept = {r["tbl"] for r in a.store.query("SELECT tbl FROM office_copies")}
        assert kept == {"plans"}
        held = _office_row(office.db, "plans", pid)
        office.restore((a, b), announce=True)

        for _ in range(2):
            before = a.client.requests
            summary = a.sync()
            assert summary.ok, summary.errors
            assert a.client.requests - before < 10   # one give-back, not a loop
            assert _office_row(office.db, "plans", pid) is None
            assert get_state(a.store, GIVE_BACK) is not None
        assert b.sync().ok and _office_row(office.db, "complaints", cid) is not None
        assert get_state(b.store, GIVE_BACK) is None
        assert a.sync().ok
        assert _office_row(office.db, "plans", pid) == held
        assert get_state(a.store, GIVE_BACK) is None
        assert a.store.query("SELECT deleted FROM plans WHERE id = ?", (pid,)) == \
            [{"deleted": 0}]
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("started", ["synced-before-restore", "pending-at-restore"])
def test_the_inspectors_change_to_a_plan_still_lost_waits_for_it(office, tmp_path, started):
    """anong started a plan whose complaint only boon's laptop holds. After the restore
    the office lacks the plan until boon's laptop brought the complaint back, and refuses
    her change meanwhile, at every sync; the change stays pending (under a new op id each
    time: the office remembers its answer to the old one) instead of being refused for
    good, and is taken once the plan is back. Nothing is shown as rejected meanwhile."""
    (a, b) = _laptops(office, tmp_path, "anong", "boon")
    try:
        assert a.sync().ok and b.sync().ok
        factory = _factory(a.store)
        office.backup()
        boon, anong = _uid(office.db, "boon"), _uid(office.db, "anong")
        cid, pid = uuid7(), uuid7()
        assert write_fields(office.db, ADMIN, "complaints", cid, {
            "received_on": "2026-11-30", "channel": "line", "factory_id": factory,
            "problem_types": "odour", "description": "น้ำเสียลงคลอง", "status": "assigned",
            "assignee": boon})["outcome"] == "applied"
        assert write_fields(office.db, ADMIN, "plans", pid, {
            "factory_id": factory, "template_key": "env-complaint", "kind": "complaint",
            "planned_on": "2026-12-08", "assignee": anong, "complaint_id": cid,
            "status": "planned"})["outcome"] == "applied"
        assert a.sync().ok and b.sync().ok
        save_row(a.store, "plans", {"id": pid, "status": "started"})
        if started == "synced-before-restore":
            assert a.sync().ok and pending_count(a.store) == 0
        office.restore((a, b), announce=True)
        for _ in range(3):   # the plan is still lost: the change waits, pending
            before = a.client.requests
            summary = a.sync()   # the first finds the restore
            assert summary.ok, summary.errors
            assert a.client.requests - before < 12   # no loop within one sync
            assert summary.rejected == 0 and summary.pushed == 0
            assert _office_row(office.db, "plans", pid) is None
            assert not rejected_changes(a.store) and pending_count(a.store) == 1
        assert b.sync().ok and _office_row(office.db, "complaints", cid) is not None
        summary = a.sync()
        assert summary.ok, summary.errors
        assert summary.pushed == 1 and summary.rejected == 0
        assert not rejected_changes(a.store) and pending_count(a.store) == 0
        assert get_state(a.store, GIVE_BACK) is None
        plan = _office_row(office.db, "plans", pid)
        assert plan["data"]["status"] == "started" and plan["owner"] == anong
        assert b.sync().ok and a.sync().ok
        assert a.store.query("SELECT status, deleted FROM plans WHERE id = ?", (pid,)) == \
            [{"status": "started", "deleted": 0}]
    finally:
        a.close()
        b.close()


def test_the_change_waits_only_as_long_as_the_plan_is_given_back(office, tmp_path,
                                                                   monkeypatch):
    """Bounded as the give-back is: once the plan's copy has no try left (its complaint
    never came back), the office's refusal of the inspector's change stands."""
    monkeypatch.setattr(office_copies, "TRIES", 2)
    (a, b) = _laptops(office, tmp_path, "anong", "boon")
    try:
        assert a.sync().ok and b.sync().ok
        factory = _factory(a.store)
        office.backup()
        anong = _uid(office.db, "anong")
        cid, pid = uuid7(), uuid7()
        assert write_fields(office.db, ADMIN, "complaints", cid, {
            "received_on": "2026-11-30", "channel": "line", "factory_id": factory,
            "problem_types": "odour", "description": "น้ำเสียลงคลอง", "status": "assigned",
            "assignee": _uid(office.db, "boon")})["outcome"] == "applied"
        assert write_fields(office.db, ADMIN, "plans", pid, {
            "factory_id": factory, "template_key": "env-complaint", "kind": "complaint",
            "planned_on": "2026-12-08", "assignee": anong, "complaint_id": cid,
            "status": "planned"})["outcome"] == "applied"
        assert a.sync().ok
        save_row(a.store, "plans", {"id": pid, "status": "started"})
        office.restore((a, b), announce=True)
        summary = a.sync()   # finds the restore: one try of the plan's give-back
        assert summary.ok and summary.rejected == 0 and pending_count(a.store) == 1
        summary = a.sync()   # its last try: the refusal stands
        assert summary.ok and summary.rejected == 1 and pending_count(a.store) == 0
        [refused] = rejected_changes(a.store)
        assert refused["row_id"] == pid and "has no plans row" in refused["reason"]
        assert get_state(a.store, GIVE_BACK) is None
        summary = a.sync()
        assert summary.ok and summary.pushed == summary.rejected == 0
    finally:
        a.close()
        b.close()
