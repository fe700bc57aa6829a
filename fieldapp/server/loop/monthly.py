"""The monthly report of one province: what its office did in one calendar month (Bangkok
time), counted from the server's records, in total and per inspector (docs/office-loop.md).

Counts only; the files are made by ``monthly_xlsx`` (workbook) and
``fieldapp.forms.monthly_report`` (PDF) from the same ``MonthlyReport`` through
``monthly_tables``. Nothing here writes the database.

What is counted, and why so:

- **Inspections** finalized in the month (``finalized_at`` inside the month's Bangkok
  bounds), originals only, by kind, by result (no live finding: passed) and by the review
  state they have now. Amendments finalized in the month are counted apart: they correct a
  record, they are not a visit.
- **Findings** of those inspections, by the section of the template their checklist item
  belongs to ("other" for a finding without an item of the template).
- **Orders** issued in the month (``issued_on``; cancelled ones, replaced by an amendment's,
  are not), closed in the month (a *verified* entry of their history in the month, or a
  follow-up on a day of the month that found them corrected), escalated in the month
  (``escalated_on``), and overdue at the month's end: issued by then, deadline passed and
  still open then (by their history; without history, by their status now).
- **Complaints** received (``received_on``), replied (``replied_on``) and overdue at the
  month's end (received by then, not replied by then, ``due_on`` passed), each per problem
  type (a complaint of two types counts under both) and once in the total.

"At the month's end" is the first day of the next month, or the office's today while the
month is not over (``settings.office_today``): a deadline of the last day of the month is
overdue when the month is over.
"""

from __future__ import annotations

import calendar
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from fieldapp.core.errors import ValidationError
from fieldapp.core.provinces import province_by_code
from fieldapp.core.thaidate import BE_OFFSET, arabic_digits
from fieldapp.server.loop.settings import office_today
from fieldapp.server.queries.scoping import day_after_utc, day_start_utc
from fieldapp.server.storage import Conn, Database
from fieldapp.store.wirejson import loads
from fieldapp.sync import protocol as P

KINDS = P.PLAN_KINDS                         # routine, complaint, follow_up
REVIEWS = ("approved", "returned", "awaiting")
ORDER_MEASURES = ("issued", "closed", "overdue", "escalated")
COMPLAINT_MEASURES = ("received", "replied", "overdue")
OTHER = "other"                              # a finding outside every template section
UNASSIGNED = ""                              # the per-inspector key of unassigned complaints


@dataclass
class Counts:
    """The counts of one scope: the province, or one inspector's share of it."""

    inspections: int = 0
    kinds: Counter = field(default_factory=Counter)       # kind -> n
    passed: int = 0
    with_findings: int = 0
    reviews: Counter = field(default_factory=Counter)     # approved/returned/awaiting -> n
    amendments: int = 0
    findings: Counter = field(default_factory=Counter)    # category key -> n
    orders: Counter = field(default_factory=Counter)      # ORDER_MEASURES -> n
    complaints: Counter = field(default_factory=Counter)  # COMPLAINT_MEASURES -> n (total)
    # (measure, problem type) -> n; a complaint of two types counts under both
    complaint_types: Counter = field(default_factory=Counter)

    @property
    def findings_total(self) -> int:
        return sum(self.findings.values())


@dataclass
class Category:
    key: str
    th: str
    en: str


@dataclass
class MonthlyReport:
    province_code: str
    province_th: str
    province_en: str
    year: int
    month: int
    first_day: date
    last_day: date
    cutoff: date           # "at the month's end": overdue means a date before this day
    generated_on: date
    total: Counts
    # username (UNASSIGNED for complaints nobody holds) -> counts; sorted by name
    inspectors: dict[str, Counts]
    categories: list[Category]   # the finding categories met, in template order, "other" last


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month; ValidationError for a month that is not one."""
    if not (1 <= month <= 12 and 2000 <= year <= 2200):
        raise ValidationError("เดือนไม่ถูกต้อง (not a month: use YYYY-MM)")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


# A year above this is of the Buddhist era (2400 B.E. is 1857; reports start in 2000).
BE_YEARS_FROM = 2400


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` as (2026, 11); a Buddhist-era year as a Thai office writes it (``2569-11``,
    Thai digits too) is the same month. ValidationError with a message a person can act on."""
    year, sep, month = arabic_digits((text or "").strip()).partition("-")
    if not sep or not (year.isascii() and year.isdigit() and month.isascii()
                       and month.isdigit()) or len(year) != 4 or len(month) > 2:
        raise ValidationError("เดือนไม่ถูกต้อง (not a month: use YYYY-MM, e.g. 2026-11 or "
                              "2569-11)")
    number = int(year)
    if number > BE_YEARS_FROM:
        number -= BE_OFFSET
    month_bounds(number, int(month))
    return number, int(month)


