"""Who may write the office's tables (complaints, plans, reviews, corrective orders) and the
province and owner each row takes; a mixin of server/push.py's push, beside WriteScope.

The office owns these rows (docs/office-loop.md): only the office (the console writes as an
administrator, after its own role check) creates or changes them. A laptop may only mark a
plan assigned to its inspector started or done and name the inspection it opened for it,
and not once the office has cancelled the plan, nor back to started once it is done.
The owner of a row is who reads it besides the province's supervisors (server/scope.py): a
complaint and its files go to the inspector it is assigned to, a plan to its assignee, a
review to the owner of the inspection; orders are read by every inspector of the province.
A complaint's files and an order's photos follow their parent: when the parent moves to
another inspector (a complaint re-assigned) or province, so do they, with a new change
number, so that the laptop now reading the parent pulls them too.
"""

from __future__ import annotations

import re
from datetime import date

from fieldapp.server.records import Record
from fieldapp.sync import protocol as P

OFFICE_ONLY = ("ข้อมูลนี้แก้ไขได้ที่สำนักงานเท่านั้น (only the office changes this record) — "
               "nothing was applied")
PLAN_FIELDS = frozenset({"status", "inspection_id"})
PLAN_CANCELLED = ("สำนักงานยกเลิกแผนงานนี้แล้ว (the office cancelled this plan) — nothing was "
                  "applied")
PLAN_DONE = ("แผนงานนี้บันทึกว่าเสร็จแล้ว (this plan is already done) — it cannot go back to "
             "started; nothing was applied")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_CHOICES = {
    ("complaints", "channel"): P.COMPLAINT_CHANNELS,
    ("complaints", "status"): P.COMPLAINT_STATES,
    ("plans", "kind"): P.PLAN_KINDS,
    ("plans", "status"): P.PLAN_STATES,
    ("reviews", "state"): P.REVIEW_STATES,
    ("orders", "status"): P.ORDER_STATES,
    ("orders", "followup_result"): P.FOLLOWUP_RESULTS,
}
# Rows whose owner is their assignee.
ASSIGNED = ("complaints", "plans")
# A parent table and the table of rows that take its province and owner.
CHILDREN = {"complaints": "complaint_files", "orders": "order_photos"}
_DATES = {"received_on", "due_on", "replied_on", "planned_on", "issued_on", "deadline",
          "followup_on", "escalated_on"}


def _is_date(value: object) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False  # 2026-02-30: the shape of a date, no day of the calendar
    return True


def loop_value_problem(table: str, fields: dict) -> str | None:
    """Why a value of an office table is not one the laptops can show, or None."""
    for name, value in fields.items():
        if value is None and name in P.REQUIRED[table]:
            # NOT NULL on every laptop: a row cleared here could not be stored there.
            return f"{table}.{name} cannot be empty"
        if value is None or name == "deleted":
            continue
        allowed = _CHOICES.get((table, name))
        if allowed is not None and value not in allowed:
            return f"{table}.{name} must be one of {', '.join(allowed)}"
        if name in _DATES and not _is_date(value):
            return f"{table}.{name} must be a date (YYYY-MM-DD)"
        if name == "problem_types":
            kinds = value.split(",") if isinstance(value, str) else None
            if not kinds or any(k not in P.PROBLEM_TYPES for k in kinds):
                return f"complaints.problem_types must be a comma list of " \
                       f"{', '.join(P.PROBLEM_TYPES)}"
        if name == "order_ids":
            if not isinstance(value, str) or not all(
                    re.fullmatch(r"[0-9A-Za-z-]{1,64}", part) for part in value.split(",")):
                return "plans.order_ids must be a comma list of order ids"
    return None


