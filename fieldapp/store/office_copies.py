"""The office's rows as the office sent them, kept to give back what a restore lost.

Complaints and plans are the office's: no laptop creates them (server/loop_scope.py). One
the office made or changed after its last backup is lost when it is restored from that
backup, although laptops pulled it; the office trusts no laptop's word for it. So the office
seals each such row it sends (server/office_seals.py), and this laptop keeps the last
sealed copy of each (table ``office_copies``, migration 8): the row exactly as received,
its field clocks when they differ, and the seal. Kept for every table of the office, given
back for ``GIVEN_BACK`` only.

Never sent in normal operation. After a restore (``sync_state.resend_acknowledged`` sets
``GIVE_BACK``) the sync sends them, before any change of its outbox, as push operations
with an empty payload and the copy under ``sealed``; their ids are named by the row and its
seal, so a replay is recognised; their answers are not recorded in the outbox. The office
checks each seal and merges a good copy as its own write, field by field with its clocks:
a copy older than what it holds changes nothing.
"""

from __future__ import annotations

import logging
import uuid

from fieldapp.store.db import Store
from fieldapp.store.wirejson import dumps, loads

log = logging.getLogger(__name__)
_NAMESPACE = uuid.UUID("5e7b0c2a-8d4f-4f61-a3e9-2c6d1b8f0a47")
# Set by resend_acknowledged, cleared once every copy was answered (sync/engine.py).
GIVE_BACK = "give_back_office_rows"
# Parents first: a plan may name a complaint. Kept in step with server/sealed_copies.py.
GIVEN_BACK = ("complaints", "plans")
BATCH = 2000


def keep(store: Store, copies: list[tuple[str, dict, dict]]) -> None:
    """Keep ``(table, row, seal)`` of rows just pulled (in the pull's transaction): a copy
    replaces the one kept unless that one is newer (a page may carry a row again, as it
    was, after a later page of another run). A seal of an unexpected shape is not kept."""
    rows = []
    for table, row, seal in copies:
        if not (isinstance(seal, dict) and isinstance(seal.get("mac"), str)
                and isinstance(row.get("id"), str) and isinstance(row.get("updated_hlc"), str)):
            continue
        sealed = {"row": row, "mac": seal["mac"]}
        if "clocks" in seal:
            sealed["clocks"] = seal["clocks"]
        rows.append((table, row["id"], row["updated_hlc"], dumps(sealed).decode("utf-8")))
    if rows:
        store.conn.executemany(
            "INSERT INTO office_copies (tbl, id, updated_hlc, sealed) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (tbl, id) DO UPDATE SET updated_hlc = excluded.updated_hlc, "
            "sealed = excluded.sealed WHERE excluded.updated_hlc >= office_copies.updated_hlc",
            rows)


def snapshot_copies(table: str, columns: list[str], rows: list[list]) -> list[tuple]:
    """``keep``'s input from snapshot rows whose last column is the seal: each row as a
    page would carry it (the columns the office's row lacks, sent as null, left out)."""
    names = columns[:-1]
    found = []
    for values in rows:
        seal = values[-1]
        if not isinstance(seal, dict):
            continue
        row = dict(zip(names, values[:-1], strict=True))
        for name in seal.get("absent", ()) if isinstance(seal.get("absent"), list) else ():
            row.pop(name, None)
        found.append((table, row, seal))
    return found


def give_back_op_id(table: str, row_id: str, mac: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"give back {table} {row_id} {mac}"))


def copies_to_give_back(store: Store, stamp: str) -> list[dict]:
    """Push operations for every kept copy of ``GIVEN_BACK``, parents first; ``stamp`` is
    this laptop's clock (the office checks that it names this device; it merges nothing)."""
    ops = []
    for table in GIVEN_BACK:
        for row_id, text in store.conn.execute(
                "SELECT id, sealed FROM office_copies WHERE tbl = ? ORDER BY id", (table,)):
            sealed = loads(text)
            ops.append({"op_id": give_back_op_id(table, row_id, sealed["mac"]),
                        "table": table, "row_id": row_id, "op": "upsert", "payload": {},
                        "hlc": stamp, "sealed": sealed})
    return ops


def refused(acks: list[dict]) -> int:
    """Log the copies the office refused (a seal it cannot check: restored from a backup
    older than its seal key, or another office); returns how many."""
    count = 0
    for ack in acks:
        if "rejected" in (ack.get("outcome"), ack.get("first_outcome")):
            count += 1
            log.warning("a row of the office, given back after the office was restored, "
                        "was refused: %s", ack.get("reason"))
    return count
