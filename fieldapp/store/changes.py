"""The one write path for syncable rows: stamp the clock, write the row, append to the outbox.

Every local change to a syncable table goes through ``save_row`` (or ``delete_row``) inside
``store.transaction()``, so the row and its outbox entry commit or vanish together. Changes
that arrive from the server are applied by the sync engine without an outbox entry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fieldapp.core.ids import uuid7
from fieldapp.store.db import Store
from fieldapp.store.sync_meta import PUSH_UNANSWERED, get_state

# Syncable tables and the columns that never leave this database.
SYNC_TABLES: dict[str, frozenset[str]] = {
    "factories": frozenset({"num", "source_hash", "local_only"}),
    "template_versions": frozenset(),
    "inspections": frozenset(),
    "answers": frozenset(),
    "findings": frozenset(),
    "participants": frozenset(),
    "attachments": frozenset(),
    "signatures": frozenset(),
    "complaints": frozenset(),
    "complaint_files": frozenset(),
    "plans": frozenset(),
    "reviews": frozenset(),
    "orders": frozenset(),
    "order_photos": frozenset(),
}

SYNC_COLUMNS = ("updated_hlc", "device_id", "deleted")


def now_iso() -> str:
    """The current instant as ISO 8601 UTC with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def get_row(store: Store, table: str, row_id: str) -> dict | None:
    rows = store.query(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    return rows[0] if rows else None


# Tables of what an inspector types into a record: its text loses the invisible characters
# a paste brings along (NUL, bell, escape, a byte-order mark, right-to-left overrides),
# which printed as boxes on the signed form and became part of what was signed.
TYPED_TABLES = frozenset({"inspections", "answers", "findings", "participants",
                          "attachments", "signatures"})
_INVISIBLE = {c: None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                                *range(0x80, 0xA0), *range(0x202A, 0x202F),
                                *range(0x2066, 0x206A), 0xFEFF)}


def _typed(text: str) -> str:
    return text.translate(_INVISIBLE)


def save_row(store: Store, table: str, row: dict, *, send: bool = True) -> dict:
    """Insert or update ``row`` (must contain ``id``) and record the change in the outbox.

    Only the fields given are written; the outbox entry carries just the fields that really
    changed, so the server can merge concurrent edits field by field. Returns the stored row.
    A save that changes nothing writes nothing (autosave calls this on every keystroke).
    ``send=False`` keeps the change on this laptop (no outbox entry): for rows every
    device makes alike for itself, such as the templates shipped with the app.
    """
    if table not in SYNC_TABLES:
        raise ValueError(f"{table} is not a syncable table")
    local_only = SYNC_TABLES[table]
    if table in TYPED_TABLES:
        row = {k: _typed(v) if isinstance(v, str) else v for k, v in row.items()}
    with store.transaction():
        old = get_row(store, table, row["id"])
        if old is not None:
            changed = {k: v for k, v in row.items()
                       if k not in SYNC_COLUMNS and old.get(k) != v}
            if not changed and not old["deleted"]:
                return old
        else:
            changed = {k: v for k, v in row.items() if k not in SYNC_COLUMNS}
        hlc = store.stamp()
        stamp = {"updated_hlc": hlc, "device_id": store.device_id, "deleted": 0}
        if old is None:
            stamped = {**row, **stamp}
            cols = list(stamped)
            store.conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})", [stamped[c] for c in cols])
        else:
            # A plain UPDATE of just the changed fields: callers may pass a partial row.
            sets = {**changed, **stamp}
            store.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in sets)} WHERE id = ?",
                [*sets.values(), row["id"]])
        fields = {k: v for k, v in changed.items() if k not in local_only}
        if old is not None and old["deleted"]:
            fields["deleted"] = 0
        if send:
            _append_outbox(store, table, row["id"], "upsert", fields, hlc)
        return get_row(store, table, row["id"])


def delete_row(store: Store, table: str, row_id: str) -> None:
    """Tombstone a row: it stays (so the deletion syncs) with ``deleted = 1``."""
    with store.transaction():
        old = get_row(store, table, row_id)
        if old is None or old["deleted"]:
            return
        hlc = store.stamp()
        store.conn.execute(
            f"UPDATE {table} SET deleted = 1, updated_hlc = ?, device_id = ? WHERE id = ?",
            (hlc, store.device_id, row_id))
        _append_outbox(store, table, row_id, "delete", {}, hlc)


def _append_outbox(store: Store, table: str, row_id: str, op: str, fields: dict,
                   hlc: str) -> None:
    if op == "upsert" and _merge_into_unsent(store, table, row_id, fields, hlc):
        return
    store.conn.execute(
        "INSERT INTO outbox (op_id, table_name, row_id, op, payload, hlc, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (uuid7(), table, row_id, op, json.dumps(fields, ensure_ascii=False, sort_keys=True),
         hlc, now_iso()))


