"""A pulled page that is mostly the echo of the laptop's own push (sync_apply): rows it
holds as they came are read together and left alone, a row that differs in one field is
written, and a page naming the same row twice ends with its later copy."""

from __future__ import annotations

import pytest

from fieldapp.store import sync_apply
from fieldapp.store.db import open_store
from fieldapp.sync import protocol as P

CLOCK = "1764900000000-0000-office"


def plan(n: int, **fields) -> dict:
    return {"id": f"plan-{n}", "factory_id": None, "template_key": "env-general",
            "kind": "routine", "planned_on": "2026-12-10", "assignee": "u-anong",
            "assignee_name": "anong", "note": None, "complaint_id": None, "order_ids": None,
            "status": "planned", "inspection_id": None, "updated_hlc": CLOCK,
            "device_id": "office", "deleted": 0, **fields}


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "laptop.db")
    sync_apply.apply_rows(store, [{"t": "plans", "seq": n, "row": plan(n)}
                                  for n in range(1, 101)], P.COLUMNS, 100)
    yield store
    store.close()


def test_an_echoed_page_is_read_together_and_writes_nothing(store):
    statements = []
    store.conn.set_trace_callback(statements.append)
    counts = sync_apply.apply_rows(store, [{"t": "plans", "seq": 100 + n, "row": plan(n)}
                                           for n in range(1, 101)], P.COLUMNS, 200)
    store.conn.set_trace_callback(None)
    assert counts == {"applied": 0, "unchanged": 100, "skipped": 0}
    reads = [s for s in statements if s.startswith("SELECT * FROM plans")]
    assert len(reads) == 1, reads       # one read for the page, not one per row
    assert not [s for s in statements if s.startswith(("SAVEPOINT", "UPDATE plans"))]


def test_a_row_that_differs_is_written_and_a_repeat_ends_with_its_later_copy(store):
    later = "1764900000900-0000-office"
    counts = sync_apply.apply_rows(store, [
        {"t": "plans", "seq": 101, "row": plan(1)},
        {"t": "plans", "seq": 102, "row": plan(2, status="started", updated_hlc=later)},
        {"t": "plans", "seq": 103, "row": plan(3, note="ก่อน", updated_hlc=later)},
        {"t": "plans", "seq": 104, "row": plan(3, note="หลัง", updated_hlc=later)},
    ], P.COLUMNS, 104)
    assert counts == {"applied": 3, "unchanged": 1, "skipped": 0}
    rows = {r["id"]: r for r in store.query("SELECT id, status, note FROM plans "
                                            "WHERE id IN ('plan-1', 'plan-2', 'plan-3')")}
    assert rows["plan-2"]["status"] == "started"
    assert rows["plan-3"]["note"] == "หลัง"
