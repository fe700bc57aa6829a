"""Planned work: the office assigns inspections (one factory, or many from a filtered
registry list), each naming an inspector, a template and a planned date. A plan reaches the
inspector's laptop on the next sync ("my plan"), where it opens straight into a new
inspection; the laptop marks it started and names that inspection, then done.

A follow-up plan names the orders it checks (``order_ids``); a complaint plan names its
complaint. The office may cancel or re-plan a plan that has not started.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.server.auth import Principal
from fieldapp.server.office import write_rows
from fieldapp.server.queries.planning import open_plans
from fieldapp.server.records import Record
from fieldapp.server.storage import Database
from fieldapp.sync import protocol as P

# The template each kind of plan opens by default.
DEFAULT_TEMPLATE = {"routine": "env-general", "complaint": "complaint",
                    "follow_up": "follow-up"}
MAX_PLANS = 2000  # one assignment of a filtered registry list


@dataclass(frozen=True)
class Assignee:
    user_id: str
    username: str
    display_name: str
    provinces: frozenset[str]


def assignee(db: Database, username_or_id: str) -> Assignee:
    """An active inspector (or supervisor, who also inspects) and their provinces."""
    with db.read() as c:
        user = c.one("SELECT id, username, role, disabled FROM users "
                     "WHERE username = ? OR id = ?", (username_or_id, username_or_id))
        if user is None or user["disabled"] or user["role"] not in ("inspector", "supervisor"):
            raise NotFoundError("ไม่พบผู้ตรวจคนนี้ (no active inspector of that name)")
        provinces = frozenset(r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (user["id"],)))
    return Assignee(user["id"], user["username"], user["username"], provinces)


def published_keys(db: Database) -> set[str]:
    with db.read() as c:
        rows = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE tbl = 'template_versions' AND deleted = 0")]
    return {r.data.get("template_key") for r in rows if r.data.get("status") == "published"}


def create_plans(db: Database, who: Principal, factory_ids: list[str], *, assignee_id: str,
                 planned_on: str, kind: str = "routine", template_key: str | None = None,
                 note: str | None = None, complaint_id: str | None = None,
                 order_ids: list[str] | None = None) -> list[str]:
    """One plan per factory (a complaint plan may name no factory: an unregistered place),
    all or none; returns their ids. The inspector must hold each factory's province."""
    if kind not in P.PLAN_KINDS:
        raise ValidationError(f"unknown kind {kind!r}")
    template_key = template_key or DEFAULT_TEMPLATE[kind]
    if template_key not in published_keys(db):
        raise ValidationError(f"ไม่มีแบบตรวจ {template_key} ที่เผยแพร่แล้ว (no published "
                              f"template {template_key!r})")
    targets = list(dict.fromkeys(factory_ids)) or ([None] if complaint_id else [])
    if not targets:
        raise ValidationError("เลือกโรงงานอย่างน้อยหนึ่งแห่ง (choose at least one factory)")
    if len(targets) > MAX_PLANS:
        raise ValidationError(f"มอบหมายได้ครั้งละไม่เกิน {MAX_PLANS} แห่ง (at most "
                              f"{MAX_PLANS} factories at once)")
    person = assignee(db, assignee_id)
    with db.read() as c:
        provinces = {}
        for cond, params in c.any_of("id", [t for t in targets if t]):
            for r in c.all(f"SELECT id, province FROM records WHERE tbl = 'factories' "
                           f"AND deleted = 0 AND {cond}", params):
                provinces[r["id"]] = r["province"]
        if complaint_id:
            complaint = c.one("SELECT province FROM records WHERE tbl = 'complaints' "
                              "AND id = ? AND deleted = 0", (complaint_id,))
            if complaint is None:
                raise NotFoundError("no such complaint")
        # A routine inspection planned twice is two visits for one (ticking the same
        # factories again, or "all that match" a second time).
        planned = open_plans(c, [t for t in targets if t]) if kind == "routine" else {}
    if planned:
        raise ValidationError(f"โรงงาน {len(planned)} แห่งมีแผนตรวจประจำที่ยังไม่ได้ตรวจอยู่แล้ว "
                              f"({len(planned)} of these factories already have a routine "
                              f"inspection planned and not yet done)")
    missing = [t for t in targets if t and t not in provinces]
    if missing:
        raise NotFoundError(f"ไม่พบโรงงาน {len(missing)} แห่งบนเซิร์ฟเวอร์ ({len(missing)} "
                            f"factories unknown to the server)")
    outside = sorted({provinces[t] for t in targets if t} - person.provinces)
    if outside:
        raise ValidationError(f"{person.display_name} ไม่ได้รับสิทธิ์จังหวัด "
                              f"{', '.join(outside)} (not granted these provinces: the plan "
                              f"would never reach their laptop)")
    ids, changes = [], []
    for factory in targets:
        plan_id = uuid7()
        ids.append(plan_id)
        changes.append(("plans", plan_id, {
            "factory_id": factory, "template_key": template_key, "kind": kind,
            "planned_on": planned_on, "assignee": person.user_id,
            "assignee_name": person.display_name, "note": note or None,
            "complaint_id": complaint_id, "order_ids": ",".join(order_ids) if order_ids
            else None, "status": "planned", "inspection_id": None}))
    refused = [a["reason"] for a in write_rows(db, who, changes) if a["outcome"] == P.REJECTED]
    if refused:
        raise ValidationError(refused[0])  # the push checked the same rules: none applies
    return ids


def set_status(db: Database, who: Principal, plan_id: str, status: str) -> None:
    if status not in P.PLAN_STATES:
        raise ValidationError(f"unknown plan status {status!r}")
    ack = write_rows(db, who, [("plans", plan_id, {"status": status})])[0]
    if ack["outcome"] == P.REJECTED:
        raise ValidationError(ack["reason"])
