"""Conflicts for review: two laptops changed the same field of a row concurrently; the
server kept one value by its clocks (server/merge.py) and recorded the other here.

A reviewer (an admin, or a supervisor for rows of their provinces) sees both values and
either keeps the current one (the conflict is only marked resolved) or takes the other,
which is written as a new change by the office (``office.write_fields``), so every laptop
receives it by sync. A finalized record never changes: only "keep" is offered for it.
"""

from __future__ import annotations

import json

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.server.auth import Principal
from fieldapp.server.office import write_fields
from fieldapp.server.queries.paging import number
from fieldapp.server.queries.scoping import may_review, owned, usable_id
from fieldapp.server.storage import Conn, Database
from fieldapp.server.timeutil import now_iso
from fieldapp.store.wirejson import loads
from fieldapp.sync import protocol as P

KEEP, TAKE_LOST = "kept", "lost"
UNKNOWN = ("ไม่พบข้อขัดแย้งนี้ หรือไม่อยู่ในความรับผิดชอบของท่าน (no such conflict waiting "
           "for your review) — reload the list")
FROZEN = ("บันทึกนี้ลงนามและปิดแล้ว เลือกได้เพียงคงค่าปัจจุบัน (the record is finalized and "
          "cannot change: only keeping the current value is possible) — make an amendment "
          "on the laptop instead")
MOVED = ("ค่านี้ถูกแก้ไขอีกหลังเกิดข้อขัดแย้ง (the field has changed again since this "
         "conflict) — reload and review the current value")
_SELECT = ("SELECT c.id, c.tbl, c.row_id, c.field, c.kept_value, c.kept_hlc, c.kept_device, "
           "c.lost_value, c.lost_hlc, c.lost_device, c.recorded_at, c.resolved_at, "
           "c.resolved_by, c.choice, r.province, r.owner, r.parent_id, r.frozen, r.data, "
           "p.frozen AS parent_frozen FROM conflicts c "
           "JOIN records r ON r.tbl = c.tbl AND r.id = c.row_id "
           "LEFT JOIN records p ON p.tbl = 'inspections' AND p.id = r.parent_id")


def _value(text: str | None):
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return text


def _review_scope(who: Principal) -> tuple[str, list]:
    if who.is_admin:
        return "1 = 1", []
    if who.is_supervisor:
        return owned(who, "r")
    return "1 = 0", []      # inspectors review nothing


def _shape(row: dict) -> dict:
    data = loads(row.pop("data"))
    frozen = bool(row.pop("frozen")) or bool(row.pop("parent_frozen"))
    field = row["field"]
    row.update(kept_value=_value(row["kept_value"]), lost_value=_value(row["lost_value"]),
               current_value=data.get(field), frozen=frozen,
               inspection_id=row["row_id"] if row["tbl"] == "inspections" else row["parent_id"],
               label=data.get("name") if row["tbl"] == "factories" else
               data.get("record_no") or data.get("item_id") or data.get("title"),
               choices=[KEEP] if frozen or field == "content_hash" or
               row["tbl"] not in P.TABLES else [KEEP, TAKE_LOST])
    return row


def list_conflicts(db: Database, who: Principal, include_resolved: bool = False,
                   limit: int = 200) -> list[dict]:
    """Conflicts in the caller's review scope, newest first, with both values, the value
    the row holds now and the choices still open (``choices``)."""
    scope, params = _review_scope(who)
    waiting = "" if include_resolved else "c.resolved_at IS NULL AND "
    limit = number(limit, 200, 1, 5000)
    with db.read() as c:
        rows = c.all(f"{_SELECT} WHERE {waiting}{scope} "
                     f"ORDER BY c.recorded_at DESC, c.id DESC LIMIT ?", [*params, limit])
    return [_shape(r) for r in rows]


def count_waiting(c: Conn, who: Principal) -> int:
    """How many conflicts wait for the caller's review (within a read transaction)."""
    scope, params = _review_scope(who)
    return int(c.value(f"SELECT count(*) FROM conflicts c JOIN records r ON r.tbl = c.tbl "
                       f"AND r.id = c.row_id WHERE c.resolved_at IS NULL AND {scope}", params))


def _waiting(c: Conn, who: Principal, conflict_id: str) -> dict | None:
    scope, params = _review_scope(who)
    row = c.one(f"{_SELECT} WHERE c.id = ? AND c.resolved_at IS NULL AND {scope}",
                [conflict_id, *params])
    return _shape(row) if row else None


def resolve_conflict(db: Database, who: Principal, conflict_id: str, choice: str) -> dict:
    """Settle a conflict: ``"kept"`` leaves the row as it is, ``"lost"`` writes the value
    that lost as a new change from the office. Returns the resolved conflict. NotFoundError
    for an unknown, settled or out-of-scope conflict (alike); ValidationError when the
    choice is impossible (finalized record, or the field changed again since)."""
    if choice not in (KEEP, TAKE_LOST):
        raise ValidationError(f"choice is {KEEP!r} or {TAKE_LOST!r}")
    if not usable_id(conflict_id) or not (who.is_admin or who.is_supervisor):
        raise NotFoundError(UNKNOWN)
    with db.read() as c:
        conflict = _waiting(c, who, conflict_id)
    if conflict is None or not may_review(who, conflict["province"]):
        raise NotFoundError(UNKNOWN)
    if choice == TAKE_LOST:
        if TAKE_LOST not in conflict["choices"]:
            raise ValidationError(FROZEN)
        if conflict["current_value"] != conflict["kept_value"]:
            raise ValidationError(MOVED)
        ack = write_fields(db, who, conflict["tbl"], conflict["row_id"],
                           {conflict["field"]: conflict["lost_value"]})
        if ack["outcome"] != P.APPLIED:
            raise ValidationError(ack["reason"] or FROZEN)
    with db.write() as c:
        done = c.run("UPDATE conflicts SET resolved_at = ?, resolved_by = ?, choice = ? "
                     "WHERE id = ? AND resolved_at IS NULL",
                     (now_iso(), who.username, choice, conflict_id))
    if not done:
        raise NotFoundError(UNKNOWN)    # settled by someone else meanwhile
    conflict.update(resolved_by=who.username, choice=choice)
    return conflict
