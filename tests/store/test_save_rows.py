"""save_rows: the batched outbox write path keeps save_row's semantics."""

from __future__ import annotations

import json
import sqlite3

import pytest

from fieldapp.store.changes import save_row, save_rows


def factory(n: int, **extra) -> dict:
    return {"id": f"f-{n}", "fid": f"{n:014d}", "name": f"โรงงาน {n}", **extra}


def outbox(store) -> list[dict]:
    return store.query("SELECT * FROM outbox ORDER BY seq")


def test_insert_update_unchanged_like_save_row(store):
    assert save_rows(store, "factories", [factory(1), factory(2, phone="02")]) == [
        "inserted", "inserted"]
    assert save_rows(store, "factories", [
        factory(1), factory(2, phone="03"), factory(3)]) == ["unchanged", "updated", "inserted"]
    entries = outbox(store)
    assert [e["row_id"] for e in entries] == ["f-1", "f-2", "f-2", "f-3"]
    assert json.loads(entries[0]["payload"]) == {
        "id": "f-1", "fid": "00000000000001", "name": "โรงงาน 1"}
    assert json.loads(entries[2]["payload"]) == {"phone": "03"}        # only what changed
    # One clock stamp per row, strictly increasing, and the last one persisted.
    hlcs = [e["hlc"] for e in entries]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == 4
    assert store.meta("hlc") == hlcs[-1]
    rows = {r["id"]: r for r in store.query("SELECT * FROM factories")}
    assert rows["f-2"]["phone"] == "03" and rows["f-2"]["updated_hlc"] == hlcs[2]
    assert rows["f-1"]["updated_hlc"] == hlcs[0]


def test_same_result_as_save_row_one_by_one(tmp_path):
    from fieldapp.store.db import open_store
    batches = [[factory(1), factory(2)], [factory(1, phone="1"), factory(2), factory(3)]]
    with open_store(tmp_path / "a.db") as a, open_store(tmp_path / "b.db") as b:
        for batch in batches:
            save_rows(a, "factories", batch)
            for row in batch:
                save_row(b, "factories", row)
        columns = "id, fid, name, phone, deleted"
        assert a.query(f"SELECT {columns} FROM factories ORDER BY id") == b.query(
            f"SELECT {columns} FROM factories ORDER BY id")
        assert [(e["row_id"], e["payload"]) for e in outbox(a)] == [
            (e["row_id"], e["payload"]) for e in outbox(b)]


def test_local_only_columns_stay_out_of_the_outbox(store):
    save_rows(store, "factories", [factory(1, source_hash="abc")])
    assert "source_hash" not in json.loads(outbox(store)[0]["payload"])


def test_a_failing_row_rolls_back_the_whole_batch(store):
    save_rows(store, "factories", [factory(1)])
    clock = store.clock.last
    with pytest.raises(sqlite3.IntegrityError):
        save_rows(store, "factories", [factory(2), {"id": "f-3", "fid": "3", "name": None}])
    assert [r["id"] for r in store.query("SELECT id FROM factories")] == ["f-1"]
    assert len(outbox(store)) == 1
    assert store.clock.last == clock


def test_duplicate_ids_in_one_batch_become_insert_then_update(store):
    assert save_rows(store, "factories", [factory(1), factory(1, phone="9")]) == [
        "inserted", "updated"]
    assert store.query("SELECT phone FROM factories")[0]["phone"] == "9"


def test_rejects_tables_that_do_not_sync(store):
    with pytest.raises(ValueError):
        save_rows(store, "meta", [{"id": "x"}])
