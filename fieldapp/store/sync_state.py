"""The laptop's side of sync in SQL: outbox answers, the pull cursor, applying server rows.

Rows that arrive from the server are written here WITHOUT an outbox entry (they are not local
changes). A field that still has an unsent local change keeps its local value: the change
will be pushed next and the server's merge decides; a pulled row never silently undoes
something typed on this laptop. The pull cursor lives in table ``sync_state`` and is saved
in the same transaction as the rows of its page.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable
from operator import itemgetter

import orjson

from fieldapp.store.blobs import has_blob
from fieldapp.store.db import Store
from fieldapp.store.resync import take_server_rows
from fieldapp.store.wirejson import dumps, loads

log = logging.getLogger(__name__)

CURSOR = "pull_cursor"

# Apply order inside one page: inspections last, so that updates to the children of an
# inspection land while it is still a draft here and the finalize comes after them (the
# schema refuses changes under a finalized inspection). Foreign keys are deferred, so a
# child may be written before its parent within the transaction.
APPLY_ORDER = ("factories", "template_versions", "participants", "attachments", "answers",
               "findings", "signatures", "inspections")


# -- sync_state key/value ----------------------------------------------------------------

def get_state(store: Store, key: str, default: str | None = None) -> str | None:
    row = store.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row and row[0] is not None else default


def set_state(store: Store, key: str, value: str | None) -> None:
    with store.transaction():
        store.conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           (key, value))


def cursor(store: Store) -> int:
    return int(get_state(store, CURSOR, "0"))


# -- outbox --------------------------------------------------------------------------------

def pending_ops(store: Store, limit: int) -> list[dict]:
    """The oldest unsent local changes, as push operations."""
    return pending_after(store, 0, limit)[0]


def pending_after(store: Store, after_seq: int, limit: int,
                  max_bytes: int = 8 * 1024 * 1024,
                  stop_before_table: str | None = None) -> tuple[list[dict], int]:
    """Up to ``limit`` unsent changes with outbox seq above ``after_seq``, oldest first, and
    the seq of the last one (``after_seq`` if none). Lets the sync engine read the next
    batch while the previous one is still on its way to the server. A batch stops early
    past ``max_bytes`` of payload (always at least one change), so a batch of large
    payloads (drawn signatures) stays well under the server's body limit. With
    ``stop_before_table`` the batch ends before the first change to that table (attachment
    rows wait for their bytes)."""
    rows = _pending_rows(store, after_seq, limit, max_bytes, stop_before_table)
    ops = [{"op_id": r[1], "table": r[2], "row_id": r[3], "op": r[4],
            "payload": loads(r[5]), "hlc": r[6]} for r in rows]
    return ops, (rows[-1][0] if rows else after_seq)


def pending_batch(store: Store, after_seq: int, limit: int,
                  max_bytes: int = 8 * 1024 * 1024,
                  stop_before_table: str | None = None,
                  blobs_sent: set[str] | None = None
                  ) -> tuple[list[dict], list[tuple[int, str]], int]:
    """``pending_after`` for pushing: each payload is the outbox's own JSON text, wrapped
    as an ``orjson.Fragment`` so encoding the request copies it instead of parsing and
    re-encoding it (a quarter of the laptop's work in a bulk push). Also returns the
    ``(outbox seq, op_id)`` of each change, for ``record_acks``.

    A payload holding NaN or Infinity (``json.dumps`` writes them, JSON has no such
    numbers) is parsed and re-encoded as before, so the server gets what it got before
    (``null``); the text test may also catch such words inside a string, which only costs
    the parse.

    ``blobs_sent`` (the hashes this sync run uploaded or found on the server): the batch
    also ends before a change to an attachment whose bytes are here but not among them, a
    photo taken while the sync ran; it goes, bytes first, with the next upload.
    """
    rows = _pending_rows(store, after_seq, limit, max_bytes, stop_before_table, blobs_sent)
    ops = [{"op_id": r[1], "table": r[2], "row_id": r[3], "op": r[4],
            "payload": _payload_fragment(r[5]), "hlc": r[6]} for r in rows]
    return ops, [(r[0], r[1]) for r in rows], (rows[-1][0] if rows else after_seq)


def _pending_rows(store: Store, after_seq: int, limit: int, max_bytes: int,
                  stop_before_table: str | None,
                  blobs_sent: set[str] | None = None) -> list[tuple]:
    rows = store.conn.execute(
        "SELECT seq, op_id, table_name, row_id, op, payload, hlc FROM outbox "
        "WHERE status = 'pending' AND seq > ? ORDER BY seq LIMIT ?",
        (after_seq, limit)).fetchall()
    size = 0
    for n, r in enumerate(rows):
        size += len(r[5])
        if (size > max_bytes and n) or r[2] == stop_before_table:
            return rows[:n]
        if blobs_sent is not None and r[2] == "attachments" and _bytes_unsent(
                store, r[3], blobs_sent):
            return rows[:n]
    return rows


def _bytes_unsent(store: Store, attachment_id: str, blobs_sent: set[str]) -> bool:
    """Whether this attachment's bytes are on this laptop but were not sent in this run
    (bytes that are not here came from the server with the row: it has them)."""
    row = store.conn.execute("SELECT sha256 FROM attachments WHERE id = ?",
                             (attachment_id,)).fetchone()
    return row is not None and row[0] not in blobs_sent and store.blob_dir is not None \
        and has_blob(store.blob_dir, row[0])


def _payload_fragment(text: str) -> orjson.Fragment:
    if "NaN" in text or "Infinity" in text:
        return orjson.Fragment(dumps(loads(text)))
    return orjson.Fragment(text)


def record_acks(store: Store, acks: list[dict],
                sent: list[tuple[int, str]] | None = None,
                columns: dict[str, tuple[str, ...]] | None = None) -> tuple[int, int]:
    """Mark pushed changes acknowledged or rejected (with the server's reason).

    A rejected change stays in the outbox with status ``rejected`` and its reason, so it is
    never lost and the inspector can see why. Returns (acked, rejected).

    A change refused because the record was finalized on another laptop comes with the
    server's row (``current``); with ``columns`` (the synced columns per table) the local
    row becomes the office's copy in the same transaction (store/resync.py).

    ``sent`` (from ``pending_batch``: outbox seq and op_id of each change, in the order
    pushed) lets a run of plain "applied" answers be written with ONE ranged UPDATE: where
    both the outbox seqs and the server's seqs go up by one from change to change, the
    changes are all the outbox rows in that seq range (seq is the integer primary key, so
    consecutive numbers leave no room for another row), and each row's server seq follows
    from its own. Any other answer is written by op_id as always.
    """
    updates = []
    ranges = []
    start = None  # index in acks where the current run of plain applied answers began
    keyed = sent is not None and len(sent) == len(acks)
    for n, ack in enumerate(acks):
        outcome = ack.get("first_outcome") or ack["outcome"]
        status = "rejected" if outcome == "rejected" else "acked"
        plain = keyed and ack["outcome"] == "applied" and ack.get("reason") is None \
            and type(ack.get("seq")) is int and ack["op_id"] == sent[n][1]
        if plain and start is not None and sent[n][0] == sent[n - 1][0] + 1 \
                and ack["seq"] == acks[n - 1]["seq"] + 1:
            continue  # extends the run
        if start is not None:
            ranges.append((start, n - 1))
            start = None
        if plain:
            start = n
            continue
        updates.append((status, ack.get("seq"), ack["outcome"], ack.get("reason"),
                        ack["op_id"]))
    if start is not None:
        ranges.append((start, len(acks) - 1))
    rejected = sum(1 for u in updates if u[0] == "rejected")
    with store.transaction():
        for first, last in ranges:
            if first == last:
                ack = acks[first]
                updates.append(("acked", ack["seq"], ack["outcome"], None, ack["op_id"]))
                continue
            low, high = sent[first][0], sent[last][0]
            store.conn.execute(
                "UPDATE outbox SET status = 'acked', server_seq = ? + (seq - ?), "
                "outcome = 'applied', reason = NULL "
                "WHERE seq BETWEEN ? AND ? AND status = 'pending'",
                (acks[first]["seq"], low, low, high))
        store.conn.executemany(
            "UPDATE outbox SET status = ?, server_seq = ?, outcome = ?, reason = ? "
            "WHERE op_id = ? AND status = 'pending'", updates)
        # Only a refusal carries the server's copy (a server bug must not rewrite rows).
        currents = [a["current"] for a in acks if a.get("current") and "rejected" in (
            a.get("outcome"), a.get("first_outcome"))]
        if currents and columns is not None:
            take_server_rows(store, currents, columns)
    return len(acks) - rejected, rejected


def forget_revoked(store: Store, old_scope: str | None, new_scope: str | None) -> int:
    """Remove the registry rows of provinces the inspector no longer holds, when a new
    snapshot brings a narrower scope (``scope_of`` on the server: "admin" or the granted
    province codes joined by commas). Call inside the snapshot's transaction.

    Only provinces that WERE in the old scope go (a registry file imported on this laptop
    stays), and of them no factory that an inspection here refers to or that holds an
    unsent change. Rows are removed without outbox entries: this is not a change to send.
    Returns the number of factories removed."""
    if not old_scope or not new_scope or "admin" in (old_scope, new_scope) \
            or old_scope == new_scope:
        return 0   # an admin's laptop held everything: nothing says which rows came how
    gone = sorted(set(old_scope.split(",")) - set(new_scope.split(",")) - {""})
    if not gone:
        return 0
    return store.conn.execute(
        f"DELETE FROM factories WHERE province_code IN ({', '.join('?' * len(gone))}) "
        "AND id NOT IN (SELECT factory_id FROM inspections) "
        "AND id NOT IN (SELECT row_id FROM outbox WHERE status = 'pending' "
        "AND table_name = 'factories')", gone).rowcount


def pending_count(store: Store) -> int:
    """Local changes not yet on the server (for the status bar)."""
    return store.conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]


def rejected_changes(store: Store, limit: int = 200) -> list[dict]:
    """Changes the server refused, newest first, with the reason in words."""
    return store.query("SELECT seq, op_id, table_name, row_id, op, payload, hlc, created_at, "
                       "reason FROM outbox WHERE status = 'rejected' ORDER BY seq DESC LIMIT ?",
                       (limit,))


def pending_blob_hashes(store: Store) -> list[str]:
    """Attachment bytes the server may still lack: those of attachment rows with an unsent
    change (once a change is acknowledged its bytes were uploaded before it)."""
    rows = store.query(
        "SELECT DISTINCT a.sha256 FROM outbox o JOIN attachments a ON a.id = o.row_id "
        "WHERE o.status = 'pending' AND o.table_name = 'attachments'")
    # Deleted rows too: a photo deleted after it was taken may reach the server before its
    # deletion does. Bytes that are not here came from the server (it has them).
    return [r["sha256"] for r in rows
            if store.blob_dir is not None and has_blob(store.blob_dir, r["sha256"])]


def missing_local_blobs(store: Store) -> list[str]:
    """Hashes of live attachment rows whose bytes are not on this laptop yet."""
    if store.blob_dir is None:
        return []
    rows = store.query("SELECT DISTINCT sha256 FROM attachments WHERE deleted = 0")
    return [r["sha256"] for r in rows if not has_blob(store.blob_dir, r["sha256"])]


# -- applying server rows -----------------------------------------------------------------

def _pending_fields(store: Store) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for r in store.conn.execute("SELECT table_name, row_id, op, payload FROM outbox "
                                "WHERE status = 'pending'"):
        names = found.setdefault((r[0], r[1]), set())
        names.update({"deleted"} if r[2] == "delete" else json.loads(r[3]))
    return found


def apply_rows(store: Store, changes: list[dict], columns: dict[str, tuple[str, ...]],
               new_cursor: int | None) -> dict:
    """Write server rows (``{"t": table, "row": {...}}``) and move the cursor, in ONE
    transaction: a crash leaves either the page and its cursor, or neither.

    Returns counts: applied, unchanged, skipped (refused locally, e.g. under a finalized
    inspection; logged).
    """
    with store.transaction():
        applier = RowApplier(store, columns)
        applier.add(changes)
        applier.finish(new_cursor)
    return applier.counts


class RowApplier:
    """Applies server rows in several calls within the caller's ONE transaction (a streamed
    snapshot: rows are written as they arrive), then moves the cursor with ``finish``.

    Each ``add`` writes its rows in ``APPLY_ORDER``; a caller adding in several calls keeps
    that order across calls itself (the snapshot holds inspections back until the end).
    ``state`` given to ``finish`` (e.g. the snapshot's scope) is saved with the cursor.
    """

    def __init__(self, store: Store, columns: dict[str, tuple[str, ...]]):
        assert store._depth, "RowApplier runs inside store.transaction()"
        self.store = store
        self.columns = columns
        self.counts = {"applied": 0, "unchanged": 0, "skipped": 0}
        self.pending = _pending_fields(store)
        self.newest = ""
        self.fresh: dict[str, bool] = {}  # table -> empty when this applier first wrote it
        self.loads: dict[str, _BulkLoad] = {}  # fresh tables whose indexes are built at the end

    def add_values(self, table: str, columns: list[str], rows: list[list]) -> None:
        """Rows as value lists in ``columns`` order (a snapshot). Into a table that was
        empty when this applier first came to it (a first sync) and has no unsent local
        change, they are inserted as they are, in bulk, with no per-row work: every row
        there was written by this transaction, so a repeated id can only come from the
        server's own rows, and the UNIQUE constraint catches it. Anything else (or that
        constraint firing) goes the way of ``add``."""
        content = self.columns.get(table)
        if content is None or not rows:
            return
        names = ["id", *content, "updated_hlc", "device_id", "deleted"]
        if table not in self.fresh:
            self.fresh[table] = not any(k[0] == table for k in self.pending) and \
                self.store.conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
        if self.fresh[table] and list(columns) == names:
            if table not in self.loads and len(rows) >= BULK_FTS_ROWS:
                self.loads[table] = _BulkLoad(self.store, table)
            inserted = _insert_values(self.store, table, names, rows,
                                      index_now=table not in self.loads)
        else:
            inserted = False
        if inserted:
            hlc = len(names) - 3
            self.newest = max(self.newest, max(r[hlc] for r in rows))
            self.counts["applied"] += len(rows)
            return
        self.add([{"t": table, "row": dict(zip(columns, r, strict=True))} for r in rows])

    def add(self, changes: list[dict]) -> None:
        self._end_loads()  # rows may be updated from here on: every index must be whole
        store, columns, counts = self.store, self.columns, self.counts
        ordered = [c for c in changes if c.get("t") in columns]
        for table in APPLY_ORDER:
            rows = [c["row"] for c in ordered if c["t"] == table]
            if not rows:
                continue
            self.newest = max([self.newest, *(r["updated_hlc"] for r in rows)])
            fresh = _insert_new(store, table, rows, columns[table], self.pending)
            for row in rows:
                if row["id"] in fresh:
                    counts["applied"] += 1
                    continue
                outcome = _apply_one(store, table, row, columns[table],
                                     self.pending.get((table, row["id"]), set()))
                counts[outcome] += 1

    def finish(self, new_cursor: int | None, state: dict[str, str | None] | None = None) -> None:
        self._end_loads()
        store = self.store
        if self.newest:
            store.clock.observe(self.newest)
            store.set_meta("hlc", str(store.clock.last))
        saved = dict(state or {})
        if new_cursor is not None:
            saved[CURSOR] = str(new_cursor)
        if saved:
            store.conn.executemany("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   list(saved.items()))


    def _end_loads(self) -> None:
        for load in self.loads.values():
            load.end()
        self.loads.clear()


class _BulkLoad:
    """A table a first-sync snapshot fills from empty: its full-text index (factories) and
    its plain indexes are built once, after the rows are in, instead of row by row.

    Only indexes that enforce nothing are dropped (not UNIQUE ones, so a repeated id is
    still refused at once); each is recreated from its own stored SQL. The full-text index
    is filled as ``_FtsDeferred`` does. ``RowApplier`` ends a load before anything but a
    plain insert touches the table (an update of a row not yet in the full-text index would
    corrupt it) and before saving the cursor. DDL is transactional: a rollback restores the
    indexes and the trigger.
    """

    def __init__(self, store: Store, table: str):
        self.conn = store.conn
        self.fts = _FtsDeferred(store) if table == "factories" else None
        self.indexes = [(name, sql) for name, sql in self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", (table,))
            if not re.match(r"\s*CREATE\s+UNIQUE\b", sql, re.I)]
        if self.fts:
            self.fts.suspend()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def end(self) -> None:
        if self.fts:
            self.fts.catch_up()
        for _, sql in self.indexes:
            self.conn.execute(sql)
        self.indexes = []


def _insert_new(store: Store, table: str, rows: list[dict], content: tuple[str, ...],
                pending: dict) -> set[str]:
    """Insert, in bulk, the rows this laptop does not have yet (a first sync is all of
    them); returns their ids. Anything unusual is left to the row-by-row path."""
    ids = [r["id"] for r in rows]
    have: set[str] = set()
    empty = store.conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
    for start in range(0, 0 if empty else len(ids), 500):  # a first sync has nothing yet
        chunk = ids[start:start + 500]
        have.update(r[0] for r in store.conn.execute(
            f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    names = ["id", *content, "updated_hlc", "device_id", "deleted"]
    groups: dict[tuple[str, ...], list[tuple]] = {}
    seen: set[str] = set()
    # Rows of one page nearly all have the same keys: work out the columns and a C-level
    # getter once per distinct key tuple, not once per row.
    shapes: dict[tuple[str, ...], tuple[tuple[str, ...], Callable]] = {}
    for row in rows:
        rid = row["id"]
        if rid in have or rid in seen or (table, rid) in pending:
            continue
        seen.add(rid)
        keys = tuple(row)
        shape = shapes.get(keys)
        if shape is None:
            cols = tuple(n for n in names if n in row)
            getter = itemgetter(*cols) if len(cols) > 1 else (lambda r: (r["id"],))
            shape = shapes[keys] = (cols, getter)
        groups.setdefault(shape[0], []).append(shape[1](row))
    if not groups:
        return set()
    # A refusal (e.g. a factory ID already here under another record id) writes nothing:
    # the caller then goes row by row, so only the offending row is skipped (and logged).
    return seen if _insert_groups(store, table, groups) else set()


BULK_FTS_ROWS = 500  # below this, the trigger's row-by-row indexing costs little


def _insert_values(store: Store, table: str, names: list[str], rows: list[list],
                   index_now: bool = True) -> bool:
    """Insert value lists (in ``names`` order) as they are; False, with nothing written, if
    a constraint refuses any of them (the caller then goes row by row). ``index_now=False``:
    the caller's ``_BulkLoad`` indexes them later."""
    return _insert_groups(store, table, {tuple(names): rows}, index_now)


def _insert_groups(store: Store, table: str, groups: dict[tuple[str, ...], list],
                   index_now: bool = True) -> bool:
    """Insert value lists keyed by their columns, all or nothing (one savepoint); many new
    factories are indexed for search in one statement (``_FtsDeferred``)."""
    store.conn.execute("SAVEPOINT bulk_insert")
    try:
        index = _FtsDeferred(store) if index_now and table == "factories" and sum(
            len(values) for values in groups.values()) >= BULK_FTS_ROWS else None
        if index:
            index.suspend()
        for cols, values in groups.items():
            store.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) "
                                   f"VALUES ({', '.join('?' * len(cols))})", values)
        if index:
            index.catch_up()
    except sqlite3.IntegrityError:
        store.conn.execute("ROLLBACK TO bulk_insert")
        store.conn.execute("RELEASE bulk_insert")
        return False
    store.conn.execute("RELEASE bulk_insert")
    return True


