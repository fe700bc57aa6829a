"""Rows that left this user's scope at the office arrive as tombstones marked ``gone``
(server/pull.py): the laptop marks the row it holds deleted, and stores nothing for one it
never held, without a warning and without stopping the page."""

from __future__ import annotations

import logging

import pytest

from fieldapp.store import sync_apply
from fieldapp.store.db import open_store
from fieldapp.sync import protocol as P

CLOCK = "1764900000000-0000-office"
PLAN = {"id": "plan-1", "factory_id": None, "template_key": "env-general", "kind": "routine",
        "planned_on": "2026-12-10", "assignee": "u-anong", "assignee_name": "anong",
        "note": None, "complaint_id": None, "order_ids": None, "status": "planned",
        "inspection_id": None, "updated_hlc": CLOCK, "device_id": "office", "deleted": 0}


def gone(row_id: str, hlc: str = "1764900000500-0000-office") -> dict:
    return {"t": "plans", "seq": 9, "gone": True,
            "row": {"id": row_id, "deleted": 1, "updated_hlc": hlc, "device_id": "office"}}


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "laptop.db")
    sync_apply.apply_rows(store, [{"t": "plans", "seq": 1, "row": PLAN}], P.COLUMNS, 1)
    yield store
    store.close()


def test_a_held_row_that_left_is_marked_deleted(store):
    counts = sync_apply.apply_rows(store, [gone("plan-1")], P.COLUMNS, 9)
    row = store.query("SELECT deleted, updated_hlc, status FROM plans")[0]
    assert row == {"deleted": 1, "updated_hlc": "1764900000500-0000-office",
                   "status": "planned"}
    assert counts["applied"] == 1
    assert store.query("SELECT value FROM sync_state WHERE key = 'pull_cursor'") == \
        [{"value": "9"}]


def test_a_row_never_held_is_not_stored_and_not_warned_about(store, caplog):
    with caplog.at_level(logging.WARNING):
        counts = sync_apply.apply_rows(store, [gone("plan-elsewhere")], P.COLUMNS, 9)
    assert store.query("SELECT id FROM plans") == [{"id": "plan-1"}]
    assert counts == {"applied": 0, "unchanged": 1, "skipped": 0}
    assert not caplog.records


def test_a_malformed_tombstone_is_skipped_and_the_page_goes_on(store):
    bad = gone("plan-1")
    bad["row"]["updated_hlc"] = None
    counts = sync_apply.apply_rows(store, [bad, {"t": "plans", "seq": 10, "row": {
        **PLAN, "id": "plan-2"}}], P.COLUMNS, 10)
    assert counts["skipped"] == 1 and counts["applied"] == 1
    assert store.query("SELECT id, deleted FROM plans ORDER BY id") == [
        {"id": "plan-1", "deleted": 0}, {"id": "plan-2", "deleted": 0}]