def _merge_into_unsent(store: Store, table: str, row_id: str, fields: dict,
                       hlc: str) -> bool:
    """Fold a change into the row's latest outbox entry when no push has read that entry:
    every keystroke of a note was an entry of its own, each carrying the whole text so far
    (a 568-character note typed was 568 changes and 160 kB to send, and the status bar
    counted them as "1,060 changes waiting" after two inspections).

    Only while no push run is going or unfinished (``PUSH_UNANSWERED``: set, under this
    database's write lock, before a push reads the outbox, and cleared once every answer is
    recorded): then a pending entry has almost surely never been sent (and gets a new id in
    case it was). Only into the outbox's very last entry: the merged entry keeps its
    place, id and order against every other row's changes (merged into an earlier one, an
    inspection's finalize went ahead of its children, which the office then refused). And
    only when the change writes every field of that entry again (as each keystroke of one
    note does): the entry takes the newer clock, which must be true of all its fields.
    """
    if get_state(store, PUSH_UNANSWERED):
        return False
    last = store.conn.execute(
        "SELECT seq, table_name, row_id, op, status, payload FROM outbox "
        "ORDER BY seq DESC LIMIT 1").fetchone()
    if last is None or last[1:5] != (table, row_id, "upsert", "pending"):
        return False
    unsent = json.loads(last[5])
    if not fields.keys() >= unsent.keys():
        return False   # it keeps fields written earlier, whose clocks must stay theirs
    merged = {**unsent, **fields}
    # A new operation id: should the office hold the entry after all (its answer lost
    # with the flag, in a power cut, or the laptop restored from its own backup), the old
    # id would be answered "duplicate" and the folded change dropped unseen. The entry
    # writes every field of the old one again, at a newer clock: applying both is harmless.
    store.conn.execute("UPDATE outbox SET op_id = ?, payload = ?, hlc = ? WHERE seq = ?",
                       (uuid7(), json.dumps(merged, ensure_ascii=False, sort_keys=True), hlc,
                        last[0]))
    return True


def pending_outbox(store: Store, limit: int = 500) -> list[dict]:
    """Local changes not yet acknowledged by the server, oldest first."""
    return store.query("SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT ?",
                       (limit,))


def save_rows(store: Store, table: str, rows: list[dict], *,
              existing: dict[str, dict] | None = None, send: bool = True) -> list[str]:
    """``save_row`` for many rows at once: same semantics, a fraction of the statements.

    Each row gets its own clock stamp and its own outbox entry holding only the fields that
    changed; rows that change nothing are not written. All rows share one transaction (the
    caller's, or a new one), so a batch commits or vanishes whole. ``existing`` may carry the
    current rows by id when the caller has already read them (it is then trusted, not re-read).
    Returns, per row, ``"inserted"``, ``"updated"`` or ``"unchanged"``.

    ``send=False``: rows that stay on this laptop (a registry import: the office's registry
    is authoritative, see store/factories.py) are stamped and written with no outbox entry.

    Bulk imports (the factory registry, demo data) use this; interactive edits use save_row.
    """
    if table not in SYNC_TABLES:
        raise ValueError(f"{table} is not a syncable table")
    local_only = SYNC_TABLES[table]
    outcomes: list[str] = []
    inserts: dict[tuple[str, ...], list[list]] = {}
    updates: dict[tuple[str, ...], list[list]] = {}
    outbox: list[tuple] = []
    with store.transaction():
        current = dict(existing) if existing is not None else rows_by_id(
            store, table, [row["id"] for row in rows])
        created = now_iso()
        last_hlc = None
        for row in rows:
            old = current.get(row["id"])
            if old is not None:
                changed = {k: v for k, v in row.items()
                           if k not in SYNC_COLUMNS and old.get(k) != v}
                if not changed and not old["deleted"]:
                    outcomes.append("unchanged")
                    continue
            else:
                changed = {k: v for k, v in row.items() if k not in SYNC_COLUMNS}
            hlc = last_hlc = store.clock.now()
            stamp = {"updated_hlc": hlc, "device_id": store.device_id, "deleted": 0}
            if old is None:
                stamped = {**row, **stamp}
                inserts.setdefault(tuple(stamped), []).append(list(stamped.values()))
                current[row["id"]] = stamped
                outcomes.append("inserted")
            else:
                # Only the changed columns: an UPDATE naming unchanged indexed columns would
                # still fire their triggers (the full-text index would be rebuilt for nothing).
                stamped = {**changed, **stamp}
                updates.setdefault(tuple(stamped), []).append([*stamped.values(), row["id"]])
                current[row["id"]] = {**old, **stamped}
                outcomes.append("updated")
            if not send:
                continue
            fields = {k: v for k, v in changed.items() if k not in local_only}
            if old is not None and old["deleted"]:
                fields["deleted"] = 0
            outbox.append((uuid7(), table, row["id"], "upsert",
                           json.dumps(fields, ensure_ascii=False, sort_keys=True), hlc, created))
        for cols, values in inserts.items():
            store.conn.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})", values)
        for cols, values in updates.items():
            store.conn.executemany(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                values)
        if outbox:
            store.conn.executemany(
                "INSERT INTO outbox (op_id, table_name, row_id, op, payload, hlc, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", outbox)
        if last_hlc is not None:
            # One write of the persisted clock per batch instead of one per row.
            store.set_meta("hlc", last_hlc)
    return outcomes


def rows_by_id(store: Store, table: str, ids: list[str]) -> dict[str, dict]:
    """Current rows for ``ids`` (chunked to stay under SQLite's parameter limit)."""
    found: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in store.query(
                f"SELECT * FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})",
                tuple(chunk)):
            found[row["id"]] = row
    return found
