"""The server on PostgreSQL (psycopg 3), for a ministry-wide deployment.

Writers take one transaction-level advisory lock before they assign change sequence numbers,
and hold it until COMMIT. So sequence numbers become visible in the order they were handed
out, and a puller that has seen change N has seen every change below N: the cursor never
skips a change committed late by a slower, concurrent pusher. Reads use REPEATABLE READ so a
snapshot or a page is one consistent view.

A push (``push_write``) does not take that lock. It reads and locks the rows it touches
(``SELECT … FOR UPDATE``) and works out every change side by side with other pushes; then it
numbers them by adding to the change counter (``reserve_sequence``), whose row stays locked
until it commits, writes them and commits. Pushes commit in the order of their numbers as
before, and hold the counter for a few round trips instead of the whole push. Pushes that
clash (a deadlock between their row locks, or both creating the same new row) fail with an
error that ``retryable`` recognises, and the push runs again.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from fieldapp.server.storage import Conn, Database

# What a push that clashed with a concurrent one fails with; running it again settles it.
_CLASHES = (psycopg.errors.DeadlockDetected, psycopg.errors.UniqueViolation,
            psycopg.errors.SerializationFailure)

# A query is prepared on the server the second time a connection runs it (``executemany``
# the first time), so PostgreSQL parses it once, not on every run: a day's sync is about 30
# statements, and parsing them was a tenth of PostgreSQL's work for it. Every run is still
# planned for its own values (``plan_cache_mode``, set on each new connection): a generic
# plan, made once and kept, may be one made while ``records`` was small, e.g. a sequential
# scan for ``tbl = $1 AND id = ANY($2)``, profiled at 48 ms a lookup during a bulk push
# against well under a millisecond planned per run. PostgreSQL before 12 has no such
# setting: there nothing is prepared.
_CONNECT = {"autocommit": True, "prepare_threshold": 1}
_PER_CONNECTION = "SET plan_cache_mode = force_custom_plan"
_PLAN_CACHE_MODE_SINCE = 120000


def _stale_plan(exc: BaseException) -> bool:
    """A prepared query whose table another process has changed since ("cached plan must
    not change result type": an upgrade migrating while older processes still serve); run
    again on a new connection, it is prepared afresh. Told by where PostgreSQL raised it,
    as the message may be in the server's language."""
    return isinstance(exc, psycopg.errors.FeatureNotSupported) \
        and exc.diag.source_function == "RevalidateCachedQuery"


# Any fixed 64-bit number; it names "the change-sequence lock" for this application.
SEQUENCE_LOCK = 0x46_49_45_4C_44_41_50_50  # "FIELDAPP"

log = logging.getLogger(__name__)


class _Statistics:
    """Keeps the planner's statistics of the fastest-growing tables fresh (``ANALYZE``).

    A province's end of day adds tens of thousands of rows to ``records`` and ``ops``; until
    autovacuum's next round (a minute away at best, never where it is turned off) they are
    planned as the small tables they were, and a pull's "my rows after my cursor" walked the
    change sequence past every other inspector's rows. So after writes, at most every
    CHECK_EVERY_S a process, a thread asks PostgreSQL how much changed since each table's
    last ANALYZE and analyzes those past autovacuum's own threshold.

    A young office's tables grow many times over within those seconds (300 laptops' end of
    day on an office of 200 factories: 200 rows to 32,000 in seven), and a page planned on
    statistics of a table a hundredth its size took 12 ms instead of 0.2. So it also looks
    every SOON_S, and analyzes at once a table that more than doubled since its last
    ANALYZE: statistics stay within half of the truth, for a few cheap ANALYZEs of small
    tables (each costs what its sample of at most 30,000 rows costs)."""

    CHECK_EVERY_S = 5.0
    SOON_S = 0.5
    WATCHED = ("records", "ops")

    def __init__(self, db: PostgresDatabase):
        self.db = db
        self.next_check = 0.0   # the next look at all
        self.next_due = 0.0     # the next look that analyzes past the ordinary threshold
        self.busy = threading.Lock()
        self.stopped = False
        self.runs = 0  # tables analyzed (tests)

    def wrote(self) -> None:
        now = time.monotonic()
        if now < self.next_check or not self.busy.acquire(blocking=False):
            return
        if self.stopped:
            self.busy.release()
            return
        self.next_check = now + self.SOON_S
        due = now >= self.next_due
        if due:
            self.next_due = now + self.CHECK_EVERY_S
        threading.Thread(target=self._refresh, args=(due,), daemon=True,
                         name="pg-statistics").start()

    def _refresh(self, due: bool) -> None:
        try:
            with self.db._borrow() as raw:
                # Past autovacuum's default threshold (and 500 rows); before it is due, only
                # a table whose changes outnumber the rows it had (grown past twice its size).
                stale = [name for name, changed, rows in raw.execute(
                    "SELECT relname, n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables "
                    "WHERE schemaname = current_schema() AND relname = ANY(%s)",
                    (list(self.WATCHED),))
                    if changed > 500 + 0.1 * rows and (due or 2 * changed > rows)]
                for name in stale:
                    raw.execute(f"ANALYZE {name}")  # a name from WATCHED
                    self.runs += 1
        except psycopg.Error as exc:  # closing, or the database went away: next time
            log.info("planner statistics not refreshed (%s)", exc)
        finally:
            self.busy.release()

    def stop(self) -> None:
        """No more checks; waits for one under way (it holds a connection of the pool)."""
        self.stopped = True
        if self.busy.acquire(timeout=30):
            self.busy.release()


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 16):
        self.url = url
        self._idle: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._all: list[psycopg.Connection] = []
        self._guard = threading.Lock()
        self.statistics = _Statistics(self)

    @contextmanager
    def _borrow(self) -> Iterator[psycopg.Connection]:
        self._slots.acquire()
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            if conn.closed or conn.broken:
                conn = self._connect()
            try:
                yield conn
            except psycopg.errors.FeatureNotSupported as exc:
                if _stale_plan(exc):
                    # Its prepared queries may all be stale: the connection goes, whatever
                    # psycopg would remember of them (outside a transaction it forgets
                    # nothing, and the same query would fail every time).
                    conn.close()
                raise
            finally:
                if not conn.closed and not conn.broken:
                    self._idle.put(conn)
        finally:
            self._slots.release()

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, **_CONNECT)
        try:
            if conn.info.server_version >= _PLAN_CACHE_MODE_SINCE:
                conn.execute(_PER_CONNECTION)
            else:
                conn.prepare_threshold = None
        except BaseException:
            conn.close()
            raise
        with self._guard:
            self._all.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[Conn]:
        with self._borrow() as raw, raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (SEQUENCE_LOCK,))
            yield _WriteConn(raw, self.dialect)
        self.statistics.wrote()

    @contextmanager
    def push_write(self) -> Iterator[Conn]:
        with self._borrow() as raw, raw.transaction():
            yield _LateConn(raw, self.dialect)
        self.statistics.wrote()

    def retryable(self, exc: BaseException) -> bool:
        return isinstance(exc, _CLASHES) or _stale_plan(exc)

    @contextmanager
    def read(self) -> Iterator[Conn]:
        # Named on the connection, psycopg opens the transaction with them in its BEGIN:
        # one round trip fewer than a SET TRANSACTION after it, on every read.
        with self._borrow() as raw:
            raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            raw.read_only = True
            try:
                with raw.transaction():
                    yield Conn(raw, self.dialect)
            finally:
                if not raw.closed:
                    raw.isolation_level = None
                    raw.read_only = None

    @contextmanager
    def statement(self) -> Iterator[Conn]:
        # Autocommit: the one statement is its own transaction.
        with self._borrow() as raw:
            yield Conn(raw, self.dialect)

    def blob_write(self):
        # Attachment chunks take row locks (SELECT … FOR UPDATE in blobs.py), not the
        # sequence lock: an 8 MB chunk must not hold up every push.
        return self.unlocked()

    @contextmanager
    def unlocked(self) -> Iterator[Conn]:
        """A plain read-committed transaction (migrations, admin reads)."""
        with self._borrow() as raw, raw.transaction():
            yield Conn(raw, self.dialect)

    def close(self) -> None:
        self.statistics.stop()
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()


class _WriteConn(Conn):
    """A write transaction on PostgreSQL. Pushes do not take the advisory lock
    (``push_write``): ``hold_sequence`` keeps them from numbering changes meanwhile."""

    def hold_sequence(self) -> None:
        self.raw.execute(_HOLD)


class _LateConn(_WriteConn):
    """A push's read-committed transaction: numbers its changes when it has worked them out."""

    late_sequence = True
    for_update = " FOR UPDATE"

    def reserve_sequence(self, count: int) -> int:
        return self.raw.execute(_RESERVE, (count, count)).fetchone()[0]


# The change counter's row is the lock that orders pushes' commits (see the module's text).
_HOLD = "SELECT value FROM counters WHERE name = 'change_seq' FOR UPDATE"
_RESERVE = ("UPDATE counters SET value = value + %s WHERE name = 'change_seq' "
            "RETURNING value - %s")