class _FtsDeferred:
    """Index many new factories in one ``INSERT … SELECT`` instead of one trigger run each.

    Within the caller's savepoint: the insert trigger of ``factories_fts`` is dropped, the
    rows are inserted, the index is filled from exactly the rows that got new rowids, and
    the trigger is recreated from its own stored SQL. The statement that fills the index is
    the trigger's own VALUES expression (``NEW.`` read from the table), so the index holds
    exactly what the trigger would have put there. A rollback restores the trigger too (DDL
    is transactional in SQLite). If the trigger is not in the expected shape, nothing is
    suspended and the trigger indexes as usual.
    """

    def __init__(self, store: Store):
        self.conn = store.conn
        row = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND name = 'factories_fts_insert'").fetchone()
        self.trigger_sql = row[0] if row else None
        match = re.search(r"INSERT INTO (factories_fts\s*\([^)]*\))\s*VALUES\s*\((.*)\);"
                          r"\s*END\s*$", self.trigger_sql or "", re.S)
        self.fill_sql = None
        if match:
            values = re.sub(r"\bNEW\.", "f.", match.group(2))
            self.fill_sql = (f"INSERT INTO {match.group(1)} SELECT {values} "
                             "FROM factories f WHERE f.num > ? ORDER BY f.num")
        self.top = 0
        self.active = False

    def suspend(self) -> None:
        if self.fill_sql is None:
            return
        self.top = self.conn.execute("SELECT coalesce(max(num), 0) FROM factories").fetchone()[0]
        if self.top >= 2**62:
            return  # rowids might not grow past ``top``: keep the trigger
        self.conn.execute("DROP TRIGGER factories_fts_insert")
        self.active = True

    def catch_up(self) -> None:
        if not self.active:
            return
        # New rows of an INTEGER PRIMARY KEY table get rowids above the old maximum.
        self.conn.execute(self.fill_sql, (self.top,))
        self.conn.execute(self.trigger_sql)
        self.active = False


