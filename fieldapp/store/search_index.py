"""The factories' search index left to be built after a first sync, and its building.

Filling the trigram index (``factories_fts``) is the largest part of a first sync's work on
the laptop: about 0.1 s of 0.22 s for 10,000 factories, 1.2 s for a national registry. A
first sync therefore leaves the index empty (``defer``, inside the snapshot's transaction)
and the index is built right after the sync, on a thread and connection of its own, in ONE
transaction that also puts its triggers back (``Store.build_search_index``, ``rebuild``).

Meanwhile the state is consistent and says so: the meta key ``PENDING`` holds the SQL of
the full-text triggers, which are dropped, so no write touches the empty index, and search
(store/search.py) scans the table instead of the index, with the same results. The rebuild
indexes the table as it is when it runs, so rows written in between are indexed too.

What it must never do: leave the index neither whole nor marked pending. Everything it
changes is in one transaction with the mark. A crash, a failure or a close before the
index is whole leaves it pending, and the next ``open_store`` builds it again (the store
starts the build when it finds the mark). A migration that changes the
full-text triggers must handle a pending index (their SQL is in ``PENDING``, not in the
schema).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sqlite3
import threading

log = logging.getLogger(__name__)

PENDING = "search_index_pending"  # meta: JSON list of the full-text triggers' SQL
INDEX = "factories_fts"
BUILD_CACHE_KIB = 64 * 1024  # page cache of the building connection (see sync/snapshot.py)


# The insert trigger's one statement: the index's columns and the values it gives them.
_INSERT_TRIGGER = re.compile(
    rf"^\s*CREATE\s+TRIGGER\s+\S+\s+AFTER\s+INSERT\s+ON\s+factories\s+BEGIN\s+"
    rf"INSERT\s+INTO\s+{INDEX}\s*\((\s*rowid\s*,[^)]*)\)\s*VALUES\s*\((.*)\);\s*END\s*$",
    re.S | re.I)


def fill_sql(trigger_sql: str | None) -> str | None:
    """``INSERT INTO factories_fts(...) SELECT ... FROM factories f WHERE f.num > ?`` made
    from the insert trigger's own VALUES (``NEW.`` read from the table), so the index gets
    exactly what the trigger would have put there; None if ``trigger_sql`` is not the
    insert trigger in the shape expected."""
    match = _INSERT_TRIGGER.match(trigger_sql or "")
    if not match:
        return None
    values = re.sub(r"\bNEW\.", "f.", match.group(2))
    return (f"INSERT INTO {INDEX}({match.group(1)}) SELECT {values} "
            "FROM factories f WHERE f.num > ? ORDER BY f.num")


def pending_columns(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]] | None:
    """While the index is pending: for each indexed column, the SQL over ``factories f``
    of what the insert trigger puts in it, for search to scan the table with; None once
    the index is built. A column that is table columns joined by single spaces (``ids``,
    ``address``) is given as those columns: a text without spaces is in the joined text
    exactly when it is in one of them, and testing them one by one is ~3x faster."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (PENDING,)).fetchone()
    return None if row is None else _columns(row[0])


_JOINED = re.compile(r"^(?:f\.(\w+)|coalesce\(f\.(\w+), ''\))$")


@functools.lru_cache(maxsize=4)
def _columns(triggers_json: str) -> dict[str, tuple[str, ...]]:
    for sql in json.loads(triggers_json):
        match = _INSERT_TRIGGER.match(sql)
        if match:
            names = [n.strip() for n in match.group(1).split(",")]
            values = [re.sub(r"\bNEW\.", "f.", v).strip() for v in _top_level(match.group(2))]
            return {n: _parts(v) for n, v in zip(names, values, strict=True) if n != "rowid"}
    raise ValueError("no insert trigger among the pending search index's triggers")


def _parts(sql: str) -> tuple[str, ...]:
    """``sql`` as the table columns it joins with spaces, or whole if it is anything else
    (NULL contains no text, so a coalesce to '' changes nothing for the scan)."""
    found = [_JOINED.match(part.strip()) for part in sql.split("|| ' ' ||")]
    if all(found):
        return tuple(f"f.{m.group(1) or m.group(2)}" for m in found if m)
    return (sql,)


def _top_level(values: str) -> list[str]:
    """``values`` split at the commas outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(values):
        if c == "'":
            quoted = not quoted
        elif not quoted and c in "()":
            depth += 1 if c == "(" else -1
        elif not quoted and depth == 0 and c == ",":
            parts.append(values[start:i])
            start = i + 1
    return [*parts, values[start:]]


def _triggers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                        f"tbl_name = 'factories' AND sql LIKE '%{INDEX}%' ORDER BY name"
                        ).fetchall()


def is_pending(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (PENDING,)).fetchone() is not None


def defer(conn: sqlite3.Connection) -> bool:
    """Inside the caller's transaction, before factories are bulk-inserted into an empty
    table: drop the full-text triggers and mark the index pending (to be built after the
    commit). False, with nothing changed, if the insert trigger is not in the shape
    ``rebuild`` can fill from; True if pending (already, or now)."""
    if is_pending(conn):
        return True
    triggers = _triggers(conn)
    if not any(map(fill_sql, (sql for _, sql in triggers))):
        return False
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                 (PENDING, json.dumps([sql for _, sql in triggers])))
    return True


def rebuild(conn: sqlite3.Connection) -> bool:
    """Build a pending index from the table and put its triggers back, in ONE transaction
    (BEGIN IMMEDIATE: no write to factories can come in between). False if nothing was
    pending (another connection built it first)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (PENDING,)).fetchone()
        if row is None:
            conn.execute("COMMIT")
            return False
        triggers = json.loads(row[0])
        fill = next(filter(None, map(fill_sql, triggers)))
        # Empties the index through FTS5 itself, whatever an earlier first sync cut short
        # or a removed registry left in it.
        conn.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('delete-all')")
        conn.execute(fill, (0,))
        for sql in triggers:
            conn.execute(sql)
        conn.execute("DELETE FROM meta WHERE key = ?", (PENDING,))
        conn.execute("COMMIT")
        return True
    except BaseException:
        if conn.in_transaction:  # an interrupt has rolled it back already
            conn.execute("ROLLBACK")
        raise


class IndexBuild:
    """``rebuild`` on a thread and connection of its own, for a store on a file. ``stop``
    interrupts it (the index stays pending and is built on the next open)."""

    def __init__(self, path: str):
        self.path = path
        self.done = threading.Event()
        self.built = False
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self.thread = threading.Thread(target=self._run, name="search-index", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self._lock:
                if self._stopped:
                    return
                self._conn = conn = sqlite3.connect(self.path, isolation_level=None,
                                                    timeout=30, check_same_thread=False)
            conn.execute("PRAGMA synchronous = FULL")  # as durable as the store's commits
            conn.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
            if not self._stopped:
                self.built = rebuild(conn)
        except sqlite3.Error as exc:
            # Stopped by close (the app quit, or a benchmark's process ended): expected,
            # and repaired on the next open like any other unfinished build.
            report = log.info if self._stopped else log.warning
            report("search index not built (%s); it is built on the next start", exc)
        finally:
            with self._lock:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
            self.done.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    def stop(self) -> None:
        """Interrupt the build (left pending: built on the next open); ``join`` waits for it
        to end. Between statements an interrupt may come too late: the build then ends."""
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()

    def join(self) -> None:
        self.thread.join()
