"""The server on a SQLite file: one office, zero set-up.

One connection per thread (sqlite3 connections must not be shared across threads). WAL lets
pulls read while a push writes; BEGIN IMMEDIATE makes writers queue instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldapp.server.storage import Conn, Database

BUSY_TIMEOUT_S = 60  # how long a writer waits for another before giving up


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.url = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._writer = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), isolation_level=None,
                                   timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before the push is answered (NORMAL in WAL mode may
            # lose the last commits on power loss, i.e. operations already acknowledged).
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Conn]:
        raw = self._conn()
        raw.execute(begin)
        try:
            yield Conn(raw, self.dialect)
            raw.execute("COMMIT")
        except BaseException:
            raw.execute("ROLLBACK")
            raise

    @contextmanager
    def write(self) -> Iterator[Conn]:
        # Writers of this process queue on a lock rather than in SQLite's busy handler,
        # which sleeps and retries (up to 100 ms a sleep): a photo upload waiting behind a
        # push went on sleeping well after the push had committed, and so did the push
        # behind it. Other processes on the same file still meet the busy handler.
        if not self._writer.acquire(timeout=BUSY_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked")
        try:
            with self._transaction("BEGIN IMMEDIATE") as c:
                yield c
        finally:
            self._writer.release()

    def read(self):
        # A deferred transaction in WAL mode reads one consistent snapshot.
        return self._transaction("BEGIN")

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # closed from another thread already
            self._all.clear()
        self._local = threading.local()
