"""Rows the office made that a restored office may have lost: sent again from the laptop.

When the office is restored from an older backup, every laptop sends again what the office
had acknowledged (``office_restored.resend_acknowledged``). That brings back everything a laptop
created, but not a draft the *office* created after the backup (``fieldapp-server assign``)
and the inspector then worked on: the laptop pulled its creation, so its outbox holds only
the inspector's changes, and the office refused them for lacking the row ("the server has
no inspections row"). The record was safe on the laptop but lost at the office.

So, after such a restore, a change that refers to an inspection this laptop did not create
is preceded by that inspection's row as the office had made it (as far as this laptop can
tell): every field the inspector never wrote here, at the value this laptop holds, with
``state`` a draft (``assign`` makes drafts; the inspector's own changes, the finalize among
them, follow in order). It is stamped with the earliest clock there is (this laptop's
device, wall time 1), so every real write, this laptop's or another's re-sent after the
restore, is newer on every field; and sent with ``if_absent``: an office that still holds
the row changes nothing (its copy may be newer than this laptop's).

Like factory reports (store/field_reports.py) these operations have no outbox entry: they
are made at push time, with an operation id named by the row and its stamp, so a replay is
recognised; their answers are not recorded.
"""

from __future__ import annotations

import logging

from fieldapp.core.hlc import Timestamp
from fieldapp.store.db import Store
from fieldapp.store.wirejson import loads

log = logging.getLogger(__name__)
_NAMESPACE = "1d6f3c8e-5b7a-4c21-9e0d-7a2b4c6e8f10"
# Set by resend_acknowledged, cleared once nothing is left to send (sync/push.py).
RECREATE = "recreate_office_rows"
# An inspection's fields that an office-made draft always has (sync/protocol.py REQUIRED).
REQUIRED = ("factory_id", "template_version_id", "kind", "state", "started_at")
RECREATION_WALL_MS = 1   # older than any write: the row as the office made it


def recreation_op_id(row_id: str, hlc: str) -> str:
    import uuid  # here: uuid is not needed on the window's start-up path
    return str(uuid.uuid5(uuid.UUID(_NAMESPACE), f"recreate {row_id} {hlc}"))


def referred_inspection(table: str, row_id: str, payload: str,
                        children: tuple[str, ...]) -> str | None:
    """The inspection an outbox change is about: the row itself, or the parent a child's
    creation names (a child's first change is its creation, so the first change that
    refers to an inspection is always found)."""
    if table == "inspections":
        return row_id
    if table in children and '"inspection_id"' in payload:
        parent = loads(payload).get("inspection_id")
        return parent if isinstance(parent, str) else None
    return None


def earliest_stamp(hlc: str) -> str:
    """The earliest clock of the device that stamped ``hlc``: a recreated row gives way to
    every real write, from any laptop, on every field (one tick before this laptop's own
    first change, it beat another laptop's finalize re-sent after the restore)."""
    return str(Timestamp(RECREATION_WALL_MS, 0, Timestamp.parse(hlc).device))


def recreations(store: Store, changes: list[tuple[str, str, str, str]],
                columns: tuple[str, ...], children: tuple[str, ...],
                sent: dict[str, str]) -> dict[int, dict]:
    """For outbox changes about to be pushed (``(table, row_id, payload, hlc)`` each): the
    inspections they refer to that this laptop did not create, as push operations keyed by
    the position of the first change referring to each. Inspections in ``sent`` (id -> op
    id, sent already in this sync) are left out; the caller adds what it sends."""
    first: dict[str, int] = {}
    for n, (table, row_id, payload, _hlc) in enumerate(changes):
        inspection = referred_inspection(table, row_id, payload, children)
        if inspection is not None and inspection not in sent:
            first.setdefault(inspection, n)
    ops: dict[int, dict] = {}
    for inspection, n in first.items():
        payload = _as_the_office_made_it(store, inspection, columns)
        if payload is not None:
            hlc = earliest_stamp(changes[n][3])
            ops[n] = {"op_id": recreation_op_id(inspection, hlc), "table": "inspections",
                      "row_id": inspection, "op": "upsert", "payload": payload, "hlc": hlc,
                      "if_absent": True}
    return ops


def _as_the_office_made_it(store: Store, inspection_id: str,
                           columns: tuple[str, ...]) -> dict | None:
    """The inspection's row less what this laptop wrote itself; None if this laptop
    created it (its creation is in the outbox, and is sent again itself) or lacks it."""
    written: set[str] = set()
    # Pending only (by index: the outbox may hold a hundred thousand changes). After a
    # restore every change the office had is pending again; one sent earlier in this sync
    # reached the office, so a recreation of its row is a no-op there (``if_absent``).
    for (payload,) in store.conn.execute(
            "SELECT payload FROM outbox WHERE row_id = ? AND status = 'pending' "
            "AND table_name = 'inspections'", (inspection_id,)):
        fields = loads(payload)
        if "factory_id" in fields:
            return None  # only a creation names the factory (it never changes)
        written.update(fields)
    cursor = store.conn.execute(
        f"SELECT {', '.join(columns)} FROM inspections WHERE id = ?", (inspection_id,))
    values = cursor.fetchone()
    if values is None:
        return None
    row = dict(zip(columns, values, strict=True))
    payload = {name: value for name, value in row.items()
               if name not in written or name in REQUIRED}
    payload["state"] = "draft"
    return payload


def without_recreations(acks: list[dict], sent: dict[str, str]) -> list[dict]:
    """The server's answers less those to recreations (no outbox entry records them). A
    refused one is logged: the changes after it are refused too, and say why."""
    ids = set(sent.values())
    kept = []
    for ack in acks:
        if ack["op_id"] not in ids:
            kept.append(ack)
        elif "rejected" in (ack.get("outcome"), ack.get("first_outcome")):
            log.warning("an inspection made by the office, sent again after the office was "
                        "restored, was refused: %s", ack.get("reason"))
    return kept
