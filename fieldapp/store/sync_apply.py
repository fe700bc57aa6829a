"""The laptop's side of sync in SQL, part two: applying rows that come from the server.

Rows that arrive from the server are written here WITHOUT an outbox entry (they are not local
changes). A field that still has an unsent local change keeps its local value: the change
will be pushed next and the server's merge decides; a pulled row never silently undoes
something typed on this laptop. The pull cursor is saved in the same transaction as the
rows of its page (``RowApplier.finish``). Outbox bookkeeping is in ``sync_state``.
"""

from __future__ import annotations

import json
import logging
from operator import itemgetter

from fieldapp.store import bulk_insert, office_copies
from fieldapp.store.db import Store
from fieldapp.store.sync_state import CURSOR

log = logging.getLogger(__name__)

# Apply order inside one page: inspections last, so that updates to the children of an
# inspection land while it is still a draft here and the finalize comes after them (the
# schema refuses changes under a finalized inspection). Foreign keys are deferred, so a
# child may be written before its parent within the transaction.
APPLY_ORDER = ("factories", "template_versions", "participants", "attachments", "answers",
               "findings", "signatures", "inspections", "complaints", "complaint_files",
               "plans", "reviews", "orders", "order_photos")

# The last column of a snapshot's office table: the office's seal on the row.
SEAL = "seal"

