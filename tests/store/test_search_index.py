"""A first sync leaves the factories' search index to be built after its commit
(store/search_index.py). Meanwhile search scans the table and must find exactly what the
index finds; the built index must hold exactly what the triggers put there; a crash, a
failure or a close before it is built must leave it pending, and the next open builds it."""

from __future__ import annotations

import time

import pytest

from fieldapp.store import search, search_index, sync_apply
from fieldapp.store.db import open_store
from fieldapp.store.search import count_factories, search_factories
from fieldapp.sync import protocol as P

NAMES = ("โรงงานน้ำตาลมิตรผล", "บริษัท ไทยเบฟเวอเรจ จำกัด", "ห้างหุ้นส่วน ช่างเหล็กสมุทร",
         "Siam Cement FACTORY", "CAFÉ Écru โรงสีข้าวเจริญผล")
COLUMNS = ["id", *P.COLUMNS["factories"], "updated_hlc", "device_id", "deleted"]
QUERIES = ("มิตรผล", "สาขา 12", "cement", "CEMENT", "café", "écru", "สมชาย", "พระราม 3",
           "00017", "3000000000042", "300000000004", "เจริญ", "ช่างเหล็ก", "3-1(1)-101",
           "3-1(1)-101/46", "ลาดพร้าว", "99999", "สาขา", "บริษัท", "ไม่มีโรงงานนี้")


def _row(k: int) -> list:
    row = {"id": f"f-{k:05d}", "fid": f"3{k:013d}", "name": f"{NAMES[k % 5]} สาขา {k}",
           "operator": "นายสมชาย ใจดี" if k % 3 else None, "province_code": "10" if k % 4 else "20",
           "province": "กรุงเทพมหานคร", "address": f"{k} ถนนพระราม {k % 9}",
           "facreg_key": f"{k:05d}" if k % 2 else None,
           "facreg": f"3-1(1)-{k}/46" if k % 4 == 1 else "",
           # "99999" in an address only: an ID-like query looks in the IDs, not here
           "road": "ลาดพร้าว 99999" if k % 7 == 0 else None,
           "soi": k if k % 11 == 0 else None,  # a number where text is declared
           "status": k % 3, "deleted": int(k % 50 == 0),
           "updated_hlc": f"1763629200000-{k:04x}-office", "device_id": "office"}
    return [row.get(n) for n in COLUMNS]


ROWS = [_row(k) for k in range(1300)]


def _first_sync(store, rows: list = ROWS) -> None:
    """A first sync's pieces, as apply_snapshot gives them, without building the index."""
    with store.transaction():
        applier = sync_apply.RowApplier(store, P.COLUMNS)
        for start in range(0, len(rows), 600):
            applier.add_values("factories", COLUMNS, rows[start:start + 600])
        applier.finish(10)


def _by_trigger(store, rows: list = ROWS) -> None:
    with store.transaction():
        store.conn.executemany(f"INSERT INTO factories ({', '.join(COLUMNS)}) "
                               f"VALUES ({', '.join('?' * len(COLUMNS))})", rows)


def _results(store) -> list:
    """Every query, with and without filters: the rows (with their rank) and the count."""
    found = []
    for q in QUERIES:
        for filters in ({}, {"province_code": "20"}, {"status": 1}):
            found.append(([(r["id"], r["rank"]) for r in search_factories(
                store, q, limit=2000, **filters)], count_factories(store, q, **filters)))
    found.append([r["id"] for r in search_factories(store, "สาขา", limit=20, offset=40)])
    return found


def _entries(store) -> tuple:
    """What the index holds: every term at every place, each row's size, the totals."""
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_entries "
                       "USING fts5vocab(main, factories_fts, 'instance')")
    return (store.conn.execute("SELECT * FROM temp.fts_entries ORDER BY 1, 2, 3, 4").fetchall(),
            store.conn.execute("SELECT * FROM factories_fts_docsize ORDER BY 1").fetchall(),
            store.conn.execute("SELECT block FROM factories_fts_data WHERE id = 1").fetchall())


def _schema(store) -> list:
    return store.query("SELECT type, name, sql FROM sqlite_master ORDER BY name")


def _built(store) -> None:
    build = store.build_search_index()
    assert build is not None and build.wait(30) and build.built
    assert not search_index.is_pending(store.conn)
    store.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES ('integrity-check')")


@pytest.fixture
def reference(tmp_path):
    store = open_store(tmp_path / "ref.db")
    _by_trigger(store)
    yield store
    store.close()


def test_search_finds_the_same_before_and_after_the_index_is_built(tmp_path, reference):
    store = open_store(tmp_path / "a.db")
    schema = _schema(store)
    _first_sync(store)
    assert search_index.is_pending(store.conn)
    assert store.conn.execute("SELECT count(*) FROM factories_fts_docsize").fetchone() == (0,)
    expected = _results(reference)
    assert _results(store) == expected  # scanning the table
    counts = {q: count_factories(reference, q) for q in QUERIES}
    assert [q for q, n in counts.items() if not n] == ["99999", "ไม่มีโรงงานนี้"]
    assert count_factories(store, "99999") == 0 and count_factories(store, "ลาดพร้าว") > 0
    assert count_factories(store, "café") == count_factories(store, "CAFÉ") > 0
    _built(store)
    assert _results(store) == expected  # through the index
    assert _entries(store) == _entries(reference)
    assert _schema(store) == schema
    store.close()


