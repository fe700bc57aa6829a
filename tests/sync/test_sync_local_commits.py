"""How often a day's sync waits for the laptop's disk: each commit that writes, with
``synchronous = FULL``, is one wait (an fsync; tens of milliseconds on a slow laptop disk)."""

from __future__ import annotations

from contextlib import contextmanager

from server_fixtures import FACTORIES, Laptop, add_users, inproc_client, make_app, seed_factories
from test_sync_roundtrip import make_finalized

from fieldapp.store.db import Store
from fieldapp.store.sync_state import pending_count


def test_a_days_sync_waits_for_the_disk_three_times(server_db, tmp_path, monkeypatch):
    """The push's answers (with the rows the office holds exactly as sent), the first pull
    page (with its cursor and the own ranges it passed) and the sync's own record: three
    waits, where each of those pairs was two."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    a = Laptop(tmp_path / "a.db", inproc_client(make_app(server_db)), "anong")
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        make_finalized(a.store, factory)
        waits: list[str] = []
        real = Store.transaction

        @contextmanager
        def watched(self):
            outer = not self._depth
            before = self.conn.total_changes
            with real(self) as conn:
                yield conn
                level = conn.execute("PRAGMA synchronous").fetchone()[0]
            if outer and self.conn.total_changes > before and level >= 2:   # FULL or EXTRA
                waits.append("wrote")

        monkeypatch.setattr(Store, "transaction", watched)
        summary = a.sync()
        assert summary.ok and summary.pushed > 100, summary.line()
        assert pending_count(a.store) == 0
        assert len(waits) == 3, waits
    finally:
        a.close()
