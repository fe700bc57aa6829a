"""Rows of the office's tables that a restore lost, given back by a laptop with the office's
seal (server/office_seals.py, server/sealed_copies.py; docs/sync-protocol.md, "Rows the
office lost"): taken only as this office sealed them, merged field by field with their own
clocks, and refused whole (nothing changed) when edited, moved to another row or table,
sealed by another office or of a table not restorable. On either backend."""

from __future__ import annotations

import copy
import gzip
import json
import time

import pytest
from office_loop_world import LoopWorld

from fieldapp.server import office_seals
from fieldapp.server.pull import pull, snapshot_lines
from fieldapp.server.records import clocks_of
from fieldapp.sync import protocol as P


@pytest.fixture
def world(server_db):
    return LoopWorld(server_db)


def _copies(world, name: str) -> dict[tuple[str, str], dict]:
    """What ``name``'s laptop keeps of each office row it pulled: ``{row, mac, [clocks]}``."""
    kept = {}
    for ch in world.walk(name, 0, 1000):
        if ch["t"] in P.OFFICE_TABLES and not ch.get("gone"):
            kept[(ch["t"], ch["row"]["id"])] = {"row": ch["row"], **ch["seal"]}
    return kept


def _stored(world, table: str, row_id: str) -> dict | None:
    """The row as the office stores it, less its change numbers (another history's)."""
    with world.db.read() as c:
        r = c.one("SELECT province, owner, data, fields, updated_hlc, device_id, deleted "
                  "FROM records WHERE tbl = ? AND id = ?", (table, row_id))
    if r is None:
        return None
    data = json.loads(r["data"])
    clocks = {k: v[:2] for k, v in clocks_of(data, r["fields"]).items()}
    return {"province": r["province"], "owner": r["owner"], "data": data, "clocks": clocks,
            "updated_hlc": r["updated_hlc"], "device_id": r["device_id"],
            "deleted": r["deleted"]}


def _lose(world, table: str, row_id: str) -> None:
    """What a restore from a backup taken before the row was made does to it."""
    with world.db.write() as c:
        c.run("DELETE FROM records WHERE tbl = ? AND id = ?", (table, row_id))


def _give_back(world, name: str, table: str, row_id: str, sealed: dict) -> dict:
    op = world.op(name, table, row_id, {})
    op.sealed = copy.deepcopy(sealed)
    return world.push(name, [op])[0]


def test_a_lost_complaint_and_plan_come_back_exactly(world):
    cid = world.complaint(world.f10, "anong")
    pid = world.plan("anong", complaint_id=cid)
    # The inspector marked the plan started: its fields have two clocks, two devices. In a
    # later millisecond than the office's write: clocks of one millisecond are ordered by
    # their device's name, and the office's could win (the test failed now and then).
    time.sleep(0.005)
    assert world.push_one("anong", "plans", pid, {"status": "started"})["outcome"] == "applied"
    world.office_ok("complaints", cid, {"description": "กลิ่นเหม็นมากตอนกลางคืน"})
    kept = _copies(world, "anong")
    assert "clocks" in kept[("plans", pid)]   # not one clock for all its fields
    before = {t: _stored(world, t, i) for t, i in (("complaints", cid), ("plans", pid))}
    _lose(world, "plans", pid)
    _lose(world, "complaints", cid)

    for table, rid in (("complaints", cid), ("plans", pid)):
        ack = _give_back(world, "anong", table, rid, kept[(table, rid)])
        assert ack["outcome"] == P.APPLIED, ack
        assert _stored(world, table, rid) == before[table]
    # The inspector pulls it again as it was, and a change of hers is taken again.
    assert ("plans", pid) in world.pulled("anong")
    assert world.push_one("anong", "plans", pid, {"status": "done"})["outcome"] == "applied"