# Tables whose rows name others by foreign key (store/migrations.py): a pulled row may name
# one this laptop never gets (RowApplier._drop_dangling).
REFERRING = ("inspections", "answers", "findings", "participants", "attachments",
             "signatures")


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
        # fresh tables whose indexes are built at the end
        self.loads: dict[str, bulk_insert.BulkLoad] = {}
        # Rows of tables with foreign keys this applier wrote (``_drop_dangling``): the ids
        # it inserted, the rows it changed as they were before, and the tables it filled
        # from empty (all of whose rows are its own).
        self.inserted: dict[str, set[str]] = {}
        self.before: dict[tuple[str, str], dict] = {}
        self.filled: set[str] = set()

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
        if columns and columns[-1] == SEAL:
            # The office's seal on each row of its tables (store/office_copies.py).
            office_copies.keep(self.store, office_copies.snapshot_copies(table, columns, rows))
            columns, rows = columns[:-1], [r[:-1] for r in rows]
        names = ["id", *content, "updated_hlc", "device_id", "deleted"]
        if table not in self.fresh:
            self.fresh[table] = not any(k[0] == table for k in self.pending) and \
                self.store.conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
        if self.fresh[table] and list(columns) == names:
            if table not in self.loads and len(rows) >= bulk_insert.BULK_FTS_ROWS:
                self.loads[table] = bulk_insert.BulkLoad(self.store, table)
            inserted = bulk_insert.insert_values(self.store, table, names, rows,
                                      index_now=table not in self.loads)
        else:
            inserted = False
        if inserted:
            if table in REFERRING:
                self.filled.add(table)
            if table in self.loads:
                self.loads[table].index_inserted()
            self._saw(list(map(itemgetter(len(names) - 3), rows)))
            self.counts["applied"] += len(rows)
            return
        self.add([{"t": table, "row": dict(zip(columns, r, strict=True))} for r in rows])

    def add(self, changes: list[dict]) -> None:
        self._end_loads()  # rows may be updated from here on: every index must be whole
        store, columns, counts = self.store, self.columns, self.counts
        ordered = [c for c in changes if c.get("t") in columns and not c.get("gone")]
        sealed = [(c["t"], c["row"], c["seal"]) for c in ordered
                  if "seal" in c and isinstance(c.get("row"), dict)]
        if sealed:
            office_copies.keep(store, sealed)
        self._gone([c for c in changes if c.get("t") in columns and c.get("gone")])
        for table in APPLY_ORDER:
            rows = [c["row"] for c in ordered if c["t"] == table]
            if not rows:
                continue
            self._saw([r["updated_hlc"] for r in rows])
            fresh = bulk_insert.insert_new(store, table, rows, columns[table], self.pending)
            referring = table in REFERRING
            if referring:
                self.inserted.setdefault(table, set()).update(fresh)
            held = _held_rows(store, table, [r["id"] for r in rows if r["id"] not in fresh])
            for row in rows:
                if row["id"] in fresh:
                    counts["applied"] += 1
                    continue
                outcome = _apply_one(store, table, row, columns[table],
                                     self.pending.get((table, row["id"]), set()),
                                     self if referring else None, held.pop(row["id"], None))
                counts[outcome] += 1

    def _gone(self, changes: list[dict]) -> None:
        """Rows that left this user's scope at the office (a complaint or plan re-assigned
        to another inspector, and its files): marked deleted if held here, so the lists stop
        showing work that is no longer this inspector's; nothing to keep if not held.
        Unlike a pulled row, this goes over a local change still unsent (the row is no
        longer this inspector's to change): that change stays in the outbox, and the office
        refuses it with its reason. The row's sealed copy goes too (store/office_copies.py):
        the row is the new owner's now, and the office holds it."""
        conn = self.store.conn
        left: dict[str, list[str]] = {}
        for change in changes:
            row = change.get("row")
            if not isinstance(row, dict) or not all(
                    isinstance(row.get(k), str) for k in ("id", "updated_hlc", "device_id")):
                self.counts["skipped"] += 1
                continue
            self._saw([row["updated_hlc"]])
            left.setdefault(change["t"], []).append(row["id"])
            conn.execute("SAVEPOINT apply_gone")
            try:
                found = conn.execute(
                    f"UPDATE {change['t']} SET deleted = 1, updated_hlc = ?, device_id = ? "
                    f"WHERE id = ? AND deleted = 0",
                    (row["updated_hlc"], row["device_id"], row["id"])).rowcount
            except bulk_insert.UNSTORABLE as exc:
                conn.execute("ROLLBACK TO apply_gone")
                log.warning("%s %s left this user's scope but was not marked: %s",
                            change["t"], row["id"], exc)
                found = None
            conn.execute("RELEASE apply_gone")
            self.counts["skipped" if found is None else "applied" if found else "unchanged"] += 1
        for table, ids in left.items():
            office_copies.forget(self.store, table, ids, unless_marked=False)

    def _saw(self, clocks: list) -> None:
        """Keep the newest clock of these rows that this laptop's clock may take in. One
        stamped far in the future (a laptop whose date was wrong, let in by an older
        office) is stored with its row but never adopted: it would carry this clock along
        (core/hlc.py). Checked on the newest only, unless that one is refused."""
        clock = self.store.clock
        newest = max(clocks, default="")
        if not isinstance(newest, str) or not clock.accepts(newest):
            fit = [c for c in clocks if isinstance(c, str) and clock.accepts(c)]
            log.warning("%d pulled rows carry a clock this laptop does not adopt (e.g. %r)",
                        len(clocks) - len(fit), newest)
            newest = max(fit, default="")
        self.newest = max(self.newest, newest)

    def finish(self, new_cursor: int | None, state: dict[str, str | None] | None = None) -> None:
        self._end_loads()
        self._drop_dangling()
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


    def _drop_dangling(self) -> None:
        """Undo the rows this applier wrote that name a row this laptop does not hold: a
        child whose record was refused here (a value the schema refuses), or a reference
        the office let through to a row this user may not read. Foreign keys are checked
        at commit: one such row failed the whole page, and every later sync with it. A row
        it inserted is removed, one it changed goes back to what it was; each counts as
        skipped (logged), as a refused row does. Undoing one may leave another dangling (a
        signature of a removed participant, an amendment of a removed record): repeated
        until none is left, which ends, since each round undoes rows it then no longer
        holds as its own."""
        conn = self.store.conn
        while dangling := self._dangling():
            # Past the frozen guards: the row came finalized in this very transaction, and
            # nothing but undoing it happens while the override is there.
            conn.execute("INSERT INTO frozen_override (id) VALUES (1)")
            try:
                for (table, rid), parent in dangling.items():
                    log.warning("pulled %s %s not kept here: it names a row of %s that "
                                "this laptop does not hold", table, rid, parent)
                    old = self.before.pop((table, rid), None)
                    if old is None or table in self.filled:
                        conn.execute(f"DELETE FROM {table} WHERE id = ?", (rid,))
                        self.inserted.get(table, set()).discard(rid)
                    else:
                        conn.execute(f"UPDATE {table} SET "
                                     f"{', '.join(f'{c} = ?' for c in old)} WHERE id = ?",
                                     (*old.values(), rid))
                    self.counts["applied"] -= 1
                    self.counts["skipped"] += 1
            finally:
                conn.execute("DELETE FROM frozen_override")

    def _dangling(self) -> dict[tuple[str, str], str]:
        """The rows this applier wrote whose foreign keys name nothing: ``{(table, id):
        table named}``. A table it filled from empty is checked whole (all its rows are
        this applier's); any other only at the rows it wrote, not its every row (a laptop
        of a few years holds hundreds of thousands of answers)."""
        conn = self.store.conn
        found: dict[tuple[str, str], str] = {}
        for table in REFERRING:
            if table in self.filled:
                for _t, rowid, parent, _fk in conn.execute(
                        f"PRAGMA foreign_key_check({table})").fetchall():
                    rid = conn.execute(f"SELECT id FROM {table} WHERE rowid = ?",
                                       (rowid,)).fetchone()[0]
                    found[(table, rid)] = parent
                continue
            ids = [*self.inserted.get(table, ()),
                   *(rid for t, rid in self.before if t == table)]
            if not ids:
                continue
            for fk in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall():
                parent, column, key = fk[2], fk[3], fk[4] or "id"
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    for (rid,) in conn.execute(
                            f"SELECT id FROM {table} AS t WHERE id IN "
                            f"({', '.join('?' * len(chunk))}) AND {column} IS NOT NULL AND "
                            f"NOT EXISTS (SELECT 1 FROM {parent} WHERE {key} = t.{column})",
                            chunk):
                        found[(table, rid)] = parent
        return found

    def _end_loads(self) -> None:
        for load in self.loads.values():
            load.end()
        self.loads.clear()


