"""Work that leaves an inspector's scope (docs/sync-protocol.md, "Rows that leave an
inspector's scope"): a complaint or plan re-assigned away reaches the old inspector's pull as
a tombstone, merged with their rows by change sequence; a re-assignment that lost the merge
moves nothing. On either backend (office_loop_world)."""

from __future__ import annotations

import pytest
from office_loop_world import LoopWorld

from fieldapp.core.hlc import HybridClock, wall_of
from fieldapp.core.ids import uuid7
from fieldapp.server.push import Op
from fieldapp.sync import protocol as P


@pytest.fixture
def world(server_db):
    return LoopWorld(server_db)


def _held(changes: list[dict]) -> dict[tuple[str, str], bool]:
    """What a laptop holds after applying ``changes`` in order: (table, id) -> listed."""
    held: dict[tuple[str, str], bool] = {}
    for ch in changes:
        held[(ch["t"], ch["row"]["id"])] = not ch.get("gone") and not ch["row"]["deleted"]
    return held


def test_work_reassigned_away_leaves_the_old_inspectors_laptop(world):
    cid = world.complaint(world.f10, "anong")
    data = b"the complainant's photo"
    sha = world.blob("admin", data)
    fid = uuid7()
    world.office_ok("complaint_files", fid, {"complaint_id": cid, **world.blob_row(sha, data)})
    plan = world.plan("anong")
    kept = world.plan("anong")
    cursor = world.head()  # anong's laptop has all of it
    world.office_ok("complaints", cid, {"assignee": world.uid("boon")})
    world.office_ok("plans", plan, {"assignee": world.uid("boon")})

    changes = world.walk("anong", cursor, 1000)
    gone = {(ch["t"], ch["row"]["id"]): ch for ch in changes if ch.get("gone")}
    assert set(gone) == {("complaints", cid), ("complaint_files", fid), ("plans", plan)}
    assert len(changes) == 3  # nothing else: the rows as they are now are boon's
    for ch in gone.values():
        # A tombstone only: nothing of what the row holds now reaches anong.
        assert ch["row"]["deleted"] == 1
        assert set(ch["row"]) == {"id", "deleted", "updated_hlc", "device_id"}
    assert {("complaints", cid), ("complaint_files", fid), ("plans", plan)} <= \
        world.pulled("boon")
    assert ("plans", kept) in world.pulled("anong")
    for name in ("boon", "somsri", "admin"):  # their scope lost nothing
        assert not any(ch.get("gone") for ch in world.walk(name, cursor, 1000)), name

    # Back to anong: from the same cursor she gets the rows themselves, no tombstone of
    # them; and a laptop that took the tombstones gets the rows after them.
    world.office_ok("complaints", cid, {"assignee": world.uid("anong")})
    again = world.walk("anong", cursor, 1000)
    assert _held(again) == {("complaints", cid): True, ("complaint_files", fid): True,
                            ("plans", plan): False}
    assert not [ch for ch in again if ch.get("gone") and ch["t"] != "plans"]
    after = world.walk("anong", max(ch["seq"] for ch in changes), 1000)
    assert _held(after) == {("complaints", cid): True, ("complaint_files", fid): True}


def _racing_clocks() -> tuple[str, str]:
    """Two office clocks a minute apart, the newer a second ahead of every write so far
    (one in the same millisecond as the plan's creation could lose to it)."""
    wall = wall_of(HybridClock("office").now())
    return f"{wall + 1_000:013d}-0000-office", f"{wall - 60_000:013d}-0000-office"


def test_an_assignee_that_lost_the_merge_takes_nothing_from_the_winner(world):
    """Two office edits racing: the re-assignment with the older clock loses the merge.
    The plan stays the newer assignee's, in what it holds and whose it is; only the
    inspector it left is told."""
    plan = world.plan("anong")
    cursor = world.head()
    newer, older = _racing_clocks()
    acks = world.push("admin", [
        Op(uuid7(), "plans", plan, "upsert", {"assignee": world.uid("boon")}, newer),
        Op(uuid7(), "plans", plan, "upsert", {"assignee": world.uid("anong")}, older)])
    assert [a["outcome"] for a in acks] == [P.APPLIED, P.APPLIED]
    assert world.row("plans", plan)["assignee"] == world.uid("boon")
    assert ("plans", plan) in world.pulled("boon")
    assert ("plans", plan) not in world.pulled("anong")
    assert not any(ch.get("gone") for ch in world.walk("boon", cursor, 1000))
    assert [ch["row"]["id"] for ch in world.walk("anong", cursor, 1000)
            if ch.get("gone")] == [plan]


def test_a_factory_that_lost_the_merge_does_not_place_the_plan(world):
    """The same race over the plan's factory: the plan stays in the province of the
    factory it holds, readable by its assignee there."""
    plan = world.plan("anong")
    newer, older = _racing_clocks()
    acks = world.push("admin", [
        Op(uuid7(), "plans", plan, "upsert", {"factory_id": world.f20,
                                               "assignee": world.uid("chai")}, newer),
        Op(uuid7(), "plans", plan, "upsert", {"factory_id": world.f10}, older)])
    assert [a["outcome"] for a in acks] == [P.APPLIED, P.APPLIED], acks
    with world.db.read() as c:
        placed = c.one("SELECT province, owner FROM records WHERE tbl = 'plans' AND id = ?",
                       (plan,))
    assert (placed["province"], placed["owner"]) == ("20", world.uid("chai"))
    assert world.row("plans", plan)["factory_id"] == world.f20
    assert ("plans", plan) in world.pulled("chai")


