"""Applying the first-sync snapshot while it streams in (format: ``P.SNAPSHOT_LINES``).

Rows are written as they arrive, so the laptop's work overlaps the server's encoding and the
network, but all of it happens in ONE local transaction that also saves the cursor, the
scope and the "bootstrapped" mark. Anything that stops the stream before its closing line
(a cut connection, a cancel, a crash, a damaged or short stream) rolls the whole snapshot
back: the store is as before, and the next sync takes the snapshot again. A cursor is never
saved without every row it covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from fieldapp.store import left_scope, sync_apply, sync_state
from fieldapp.store.changes import now_iso
from fieldapp.store.db import Store
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncError

APPLY_ROWS = 2000  # rows written per step while the rest streams in
# Applied after everything else, as within a page (sync_apply.APPLY_ORDER): children of an
# inspection land while it is still in its local state, and its finalize comes after them.
HELD_BACK = ("inspections",)
# SQLite's page cache while a snapshot is applied (KiB; the default is 2 MB). A first sync of
# 10,000 factories dirties about 10 MB of pages (rows, indexes, full-text index) before its
# one commit: with the default cache, pages are spilled to the WAL and read back while the
# transaction goes on (apply 10% slower). Memory is taken only as pages are used, and given
# back when the cache is set back afterwards.
SNAPSHOT_CACHE_KIB = 64 * 1024


class ReadAhead:
    """Iterate ``source`` (the streamed snapshot's batches) on a thread of its own, up to
    ``depth`` batches ahead of the caller, who iterates this object.

    Why: a first sync is the laptop's SQLite work (inserting rows, filling the search index)
    plus reading the stream (waiting for bytes, gunzip, JSON). SQLite releases the GIL while
    it works, so reading the next batches meanwhile takes them off the critical path
    (issue 16). Nothing else changes: the caller still applies every batch, in order, in
    its one transaction; an error while reading is raised to the caller at the batch where
    it happened, and ``close()`` (also on an error or a cancel in the caller) stops the
    reader and closes the stream.
    """

    _DONE = object()

    def __init__(self, source: Iterable, depth: int = 4):
        import queue
        import threading
        self._source = source
        self._queue: queue.Queue = queue.Queue(depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="snapshot-read", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        import queue
        try:
            for item in self._source:
                while not self._stop.is_set():
                    try:
                        self._queue.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._queue.put((self._DONE, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, raised there
            self._queue.put((None, exc))
        finally:
            close = getattr(self._source, "close", None)
            if close is not None:
                close()

    def __iter__(self) -> Iterator:
        while True:
            item, error = self._queue.get()
            if error is not None:
                raise error
            if item is self._DONE:
                return
            yield item

    def close(self) -> None:
        import queue
        self._stop.set()
        while self._thread.is_alive():
            try:  # let a reader blocked on a full queue see the stop
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
            self._thread.join(0.05)


def damaged(why: str) -> SyncError:
    return SyncError(f"the server's snapshot is damaged or incomplete ({why}); nothing of it "
                     "was kept, it is taken again next sync", P.E_BAD_REQUEST)


def apply_snapshot(store: Store, batches: Iterable[list], check: Callable[[], None],
                   progress: Callable[[str, int, int], None]) -> tuple[dict, int]:
    """Apply the snapshot lines of ``batches`` (lists of parsed lines, in order); returns the
    apply counts and the cursor to pull from. ``check`` runs between batches (cancel)."""
    with _roomy_cache(store), store.transaction():
        applier = sync_apply.RowApplier(store, P.COLUMNS)
        head: dict | None = None
        columns: list[str] | None = None
        end: int | None = None
        seen = waiting = 0
        run: list[list] = []  # rows of the current table, as they came
        # The office's rows listed, per table: any other this laptop holds is no longer
        # this user's to read (left_scope.forget_unlisted).
        listed: dict[str, set[str]] = {t: set() for t in P.OFFICE_TABLES}
        ids: set[str] | None = None
        id_at = 0
        current: tuple[str, list[str], list[list]] | None = None
        ready: list[tuple[str, list[str], list[list]]] = []
        held: list[tuple[str, list[str], list[list]]] = []
        for lines in batches:
            check()
            for line in lines:
                if end is not None:
                    raise damaged("lines after the end")
                if isinstance(line, list):
                    if columns is None or len(line) != len(columns):
                        raise damaged("a row out of place")
                    run.append(line)
                    if ids is not None:
                        ids.add(line[id_at])
                    seen += 1
                    waiting += 1
                elif not isinstance(line, dict):
                    raise damaged("an unknown line")
                elif head is None:
                    if line.get("protocol") != P.PROTOCOL_VERSION or not isinstance(
                            line.get("cursor"), int) or not isinstance(line.get("rows"), int):
                        raise damaged("no valid first line")
                    head = line
                elif "table" in line:
                    table, columns = line["table"], line.get("columns")
                    if not isinstance(columns, list) or "id" not in columns \
                            or "updated_hlc" not in columns:
                        raise damaged(f"bad columns for {table}")
                    run = []
                    current = (table, columns, run)
                    (held if table in HELD_BACK else ready).append(current)
                    ids, id_at = listed.get(table), columns.index("id")
                elif "end" in line:
                    end = line["end"]
                else:
                    raise damaged("an unknown line")
            if waiting >= APPLY_ROWS:
                _apply(applier, ready)
                ready = []
                if current is not None and current[0] not in HELD_BACK:
                    # the current table goes on in a new run (what it had is written)
                    run = []
                    current = (current[0], current[1], run)
                    ready.append(current)
                waiting = 0
                progress("snapshot", seen, head["rows"] if head else 0)
        if head is None or end is None:
            raise damaged("cut short")
        if not end == seen == head["rows"]:
            raise damaged(f"{seen} rows arrived of {head['rows']}")
        check()
        _apply(applier, ready)
        _apply(applier, held)
        old_scope = sync_state.get_state(store, "scope")
        applier.finish(head["cursor"], {"bootstrapped": now_iso(), "scope": head.get("scope")})
        # A narrower scope (a province revoked): its registry rows leave this laptop too;
        # after finish(), which rebuilds any index the snapshot suspended.
        left_scope.forget_revoked(store, old_scope, head.get("scope"))
        # A complaint or plan re-assigned away while this laptop's cursor was behind the
        # snapshot: its tombstone (server/pull.py) lies before the new cursor.
        left_scope.forget_unlisted(store, listed)
    progress("snapshot", seen, seen)
    return applier.counts, head["cursor"]


def _apply(applier: sync_apply.RowApplier, runs: list[tuple[str, list[str], list[list]]]) -> None:
    for table, columns, rows in runs:
        applier.add_values(table, columns, rows)


@contextmanager
def _roomy_cache(store: Store) -> Iterator[None]:
    """At least ``SNAPSHOT_CACHE_KIB`` of page cache until the snapshot is committed (or rolled
    back), then the connection's own setting again."""
    conn = store.conn
    old = conn.execute("PRAGMA cache_size").fetchone()[0]
    # negative: KiB; positive: pages
    kib = -old if old < 0 else old * conn.execute("PRAGMA page_size").fetchone()[0] // 1024
    if kib >= SNAPSHOT_CACHE_KIB:
        yield
        return
    conn.execute(f"PRAGMA cache_size = -{SNAPSHOT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(old)}")
