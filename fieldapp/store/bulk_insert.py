"""Writing many pulled rows at once: a first sync's snapshot and a pull page's new rows.

Split from ``sync_apply`` (which decides what a pulled row does to this laptop's copy):
here is only how rows the caller has already decided to insert go in fast. Each helper
writes all of its rows or none of them, so the caller can fall back to row by row
(``sync_apply._apply_one``) and skip only a row the schema refuses.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from operator import itemgetter

from fieldapp.store import search_index
from fieldapp.store.db import Store

# What writing one pulled row can raise besides a refusal by the schema: a value SQLite cannot
# hold (an integer beyond 64 bits, let in by an older office: OverflowError), or one it cannot
# bind. Such a row is skipped and logged; it must never stop every later sync.
UNSTORABLE = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.DataError,
              OverflowError, ValueError)


class BulkLoad:
    """A table a first-sync snapshot fills from empty: its plain indexes are built once,
    after the rows are in, instead of row by row, and the factories' full-text index after
    the snapshot has committed (store/search_index.py: search works meanwhile).

    Only indexes that enforce nothing are dropped (not UNIQUE ones, so a repeated id is
    still refused at once); each is recreated from its own stored SQL. If the full-text
    index cannot be left pending (its triggers are not in the shape expected), it is filled
    as ``FtsDeferred`` does, piece by piece (``index_inserted``), and ``RowApplier`` ends
    a load before anything but a plain insert touches the table (an update of a row not yet
    in the full-text index would corrupt it) and before saving the cursor. DDL is
    transactional: a rollback restores the indexes and the triggers.
    """

    def __init__(self, store: Store, table: str):
        self.conn = store.conn
        self.fts = None
        if table == "factories" and not search_index.defer(self.conn):
            self.fts = FtsDeferred(store)
        self.indexes = [(name, sql) for name, sql in self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL", (table,))
            if not re.match(r"\s*CREATE\s+UNIQUE\b", sql, re.I)]
        if self.fts:
            self.fts.suspend()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def index_inserted(self) -> None:
        """Put the rows inserted since the last call into the full-text index."""
        if self.fts:
            self.fts.fill()

    def end(self) -> None:
        if self.fts:
            self.fts.catch_up()
        for _, sql in self.indexes:
            self.conn.execute(sql)
        self.indexes = []


def insert_new(store: Store, table: str, rows: list[dict], content: tuple[str, ...],
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
    return seen if insert_groups(store, table, groups) else set()


BULK_FTS_ROWS = 500  # below this, the trigger's row-by-row indexing costs little


def insert_values(store: Store, table: str, names: list[str], rows: list[list],
                   index_now: bool = True) -> bool:
    """Insert value lists (in ``names`` order) as they are; False, with nothing written, if
    a constraint refuses any of them (the caller then goes row by row). ``index_now=False``:
    the caller's ``BulkLoad`` indexes them later."""
    return insert_groups(store, table, {tuple(names): rows}, index_now)


def insert_groups(store: Store, table: str, groups: dict[tuple[str, ...], list],
                   index_now: bool = True) -> bool:
    """Insert value lists keyed by their columns, all or nothing (one savepoint); many new
    factories are indexed for search in one statement (``FtsDeferred``)."""
    store.conn.execute("SAVEPOINT bulk_insert")
    try:
        index = FtsDeferred(store) if index_now and table == "factories" and sum(
            len(values) for values in groups.values()) >= BULK_FTS_ROWS else None
        if index:
            index.suspend()
        for cols, values in groups.items():
            marks, values = null_literals(len(cols), values)
            store.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) "
                                   f"VALUES ({', '.join(marks)})", values)
        if index:
            index.catch_up()
    except UNSTORABLE:
        store.conn.execute("ROLLBACK TO bulk_insert")
        store.conn.execute("RELEASE bulk_insert")
        return False
    store.conn.execute("RELEASE bulk_insert")
    return True


NULL_LITERAL_ROWS = 64  # from this many rows on, columns empty in all of them are looked for


def null_literals(width: int, values: list) -> tuple[list[str], list]:
    """The placeholders and the values to bind for inserting ``values`` (rows of ``width``
    values each): a column that is None in every row becomes a literal NULL in the SQL
    and leaves the bound rows. Binding None costs sqlite3 an adaptation lookup per value
    (``int``, ``float`` and ``str`` are bound directly), which made a snapshot of a registry
    with many unused columns three times slower to insert. Same result: a bound None and
    the literal are both NULL (not the column's DEFAULT). Column by column with C-level
    ``map``/``count``, no per-row Python."""
    marks = ["?"] * width
    if len(values) < NULL_LITERAL_ROWS or width < 2 or set(map(len, values)) != {width}:
        return marks, values  # few rows, or not the rows expected (sqlite3 refuses those)
    rows = len(values)
    for i, first in enumerate(values[0]):
        if first is None and list(map(itemgetter(i), values)).count(None) == rows:
            marks[i] = "NULL"
    kept = [i for i, mark in enumerate(marks) if mark == "?"]
    if len(kept) == width:
        return marks, values
    if len(kept) == 1:
        return marks, [(v,) for v in map(itemgetter(kept[0]), values)]
    return marks, list(map(itemgetter(*kept), values)) if kept else [()] * rows


class FtsDeferred:
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
        # None also while the index is pending (no trigger): search_index builds it all.
        self.fill_sql = search_index.fill_sql(self.trigger_sql) if row else None
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

    def fill(self) -> None:
        """Index the rows inserted since ``suspend`` or the last ``fill``; the trigger stays
        suspended."""
        if not self.active:
            return
        # New rows of an INTEGER PRIMARY KEY table get rowids above the old maximum.
        self.conn.execute(self.fill_sql, (self.top,))
        self.top = self.conn.execute("SELECT coalesce(max(num), 0) FROM factories").fetchone()[0]

    def catch_up(self) -> None:
        if not self.active:
            return
        self.fill()
        self.conn.execute(self.trigger_sql)
        self.active = False
