"""What the office's records follow from, written in the same transaction as their cause.

- A record **approved** by a supervisor issues its corrective orders: one ``orders`` row per
  finding that carries an order (named by the finding), with the finding's photos as
  ``order_photos``. Orders of the records it amends (up its chain) that nobody has followed
  up yet are cancelled: the amendment's own orders replace them.
- A **follow-up** finalized on a laptop reports, per order, "corrected / partly / not
  corrected" (an answer ``order:<id>``, docs/office-loop.md): the order takes the result and,
  when corrected, the status *verified*.

These are ordinary office changes (device ``office``), applied through the push rules like
any other and pulled by the laptops; each one also goes into the order's history
(``order_history``) so the console shows who changed what and when.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.core.office_words import FOLLOWUP_WORDS
from fieldapp.core.thaidate import to_local
from fieldapp.server.amendments import walk_up
from fieldapp.server.auth import Principal
from fieldapp.server.loop.settings import DEFAULTS
from fieldapp.server.timeutil import now_iso
from fieldapp.sync import protocol as P

log = logging.getLogger(__name__)
OFFICE_WRITER = Principal("office", "office", "admin", frozenset(), "office")


def bangkok_day(moment: object) -> str | None:
    """The Thai calendar day (YYYY-MM-DD) of a stored UTC instant: an order issued at 02:00
    Bangkok time on the 1st is dated the 1st, not the last day of the month before."""
    if not isinstance(moment, str) or len(moment) < 10:
        return None
    try:
        return to_local(moment).date().isoformat()
    except ValueError:
        return moment[:10]


def responsible_of(children) -> str | None:
    """The factory's representative named on the record (first by order): who answers for
    its orders until the office names someone else."""
    reps = sorted((c for c in children if c.tbl == "participants" and not c.deleted
                   and c.data.get("role") == "representative"),
                  key=lambda c: (c.data.get("sort_order") or 0, c.id))
    return reps[0].data.get("name") if reps else None


class Derived:
    """The office changes one push's applied changes call for; ``push`` applies them."""

    def __init__(self, push):
        self.push = push          # the _Push whose changes these follow from
        self.ops: list = []
        self.history: list[tuple] = []
        self.clock = HybridClock("office")

    def _op(self, table: str, row_id: str, payload: dict, base: str | None = None):
        """One office change ``(op_id, table, row_id, payload, hlc)``; push.py applies it."""
        if base:
            self.clock.observe(base)  # later than the row's own clock: this write must win
        self.ops.append((uuid7(), table, row_id, payload, self.clock.now()))

    def _note(self, order_id: str, status: str | None, note: str, inspection_id: str | None,
              by: str) -> None:
        self.history.append((uuid7(), order_id, status, note, inspection_id, by, now_iso()))

    def approved(self, inspection_id: str, reviewer: str) -> None:
        cache = self.push.cache
        inspection = cache.get("inspections", inspection_id)
        if inspection is None:
            return
        children = cache.children(inspection_id)
        photos: dict[str, list] = {}
        for c in children:
            if c.tbl == "attachments" and not c.deleted and c.data.get("kind") == "photo" \
                    and c.data.get("item_id"):
                photos.setdefault(c.data["item_id"], []).append(c)
        responsible = responsible_of(children)
        issued = bangkok_day(inspection.data.get("finalized_at")
                             or inspection.data.get("started_at"))
        findings = [c for c in children if c.tbl == "findings" and not c.deleted
                    and (c.data.get("order_text") or "").strip()]
        cache.prefetch({("orders", f.id) for f in findings})
        default_deadline = self._default_deadline(issued) if findings else None
        for f in sorted(findings, key=lambda f: f.id):
            if cache.get("orders", f.id) is not None:
                continue  # approved before (reopened and approved again): issued once
            self._op("orders", f.id, {
                "inspection_id": inspection_id, "finding_id": f.id,
                "factory_id": inspection.data.get("factory_id"),
                "item_id": f.data.get("item_id"), "description": f.data.get("description"),
                "legal_basis": f.data.get("legal_basis"), "order_text": f.data["order_text"],
                # The office's period when the inspector set none (settings page: "Days an
                # order gives"): without one, the order was never overdue nor reported.
                "issued_on": issued,
                "deadline": f.data.get("deadline") or default_deadline,
                "responsible": responsible, "status": "open"})
            self._note(f.id, "open", "ออกคำสั่งเมื่ออนุมัติบันทึก (issued when the record was "
                       "approved)", inspection_id, reviewer)
            for a in sorted(photos.get(f.data.get("item_id"), []), key=lambda a: a.id):
                self._op("order_photos", a.id, {
                    "order_id": f.id, "sha256": a.data.get("sha256"),
                    "size": a.data.get("size"), "mime": a.data.get("mime"),
                    "caption": a.data.get("caption")})
        # Every record up the chain, not only the one amended: A approved (orders issued)
        # and reopened, B amending it returned, C amending B approved: C replaces A's.
        chain, _ = walk_up(inspection.data.get("amends_id"), self._amends)
        for amended in chain:
            self._supersede(amended, inspection_id, reviewer)

    def _amends(self, inspection_id: str) -> str | None:
        row = self.push.cache.get("inspections", inspection_id)
        return row.data.get("amends_id") if row is not None else None

    def _default_deadline(self, issued: str | None) -> str | None:
        if not issued:
            return None
        raw = self.push.c.value("SELECT value FROM office_settings "
                                "WHERE key = 'order_default_days'")
        try:
            days = int(raw) if raw is not None else int(DEFAULTS["order_default_days"][0])
            return (date.fromisoformat(issued) + timedelta(days=days)).isoformat()
        except (TypeError, ValueError, OverflowError):
            return None

    def _supersede(self, amended_id: str, by_inspection: str, reviewer: str) -> None:
        cache = self.push.cache
        findings = [c for c in cache.children(amended_id) if c.tbl == "findings"]
        cache.prefetch({("orders", f.id) for f in findings})
        for f in findings:
            order = cache.get("orders", f.id)
            if order is None or order.deleted or order.data.get("status") != "open" \
                    or order.data.get("followup_result"):
                continue
            self._op("orders", order.id, {"status": "cancelled"}, order.updated_hlc)
            self._note(order.id, "cancelled", "แทนที่ด้วยคำสั่งในบันทึกแก้ไข (replaced by the "
                       "orders of the approved amendment)", by_inspection, reviewer)

    def followed_up(self, inspection_id: str) -> None:
        cache = self.push.cache
        inspection = cache.get("inspections", inspection_id)
        day = bangkok_day(inspection.data.get("finalized_at"))
        # The account that owns the follow-up, not the name it carries: ``created_by`` is
        # whatever the laptop wrote there, and the history must not name someone else.
        by = (self.push.c.value("SELECT username FROM users WHERE id = ?",
                                (inspection.owner,)) if inspection.owner else None) \
            or inspection.owner or ""
        for c in cache.children(inspection_id):
            item = c.data.get("item_id") or ""
            if c.tbl != "answers" or c.deleted or not item.startswith(P.ORDER_ITEM_PREFIX):
                continue
            result = c.data.get("value")
            order = cache.get("orders", item[len(P.ORDER_ITEM_PREFIX):])
            if result not in P.FOLLOWUP_RESULTS or order is None or order.deleted or \
                    order.data.get("factory_id") != inspection.data.get("factory_id") or \
                    order.data.get("status") in ("verified", "cancelled"):
                continue  # an order of another factory, or one already closed
            status = "verified" if result == "corrected" else order.data.get("status")
            if status == "reported_done":
                status = "open"  # the factory said so; the follow-up found otherwise
            self._op("orders", order.id, {
                "followup_result": result, "followup_inspection_id": inspection_id,
                "followup_on": day, "status": status}, order.updated_hlc)
            # The history is read in Thai at the office: the words, not the code.
            self._note(order.id, status, f"ผลการตรวจติดตาม: {FOLLOWUP_WORDS[result]} "
                       f"(follow-up: {result.replace('_', ' ')})",
                       inspection_id, by)