def previous_month(today: date) -> tuple[int, int]:
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def _in(day: object, first: date, last: date) -> bool:
    """Whether a stored ``YYYY-MM-DD`` lies in [first, last] (anything else: no)."""
    return isinstance(day, str) and first.isoformat() <= day[:10] <= last.isoformat()


def _before(day: object, cutoff: date) -> bool:
    return isinstance(day, str) and len(day) >= 10 and day[:10] < cutoff.isoformat()


class _Tally:
    """Counts kept for the province and each inspector at once."""

    def __init__(self, names: dict[str, str]):
        self.names = names
        self.total = Counts()
        self.people: dict[str, Counts] = {}

    def scopes(self, owner: str | None, *, assignee: bool = False) -> list[Counts]:
        if owner is None and not assignee:
            return [self.total]
        key = UNASSIGNED if owner is None else self.names.get(owner, owner)
        return [self.total, self.people.setdefault(key, Counts())]


def _usernames(c: Conn) -> dict[str, str]:
    return dict(c.tuples("SELECT id, username FROM users"))


def _categories(c: Conn, version_ids: list[str]) -> tuple[dict, list[Category]]:
    """item id per template version -> section key, and every section in template order."""
    by_item: dict[tuple[str, str], str] = {}
    sections: dict[str, Category] = {}
    for where, params in c.any_of("id", sorted(version_ids)):
        for vid, data in c.tuples(f"SELECT id, data FROM records WHERE "
                                  f"tbl = 'template_versions' AND {where} ORDER BY id", params):
            body = loads(data).get("body")
            try:
                doc = json.loads(body) if isinstance(body, str) else body
            except ValueError:
                doc = None
            for section in (doc or {}).get("sections") or []:
                key = str(section.get("id") or "")
                if not key:
                    continue
                title = section.get("title") or {}
                sections.setdefault(key, Category(key, title.get("th") or key,
                                                  title.get("en") or key))
                for item in section.get("items") or []:
                    by_item[(vid, str(item.get("id")))] = key
    return by_item, list(sections.values())


def _inspections(c: Conn, tally: _Tally, province: str, first: date, last: date
                 ) -> tuple[list[Category], dict[str, str]]:
    """Inspections, reviews and findings; returns the categories met and each counted
    inspection's owner (orders are counted to the owner of their inspection)."""
    low, high = day_start_utc(first), day_after_utc(last)
    rows = c.tuples("SELECT id, owner, kind, amends_id, template_version_id "
                    "FROM inspection_index WHERE province = ? AND deleted = 0 "
                    "AND state = 'finalized' AND finalized_at >= ? AND finalized_at < ? "
                    "ORDER BY id", (province, low, high))
    originals = [r for r in rows if not r[3]]
    for _id, owner, _kind, amends, _tv in rows:
        if amends:
            for scope in tally.scopes(owner):
                scope.amendments += 1
    ids = [r[0] for r in originals]
    states: dict[str, str] = {}
    findings: dict[str, list[str | None]] = {}
    for where, params in c.any_of("id", ids):
        for rid, data in c.tuples(f"SELECT id, data FROM records WHERE tbl = 'reviews' "
                                  f"AND deleted = 0 AND {where}", params):
            states[rid] = loads(data).get("state")
    for where, params in c.any_of("parent_id", ids):
        for parent, data in c.tuples(f"SELECT parent_id, data FROM records WHERE "
                                     f"tbl = 'findings' AND deleted = 0 AND {where}", params):
            findings.setdefault(parent, []).append(loads(data).get("item_id"))
    by_item, sections = _categories(c, sorted({r[4] for r in originals if r[4]}))
    met: set[str] = set()
    for iid, owner, kind, _amends, version in originals:
        state = states.get(iid)
        review = state if state in ("approved", "returned") else "awaiting"
        items = findings.get(iid, [])
        for scope in tally.scopes(owner):
            scope.inspections += 1
            scope.kinds[kind if kind in KINDS else "routine"] += 1
            scope.reviews[review] += 1
            if items:
                scope.with_findings += 1
            else:
                scope.passed += 1
            for item in items:
                category = by_item.get((version, str(item)), OTHER) if item else OTHER
                met.add(category)
                scope.findings[category] += 1
    categories = [s for s in sections if s.key in met]
    if OTHER in met:
        categories.append(Category(OTHER, "อื่น ๆ", "Other"))
    return categories, {r[0]: r[1] for r in rows}