class LoopScope:
    """Mixin: ``self.who``, ``self.c``, ``self.cache``, ``self.seq``, ``self.moved`` (the
    parents whose province or owner this push changed) and ``self._may_province`` of the
    push."""

    def _scope_loop(self, rec: Record, fields: dict, new: bool, rejected: type) -> None:
        before = (rec.province, rec.owner)
        self._scope_loop_row(rec, fields, new, rejected)
        if rec.tbl in CHILDREN and not new and (rec.province, rec.owner) != before:
            self.moved.add((rec.tbl, rec.id))

    def _placed(self, tbl: str, data: dict) -> tuple[str | None, str | None]:
        """The province and owner a complaint or plan takes from ``data``: its factory's
        province (a complaint about a place without one: the province it names; a plan
        without a factory: its complaint's), and its assignee."""
        factory = self.cache.get("factories", data.get("factory_id"))
        if tbl == "complaints":
            return (factory.province if factory else data.get("province_code"),
                    data.get("assignee"))
        holder = factory or self.cache.get("complaints", data.get("complaint_id"))
        return holder.province if holder else None, data.get("assignee")

    def _placed_merged(self, rec: Record) -> None:
        """After the merge: a complaint or plan takes its province and owner from what it
        holds now. ``_scope_loop`` placed it by the change as sent; when a value of that
        change lost the merge to a newer one (two office edits racing), the row must not
        be stored as the loser's, nor a tombstone sent to the one who still has it."""
        if rec.tbl in ASSIGNED:
            rec.province, rec.owner = self._placed(rec.tbl, rec.data)

    def _carry_to_children(self, rec: Record) -> None:
        """After a change of ``rec`` was applied: if it moved (``_scope_loop``), its files
        or photos take its province and owner, each with a new change number. Their own
        fields are unchanged, so a write of them would change nothing: without this, a
        re-assigned complaint would reach the new inspector's laptop without its files."""
        if (rec.tbl, rec.id) not in self.moved:
            return
        self.moved.discard((rec.tbl, rec.id))
        child_tbl = CHILDREN[rec.tbl]
        ids = [row["id"] for row in self.c.all(
            "SELECT id FROM records WHERE tbl = ? AND parent_id = ?", (child_tbl, rec.id))]
        self.cache.prefetch({(child_tbl, i) for i in ids}, lock=True)  # changed below
        children = {i: self.cache.get(child_tbl, i) for i in ids}
        for child in self.cache.new_by_parent.get(rec.id, ()):
            if child.tbl == child_tbl:
                children[child.id] = child
        for child in sorted((c for c in children.values() if c is not None),
                            key=lambda c: c.id):
            if (child.province, child.owner) == (rec.province, rec.owner):
                continue
            child.province, child.owner = rec.province, rec.owner
            self.seq += 1
            child.seq = self.seq
            if child.stored:
                child.dirty = True

    def _scope_loop_row(self, rec: Record, fields: dict, new: bool, rejected: type) -> None:
        tbl = rec.tbl
        if not self.who.is_admin:
            if tbl != "plans" or new or not PLAN_FIELDS.issuperset(fields) or \
                    rec.owner != self.who.user_id:
                raise rejected(OFFICE_ONLY)
            if "status" in fields and fields["status"] not in ("started", "done"):
                raise rejected("a plan can only be marked started or done on a laptop")
            if rec.data.get("status") == "cancelled":
                # The office called it off while the laptop was away: a later clock on the
                # laptop must not bring it back (the laptop pulls the cancelled plan next).
                raise rejected(PLAN_CANCELLED)
            if fields.get("status") == "started" and rec.data.get("status") == "done":
                # A second laptop of the inspector, still holding the plan as started.
                raise rejected(PLAN_DONE)
            if "inspection_id" in fields:
                inspection = self.cache.get("inspections", fields["inspection_id"])
                if inspection is None or inspection.owner != self.who.user_id:
                    raise rejected("plans.inspection_id must name your own inspection")
            if not self._may_province(rec.province):
                raise rejected("plan outside your provinces")
            return
        problem = loop_value_problem(tbl, fields)
        if problem:
            raise rejected(problem)
        merged = {**rec.data, **fields}
        if tbl == "complaints":
            factory = self.cache.get("factories", merged.get("factory_id"))
            if merged.get("factory_id") and factory is None:
                raise rejected("complaints.factory_id names a factory unknown to the server")
            rec.province, rec.owner = self._placed(tbl, merged)
        elif tbl == "plans":
            factory = self.cache.get("factories", merged.get("factory_id"))
            complaint = self.cache.get("complaints", merged.get("complaint_id"))
            if merged.get("factory_id") and factory is None:
                raise rejected("plans.factory_id names a factory unknown to the server")
            if merged.get("complaint_id") and complaint is None:
                raise rejected("plans.complaint_id names a complaint unknown to the server")
            if factory is None and complaint is None:
                raise rejected("a plan names a factory or a complaint")
            rec.province, rec.owner = self._placed(tbl, merged)
        elif tbl == "reviews":
            inspection = self.cache.get("inspections", merged.get("inspection_id"))
            if inspection is None or inspection.data.get("state") != "finalized":
                raise rejected("only a finalized inspection the server holds is reviewed")
            if rec.id != inspection.id:
                # One review row per record, named by it: two supervisors reviewing at once
                # change one row (last writer wins, recorded) instead of making two.
                raise rejected("a review's id is the id of the inspection it reviews")
            rec.province, rec.owner = inspection.province, inspection.owner
        elif tbl == "orders":
            factory = self.cache.get("factories", merged.get("factory_id"))
            if factory is None:
                raise rejected("orders.factory_id names a factory unknown to the server")
            inspection = self.cache.get("inspections", merged.get("inspection_id"))
            rec.province = factory.province
            rec.owner = inspection.owner if inspection is not None else None
        else:  # complaint_files, order_photos: follow their parent
            parent_tbl, column = (("complaints", "complaint_id") if tbl == "complaint_files"
                                  else ("orders", "order_id"))
            parent = self.cache.get(parent_tbl, merged.get(column))
            if parent is None:
                raise rejected(f"{column} names a row unknown to the server")
            rec.province, rec.owner, rec.parent_id = parent.province, parent.owner, parent.id
