"""The laptop's side of the office's loop (docs/office-loop.md): records the office returned,
the inspector's planned work, the orders a follow-up checks and the complaint behind a
complaint inspection.

The office owns reviews, plans, complaints and orders; they arrive by sync. The laptop writes
only a plan's ``status`` and ``inspection_id`` (started, done) and the follow-up's answers,
which are ordinary answers of its own inspection. Nothing about who complained exists here,
by design: the complainant stays on the office's server.

Start-up reads the counts of the two lists, so the module imports only light modules at the
top; the inspection and template store (which load the schema checker) are imported by the
functions that write.
"""

from __future__ import annotations

from datetime import date, datetime

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.office_words import APPROVED, FOLLOWUP_RESULTS, ORDER_ITEM_PREFIX
from fieldapp.core.thaidate import BANGKOK
from fieldapp.store.changes import get_row, save_row
from fieldapp.store.db import Store
from fieldapp.store.sync_meta import get_state

OPEN_PLAN_STATES = ("planned", "started")
NO_FACTORY = ("เรื่องร้องเรียนนี้ไม่ได้ระบุโรงงานในทะเบียน เลือกโรงงานก่อนเริ่มการตรวจ (this complaint "
              "names no registered factory: choose the factory before starting the inspection)")
NOT_OPEN = ("แผนงานนี้ปิดหรือยกเลิกแล้ว (this plan is done or cancelled)")
NO_TEMPLATE = ("ยังไม่มีแบบตรวจ {key} ในเครื่องนี้ ซิงก์ก่อนแล้วลองอีกครั้ง (no published checklist "
               "{key} on this laptop yet: sync, then try again)")
BAD_RESULT = ("ผลการตรวจติดตามต้องเป็น แก้ไขแล้ว แก้ไขบางส่วน หรือ ยังไม่แก้ไข (a follow-up result is "
              "one of corrected, partly, not_corrected)")
UNANSWERED = ("ยังไม่ได้บันทึกผลการตรวจติดตามคำสั่ง: {what} (the follow-up result of this order is "
              "not recorded)")


class NoFactoryError(ValidationError):
    """A complaint plan about an unregistered place: the inspector chooses the factory."""


def today() -> date:
    """The inspector's today (Bangkok): plans before it are overdue."""
    return datetime.now(BANGKOK).date()


# -- who is signed in -----------------------------------------------------------------------

def account(store: Store) -> dict:
    """The office account this laptop last logged in with: ``user_id`` (how plans name their
    inspector; saved by sync/account.login) and ``username``; either may be None."""
    return {"user_id": get_state(store, "user_id"), "username": get_state(store, "username")}


def _mine(store: Store, names: tuple[str, ...]) -> tuple[str, list]:
    """SQL (on inspections ``i``) for "made by this laptop's inspector": created_by is one of
    the names the inspector goes by (the settings' name, the account), or the record was
    created on this laptop (its first row is in the outbox). With no name known at all every
    record counts: the office sends a laptop only its own inspector's reviews, except to a
    supervisor's."""
    who = account(store)
    known = sorted({n.strip() for n in (*names, who["user_id"], who["username"])
                    if n and n.strip()})
    if not known:
        return "1", []
    marks = ", ".join("?" * len(known))
    return (f"(i.created_by IN ({marks}) OR EXISTS (SELECT 1 FROM outbox o "
            "WHERE o.table_name = 'inspections' AND o.row_id = i.id))", known)


# -- review ---------------------------------------------------------------------------------

def review_state(store: Store, inspection_id: str) -> str | None:
    """The office's review of a record: 'approved', 'returned', 'reopened', or None when the
    office has not reviewed it (or it has not reached the office yet)."""
    rows = store.query("SELECT state FROM reviews WHERE inspection_id = ? AND deleted = 0",
                       (inspection_id,))
    return rows[0]["state"] if rows else None


def amended_record(store: Store, amendment: dict) -> dict | None:
    """What an amendment corrects, for its editor: the record's ``record_no`` and, when the
    office returned it, the reviewer's ``comment`` and ``reviewer``; None for no amendment."""
    if not amendment.get("amends_id"):
        return None
    rows = store.query(
        "SELECT i.record_no, r.comment, r.reviewer FROM inspections i LEFT JOIN reviews r "
        "ON r.inspection_id = i.id AND r.deleted = 0 AND r.state = 'returned' "
        "WHERE i.id = ?", (amendment["amends_id"],))
    return rows[0] if rows else {"record_no": None, "comment": None, "reviewer": None}


def amendment_refusal(store: Store, inspection_id: str) -> str | None:
    """Why no amendment of this record may be started, in the server's own words, or None.
    An approved record is locked until a supervisor reopens it."""
    return APPROVED if review_state(store, inspection_id) == "approved" else None


