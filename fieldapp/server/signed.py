"""Making the office's copy of an inspection equal to what its inspector signed.

Two laptops of one inspector can hold the same draft. When one laptop's edit reaches the
office before the other laptop's finalize, the per-field merge mixes both into the office's
copy, and that copy is then not the record that was signed (its content hash differs). So a
finalize travels with the record as the finalizing laptop holds it (the operation's
``signed``: every row of the inspection and of its children, in the wire form of a pull).
When the merged copy's hash differs from the signed one, the office takes the signed rows:
each value it overwrites, and each row the signer never saw (which becomes a tombstone), is
recorded as a conflict the office can list. Nothing typed anywhere is lost without a trace,
and every laptop then pulls the signed record: the copies converge.

This never refuses the finalize: the laptop's record is immutable, so refusing would keep it
from the office forever. ``signed`` rows that are malformed, or that name a row of another
inspection, are ignored as a whole and the mismatch is recorded as before.
"""

from __future__ import annotations

from typing import Protocol

from fieldapp.core.canonical import content_hash, inspection_document
from fieldapp.core.hlc import device_of
from fieldapp.server.auth import Principal
from fieldapp.server.blob_access import may_name
from fieldapp.server.clocks import check_clock, latest_allowed
from fieldapp.server.records import Record, RecordCache
from fieldapp.server.storage import Conn
from fieldapp.server.values import storable_problem, value_problem
from fieldapp.sync import protocol as P


class _Push(Protocol):
    """What adopting needs of the push it runs in (server/push.py's push is one). Declared
    here, not imported, because push.py imports this module."""

    c: Conn
    who: Principal
    cache: RecordCache
    seq: int
    named: set[str]  # bytes named by rows it creates, checked again when it numbers

    def _record_conflict(self, rec: Record, name: str, kept, kept_hlc, kept_device, lost,
                         lost_hlc, lost_device) -> None: ...


_TABLES = ("inspections", *P.CHILD_TABLES)
_SCALARS = (str, int, float, bool, type(None))
_WIRE = {t: frozenset(P.COLUMNS[t]) | frozenset(P.META_COLUMNS) for t in _TABLES}
# What makes a row the row it is: never taken from a signed copy (as in any push).
_FIXED = {t: (*P.FIXED.get(t, ()), *(("template_version_id", "amends_id")
                                     if t == "inspections" else ()))
          for t in _TABLES}


def parse_signed(raw: object) -> list[tuple[str, dict]] | None:
    """``[(table, wire row)]`` from an operation's ``signed`` list, or None if any part is
    not a row of an inspection or its children in wire form."""
    if not isinstance(raw, list):
        return None
    rows, seen = [], set()
    for item in raw:
        if not isinstance(item, dict) or item.get("t") not in _TABLES:
            return None
        table, row = item["t"], item.get("row")
        if not isinstance(row, dict) or not _WIRE[table].issuperset(row):
            return None
        if not all(isinstance(row.get(k), str) and row[k] for k in ("id", "updated_hlc",
                                                                   "device_id")):
            return None
        if row.get("deleted", 0) not in (0, 1) or not all(
                isinstance(v, _SCALARS) and value_problem(k, v) is None
                for k, v in row.items()):
            return None
        if _clock_device(row["updated_hlc"]) != row["device_id"]:
            return None  # a row's device is the one its clock names (core/hlc.py)
        if any(row.get(k) is not None and not isinstance(row[k], str)
               for k in P.NAMING[table]):
            return None
        if not _storable(table, row):
            return None
        if (table, row["id"]) in seen:
            return None  # one row twice: not a record as any laptop holds it
        seen.add((table, row["id"]))
        rows.append((table, row))
    return rows


def _storable(table: str, row: dict) -> bool:
    """What a push refuses (server/values.storable_problem), a signed copy may not bring
    either: every laptop that pulls the record must be able to store it."""
    return "\x00" not in row["id"] and not any(
        storable_problem(table, name, value) for name, value in row.items())


def _clock_device(hlc: str) -> str | None:
    try:
        return device_of(hlc)
    except ValueError:
        return None


def _clock_allowed(p: _Push, rec: Record | None, hlc: str) -> bool:
    """A signed row's clock is one a push of the caller could carry (its own device, not
    beyond the allowed skew: server/clocks.py), or one the laptop can only have pulled
    from here: not newer than the office's clock of that row. Anything else (another
    laptop's device, a clock from the year 2286) would win merges it never won here."""
    try:
        check_clock(hlc, p.who.device_id, latest_allowed())
        return True
    except ValueError:
        return rec is not None and hlc <= rec.updated_hlc