def test_a_copy_changes_nothing_the_office_holds_newer_and_replays_are_harmless(world):
    cid = world.complaint(world.f10, "anong")
    old = _copies(world, "anong")[("complaints", cid)]
    world.office_ok("complaints", cid, {"status": "replied", "replied_on": "2026-01-20"})
    new = _copies(world, "anong")[("complaints", cid)]
    state = world.state()
    for sealed in (old, new):   # the office holds the newest already
        assert _give_back(world, "boon", "complaints", cid, sealed)["outcome"] == P.APPLIED
        assert world.state() == state   # not even a new change number
    _lose(world, "complaints", cid)
    assert _give_back(world, "anong", "complaints", cid, old)["outcome"] == P.APPLIED
    assert world.row("complaints", cid)["status"] == "assigned"
    assert _give_back(world, "anong", "complaints", cid, new)["outcome"] == P.APPLIED
    assert world.row("complaints", cid)["status"] == "replied"   # brought forward
    after = world.state()
    assert _give_back(world, "anong", "complaints", cid, old)["outcome"] == P.APPLIED
    assert world.state() == after
    # One operation id sent again is a duplicate, as any replay.
    op = world.op("anong", "complaints", cid, {})
    op.sealed = new
    first = world.push("anong", [op])[0]
    again = world.push("anong", [op])[0]
    assert (first["outcome"], again["outcome"]) == (P.APPLIED, P.DUPLICATE)
    assert world.state() == after


def _refused(world, name, table, rid, sealed) -> str:
    state = world.state()
    ack = _give_back(world, name, table, rid, sealed)
    assert ack["outcome"] == P.REJECTED, ack
    assert "retry" not in ack, ack   # refused for good: the laptop drops the copy
    assert world.state() == state
    return ack["reason"]


def test_an_edited_moved_or_foreign_copy_is_refused_and_changes_nothing(world, server_db):
    cid = world.complaint(world.f10, "anong")
    pid = world.plan("anong")
    other = world.plan("anong")
    kept = _copies(world, "anong")
    good = kept[("plans", pid)]
    _lose(world, "plans", pid)

    edited = copy.deepcopy(good)
    edited["row"]["assignee"] = world.uid("boon")
    assert "seal" in _refused(world, "anong", "plans", pid, edited)
    later = copy.deepcopy(good)
    later["row"]["updated_hlc"] = "9" + later["row"]["updated_hlc"][1:]
    _refused(world, "anong", "plans", pid, later)
    clocked = copy.deepcopy(good)
    clocked["clocks"] = {"*": ["2999999999999-0000-office", "office"]}
    _refused(world, "anong", "plans", pid, clocked)
    # Another plan's seal on this one's id, or this one's under another id.
    _refused(world, "anong", "plans", pid, kept[("plans", other)])
    moved = copy.deepcopy(kept[("plans", other)])
    moved["row"]["id"] = pid
    _refused(world, "anong", "plans", pid, moved)
    # A complaint's sealed copy offered as a plan (the same id in both tables).
    swapped = copy.deepcopy(kept[("complaints", cid)])
    swapped["row"]["id"] = pid
    _refused(world, "anong", "plans", pid, swapped)
    # Sealed by another office (another key), or not sealed at all.
    foreign = copy.deepcopy(good)
    foreign["mac"] = office_seals._mac(b"\x01" * 32, "plans", good["row"], good.get("clocks"))
    _refused(world, "anong", "plans", pid, foreign)
    for broken in ({"row": good["row"]}, {"row": good["row"], "mac": 7}, "seal", [],
                   {"row": "x", "mac": good["mac"]}):
        _refused(world, "anong", "plans", pid, broken)
    # Not a table a copy may bring back; not an upsert with an empty payload.
    oid = "o-1"
    _refused(world, "anong", "orders", oid, {"row": {"id": oid}, "mac": good["mac"]})
    op = world.op("anong", "plans", pid, {"note": "x"})
    op.sealed = good
    assert world.push("anong", [op])[0]["outcome"] == P.REJECTED
    # The good one still works after all that.
    assert _give_back(world, "anong", "plans", pid, good)["outcome"] == P.APPLIED