def returned_to_me(store: Store, names: tuple[str, ...] = ()) -> list[dict]:
    """Finalized records of this laptop's inspector that the office returned (ส่งกลับแก้ไข)
    and that no finalized amendment answers yet, newest review first: id, record_no, kind,
    started_at, factory_name, comment, reviewer, reviewed_at and ``draft_amendment_id`` (an
    amendment in progress, or None). ``names``: what the inspector is called in records
    (the app's inspector name)."""
    mine, params = _mine(store, names)
    return store.query(
        "SELECT i.id, i.record_no, i.kind, i.started_at, i.finalized_at, i.factory_id, "
        "  i.created_by, f.name AS factory_name, r.comment, r.reviewer, r.reviewed_at, "
        "  (SELECT a.id FROM inspections a WHERE a.amends_id = i.id AND a.deleted = 0 "
        "   AND a.state = 'draft' ORDER BY a.started_at DESC LIMIT 1) AS draft_amendment_id "
        "FROM reviews r JOIN inspections i ON i.id = r.inspection_id "
        "LEFT JOIN factories f ON f.id = i.factory_id "
        "WHERE r.deleted = 0 AND r.state = 'returned' AND i.deleted = 0 "
        "  AND i.state = 'finalized' AND NOT EXISTS (SELECT 1 FROM inspections a "
        "    WHERE a.amends_id = i.id AND a.deleted = 0 AND a.state = 'finalized') "
        f"  AND {mine} ORDER BY r.reviewed_at DESC, i.id", tuple(params))


# -- planned work ---------------------------------------------------------------------------

def my_plan(store: Store, on: date | None = None) -> list[dict]:
    """Plans assigned to this laptop's inspector that are planned or started, by planned
    date: the plan's columns plus ``place`` (the factory's name, or the complaint's place),
    ``template_title`` (newest local version, or None when it has not arrived) and
    ``overdue`` (planned before ``on``, today by default, and not started)."""
    who = account(store)
    where, params = ["p.deleted = 0", "p.status IN ('planned', 'started')"], []
    if who["user_id"]:
        where.append("p.assignee = ?")
        params.append(who["user_id"])
    elif who["username"]:
        # A login from before the office named user ids: plans also carry the user name.
        where.append("(p.assignee_name = ? OR p.assignee = ?)")
        params += [who["username"], who["username"]]
    rows = store.query(
        "SELECT p.*, f.name AS factory_name, c.place_name, c.description AS complaint_text, "
        "  (SELECT t.title FROM template_versions t WHERE t.template_key = p.template_key "
        "   AND t.status = 'published' AND t.deleted = 0 ORDER BY t.version DESC LIMIT 1) "
        "  AS template_title "
        "FROM plans p LEFT JOIN factories f ON f.id = p.factory_id "
        "LEFT JOIN complaints c ON c.id = p.complaint_id AND c.deleted = 0 "
        f"WHERE {' AND '.join(where)} ORDER BY p.planned_on, p.id", tuple(params))
    day = (on or today()).isoformat()
    for row in rows:
        row["place"] = row["factory_name"] or row["place_name"] or ""
        row["overdue"] = row["status"] == "planned" and row["planned_on"] < day
    return rows


def _live_plan(store: Store, plan_id: str) -> dict:
    plan = get_row(store, "plans", plan_id)
    if plan is None or plan["deleted"]:
        raise NotFoundError(f"ไม่พบแผนงาน (no plan {plan_id})")
    return plan


def plan_purpose(store: Store, plan: dict) -> str | None:
    """The purpose an inspection started from ``plan`` is given: the office's note, else what
    the complaint or follow-up is about."""
    if plan.get("note"):
        return plan["note"]
    if plan["kind"] == "complaint" and plan.get("complaint_id"):
        complaint = get_row(store, "complaints", plan["complaint_id"]) or {}
        text = (complaint.get("description") or "").strip()
        return f"ตรวจสอบข้อเท็จจริงตามเรื่องร้องเรียน: {text[:200]}" if text else \
            "ตรวจสอบข้อเท็จจริงตามเรื่องร้องเรียน"
    if plan["kind"] == "follow_up":
        return "ตรวจติดตามการแก้ไขตามคำสั่ง"
    return None


def plan_order_ids(plan: dict) -> list[str]:
    return [o.strip() for o in (plan.get("order_ids") or "").split(",") if o.strip()]