@pytest.mark.parametrize("limit", [1, 2, 3, 1000])
def test_pages_of_any_size_leave_a_laptop_holding_the_same(world, limit):
    """Tombstones and rows merged by change sequence: walking in small pages ends where one
    large page does, whatever lands on a page's edge."""
    cursor = world.head()
    plans = [world.plan("anong") for _ in range(3)]
    cid = world.complaint(world.f10, "anong")
    for n, plan in enumerate(plans):
        world.office_ok("plans", plan, {"assignee": world.uid("boon" if n % 2 else "anong"),
                                        "note": f"round {n}"})
        world.office_ok("plans", plan, {"assignee": world.uid("boon")})
    world.office_ok("complaints", cid, {"assignee": world.uid("boon")})
    world.office_ok("complaints", cid, {"assignee": world.uid("anong")})
    world.office_ok("plans", plans[1], {"assignee": world.uid("anong")})
    changes = world.walk("anong", cursor, limit)
    seqs = [ch["seq"] for ch in changes]
    assert _held(changes) == {("plans", plans[0]): False, ("plans", plans[1]): True,
                              ("plans", plans[2]): False, ("complaints", cid): True}
    assert seqs == sorted(seqs)
    assert max(seqs) == world.head()


def test_pruned_notes_send_a_laptop_behind_them_to_a_new_snapshot(world):
    """Notes past their retention are pruned (server/scope_exits.py). A laptop whose cursor
    is below the highest pruned may have missed a tombstone: its pull says ``rescope``
    with no rows, and the snapshot it takes then no longer lists the row. A laptop past
    it, and supervisors and administrators, pull as before."""
    from fieldapp.server import scope_exits
    from fieldapp.server.pull import pull

    old_plan, new_plan, kept = world.plan("anong"), world.plan("anong"), world.plan("anong")
    behind = world.head()
    world.office_ok("plans", old_plan, {"assignee": world.uid("boon")})
    moved_old = world.head()
    later = wall_of(HybridClock("office").now()) + 10 * 86_400_000
    assert scope_exits.prune(world.db, 30, now_ms=later) == 0   # nothing that old yet
    world.office_ok("plans", new_plan, {"assignee": world.uid("boon")})
    between = world.head()
    with world.db.write() as c:   # the first re-assignment was made 100 days ago
        c.run("UPDATE scope_exits SET updated_hlc = ? WHERE row_id = ?",
              (f"{later - 100 * 86_400_000:013d}-0000-office", old_plan))
    assert scope_exits.prune(world.db, 30, now_ms=later) == 1
    with world.db.read() as c:
        assert scope_exits.horizon(c) == moved_old
        assert [r["row_id"] for r in c.all("SELECT row_id FROM scope_exits")] == [new_plan]

    page = pull(world.db, world.who("anong"), behind, 1000, rescope_ok=True)
    assert page["rescope"] is True and page["changes"] == [] and not page["more"]
    assert page["cursor"] == behind and page["scope"] == "10"
    assert ("plans", old_plan) not in world.snapped("anong")
    assert ("plans", kept) in world.snapped("anong")
    # Past the horizon: the pages as before, the note not pruned among them.
    changes = world.walk("anong", moved_old, 1000)
    assert [(ch["row"]["id"], ch.get("gone")) for ch in changes] == [(new_plan, True)]
    assert "rescope" not in pull(world.db, world.who("anong"), between, 1000, rescope_ok=True)
    # The horizon is one for all: any inspector's laptop that far behind (months without
    # a sync) takes a new snapshot; supervisors and administrators lose no rows this way.
    assert pull(world.db, world.who("boon"), behind, 1000, rescope_ok=True)["rescope"] is True
    for name in ("somsri", "admin"):
        assert "rescope" not in pull(world.db, world.who(name), behind, 1000,
                                     rescope_ok=True), name


def test_a_laptop_that_does_not_know_rescope_is_not_cut_off(world):
    """A laptop from before pruning ignores ``rescope``: answered with no rows and its own
    cursor, it would never move on, missing every later change. Without ``rescope=1`` on
    its pull it gets its pages as before (a pruned note is the only thing it misses)."""
    from fieldapp.server import scope_exits
    from fieldapp.server.pull import pull

    moved, later_plan = world.plan("anong"), None
    behind = world.head()
    world.office_ok("plans", moved, {"assignee": world.uid("boon")})
    now = wall_of(HybridClock("office").now()) + 100 * 86_400_000
    assert scope_exits.prune(world.db, 30, now_ms=now) == 1
    later_plan = world.plan("anong")
    old = pull(world.db, world.who("anong"), behind, 1000, rescope_ok=False)
    assert "rescope" not in old
    assert [ch["row"]["id"] for ch in old["changes"]] == [later_plan]
    assert old["cursor"] == world.head()
    new = pull(world.db, world.who("anong"), behind, 1000, rescope_ok=True)
    assert new["rescope"] is True and new["changes"] == []
