"""The SQLite server copies its WAL back into the database file on a background thread
(SQLite's own checkpoint would run inside some writer's commit, holding everyone up)."""

from __future__ import annotations

import hashlib
import os
import time

from server_fixtures import ADMIN

from fieldapp.server import blobs
from fieldapp.server.database import open_database


def test_the_wal_is_checkpointed_by_the_background_thread(tmp_path):
    db = open_database(str(tmp_path / "server.db"))
    try:
        # no connection checkpoints inside a commit
        assert db._conn().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        before = os.path.getsize(tmp_path / "server.db")
        data = os.urandom(3_000_000)
        blobs.upload_chunk(db, ADMIN, hashlib.sha256(data).hexdigest(), 0, len(data), data)
        deadline = time.monotonic() + 10
        while os.path.getsize(tmp_path / "server.db") < before + len(data):
            assert time.monotonic() < deadline, "the WAL was never copied into the file"
            time.sleep(0.02)
        assert db._checkpointer.runs >= 1
        with db.read() as c:  # and the data reads back whole
            assert c.value("SELECT length(data) FROM blob_chunks") == len(data)
    finally:
        db.close()
    assert not db._checkpointer.thread.is_alive()


def test_a_relative_name_is_one_file_wherever_the_process_is_later(tmp_path, monkeypatch):
    """Threads connect by name when they first need to (each worker thread, the checkpoint
    thread): a relative --db was taken from the directory of that moment, so a process
    that had moved made an empty database there."""
    import threading

    (tmp_path / "office").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "office")
    db = open_database("server.db")
    try:
        monkeypatch.chdir(tmp_path / "elsewhere")
        counted = []

        def read_from_a_new_thread():
            with db.read() as c:
                counted.append(c.value("SELECT count(*) FROM counters"))

        thread = threading.Thread(target=read_from_a_new_thread)
        thread.start()
        thread.join(10)
        assert counted and counted[0] >= 1
        assert list((tmp_path / "elsewhere").iterdir()) == []
    finally:
        db.close()
