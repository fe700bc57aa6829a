"""Loading and saving synced rows (table ``records``) within one server transaction.

A ``RecordCache`` holds the rows one push touches, loads them in bulk, and writes back only
the ones that changed, in two statements, so a push of thousands of operations costs a few
round trips to the database rather than thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldapp.server.projection import project
from fieldapp.server.scope import owner_scoped
from fieldapp.server.storage import Conn
from fieldapp.store.wirejson import dumps_sorted_text, loads

# Stored as compact sorted JSON (orjson). Rows written before were json.dumps-spaced; both
# parse the same, and no query may match on the spacing (see office.assign).
_DATA_TEXT = dumps_sorted_text
# Field clocks when one write set every field (a new row: most of what is stored) are kept
# once, under this key, for all the fields of ``data``: a row's clocks took 540 of its 660
# bytes, repeating one clock per field. No column is named so (protocol.COLUMNS).
ALL_FIELDS = "*"


def clocks_text(data: dict, clocks: dict) -> str:
    """The ``fields`` column: one clock for all of ``data``'s fields when they share it."""
    if len(clocks) > 1 and clocks.keys() == data.keys():
        first = next(iter(clocks.values()))
        # A new row's fields share one clock object (server/push.py _create): `is` first.
        if all(clock is first or clock == first for clock in clocks.values()):
            return dumps_sorted_text({ALL_FIELDS: first})
    return dumps_sorted_text(clocks)


def clocks_of(data: dict, text: str | bytes) -> dict:
    """The field clocks from the ``fields`` column, every field its own list (merges and
    renumbering change them in place)."""
    clocks = loads(text)
    shared = clocks.get(ALL_FIELDS)
    if shared is None:
        return clocks
    return {name: list(shared) for name in data}

_COLS = ("tbl", "id", "province", "owner", "parent_id", "blob_sha", "frozen", "data", "fields",
         "updated_hlc", "device_id", "deleted", "seq")


@dataclass
class Record:
    tbl: str
    id: str
    data: dict
    clocks: dict
    province: str | None = None
    owner: str | None = None
    parent_id: str | None = None
    blob_sha: str | None = None
    frozen: int = 0
    updated_hlc: str = ""
    device_id: str = ""
    deleted: int = 0
    seq: int = 0
    stored: bool = True       # already a row in the database
    dirty: bool = field(default=False, compare=False)
    # The owner as stored when loaded: a change of owner is noted for the one it leaves
    # (RecordCache.flush). None for a row new in this transaction.
    held_by: str | None = field(default=None, compare=False)

    @classmethod
    def from_row(cls, row: dict, clocks: bool = True) -> Record:
        """``clocks``: False for a row that is only sent on (a pull page), whose field
        clocks nobody reads; it gets none. Spelling them out per field was a third of the
        office's work for a pull page."""
        data = loads(row["data"])
        return cls(row["tbl"], row["id"], data,
                   clocks_of(data, row["fields"]) if clocks else {},
                   row["province"], row["owner"], row["parent_id"], row["blob_sha"],
                   row["frozen"], row["updated_hlc"], row["device_id"], row["deleted"],
                   row["seq"], held_by=row["owner"])

    def wire(self) -> dict:
        """The row as clients store it: content, clock, device and tombstone."""
        return {**self.data, "id": self.id, "updated_hlc": self.updated_hlc,
                "device_id": self.device_id, "deleted": self.deleted}

    def values(self) -> tuple:
        return (self.tbl, self.id, self.province, self.owner, self.parent_id, self.blob_sha,
                self.frozen, _DATA_TEXT(self.data), clocks_text(self.data, self.clocks),
                self.updated_hlc, self.device_id,
                self.deleted, self.seq)


class StoredChild:
    """A stored child row as hashing and the office's derived changes read it: content
    only, no clocks, never written back (``RecordCache.children``). Four slots instead of
    a Record's fifteen fields: a finalize batch of a bulk push loads a hundred thousand."""

    __slots__ = ("tbl", "id", "data", "deleted")

    def __init__(self, tbl: str, rid: str, data: dict, deleted: int):
        self.tbl, self.id, self.data, self.deleted = tbl, rid, data, deleted


