"""The office's actions on corrective orders (docs/office-loop.md): the factory reports an
order done, an inspector's follow-up or the office verifies it, the office names another
responsible person, escalates an order a follow-up found not (or only partly) corrected,
and plans the follow-up inspection of a factory's orders.

Orders are issued by approval (server/derive.py), never here. Every change goes through the
push rules (``office.write_rows``), into the order's history (``order_history``) and into the
audit log. Each action first reads the order in the caller's scope: an order outside the
caller's provinces is "not found" here too.
"""

from __future__ import annotations

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.core.thaidate import typed_date
from fieldapp.server import audit
from fieldapp.server.auth import Principal
from fieldapp.server.loop import plans
from fieldapp.server.loop.settings import office_today
from fieldapp.server.office import write_rows
from fieldapp.server.queries.orders import in_force_of_factory, order_detail
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import now_iso
from fieldapp.sync import protocol as P

MAX_NOTE = 2000
MAX_NAME = 200
CLOSED = ("verified", "cancelled")
NOT_OPEN = ("คำสั่งนี้ไม่ได้อยู่ระหว่างดำเนินการ (this order is not open: only an open order can "
            "be reported done)")
ALREADY_CLOSED = ("คำสั่งนี้ปิดแล้ว (this order is already verified or cancelled)")
NOT_ESCALABLE = ("ส่งเรื่องดำเนินการต่อได้เฉพาะคำสั่งที่ตรวจติดตามแล้วพบว่าแก้ไขไม่ครบหรือไม่ได้แก้ไข "
                 "(only an order a follow-up found partly or not corrected, and not verified, "
                 "cancelled or escalated already, can be escalated)")
NAME_NEEDED = "กรุณาระบุชื่อผู้รับผิดชอบ (name the responsible person)"
NOTHING_TO_FOLLOW = ("โรงงานนี้ไม่มีคำสั่งที่ต้องตรวจติดตาม (this factory has no open order to "
                     "follow up)")
BAD_DATE = "วันที่ไม่ถูกต้อง (not a date)"


def _order(db: Database, who: Principal, order_id: str) -> dict:
    order = order_detail(db, who, order_id)
    if order is None:
        raise NotFoundError("no such order")
    return order


def _change(db: Database, who: Principal, order: dict, fields: dict, status: str | None,
            note: str, detail: str, address: str) -> None:
    """Write the order's fields as the office, note it in its history and the audit log."""
    ack = write_rows(db, who, [("orders", order["id"], fields)])[0]
    if ack["outcome"] == P.REJECTED:
        raise ValidationError(ack["reason"])
    with db.write() as c:
        c.run("INSERT INTO order_history (id, order_id, status, note, inspection_id, by_user, "
              "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
              (uuid7(), order["id"], status, note, None, who.username, now_iso()))
    audit.record(db, who, audit.CHANGE, f"/orders/{order['id']}", detail, address)


def _note(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()[:MAX_NOTE]


def report_done(db: Database, who: Principal, order_id: str, note: str | None,
                address: str = "") -> None:
    """The factory says it has corrected: the order waits for a follow-up to verify it."""
    order = _order(db, who, order_id)
    if order["status"] != "open":
        raise ValidationError(NOT_OPEN)
    text = _note(note)
    _change(db, who, order, {"status": "reported_done"}, "reported_done",
            "โรงงานแจ้งว่าแก้ไขแล้ว (reported done by the factory)"
            + (f": {text}" if text else ""), f"order reported done; note: {text}", address)


def verify(db: Database, who: Principal, order_id: str, note: str | None,
           address: str = "") -> None:
    """The office has seen the correction (a follow-up or evidence): the order is closed."""
    order = _order(db, who, order_id)
    if order["status"] in CLOSED:
        raise ValidationError(ALREADY_CLOSED)
    text = _note(note)
    _change(db, who, order, {"status": "verified"}, "verified",
            "ตรวจสอบแล้วว่าแก้ไขถูกต้อง (verified)" + (f": {text}" if text else ""),
            f"order verified; note: {text}", address)


def set_responsible(db: Database, who: Principal, order_id: str, name: str | None,
                    address: str = "") -> None:
    order = _order(db, who, order_id)
    name = " ".join((name or "").split())[:MAX_NAME]
    if not name:
        raise ValidationError(NAME_NEEDED)
    if name == order["responsible"]:
        return
    _change(db, who, order, {"responsible": name}, None,
            f"ผู้รับผิดชอบ: {name} (responsible person changed from "
            f"{order['responsible'] or '-'})",
            f"responsible: {order['responsible'] or '-'} -> {name}", address)


def may_escalate(order: dict) -> bool:
    return order.get("followup_result") in ("partly", "not_corrected") and \
        order.get("status") not in ("verified", "cancelled", "escalated")


def escalate(db: Database, who: Principal, order_id: str, note: str | None = None,
             address: str = "") -> None:
    """Factory Act s.39: the order a follow-up found not corrected goes further (the
    console prints the letter); ``escalated_on`` is the office's today."""
    order = _order(db, who, order_id)
    if not may_escalate(order):
        raise ValidationError(NOT_ESCALABLE)
    text = _note(note)
    today = office_today().isoformat()
    _change(db, who, order, {"status": "escalated", "escalated_on": today}, "escalated",
            "ส่งเรื่องดำเนินการตามมาตรา 39 (escalated)" + (f": {text}" if text else ""),
            f"order escalated on {today}; note: {text}", address)


def assignees(db: Database, province: str | None) -> list[dict]:
    """Active inspectors and supervisors holding ``province`` (who can be sent)."""
    with db.read() as c:
        return c.all("SELECT u.id, u.username, u.role FROM users u JOIN user_provinces p "
                     "ON p.user_id = u.id WHERE p.province_code = ? AND u.disabled = 0 "
                     "AND u.role IN ('inspector', 'supervisor') ORDER BY u.username",
                     (province,))


def plan_follow_up(db: Database, who: Principal, factory_id: str, assignee: str,
                   planned_on: str, note: str | None = None, address: str = "") -> str:
    """A follow-up plan of the factory naming ALL its orders in force (open, overdue or
    reported done), for an inspector of its province; returns the plan id."""
    # As every other date the office types: 20/12/2569 or 2569-12-20 are Buddhist-era
    # (2569-12-20 was stored as the year 2569 C.E. and shown as 20 ธ.ค. 12).
    day = typed_date(planned_on)
    if day is None:
        raise ValidationError(BAD_DATE)
    orders = in_force_of_factory(db, who, factory_id)
    if not orders:
        raise ValidationError(NOTHING_TO_FOLLOW)
    order_ids = sorted(o["id"] for o in orders)
    [plan_id] = plans.create_plans(db, who, [factory_id], assignee_id=assignee,
                                   planned_on=day.isoformat(), kind="follow_up",
                                   note=_note(note) or None, order_ids=order_ids)
    with db.write() as c:
        c.many("INSERT INTO order_history (id, order_id, status, note, inspection_id, "
               "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [(uuid7(), oid, None, f"วางแผนตรวจติดตามวันที่ {day.isoformat()} (follow-up "
                 f"planned, plan {plan_id})", None, who.username, now_iso())
                for oid in order_ids])
    audit.record(db, who, audit.CHANGE, f"/orders?factory={factory_id}",
                 f"follow-up plan {plan_id} on {day.isoformat()} for {assignee}: orders "
                 f"{', '.join(order_ids)}", address)
    return plan_id