def test_another_inspectors_copy_is_taken_for_its_owner(world):
    """Sealed by this office, so authentic whoever sends it: placed as the office places
    it (anong's plan stays anong's), and the sender gains nothing to read."""
    pid = world.plan("anong")
    good = _copies(world, "anong")[("plans", pid)]
    _lose(world, "plans", pid)
    assert _give_back(world, "chai", "plans", pid, good)["outcome"] == P.APPLIED
    stored = _stored(world, "plans", pid)
    assert (stored["owner"], stored["province"]) == (world.uid("anong"), "10")
    assert ("plans", pid) in world.pulled("anong")
    assert ("plans", pid) not in world.pulled("chai")


def test_a_plan_whose_complaint_is_lost_waits_for_it(world):
    cid = world.complaint(None, "anong", province_code="10", place_name="ตลาด")
    pid = world.plan("anong", complaint_id=cid)
    # A plan names its complaint: refused while that is lost, taken once it is back.
    kept = _copies(world, "anong")
    _lose(world, "plans", pid)
    _lose(world, "complaints", cid)
    plan = world.op("anong", "plans", pid, {})
    plan.sealed = kept[("plans", pid)]
    state = world.state()
    [ack] = world.push("anong", [plan])
    # Refused for now, and said so: it may pass once the complaint is back. Not
    # remembered, so the same operation sent again is judged afresh, not a duplicate.
    assert (ack["outcome"], ack.get("retry")) == (P.REJECTED, True), ack
    assert "complaint" in ack["reason"] and world.state() == state
    assert _give_back(world, "anong", "complaints", cid,
                      kept[("complaints", cid)])["outcome"] == P.APPLIED
    assert world.push("anong", [plan])[0]["outcome"] == P.APPLIED


def test_a_complaint_and_its_plan_given_back_in_one_request_are_both_taken(world):
    cid = world.complaint(None, "anong", province_code="10", place_name="ตลาด")
    pid = world.plan("anong", complaint_id=cid)
    kept = _copies(world, "anong")
    _lose(world, "plans", pid)
    _lose(world, "complaints", cid)
    ops = []
    for table, rid in (("complaints", cid), ("plans", pid)):   # parents first
        op = world.op("anong", table, rid, {})
        op.sealed = kept[(table, rid)]
        ops.append(op)
    assert [a["outcome"] for a in world.push("anong", ops)] == [P.APPLIED, P.APPLIED]
    assert _stored(world, "plans", pid)["data"]["complaint_id"] == cid


def test_the_snapshot_seals_the_same_rows_as_a_page(world):
    cid = world.complaint(world.f10, "anong", district=None)
    pid = world.plan("anong")
    world.push_one("anong", "plans", pid, {"status": "started"})
    text = gzip.decompress(b"".join(snapshot_lines(world.db, world.who("anong"))))
    columns, found = None, {}
    table = None
    for line in map(json.loads, text.splitlines()):
        if isinstance(line, dict) and "table" in line:
            table, columns = line["table"], line["columns"]
        elif isinstance(line, list) and table in P.OFFICE_TABLES:
            assert columns[-1] == "seal"
            row = dict(zip(columns[:-1], line[:-1], strict=True))
            seal = line[-1]
            for name in seal.get("absent", ()):
                del row[name]
            found[(table, row["id"])] = {"row": row, "mac": seal["mac"],
                                         **({"clocks": seal["clocks"]} if "clocks" in seal
                                            else {})}
    paged = _copies(world, "anong")
    assert found == paged and set(found) == {("complaints", cid), ("plans", pid)}
    _lose(world, "plans", pid)
    assert _give_back(world, "anong", "plans", pid, found[("plans", pid)])["outcome"] == \
        P.APPLIED


def test_pages_carry_seals_on_office_rows_only(world):
    world.complaint(world.f10, "anong")
    page = pull(world.db, world.who("anong"), 0, 1000)
    for ch in page["changes"]:
        assert ("seal" in ch) == (ch["t"] in P.OFFICE_TABLES), ch["t"]