def _held_rows(store: Store, table: str, ids: list[str]) -> dict[str, dict]:
    """The rows of ``table`` held here among ``ids``, by id, as column -> value: read
    together for a page (its rows are mostly ones this laptop holds, the echo of its own
    push), not one query each."""
    held: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cursor = store.conn.execute(
            f"SELECT * FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
        names = [d[0] for d in cursor.description]
        for values in cursor:
            current = dict(zip(names, values, strict=True))
            held[current["id"]] = current
    return held


def _apply_one(store: Store, table: str, row: dict, content: tuple[str, ...],
               pending: set[str], applier: RowApplier | None = None,
               current: dict | None = None) -> str:
    """Write one pulled row; ``applier`` (for tables with foreign keys) keeps what it
    inserted or how a changed row was (RowApplier._drop_dangling). ``current``: the row
    as held here, when read already (_held_rows); None to read it."""
    names = ["id", *content, "updated_hlc", "device_id", "deleted"]
    values = {n: row.get(n) for n in names if n in row}
    if pending:
        # A local change not yet pushed is newer than this copy of the field: keep it, and
        # keep the local clock of the row with it.
        values = {n: v for n, v in values.items()
                  if n not in pending and n not in ("updated_hlc", "device_id")}
    if table == "factories":
        values["local_only"] = 0  # the office holds this factory now (store/factories.py)
    if current is None:
        current = _held_rows(store, table, [row["id"]]).get(row["id"])
    if current is not None and all(current.get(n) == v for n, v in values.items()
                                   if n != "id"):
        return "unchanged"   # the echo of this laptop's own push, mostly: nothing to write
    try:
        store.conn.execute("SAVEPOINT apply_row")
        if current is None:
            cols = list(values)
            store.conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) "
                               f"VALUES ({', '.join('?' * len(cols))})",
                               [values[c] for c in cols])
            if applier is not None:
                applier.inserted.setdefault(table, set()).add(row["id"])
        else:
            changed = {n: v for n, v in values.items() if n != "id" and current.get(n) != v}
            store.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changed)} WHERE id = ?",
                [*changed.values(), row["id"]])
            if applier is not None and (table, row["id"]) not in applier.before \
                    and row["id"] not in applier.inserted.get(table, ()):
                applier.before[(table, row["id"])] = {c: current[c] for c in changed}
        store.conn.execute("RELEASE apply_row")
        return "applied"
    except bulk_insert.UNSTORABLE as exc:
        store.conn.execute("ROLLBACK TO apply_row")
        store.conn.execute("RELEASE apply_row")
        log.warning("pulled %s %s not applied here: %s", table, row["id"], exc)
        return "skipped"