class RecordCache:
    """The rows of one transaction, keyed by (table, id)."""

    def __init__(self, conn: Conn):
        self.conn = conn
        self.rows: dict[tuple[str, str], Record | None] = {}
        # Rows created in this transaction, by parent inspection (children() needs them
        # without scanning every cached row once per finalize).
        self.new_by_parent: dict[str, list[Record]] = {}
        # Stored children of inspections, loaded in bulk by prefetch_children().
        self.stored_children: dict[str, list[StoredChild]] = {}

    def prefetch(self, keys: set[tuple[str, str]], lock: bool = False) -> None:
        """Load ``keys`` not loaded yet. ``lock``: rows this transaction may change, or whose
        state its changes depend on (server/push.py says which)."""
        wanted = [k for k in keys if k not in self.rows]
        asked = []
        for tbl, rid in wanted:
            self.rows[(tbl, rid)] = None
            # No row is named with a NUL (push refuses it), and PostgreSQL could not even
            # look one up: a laptop's id is known absent without asking.
            if isinstance(rid, str) and "\x00" not in rid:
                asked.append((tbl, rid))
        # In a push that numbers its changes late (storage.Conn.late_sequence), rows to lock
        # are locked as they are read, in one order (by table, then id), until commit: a
        # concurrent push that touches the same row waits here and then reads it as that
        # push left it. Rows only looked at (the factory and template an inspection names)
        # are not: every laptop's push names them.
        lock = lock and bool(self.conn.for_update)
        # Sorted only to lock: sorting a bulk push's 5,000 keys a request took 0.2 s of it.
        for row in self.conn.records_by_key(sorted(asked) if lock else asked, lock=lock):
            self.rows[(row["tbl"], row["id"])] = Record.from_row(row)

    def get(self, tbl: str, rid: str | None) -> Record | None:
        if not rid:
            return None
        if (tbl, rid) not in self.rows:
            self.prefetch({(tbl, rid)})
        return self.rows[(tbl, rid)]

    def add(self, record: Record) -> None:
        record.stored = False
        record.dirty = True
        self.rows[(record.tbl, record.id)] = record
        if record.parent_id:
            self.new_by_parent.setdefault(record.parent_id, []).append(record)

    def prefetch_children(self, inspection_ids: set[str],
                          none_for: set[str] = frozenset()) -> None:
        """Load the stored children of many inspections in one query per 500 (a push that
        finalizes a thousand inspections re-hashes each of them). ``none_for``: inspections
        known to have none stored, not asked for."""
        for i in none_for:
            self.stored_children.setdefault(i, [])
        wanted = [i for i in inspection_ids if i not in self.stored_children]
        for i in wanted:
            self.stored_children[i] = []
        children = self.stored_children
        for where, params in self.conn.any_of("parent_id", wanted):
            for tbl, rid, parent, data, deleted in self.conn.tuples(
                    f"SELECT tbl, id, parent_id, data, deleted FROM records WHERE {where}",
                    params):
                # Read-only copies for hashing. They never enter ``rows``, so flush() can
                # never write them back.
                children[parent].append(StoredChild(tbl, rid, loads(data), deleted))

    def children(self, inspection_id: str) -> list[Record | StoredChild]:
        """Rows under an inspection, for hashing: stored ones overlaid with this
        transaction's changes (untouched stored rows come as read-only copies)."""
        self.prefetch_children({inspection_id})
        found = {}
        for rec in self.stored_children[inspection_id]:
            key = (rec.tbl, rec.id)
            # this transaction's copy, if it touched the row, else the stored one
            found[key] = self.rows.get(key) or rec
        for rec in self.new_by_parent.get(inspection_id, ()):
            found[(rec.tbl, rec.id)] = rec
        return list(found.values())

    def flush(self) -> None:
        """Write back new and changed rows, and the console's projections of them
        (server/projection.py) in the same transaction."""
        written = [r for r in self.rows.values() if r is not None and r.dirty]
        new = [r.values() for r in self.rows.values() if r is not None and r.dirty
               and not r.stored]
        changed = [r for r in self.rows.values() if r is not None and r.dirty and r.stored]
        self.conn.insert_rows("records", _COLS, new)
        self.conn.many(
            "UPDATE records SET province = ?, owner = ?, parent_id = ?, blob_sha = ?, "
            "frozen = ?, data = ?, fields = ?, updated_hlc = ?, device_id = ?, deleted = ?, "
            "seq = ? WHERE tbl = ? AND id = ?",
            [(*r.values()[2:], r.tbl, r.id) for r in changed])
        # Re-assigned away from an inspector: their pull sends the row as a tombstone
        # (server/pull.py). Only a change of owner counts: a row moved to a province its
        # owner lacks is not followed (no change a laptop may send moves one).
        self.conn.many(
            "INSERT INTO scope_exits (owner, seq, tbl, row_id, updated_hlc, device_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(r.held_by, r.seq, r.tbl, r.id, r.updated_hlc, r.device_id) for r in changed
             if r.held_by is not None and r.owner != r.held_by and owner_scoped(r.tbl)])
        project(self.conn, written, known=self.rows)
        for r in self.rows.values():
            if r is not None and r.dirty:
                r.stored, r.dirty = True, False
                r.held_by = r.owner
