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
