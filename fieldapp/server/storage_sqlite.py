"""The server on a SQLite file: one office, zero set-up.

One connection per thread (sqlite3 connections must not be shared across threads). WAL lets
pulls read while a push writes; BEGIN IMMEDIATE makes writers queue instead of failing.
The WAL is copied back into the database file by a background thread (``_Checkpointer``).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldapp.server.storage import Conn, Database

BUSY_TIMEOUT_S = 60  # how long a writer waits for another before giving up
CHECKPOINT_EVERY_S = 0.1  # at most this often: a checkpoint right after each small write
# would copy pages that the next write changes again

log = logging.getLogger(__name__)


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: str | Path):
        # Absolute: the checkpoint thread and each worker thread connect later, by name; a
        # relative name would be taken from wherever the process then is (a test's chdir
        # made an empty database there).
        self.path = Path(path).absolute()
        self.url = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._writer = threading.Lock()
        self._checkpointer = _Checkpointer(self.path)

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
            conn.execute("PRAGMA wal_autocheckpoint = 0")  # see _Checkpointer
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
        self._checkpointer.wrote()

    def read(self):
        # A deferred transaction in WAL mode reads one consistent snapshot.
        return self._transaction("BEGIN")

    def close(self) -> None:
        self._checkpointer.close()
        with self._guard:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # closed from another thread already
            self._all.clear()
        self._local = threading.local()


class _Checkpointer:
    """Copies the WAL back into the database file on its own thread and connection.

    SQLite's automatic checkpoint runs inside the COMMIT of whichever write crosses 1,000
    WAL pages, that is while the writer still holds the write lock: a push or a photo
    upload (250 pages each) paid for copying everyone's pages, and every other writer
    waited meanwhile. A PASSIVE checkpoint blocks neither writers nor readers, so here it
    overlaps them. Durability is the same: a commit is durable once its WAL frames are
    synced (synchronous = FULL); a checkpoint only moves them, and a crash during one is
    repaired from the WAL on the next open. If this thread is not running (another
    process, or it failed), the WAL only grows until the next checkpoint or close.
    """

    def __init__(self, path: Path):
        self.path = path
        self.wake = threading.Event()
        self.stopping = False
        self.thread: threading.Thread | None = None
        self.start_lock = threading.Lock()
        self.runs = 0  # checkpoints done (tests)

    def wrote(self) -> None:
        if self.thread is None:
            with self.start_lock:
                if self.thread is None and not self.stopping:
                    self.thread = threading.Thread(target=self._run, daemon=True,
                                                   name="sqlite-checkpoint")
                    self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_S,
                               check_same_thread=False)
        try:
            conn.execute("PRAGMA synchronous = FULL")
            while True:
                self.wake.wait()
                if self.stopping:
                    return
                self.wake.clear()
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.runs += 1
                except sqlite3.Error as exc:  # e.g. another process checkpointing
                    log.warning("WAL checkpoint of %s failed: %s", self.path, exc)
                time.sleep(CHECKPOINT_EVERY_S)
        finally:
            conn.close()

    def close(self) -> None:
        with self.start_lock:
            self.stopping = True
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=BUSY_TIMEOUT_S)
