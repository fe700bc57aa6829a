"""Opening the local database: pragmas, migrations, device identity and the clock.

The store is the only code that writes SQL. Callers get a ``Store`` and pass it to the
functions in the other store modules; they never open a connection of their own.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from fieldapp.core.errors import FieldAppError, SchemaTooNewError
from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.store import search_index
from fieldapp.store.migrations import MIGRATIONS
from fieldapp.store.paths import blob_folder

SCHEMA_VERSION = len(MIGRATIONS)
SERVER_AHEAD = "server_ahead_ms"  # meta: how far the office's clock was ahead at last sync

log = logging.getLogger(__name__)


class Store:
    """One open local database and the per-device state that goes with it."""

    def __init__(self, path: str | Path, *, check_same_thread: bool = True):
        self.path = Path(path)
        memory = str(path) == ":memory:"
        if not memory:
            if self.path.is_dir():
                raise FieldAppError(f"เป็นโฟลเดอร์ ไม่ใช่ฐานข้อมูล (a folder, not a database "
                                    f"file: {self.path}) — check --db")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so that a change and its
        # outbox entry always share one explicit transaction.
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=30,
                               check_same_thread=check_same_thread)
        try:
            refuse_foreign(conn, self.path)
            refuse_newer(conn)
        except FieldAppError:
            conn.close()
            raise
        conn.execute("PRAGMA foreign_keys = ON")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL, not NORMAL: in WAL mode NORMAL survives an application crash but may drop the
        # last commits on power loss. An inspector's laptop dying in a factory is exactly the
        # case we must survive, and an fsync per autosave is cheap on an SSD.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 30000")
        self.conn = conn
        self.blob_dir = blob_folder(self.path) if not memory else None
        self._lock = threading.RLock()
        self._depth = 0
        migrate(conn)
        self.device_id = self._device_id()
        self.clock = self._open_clock()
        # A search index a first sync left to build, and that was not built (the app closed
        # or crashed first): built now, beside whatever the app does (store/search_index.py).
        self.index_build: search_index.IndexBuild | None = None
        self.build_search_index()

    def build_search_index(self) -> search_index.IndexBuild | None:
        """Start building the factories' search index if a first sync left it pending
        (store/search_index.py); ``close`` stops the build. A store in memory (tests) has
        no second connection: built here and now."""
        if not search_index.is_pending(self.conn):
            return None
        if str(self.path) == ":memory:":
            with self._lock:
                search_index.rebuild(self.conn)
            return None
        if self.index_build is None or self.index_build.done.is_set():
            self.index_build = search_index.IndexBuild(str(self.path))
        return self.index_build

    @cached_property
    def db(self):
        """The connection as a ``sqlite_utils.Database`` (schema introspection, tools).

        Imported on first use: sqlite-utils costs ~60 ms to import, which the window's
        start-up should not pay before it is shown.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- metadata --------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def _device_id(self) -> str:
        with self.transaction():
            device = self.meta("device_id")
            if device is None:
                # Created once per database; it names this laptop in clocks and sync.
                device = uuid7().replace("-", "")
                self.set_meta("device_id", device)
        return device

    def _open_clock(self) -> HybridClock:
        """The device's clock, from its saved state. A state no stamp should come from
        (unreadable, or far beyond the present: pulled from a laptop whose date was wrong)
        is reset to now, so the store still opens and new changes get stamps that fit."""
        try:
            ahead = int(self.meta(SERVER_AHEAD) or 0)
        except ValueError:
            ahead = 0
        clock = HybridClock(self.device_id, ahead_ms=ahead)
        saved = self.meta("hlc")
        if not clock.restore(saved):
            log.warning("clock state %r is unreadable or far beyond the present: reset to %s",
                        saved, clock.last)
            with self.transaction():
                self.set_meta("hlc", str(clock.last))
        return clock

    def repair_clock(self) -> bool:
        """Reset the clock if it is beyond what the office accepts (the laptop's date was
        wrong and has been set right since); False if it had to. Only once the office's time
        was measured in this sync (sync/clock_check.py). Inside a transaction."""
        assert self._depth, "repair_clock() must run inside store.transaction()"
        last = str(self.clock.last)
        if self.clock.restore(last, self.clock.skew_ms):
            return True
        log.warning("clock %s is far beyond the present: reset to %s", last, self.clock.last)
        self.set_meta("hlc", str(self.clock.last))
        return False

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE); nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            saved_clock = self.clock.last if hasattr(self, "clock") else None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                # On some errors (a full disk, an I/O error) SQLite has already rolled the
                # transaction back: a ROLLBACK then fails, and its error hid the real one.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if saved_clock is not None:
                    self.clock.last = saved_clock
                raise
            finally:
                self._depth = 0

    def stamp(self) -> str:
        """A new clock timestamp, persisted in the current transaction."""
        assert self._depth, "stamp() must run inside store.transaction()"
        ts = self.clock.now()
        self.set_meta("hlc", ts)
        return ts

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Rows as dicts (read-only helper for the other store modules)."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        build = self.index_build
        if build is not None:
            build.stop()  # left pending if unfinished: built on the next open
        self.conn.close()  # first: the build may be waiting for this connection's lock
        if build is not None:
            build.join()
        self.closed = True

    closed = False   # set by close(): late callbacks (a worker's answer) must not use it

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """FieldAppError, before anything is written, for a file that is not a laptop's database:
    not SQLite at all (a PDF named by mistake), the office server's database, or another
    program's. Migrating any of them would write this app's tables into it."""
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_NOTADB":
            raise   # locked, unreadable: not a question of what the file is
        raise FieldAppError(f"ไฟล์นี้ไม่ใช่ฐานข้อมูลของ FieldApp (not a FieldApp database: "
                            f"{path}) — check --db; the file was not changed") from None
    if "server_meta" in tables:
        raise FieldAppError(f"นี่คือฐานข้อมูลของเซิร์ฟเวอร์สำนักงาน ไม่ใช่ของเครื่องผู้ตรวจ "
                            f"({path} is the office server's database, not a laptop's: it "
                            f"is used with fieldapp-server) — check --db; the file was not "
                            f"changed")
    if version == 0 and tables:
        raise FieldAppError(f"ไฟล์นี้ไม่ใช่ฐานข้อมูลของ FieldApp (not a FieldApp database: "
                            f"{path} holds another program's tables) — check --db; the file "
                            f"was not changed")


def refuse_newer(conn: sqlite3.Connection) -> int:
    """The schema version, or SchemaTooNewError before anything is written to the file."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"ฐานข้อมูลนี้มาจาก FieldApp รุ่นใหม่กว่า (database schema {current}, this app knows "
            f"up to {SCHEMA_VERSION}) — please update FieldApp; the file was not changed")
    return current


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Bring the schema up to ``target`` (default: the newest), one transaction per step.

    Refuses a database written by a newer FieldApp: laptops run mixed versions, and an older
    app writing to a newer schema could silently drop what it does not know.
    """
    target = SCHEMA_VERSION if target is None else target
    current = refuse_newer(conn)
    for number in range(current + 1, target + 1):
        script = MIGRATIONS[number - 1]
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\n"
                               "COMMIT;")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return schema_version(conn)


def checkpoint(path: str | Path) -> None:
    """Fold the WAL into the main database file, so that file is whole on its own (before it
    is moved or kept aside; no connection of this process may be open on it)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def open_store(path: str | Path, **kwargs) -> Store:
    """Open (creating and migrating as needed) the local database at ``path``."""
    return Store(path, **kwargs)
