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


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.url = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=60,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA busy_timeout = 60000")
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

    def write(self):
        return self._transaction("BEGIN IMMEDIATE")

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
