"""A first sync indexes factories in one statement (the FTS insert trigger is suspended and
the index filled from the new rows): search must find exactly what the row-by-row trigger
path finds, and the trigger must be back afterwards."""

from __future__ import annotations

import sqlite3

from fieldapp.store import bulk_insert, search_index, sync_apply
from fieldapp.store.db import open_store
from fieldapp.store.search import count_factories, search_factories
from fieldapp.sync import protocol as P

NAMES = ("โรงงานน้ำตาลมิตรผล", "บริษัท ไทยเบฟเวอเรจ จำกัด", "ห้างหุ้นส่วน ช่างเหล็กสมุทร",
         "Siam Cement Factory", "โรงสีข้าวเจริญผล")


def _rows(n: int, start: int = 0) -> list[dict]:
    return [{"t": "factories", "row": {
        "id": f"f-{k:05d}", "fid": f"3{k:013d}", "name": f"{NAMES[k % 5]} สาขา {k}",
        "operator": "นายสมชาย ใจดี" if k % 3 else None, "province_code": "10",
        "province": "กรุงเทพมหานคร", "address": f"{k} ถนนพระราม {k % 9}",
        "facreg_key": f"{k:05d}" if k % 2 else None,
        "updated_hlc": f"1763629200000-{k:04x}-office", "device_id": "office",
        "deleted": 0}} for k in range(start, start + n)]


QUERIES = ("มิตรผล", "สาขา 12", "Cement", "สมชาย", "พระราม 3", "00017", "3000000000042",
           "เจริญ", "ช่างเหล็ก")


def _build(store) -> None:
    """Build the search index a first sync left pending, as the app does after the sync."""
    assert search_index.is_pending(store.conn)
    build = store.build_search_index()
    assert build is not None and build.wait(30) and build.built
    assert not search_index.is_pending(store.conn)


def _results(store) -> list:
    return [([r["num"] if "num" in r else r for r in search_factories(store, q, limit=2000)],
             count_factories(store, q)) for q in QUERIES]


def test_bulk_index_finds_what_the_trigger_path_finds(tmp_path):
    bulk = open_store(tmp_path / "bulk.db")
    slow = open_store(tmp_path / "slow.db")
    rows = _rows(1200)
    assert len(rows) >= bulk_insert.BULK_FTS_ROWS
    sync_apply.apply_rows(bulk, rows, P.COLUMNS, 10)           # one page: the bulk path
    for start in range(0, len(rows), 100):                     # small pages: the trigger
        sync_apply.apply_rows(slow, rows[start:start + 100], P.COLUMNS, 10)
    found = _results(bulk)
    assert found == _results(slow)
    assert all(count for _, count in found[:5])  # the queries really match something
    # the trigger is back: later rows and edits are indexed as before
    for store in (bulk, slow):
        assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name = 'factories_fts_insert'").fetchone()[0] == 1
        sync_apply.apply_rows(store, _rows(3, start=5000), P.COLUMNS, 11)
    assert _results(bulk) == _results(slow)
    assert count_factories(bulk, "สาขา 5001") == 1
    bulk.close()
    slow.close()


def test_a_failed_bulk_insert_leaves_the_trigger_in_place(tmp_path):
    store = open_store(tmp_path / "a.db")
    rows = _rows(600)
    rows[300]["row"]["fid"] = rows[10]["row"]["fid"]  # a duplicate factory ID: bulk fails
    counts = sync_apply.apply_rows(store, rows, P.COLUMNS, 5)
    assert counts["skipped"] == 1 and counts["applied"] == 599
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                              "AND name = 'factories_fts_insert'").fetchone()[0] == 1
    assert count_factories(store, "สาขา 599") == 1
    store.close()


def _schema(store) -> list:
    return store.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")