def start_from_plan(store: Store, plan_id: str, *, created_by: str | None = None,
                    inspector_name: str | None = None,
                    inspector_position: str | None = None) -> dict:
    """Open the inspection a plan asks for and return it: of the plan's factory, kind and
    newest local version of its template, the inspector named as a participant. A follow-up
    gets one empty answer ``order:<id>`` per order it checks; what the office already knows
    (the earlier record, the complaint) fills the checklist's matching items. The plan is
    marked started with the inspection's id (it syncs). A plan already started opens its
    draft again instead of making a second one.

    NoFactoryError for a complaint about an unregistered place: the inspector chooses the
    factory in the new-inspection dialog, then ``link_plan``.
    """
    from fieldapp.store.inspections import add_participant, create_inspection
    from fieldapp.store.templates import latest_published
    with store.transaction():
        plan = _live_plan(store, plan_id)
        if plan["status"] not in OPEN_PLAN_STATES:
            raise ValidationError(NOT_OPEN)
        if plan["inspection_id"]:
            current = get_row(store, "inspections", plan["inspection_id"])
            if current is not None and not current["deleted"] and current["state"] == "draft":
                return current
        if not plan["factory_id"]:
            raise NoFactoryError(NO_FACTORY)
        template = latest_published(store, plan["template_key"])
        if template is None:
            raise ValidationError(NO_TEMPLATE.format(key=plan["template_key"]))
        row = create_inspection(store, factory_id=plan["factory_id"],
                                template_version_id=template.version_id, kind=plan["kind"],
                                purpose=plan_purpose(store, plan),
                                created_by=created_by or inspector_name or None)
        if inspector_name:
            add_participant(store, row["id"], role="inspector", name=inspector_name,
                            position=inspector_position or None)
        _prepare(store, row["id"], plan)
        save_row(store, "plans", {"id": plan_id, "status": "started",
                                  "inspection_id": row["id"]})
        return row


def link_plan(store: Store, plan_id: str, inspection_id: str) -> dict:
    """Mark a plan started by an inspection opened by hand (a complaint about a place not in
    the registry, for which the inspector chose the factory), and prepare that inspection as
    ``start_from_plan`` would."""
    with store.transaction():
        plan = _live_plan(store, plan_id)
        if plan["status"] not in OPEN_PLAN_STATES:
            raise ValidationError(NOT_OPEN)
        _prepare(store, inspection_id, plan)
        return save_row(store, "plans", {"id": plan_id, "status": "started",
                                         "inspection_id": inspection_id})


def _prepare(store: Store, inspection_id: str, plan: dict) -> None:
    """The follow-up's order answers and the facts the office sent, in the checklist."""
    from fieldapp.store.inspections import answer_id, set_answer
    from fieldapp.store.templates import get_template
    inspection = get_row(store, "inspections", inspection_id)
    template = get_template(store, inspection["template_version_id"])
    known: dict[str, object] = {}
    if plan["kind"] == "follow_up":
        orders = []
        for order_id in plan_order_ids(plan):
            item_id = ORDER_ITEM_PREFIX + order_id
            if get_row(store, "answers", answer_id(inspection_id, item_id)) is None:
                save_row(store, "answers", {
                    "id": answer_id(inspection_id, item_id), "inspection_id": inspection_id,
                    "item_id": item_id, "result": None, "value": None, "note": None,
                    "exceeded": None})
            order = get_row(store, "orders", order_id)
            if order is not None and not order["deleted"]:
                orders.append(order)
        if orders:
            first = min(orders, key=lambda o: o.get("deadline") or "9999")
            earlier = get_row(store, "inspections", first["inspection_id"]) or {}
            known = {"fu.original_record": earlier.get("record_no"),
                     "fu.original_date": (earlier.get("started_at") or "")[:10] or None,
                     "fu.deadline": first.get("deadline")}
    elif plan["kind"] == "complaint" and plan.get("complaint_id"):
        complaint = get_row(store, "complaints", plan["complaint_id"]) or {}
        known = {"c.received": complaint.get("received_on"),
                 "c.summary": complaint.get("description")}
        issues = template.item("c.issues")
        if issues is not None:
            offered = {c.id for c in issues.choices}
            picked = [t for t in (complaint.get("problem_types") or "").split(",")
                      if t.strip() in offered]
            if picked:
                known["c.issues"] = picked
    for item_id, value in known.items():
        if value and template.item(item_id) is not None:
            try:
                set_answer(store, inspection_id, item_id, value=value)
            except ValidationError:
                pass  # a value the checklist does not take: the inspector types it


def mark_plan_done(store: Store, inspection_id: str) -> None:
    """The inspection a plan started was finalized: the plan is done (it syncs)."""
    with store.transaction():
        for plan in store.query("SELECT id FROM plans WHERE inspection_id = ? AND deleted = 0 "
                                "AND status = 'started'", (inspection_id,)):
            save_row(store, "plans", {"id": plan["id"], "status": "done"})