def test_search_before_the_index_is_built_over_ascii_and_thai_only(tmp_path, monkeypatch):
    """Without text that SQLite's LIKE does not case-fold as the index does, the scan takes
    LIKE (in C) rather than the Python fold: the same rows all the same."""
    rows = [r for r in ROWS if "É" not in r[COLUMNS.index("name")]]
    store, reference = open_store(tmp_path / "a.db"), open_store(tmp_path / "ref.db")
    _first_sync(store, rows)
    _by_trigger(reference, rows)
    folded: list = []
    monkeypatch.setattr(search, "_fold", lambda text: folded.append(text) or str.lower(text))
    assert _results(store) == _results(reference)
    assert count_factories(store, "cement") == count_factories(store, "CEMENT") > 0
    assert count_factories(store, "30000000000%2") == 0  # LIKE's wildcards are escaped
    # the fold function ran on the query words only, never on the table's values
    assert len(folded) < 200 and search._FOLD_NEEDED[store][1] is False
    store.close()
    reference.close()


def test_writes_before_the_index_is_built_are_in_it_afterwards(tmp_path, reference):
    store = open_store(tmp_path / "a.db")
    _first_sync(store)
    for s in (store, reference):
        with s.transaction():
            s.conn.execute("UPDATE factories SET name = 'โรงงานใหม่เอี่ยม' WHERE id = 'f-00007'")
            s.conn.execute("DELETE FROM factories WHERE id = 'f-00008'")
            s.conn.execute(f"INSERT INTO factories ({', '.join(COLUMNS)}) VALUES "
                           f"({', '.join('?' * len(COLUMNS))})", _row(5001))
    assert _results(store) == _results(reference)
    assert count_factories(store, "ใหม่เอี่ยม") == 1
    _built(store)
    assert _results(store) == _results(reference)
    assert _entries(store) == _entries(reference)
    assert count_factories(store, "สาขา 5001") == 1
    store.close()


def test_a_crash_before_the_index_is_built_is_repaired_on_the_next_open(tmp_path, reference):
    path = tmp_path / "a.db"
    store = open_store(path)
    _first_sync(store)
    # The build fails after it has filled the index and put the triggers back (e.g. the
    # disk is full): nothing of it stays, the index is still pending and search scans.
    def execute(sql, *args):
        if sql.startswith("DELETE FROM meta"):
            raise OSError("injected: disk full")
        return store.conn.execute(sql, *args)

    with pytest.raises(OSError):
        search_index.rebuild(_Wrapped(store.conn, execute))
    assert search_index.is_pending(store.conn)
    assert not store.query("SELECT 1 FROM sqlite_master WHERE name = 'factories_fts_insert'")
    assert _results(store) == _results(reference)
    # the app stops (a crash is the same: the mark and the rows were committed together)
    store.close()
    again = open_store(path)  # starts the build itself
    assert again.index_build is not None and again.index_build.wait(30)
    assert not search_index.is_pending(again.conn)
    again.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES ('integrity-check')")
    assert _results(again) == _results(reference)
    assert _entries(again) == _entries(reference)
    again.close()


@pytest.mark.parametrize("after", [0, 0.005, 0.02])
def test_closing_the_store_stops_a_build_and_the_next_open_finishes_it(tmp_path, reference,
                                                                      after):
    """Wherever the close comes (before, during or after the build), the build ends with
    it and the index is whole after the next open."""
    path = tmp_path / "a.db"
    store = open_store(path)
    _first_sync(store)
    build = store.build_search_index()
    time.sleep(after)
    store.close()
    assert build.done.is_set() and not build.thread.is_alive()
    again = open_store(path)
    assert (again.index_build is None) == build.built  # built then, or now
    if again.index_build is not None:
        assert again.index_build.wait(30) and again.index_build.built
    assert not search_index.is_pending(again.conn)
    again.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES ('integrity-check')")
    assert _results(again) == _results(reference)
    again.close()


def test_a_first_sync_rolled_back_leaves_the_index_as_it_was(tmp_path):
    store = open_store(tmp_path / "a.db")
    schema = _schema(store)
    with pytest.raises(KeyboardInterrupt):
        with store.transaction():
            applier = sync_apply.RowApplier(store, P.COLUMNS)
            applier.add_values("factories", COLUMNS, ROWS[:600])
            raise KeyboardInterrupt("injected: cancelled")
    assert not search_index.is_pending(store.conn)
    assert _schema(store) == schema
    assert store.build_search_index() is None
    store.close()


def test_a_store_in_memory_builds_the_index_at_once(reference):
    store = open_store(":memory:")
    _first_sync(store)
    assert store.build_search_index() is None
    assert not search_index.is_pending(store.conn)
    assert _results(store) == _results(reference)
    store.close()


class _Wrapped:
    """A connection whose ``execute`` is replaced (sqlite3's own cannot be patched)."""

    def __init__(self, conn, execute):
        self._conn = conn
        self.execute = execute

    def __getattr__(self, name):
        return getattr(self._conn, name)
