"""Numbered forward migrations: fresh == upgraded, newer refused, failures roll back."""

import sqlite3

import pytest

from fieldapp.core.errors import SchemaTooNewError
from fieldapp.store import db as dbmod
from fieldapp.store.db import SCHEMA_VERSION, migrate, open_store, schema_version


def schema_of(conn):
    return sorted(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY name").fetchall(), key=lambda r: r[1])


def test_fresh_and_upgraded_schemas_are_identical(tmp_path):
    fresh = sqlite3.connect(tmp_path / "fresh.db", isolation_level=None)
    migrate(fresh)
    old = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    assert migrate(old, target=1) == 1
    old.execute("INSERT INTO meta(key, value) VALUES ('device_id', 'abc')")
    assert migrate(old) == SCHEMA_VERSION
    assert schema_of(old) == schema_of(fresh)
    assert schema_version(old) == schema_version(fresh) == SCHEMA_VERSION
    assert old.execute("SELECT value FROM meta WHERE key='device_id'").fetchone() == ("abc",)


def test_newer_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer|ใหม่กว่า"):
        open_store(path)
    assert path.read_bytes() == before


def test_failed_migration_rolls_back_completely(tmp_path, monkeypatch):
    broken = "CREATE TABLE half_done (x);\nINSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, broken])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == SCHEMA_VERSION
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
    assert "inspections" in names


def test_store_pragmas_and_device_identity_created_once(tmp_path):
    path = tmp_path / "a.db"
    with open_store(path) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        device = s.device_id
    with open_store(path) as s:
        assert s.device_id == device
    with open_store(tmp_path / "b.db") as other:
        assert other.device_id != device


def test_clock_is_persisted_across_reopen(tmp_path):
    path = tmp_path / "a.db"
    with open_store(path) as s:
        with s.transaction():
            first = s.stamp()
    with open_store(path) as s:
        s.clock._wall = lambda: 0  # the wall clock now reads 1970
        with s.transaction():
            assert s.stamp() > first


def test_registry_imports_leave_the_outbox_and_field_edits_stay(tmp_path):
    """Migration 5: a registry import is local. Its entries leave the outbox (unsent or
    refused); a field edit stays; the rows the office never accepted become local."""
    conn = sqlite3.connect(tmp_path / "v4.db", isolation_level=None)
    migrate(conn, target=4)
    conn.execute("INSERT INTO meta(key, value) VALUES ('device_id', 'me')")
    factories = {"a": "me", "b": "me", "c": "office", "d": "me", "e": "me"}
    for name, device in factories.items():
        conn.execute("INSERT INTO factories (id, fid, name, updated_hlc, device_id) "
                     "VALUES (?, ?, ?, '1', ?)", (name, f"fid-{name}", name, device))
    entries = [  # (row, payload, status)
        ("a", '{"fid": "fid-a", "name": "a"}', "pending"),           # imported, never sent
        ("b", '{"fid": "fid-b", "name": "b"}', "acked"),             # imported, office has it
        ("b", '{"name": "older b"}', "pending"),                     # re-imported over it
        ("c", '{"phone": "081"}', "pending"),                        # typed in the field
        ("d", '{"fid": "fid-d", "name": "d"}', "pending"),           # imported, never sent
        ("d", '{"contact_person": "x", "lat": 14.0, "lng": 100.0}', "pending"),   # typed
        ("e", '{"fid": "fid-e", "name": "e"}', "rejected"),          # another province
        ("e", '{"phone": "082"}', "rejected"),                       # typed, refused
    ]
    for n, (row, payload, status) in enumerate(entries):
        conn.execute("INSERT INTO outbox (op_id, table_name, row_id, op, payload, hlc, "
                     "created_at, status) VALUES (?, 'factories', ?, 'upsert', ?, '1', '', ?)",
                     (f"op{n}", row, payload, status))
    assert migrate(conn) == SCHEMA_VERSION
    kept = conn.execute("SELECT row_id, payload, status FROM outbox ORDER BY seq").fetchall()
    assert kept == [entries[1], entries[3], entries[5], entries[7]]
    local = dict(conn.execute("SELECT id, local_only FROM factories"))
    assert local == {"a": 1, "b": 0, "c": 0, "d": 1, "e": 1}


def test_v9_marks_the_copies_of_a_give_back_under_way(tmp_path):
    """A laptop upgraded while it still had sealed copies to give back (migration 9) gives
    them all back, as before; one without that mark gives back none."""
    for flagged in (True, False):
        conn = sqlite3.connect(tmp_path / f"v8-{flagged}.db", isolation_level=None)
        assert migrate(conn, target=8) == 8
        conn.executemany("INSERT INTO office_copies VALUES (?, ?, 'h', '{}')",
                         [("plans", "p1"), ("orders", "o1")])
        if flagged:
            conn.execute("INSERT INTO sync_state VALUES ('give_back_office_rows', '1')")
        migrate(conn)
        marks = dict(conn.execute("SELECT tbl, give_back FROM office_copies"))
        assert marks == ({"plans": 30, "orders": 0} if flagged else {"plans": 0, "orders": 0})