def _status_at(history: list[tuple[str, str]], cutoff_utc: str, now: str | None) -> str | None:
    """An order's status at a moment: its last history entry before it; an order whose
    history starts later was still as issued (open); one without history, as it is now."""
    before = [status for at, status in history if at < cutoff_utc and status]
    if before:
        return before[-1]
    return "open" if history else now


def _orders(c: Conn, tally: _Tally, province: str, first: date, last: date, cutoff: date,
            owners: dict[str, str]) -> None:
    rows = c.tuples("SELECT id, owner, data FROM records WHERE tbl = 'orders' "
                    "AND province = ? AND deleted = 0 ORDER BY id", (province,))
    orders = [(rid, owner, loads(data)) for rid, owner, data in rows]
    ids = [o[0] for o in orders]
    history: dict[str, list[tuple[str, str]]] = {}
    for where, params in c.any_of("order_id", ids):
        for order_id, at, status in c.tuples(
                f"SELECT order_id, at, status FROM order_history WHERE {where} "
                f"ORDER BY order_id, at, id", params):
            history.setdefault(order_id, []).append((at, status))
    # The owners of the issuing inspections not counted this month (older ones).
    missing = sorted({d.get("inspection_id") for _, _, d in orders
                      if isinstance(d.get("inspection_id"), str)} - owners.keys())
    for where, params in c.any_of("id", missing):
        owners.update(c.tuples(f"SELECT id, owner FROM inspection_index WHERE {where}",
                               params))
    low, high = day_start_utc(first), day_after_utc(last)
    cut_utc = day_start_utc(cutoff)
    for rid, owner, d in orders:
        who = owners.get(d.get("inspection_id"), owner)
        status = d.get("status")
        seen = history.get(rid, [])
        measures = []
        if _in(d.get("issued_on"), first, last) and status != "cancelled":
            measures.append("issued")
        if any(low <= at < high and s == "verified" for at, s in seen) or (
                d.get("followup_result") == "corrected" and _in(d.get("followup_on"), first,
                                                               last)):
            measures.append("closed")
        if _in(d.get("escalated_on"), first, last):
            measures.append("escalated")
        if _before(d.get("issued_on"), cutoff) and _before(d.get("deadline"), cutoff) \
                and _status_at(seen, cut_utc, status) == "open":
            measures.append("overdue")
        for scope in tally.scopes(who):
            for m in measures:
                scope.orders[m] += 1


def _complaints(c: Conn, tally: _Tally, province: str, first: date, last: date,
                cutoff: date) -> None:
    rows = c.tuples("SELECT data FROM records WHERE tbl = 'complaints' AND province = ? "
                    "AND deleted = 0 ORDER BY id", (province,))
    for (data,) in rows:
        d = loads(data)
        replied = d.get("replied_on")
        measures = []
        if _in(d.get("received_on"), first, last):
            measures.append("received")
        if _in(replied, first, last):
            measures.append("replied")
        answered = (isinstance(replied, str) and replied[:10] < cutoff.isoformat()) or (
            not replied and d.get("status") == "closed")
        if _before(d.get("received_on"), cutoff) and _before(d.get("due_on"), cutoff) \
                and not answered:
            measures.append("overdue")
        if not measures:
            continue
        kinds = [k for k in dict.fromkeys(str(d.get("problem_types") or "").split(","))
                 if k in P.PROBLEM_TYPES] or ["other"]
        for scope in tally.scopes(d.get("assignee"), assignee=True):
            for m in measures:
                scope.complaints[m] += 1
                for k in kinds:
                    scope.complaint_types[(m, k)] += 1


def monthly_report(db: Database, province_code: str, year: int, month: int,
                   today: date | None = None) -> MonthlyReport:
    """The counts of one province (its code, e.g. "10") in one month."""
    first, last = month_bounds(year, month)
    province = province_by_code(province_code)
    if province is None:
        raise ValidationError(f"ไม่รู้จักจังหวัดรหัส {province_code} (unknown province code)")
    today = today or office_today()
    cutoff = min(last + timedelta(days=1), today)
    with db.read() as c:
        tally = _Tally(_usernames(c))
        categories, owners = _inspections(c, tally, province.code, first, last)
        _orders(c, tally, province.code, first, last, cutoff, owners)
        _complaints(c, tally, province.code, first, last, cutoff)
    people = dict(sorted(tally.people.items(), key=lambda kv: (kv[0] == UNASSIGNED, kv[0])))
    return MonthlyReport(province.code, province.name_th, province.name_en, year, month,
                         first, last, cutoff, today, tally.total, people, categories)