def test_a_streamed_snapshot_builds_its_indexes_once_and_matches_the_trigger_path(tmp_path):
    """Pieces of a first-sync snapshot (``RowApplier.add_values``) go into an empty table
    with the full-text trigger and the plain indexes suspended until the end; a repeated
    id in a later piece sends that piece row by row. The result, indexes included, must be
    what the row-by-row trigger path gives, and the schema must be whole again."""
    bulk = open_store(tmp_path / "bulk.db")
    slow = open_store(tmp_path / "slow.db")
    schema = _schema(bulk)
    rows = _rows(1500)
    # The server repeating a row, changed: that piece cannot go in as a whole, and row by
    # row it UPDATEs a row of an earlier piece (whose full-text entry must exist by then).
    rows[1200] = {"t": "factories", "row": {**rows[5]["row"], "name": "โรงงานซ้ำแก้ชื่อ"}}
    names = ["id", *P.COLUMNS["factories"], "updated_hlc", "device_id", "deleted"]
    with bulk.transaction():
        applier = sync_apply.RowApplier(bulk, P.COLUMNS)
        for start in range(0, len(rows), 600):
            applier.add_values("factories", names, [[r["row"].get(n) for n in names]
                                                    for r in rows[start:start + 600]])
            if start == 0:  # the first piece really took the deferred path
                assert not bulk.query("SELECT 1 FROM sqlite_master WHERE name IN "
                                      "('factories_fts_insert', 'factories_name')")
        applier.finish(10)
    for start in range(0, len(rows), 100):
        sync_apply.apply_rows(slow, rows[start:start + 100], P.COLUMNS, 10)
    assert bulk.query("SELECT count(*) AS n FROM factories") == [{"n": 1499}]
    # search finds the same before the index is built (it scans the table) and after
    pending = _results(bulk)
    _build(bulk)
    assert _schema(bulk) == schema
    bulk.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES ('integrity-check')")
    found = _results(bulk)
    assert found == pending == _results(slow)
    assert all(count for _, count in found[:5])
    assert count_factories(bulk, "ซ้ำแก้ชื่อ") == 1
    # edits afterwards go through the restored triggers on both
    old_name = count_factories(bulk, rows[7]["row"]["name"])
    for store in (bulk, slow):
        sync_apply.apply_rows(store, [{"t": "factories", "row": {
            **rows[7]["row"], "name": "โรงงานใหม่เอี่ยม", "updated_hlc": "1763629200001-0001-office"}}],
            P.COLUMNS, 11)
    assert _results(bulk) == _results(slow)
    assert count_factories(bulk, "ใหม่เอี่ยม") == 1
    assert count_factories(bulk, rows[7]["row"]["name"]) == old_name - 1
    bulk.close()
    slow.close()


def _names() -> list[str]:
    return ["id", *P.COLUMNS["factories"], "updated_hlc", "device_id", "deleted"]


def test_a_snapshot_piece_binds_no_none_for_a_column_empty_in_every_row(tmp_path):
    """Binding None costs sqlite3 an adaptation per value: columns empty in every row of a
    piece are written as a literal NULL instead. The rows stored are exactly those of the
    row-by-row path (NULL, not a default), and a column empty in only some rows is bound."""
    bulk = open_store(tmp_path / "bulk.db")
    slow = open_store(tmp_path / "slow.db")
    rows = _rows(bulk_insert.NULL_LITERAL_ROWS * 2)
    names = _names()
    values = [[r["row"].get(n) for n in names] for r in rows]
    partly_empty = sum(v is None for r in values for n, v in zip(names, r, strict=True)
                       if n in ("operator", "facreg_key"))
    bound: list[None] = []
    # Every None that reaches sqlite3 as a parameter passes through this adapter.
    key = (type(None), sqlite3.PrepareProtocol)
    sqlite3.register_adapter(type(None), lambda v: bound.append(v))
    try:
        with bulk.transaction():
            applier = sync_apply.RowApplier(bulk, P.COLUMNS)
            applier.add_values("factories", names, values)
            applier.finish(10)
    finally:
        sqlite3.adapters.pop(key, None)
    assert 0 < len(bound) == partly_empty  # the columns empty everywhere bound nothing
    sync_apply.apply_rows(slow, rows, P.COLUMNS, 10)
    assert table_rows(bulk) == table_rows(slow)
    assert bulk.query("SELECT count(*) AS n FROM factories WHERE typeof(business) = 'null' "
                      "AND operator IS NULL") == [{"n": len(rows) // 3 + 1}]
    bulk.close()
    slow.close()


def table_rows(store) -> list[tuple]:
    return store.conn.execute("SELECT * FROM factories ORDER BY num").fetchall()


def test_a_first_sync_leaves_the_search_index_to_build_after_its_commit(tmp_path):
    """The search index of a first sync is built after the snapshot's transaction, not in
    it: the triggers are suspended and the index marked pending in that transaction, and
    search scans the table meanwhile with the same results."""
    store = open_store(tmp_path / "a.db")
    rows = _rows(bulk_insert.BULK_FTS_ROWS * 2)
    names = _names()
    with store.transaction():
        applier = sync_apply.RowApplier(store, P.COLUMNS)
        applier.add_values("factories", names, [[r["row"].get(n) for n in names]
                                                for r in rows])
        assert not store.query("SELECT 1 FROM sqlite_master WHERE name LIKE 'factories_fts_%' "
                               "AND type = 'trigger'")
        applier.finish(10)
    assert store.conn.execute("SELECT count(*) FROM factories_fts_docsize").fetchone() == (0,)
    assert count_factories(store, f"{12:013d}") == 1  # found by scanning the table
    pending = _results(store)
    _build(store)
    assert store.conn.execute("SELECT count(*) FROM factories_fts_docsize").fetchone() == \
        (len(rows),)
    assert _results(store) == pending
    store.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES ('integrity-check')")
    store.close()
