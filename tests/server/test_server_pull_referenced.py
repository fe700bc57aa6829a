"""A pull page brings the rows its rows name that sort after it, and the rows those name,
parents first (server/pull.py ``_referenced``, docs/sync-protocol.md "Pages never leave a
dangling reference"): so a laptop never stores a row whose parent it lacks. Only rows the
puller may read, and only those the page's cursor has not passed. On either backend."""

from __future__ import annotations

import pytest
from office_loop_world import LoopWorld


@pytest.fixture
def world(server_db):
    return LoopWorld(server_db)


def _seq(world, table: str, row_id: str) -> int:
    with world.db.read() as c:
        return c.value("SELECT seq FROM records WHERE tbl = ? AND id = ?", (table, row_id))


def test_a_page_brings_what_its_rows_name_two_levels_up(world):
    rec = world.record("anong", findings=(), photo_items=(), finalize=False)
    participant = rec["reps"][0]
    # The inspection and its factory both change after the participant: a page that ends
    # at the participant names both, the factory through the inspection.
    world.office_ok("factories", world.f10, {"name": "โรงงานชื่อใหม่"})
    assert world.push_one("anong", "inspections", rec["id"],
                          {"purpose": "ตรวจซ้ำ"})["outcome"] == "applied"
    at = _seq(world, "participants", participant)
    assert at < _seq(world, "factories", world.f10) < _seq(world, "inspections", rec["id"])

    from fieldapp.server.pull import pull
    page = pull(world.db, world.who("anong"), at - 1, 1)
    rows = [(ch["t"], ch["row"]["id"]) for ch in page["changes"]]
    assert rows == [("factories", world.f10), ("inspections", rec["id"]),
                    ("participants", participant)]
    assert page["cursor"] == at and page["more"]
    # What the page brought early comes again at its own place (a laptop merges it).
    later = world.walk("anong", at, 1000)
    assert {(ch["t"], ch["row"]["id"]) for ch in later} >= {
        ("factories", world.f10), ("inspections", rec["id"])}


def test_a_page_brings_nothing_its_puller_may_not_read_or_already_has(world):
    rec = world.record("anong", findings=(), photo_items=(), finalize=False)
    participant = rec["reps"][0]
    at = _seq(world, "participants", participant)
    from fieldapp.server.pull import pull
    # Nothing it names changed since: the inspection and factory sort before the page.
    page = pull(world.db, world.who("anong"), at - 1, 1)
    assert [(ch["t"], ch["row"]["id"]) for ch in page["changes"]] == [
        ("participants", participant)]
    # A supervisor of another province reads none of it, named or not.
    world.office_ok("factories", world.f10, {"name": "โรงงานชื่อใหม่"})
    other = pull(world.db, world.who("wichai"), at - 1, 1)
    assert all(ch["row"]["id"] not in (world.f10, rec["id"], participant)
               for ch in other["changes"])
