"""Local factories that travel with the work that refers to them.

A registry file imported on a laptop stays local (store/factories.py): the office's registry
is authoritative. When an inspection is made on a factory the office may not know, or a field
edit is made to one, the push sends the factory's row just before the first change that
refers to it, as an ordinary upsert carrying the whole row. The office creates it marked as
reported from the field, for an administrator to accept; if the office already holds the
factory, its row stands and the report changes nothing (server/push.py, ``_scope``).

Reports have no outbox entry: they are made at push time from the row as it is, with an
operation id named by the row and its clock, so a report sent again (a lost answer) is a
replay the server recognises. A pulled copy from the office clears ``local_only``, and the
factory is not reported again.
"""

from __future__ import annotations

import logging

from fieldapp.store.db import Store
from fieldapp.store.wirejson import loads

log = logging.getLogger(__name__)
_NAMESPACE = "6f1b7c52-1d0e-4c8a-9a51-0e6c2f1c7d33"


def report_op_id(row_id: str, hlc: str) -> str:
    """The operation id of reporting this version of a local factory (stable: a replay)."""
    import uuid  # here: uuid is not needed on the window's start-up path
    return str(uuid.uuid5(uuid.UUID(_NAMESPACE), f"report {row_id} {hlc}"))


def referred_factory(table: str, op: str, row_id: str, payload: str) -> str | None:
    """The factory an outbox change refers to, if it may need one the office lacks: an
    inspection's creation (only it names ``factory_id``: it never changes) or a change to the
    factory itself."""
    if table == "inspections" and '"factory_id"' in payload:
        return loads(payload).get("factory_id")
    if table == "factories" and op == "upsert":
        return row_id
    return None


def factory_reports(store: Store, changes: list[tuple[str, str, str, str]],
                    columns: tuple[str, ...], reported: dict[str, str]) -> dict[int, dict]:
    """For outbox changes about to be pushed (``(table, op, row_id, payload)`` each): the
    local factories they refer to, as push operations keyed by the position of the first
    change referring to each. Factories in ``reported`` (factory id -> op id, those already
    sent in this sync) are left out; the caller adds what it sends."""
    first: dict[str, int] = {}
    for n, change in enumerate(changes):
        factory = referred_factory(*change)
        if isinstance(factory, str) and factory not in reported:
            first.setdefault(factory, n)
    if not first:
        return {}
    names = ["id", *columns, "updated_hlc"]
    ops: dict[int, dict] = {}
    ids = list(first)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for values in store.conn.execute(
                f"SELECT {', '.join(names)} FROM factories WHERE local_only = 1 AND deleted = 0 "
                f"AND id IN ({', '.join('?' * len(chunk))})", chunk):
            row = dict(zip(names, values, strict=True))
            row_id, hlc = row.pop("id"), row.pop("updated_hlc")
            ops[first[row_id]] = {"op_id": report_op_id(row_id, hlc), "table": "factories",
                                  "row_id": row_id, "op": "upsert", "payload": row, "hlc": hlc}
    return ops


def without_reports(acks: list[dict], reported: dict[str, str]) -> list[dict]:
    """The server's answers less those to reports (``reported``: factory id -> op id), which
    have no outbox entry to record them in. A refused report (e.g. a province not granted)
    is logged; the change that referred to the factory is refused too, and says so."""
    report_ids = set(reported.values())
    kept = []
    for ack in acks:
        if ack["op_id"] not in report_ids:
            kept.append(ack)
        elif "rejected" in (ack.get("outcome"), ack.get("first_outcome")):
            log.warning("factory reported from the field was refused: %s", ack.get("reason"))
    return kept