def _apply_one(store: Store, table: str, row: dict, content: tuple[str, ...],
               pending: set[str]) -> str:
    names = ["id", *content, "updated_hlc", "device_id", "deleted"]
    values = {n: row.get(n) for n in names if n in row}
    if pending:
        # A local change not yet pushed is newer than this copy of the field: keep it, and
        # keep the local clock of the row with it.
        values = {n: v for n, v in values.items()
                  if n not in pending and n not in ("updated_hlc", "device_id")}
    old = store.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row["id"],)).fetchone()
    try:
        store.conn.execute("SAVEPOINT apply_row")
        if old is None:
            cols = list(values)
            store.conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) "
                               f"VALUES ({', '.join('?' * len(cols))})",
                               [values[c] for c in cols])
        else:
            current = dict(zip([d[0] for d in store.conn.execute(
                f"SELECT * FROM {table} LIMIT 0").description], old, strict=True))
            changed = {n: v for n, v in values.items() if n != "id" and current.get(n) != v}
            if not changed:
                store.conn.execute("RELEASE apply_row")
                return "unchanged"
            store.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changed)} WHERE id = ?",
                [*changed.values(), row["id"]])
        store.conn.execute("RELEASE apply_row")
        return "applied"
    except sqlite3.IntegrityError as exc:
        store.conn.execute("ROLLBACK TO apply_row")
        store.conn.execute("RELEASE apply_row")
        log.warning("pulled %s %s not applied here: %s", table, row["id"], exc)
        return "skipped"