def adopt_signed(p: _Push, inspection: Record, signed: list[tuple[str, dict]]) -> bool:
    """Overwrite the office's copy of ``inspection`` (being finalized in this push) and its
    children with the ``signed`` rows; True if it did. Every changed row gets a new change
    sequence, the inspection last, so laptops pull it and apply the children before the
    finalize that freezes them (a page may end between the two)."""
    if not _is_the_signed_record(p, inspection, signed):
        return False
    mine = next(row for t, row in signed if t == "inspections")
    targets = []
    for table, row in signed:
        if table == "inspections":
            continue
        rec = p.cache.get(table, row["id"])
        if rec is None and row.get("deleted"):
            continue  # removed before the office ever had it: nothing to keep
        if rec is None and not _creatable(p, table, row):
            return False  # all or nothing: no signature left pointing at a missing photo
        targets.append((table, row, rec))
    _overwrite(p, inspection, mine, new_seq=False)
    kept = {(t, row["id"]) for t, row, _ in targets}
    for table, row, rec in targets:
        if rec is None:
            _create(p, inspection, table, row)
        else:
            _overwrite(p, rec, row)
    for child in p.cache.children(inspection.id):
        if (child.tbl, child.id) in kept or child.deleted:
            continue
        # A row the signer never saw (added on another laptop): gone from the signed record.
        rec = p.cache.get(child.tbl, child.id)
        _overwrite(p, rec, {"id": rec.id, "deleted": 1,
                            "updated_hlc": inspection.updated_hlc,
                            "device_id": inspection.device_id})
    old, p.seq = inspection.seq, p.seq + 1
    inspection.seq = p.seq
    for clock in inspection.clocks.values():
        if clock[2] == old:
            clock[2] = p.seq
    return True


def _is_the_signed_record(p: _Push, inspection: Record,
                          signed: list[tuple[str, dict]]) -> bool:
    """Whether ``signed`` is this inspection as signed: its own rows only, none moved from
    another record or changed in what identifies it, every reference known, and hashing to
    the hash the laptop signed. Anything less is not adopted (nor is it refused: the
    mismatch is recorded)."""
    mine = [row for t, row in signed if t == "inspections"]
    if len(mine) != 1 or mine[0]["id"] != inspection.id or \
            mine[0].get("state") != "finalized" or \
            mine[0].get("content_hash") != inspection.data.get("content_hash"):
        return False
    ids = {(t, row["id"]) for t, row in signed}
    for table, row in signed:
        if table != "inspections" and row.get("inspection_id") != inspection.id:
            return False
        rec = inspection if table == "inspections" else p.cache.get(table, row["id"])
        if not _clock_allowed(p, rec, row["updated_hlc"]):
            return False
        if rec is not None and table != "inspections" and rec.parent_id != inspection.id:
            return False  # an id of another inspection's row: not this record's
        if rec is not None and any(name in row and row[name] != rec.data.get(name)
                                   for name in _FIXED[table]):
            return False
        for column, target in P.REFERENCES.get(table, ()):
            value = row.get(column)
            if column == "inspection_id" or not value or (target, value) in ids:
                continue   # a row of the signed record itself
            named = p.cache.get(target, value)
            if named is None or (target in P.CHILD_TABLES and named.parent_id != inspection.id):
                return False   # unknown, or a participant or image of another record
    return record_hash(mine[0], [(t, row) for t, row in signed if t != "inspections"]) == \
        inspection.data.get("content_hash")


def record_hash(inspection: dict, children: list[tuple[str, dict]]) -> str:
    """The content hash of an inspection row and its ``(table, row)`` children, as plain
    dicts; "unhashable" if they are not rows a record is made of."""
    kids: dict[str, list[dict]] = {t: [] for t in P.CHILD_TABLES}
    for table, row in children:
        kids[table].append(row)
    try:
        return content_hash(inspection_document(inspection, kids["answers"], kids["findings"],
                                                kids["participants"], kids["attachments"]))
    except (TypeError, KeyError, ValueError):
        return "unhashable"


def _creatable(p: _Push, table: str, row: dict) -> bool:
    """A signed row the office lacks (its own push was refused, or it never came) can be
    created from the signed copy if it is whole and, for a photo, its bytes are here and
    the pusher may name them (server/blob_access.py)."""
    if row.get("deleted") or any(row.get(f) is None for f in P.REQUIRED[table]):
        return False
    if table == "attachments":
        if not may_name(p.c, p.who, row["sha256"]):  # as for a pushed row
            return False
        p.named.add(row["sha256"])
    return True


def _content(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in P.META_COLUMNS}


def _overwrite(p: _Push, rec: Record, row: dict, new_seq: bool = True) -> None:
    """Make ``rec`` equal to the wire ``row``, recording each value it replaces. The
    inspection being finalized already has this push's change sequence (``new_seq``
    False); any other row changed here gets its own."""
    hlc, device = row["updated_hlc"], row["device_id"]
    changes = {k: v for k, v in _content(row).items() if rec.data.get(k) != v}
    if int(row.get("deleted", 0)) != rec.deleted:
        changes["deleted"] = int(row.get("deleted", 0))
    if not changes and (rec.updated_hlc, rec.device_id) == (hlc, device):
        return
    if new_seq:
        p.seq += 1
        rec.seq = p.seq
    for name, value in changes.items():
        old = rec.deleted if name == "deleted" else rec.data.get(name)
        clock = rec.clocks.get(name) or ["", "", 0]
        p._record_conflict(rec, name, value, hlc, device, old, clock[0], clock[1])
        rec.data[name] = value
        rec.clocks[name] = [hlc, device, rec.seq]
    if "deleted" in changes:
        rec.deleted = changes["deleted"]
    rec.updated_hlc, rec.device_id = hlc, device
    if rec.stored:
        rec.dirty = True


def _create(p: _Push, inspection: Record, table: str, row: dict) -> None:
    p.seq += 1
    data = _content(row)
    rec = Record(table, row["id"], data,
                 {name: [row["updated_hlc"], row["device_id"], p.seq] for name in data},
                 inspection.province, inspection.owner, inspection.id,
                 data.get("sha256") if table == "attachments" else None, 0,
                 row["updated_hlc"], row["device_id"], 0, p.seq, stored=False)
    p.cache.add(rec)