# -- follow-up of corrective orders ---------------------------------------------------------

def orders_of(store: Store, inspection: dict | str) -> list[dict]:
    """The orders a follow-up inspection checks (named by its ``order:`` answers), by
    deadline: the order's columns (blank when the row has not arrived), ``finding`` (the
    earlier finding's text), ``photos`` (its order_photos), ``answer`` (this follow-up's
    answer row) and ``result`` (its value: corrected, partly, not_corrected or None)."""
    inspection_id = inspection if isinstance(inspection, str) else inspection["id"]
    answers = store.query(
        "SELECT * FROM answers WHERE inspection_id = ? AND deleted = 0 AND item_id LIKE ? "
        "ORDER BY item_id", (inspection_id, ORDER_ITEM_PREFIX + "%"))
    out = []
    for answer in answers:
        order_id = answer["item_id"][len(ORDER_ITEM_PREFIX):]
        order = get_row(store, "orders", order_id)
        order = dict(order) if order is not None and not order["deleted"] else {
            "id": order_id, "order_text": None, "description": None, "legal_basis": None,
            "deadline": None, "issued_on": None, "finding_id": None, "inspection_id": None}
        finding = get_row(store, "findings", order["finding_id"]) \
            if order.get("finding_id") else None
        order["finding"] = order.get("description") or (finding or {}).get("description")
        order["photos"] = store.query(
            "SELECT * FROM order_photos WHERE order_id = ? AND deleted = 0 ORDER BY id",
            (order_id,))
        order["answer"] = answer
        order["result"] = answer["value"] if answer["value"] in FOLLOWUP_RESULTS else None
        order["item_id"] = answer["item_id"]
        out.append(order)
    out.sort(key=lambda o: (o.get("deadline") or "9999", o["id"]))
    return out


def record_followup(store: Store, inspection_id: str, order_id: str, result: str | None,
                    note: str | None = None) -> dict:
    """The follow-up's finding for one order: ``result`` corrected, partly or not_corrected
    (None keeps the one recorded) and a note. Stored as the answer ``order:<id>`` with
    ``result`` pass when corrected, else fail, so it is signed like every other answer."""
    from fieldapp.store.inspections import _draft, answer_id
    if result is not None and result not in FOLLOWUP_RESULTS:
        raise ValidationError(BAD_RESULT)
    item_id = ORDER_ITEM_PREFIX + order_id
    with store.transaction():
        _draft(store, inspection_id)
        old = get_row(store, "answers", answer_id(inspection_id, item_id))
        if result is None:
            result = old["value"] if old is not None and not old["deleted"] else None
        return save_row(store, "answers", {
            "id": answer_id(inspection_id, item_id), "inspection_id": inspection_id,
            "item_id": item_id, "value": result,
            "result": None if result is None else ("pass" if result == "corrected" else "fail"),
            "note": (note or "").strip() or None, "exceeded": None})


def followup_problems(store: Store, inspection: dict) -> list[str]:
    """What stops a follow-up from being finalized: every order it names needs a result."""
    if inspection.get("kind") != "follow_up":
        return []
    return [UNANSWERED.format(what=_short(o.get("order_text") or o.get("finding") or o["id"]))
            for o in orders_of(store, inspection["id"]) if o["result"] is None]


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


# -- complaints -----------------------------------------------------------------------------

def complaint_of(store: Store, inspection_id: str) -> dict | None:
    """The complaint behind a complaint inspection (through the plan that started it, or
    the complaint that names it; an amendment finds its original's), or None: received_on,
    channel, place_name, ``problem_types`` as a list, description, and ``files`` (its
    complaint_files). There is no complainant here: that stays at the office."""
    seen, current = set(), inspection_id
    while current and current not in seen and len(seen) < 100:
        seen.add(current)
        rows = store.query(
            "SELECT c.* FROM complaints c WHERE c.deleted = 0 AND (c.inspection_id = ? OR "
            "c.id IN (SELECT p.complaint_id FROM plans p WHERE p.inspection_id = ? "
            "AND p.deleted = 0)) ORDER BY c.received_on DESC LIMIT 1", (current, current))
        if rows:
            complaint = dict(rows[0])
            complaint["problem_types"] = [t.strip() for t in
                                          (complaint["problem_types"] or "").split(",")
                                          if t.strip()]
            complaint["files"] = store.query(
                "SELECT * FROM complaint_files WHERE complaint_id = ? AND deleted = 0 "
                "ORDER BY id", (complaint["id"],))
            return complaint
        row = get_row(store, "inspections", current)
        current = row.get("amends_id") if row else None
    return None
