"""The office's rows as the office sent them, kept to give back what a restore lost.

Complaints and plans are the office's: no laptop creates them (server/loop_scope.py). One
the office made or changed after its last backup is lost when it is restored from that
backup, although laptops pulled it; the office trusts no laptop's word for it. So the office
seals each such row it sends (server/office_seals.py), and this laptop keeps the last
sealed copy of each (table ``office_copies``, migration 8): the row exactly as received,
its field clocks when they differ, and the seal. Kept for every table of the office, given
back for ``GIVEN_BACK`` only.

Never sent in normal operation. After a restore (``office_restored.resend_acknowledged`` sets
``GIVE_BACK`` and marks every copy of ``GIVEN_BACK`` with ``TRIES``) the sync sends the
marked ones, before any change of its outbox, as push operations with an empty payload and
the copy under ``sealed``; their ids are named by the row and its seal, so a replay is
recognised; their answers are not recorded in the outbox. The office checks each seal and
merges a good copy as its own write, field by field with its clocks: a copy older than
what it holds changes nothing. A copy taken is unmarked; one refused for good (a seal the
office cannot check) is dropped; one refused for now (``retry``: its complaint is not back
yet) stays marked, one try fewer, and goes again next sync.

The inspector's own change to such a row (a plan marked started) that the office refuses
for lacking the row while its copy is still marked is not refused for good: it is pending
again under a new op id (``awaiting_give_back``, sync/push.py), so it follows the copy at
the next sync, once the office holds the row again, whichever laptop gave it back. It waits
as long as the copy has tries left; then the refusal stands.

Copies go with their rows: one whose row left the inspector's scope (a tombstone, or a new
snapshot that no longer lists it) or was removed from this laptop is dropped (the triggers
of migration 9), unless it is still to be given back.
"""

from __future__ import annotations

import logging
import uuid

from fieldapp.store.db import Store
from fieldapp.store.wirejson import dumps, loads

log = logging.getLogger(__name__)
_NAMESPACE = uuid.UUID("5e7b0c2a-8d4f-4f61-a3e9-2c6d1b8f0a47")
# Set by resend_acknowledged, cleared once no copy is left to give back (sync/engine.py).
GIVE_BACK = "give_back_office_rows"
# Parents first: a plan may name a complaint. Kept in step with server/sealed_copies.py.
GIVEN_BACK = ("complaints", "plans")
BATCH = 2000
# Syncs in which a copy the office refused for now is sent again (a plan whose complaint
# another laptop has still to give back); then it is left as it is (the same in migration 9).
TRIES = 30


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
            "sealed = excluded.sealed, give_back = 0 "
            # The office sent it as it holds it now: nothing of it is left to give back.
            "WHERE excluded.updated_hlc >= office_copies.updated_hlc",
            rows)


def mark_all(store: Store) -> None:
    """Every copy of ``GIVEN_BACK`` is to be given back (the office was restored); in the
    caller's transaction."""
    store.conn.execute(
        f"UPDATE office_copies SET give_back = ? "
        f"WHERE tbl IN ({', '.join('?' * len(GIVEN_BACK))})", (TRIES, *GIVEN_BACK))


def forget(store: Store, table: str, ids: list[str], unless_marked: bool = True) -> None:
    """Drop the copies of rows that left this inspector's scope. ``unless_marked``: keep
    one still to be given back (a new snapshot right after a restore does not list the
    rows the office lost and has not taken back yet). A tombstone passes False: the office
    holds that row again, so nothing of it is left to give back."""
    sql = "DELETE FROM office_copies WHERE tbl = ? AND id IN (SELECT value FROM json_each(?))"
    if unless_marked:
        sql += " AND give_back = 0"
    store.conn.execute(sql, (table, dumps(sorted(ids)).decode("utf-8")))


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
    """Push operations for every copy of ``GIVEN_BACK`` still to be given back, parents
    first; ``stamp`` is this laptop's clock (the office checks that it names this device
    and is not ahead of its own; it merges nothing)."""
    ops = []
    for table in GIVEN_BACK:
        for row_id, text in store.conn.execute(
                "SELECT id, sealed FROM office_copies WHERE tbl = ? AND give_back > 0 "
                "ORDER BY id", (table,)):
            sealed = loads(text)
            ops.append({"op_id": give_back_op_id(table, row_id, sealed["mac"]),
                        "table": table, "row_id": row_id, "op": "upsert", "payload": {},
                        "hlc": stamp, "sealed": sealed})
    return ops


def answered(store: Store, ops: list[dict], acks: list[dict]) -> int:
    """Record the office's answers to ``ops`` (one transaction): a copy taken is unmarked,
    one refused for good is dropped (logged), one refused for now (``retry``) has one try
    fewer. Returns how many were refused for now."""
    by_id = {ack.get("op_id"): ack for ack in acks}
    taken, dropped, later = [], [], []
    for op in ops:
        ack = by_id.get(op["op_id"])
        if ack is None:
            later.append(op)   # not answered: as refused for now
            continue
        key = (op["table"], op["row_id"])
        if "rejected" not in (ack.get("outcome"), ack.get("first_outcome")):
            taken.append(key)
        elif ack.get("retry"):
            later.append(op)
            log.info("a row of the office, given back after the office was restored, was "
                     "refused for now and goes again next sync: %s", ack.get("reason"))
        else:
            dropped.append(key)
            log.warning("a row of the office, given back after the office was restored, "
                        "was refused: %s", ack.get("reason"))
    with store.transaction():
        store.conn.executemany("UPDATE office_copies SET give_back = 0 WHERE tbl = ? AND id = ?",
                               taken)
        store.conn.executemany("DELETE FROM office_copies WHERE tbl = ? AND id = ?", dropped)
        store.conn.executemany(
            "UPDATE office_copies SET give_back = max(give_back - 1, 0) "
            "WHERE tbl = ? AND id = ?", [(op["table"], op["row_id"]) for op in later])
    return len(later)


def awaiting_give_back(store: Store, op_ids: list[str]) -> list[str]:
    """Of changes the office refused because it lacks their row (``op_ids``), those to a
    row whose copy is still to be given back: the office may take it at a later sync (its
    complaint given back by another laptop), and the change must then follow it, not stay
    refused for good. Bounded as the give-back is: once the copy's tries ran out (or it
    was taken, or dropped) the copy is no longer marked and the refusal stands."""
    if not op_ids:
        return []
    waiting = [op_id for (op_id,) in store.conn.execute(
        "SELECT o.op_id FROM outbox o JOIN office_copies c "
        "ON c.tbl = o.table_name AND c.id = o.row_id AND c.give_back > 0 "
        "WHERE o.op_id IN (SELECT value FROM json_each(?))",
        (dumps(sorted(op_ids)).decode("utf-8"),))]
    if waiting:
        log.info("%d changes to rows the office lost wait for those rows to be given back "
                 "(sent again next sync)", len(waiting))
    return waiting


def left_to_give_back(store: Store) -> int:
    """Copies still to be given back (refused for now, with tries left)."""
    return store.conn.execute("SELECT count(*) FROM office_copies WHERE give_back > 0"
                              ).fetchone()[0]
