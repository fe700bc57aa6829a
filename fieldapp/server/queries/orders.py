"""Corrective orders as the console shows them: the list of the caller's provinces (overdue
first, then by deadline) with its filters, a page at a time, one order with its photos and
history, and the open orders of a factory (what a follow-up checks).

Overdue is never stored: an order is overdue when it is open and its deadline is before the
office's today (``loop.settings.office_today``), so it is computed here on every read.
Orders are read by supervisors of the province and administrators (the console's rule);
an order outside the caller's provinces is "not found", like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fieldapp.server.auth import Principal
from fieldapp.server.loop.settings import office_today
from fieldapp.server.queries.paging import MAX_PER_PAGE, Page, last_page, number
from fieldapp.server.queries.scoping import province_name, regional, usable_id
from fieldapp.server.storage import Conn, Database
from fieldapp.store.wirejson import loads
from fieldapp.sync import protocol as P

OVERDUE = "overdue"
STATUS_FILTERS = (*P.ORDER_STATES, OVERDUE)
# In force: what a follow-up still has to check.
IN_FORCE = ("open", "reported_done")


@dataclass(frozen=True)
class OrderFilter:
    """What the list shows; None/empty is "any". Dates are ISO ``YYYY-MM-DD`` (deadline,
    both ends included); ``inspector`` is the username of the record's inspector."""

    deadline_from: str | None = None
    deadline_to: str | None = None
    district: str | None = None
    inspector: str | None = None
    status: str | None = None
    factory_id: str | None = None
    page: int = 1
    per_page: int = 50


def is_overdue(order: dict, today: date | None = None) -> bool:
    deadline = order.get("deadline")
    return order.get("status") == "open" and bool(deadline) and \
        str(deadline) < (today or office_today()).isoformat()


def _rows(c: Conn, who: Principal, extra: str = "", params: tuple = ()) -> list[dict]:
    """The orders in the caller's provinces, with their factory (name, ID, district,
    operator) and whether they are overdue; not yet their record number (``numbered``)."""
    scope, scope_params = regional(who, "r")
    found = c.all(f"SELECT r.id, r.province, r.data, u.username AS inspector FROM records r "
                  f"LEFT JOIN users u ON u.id = r.owner WHERE r.tbl = 'orders' "
                  f"AND r.deleted = 0 AND {scope}{extra}", [*scope_params, *params])
    out = []
    for row in found:
        data = loads(row["data"])
        out.append({**{k: data.get(k) for k in P.COLUMNS["orders"]}, "id": row["id"],
                    "province": row["province"], "inspector": row["inspector"]})
    _with_factories(c, out)
    return out


def _with_factories(c: Conn, rows: list[dict]) -> None:
    factories = {}
    for where, ids in c.any_of("id", sorted({r["factory_id"] for r in rows
                                              if r["factory_id"]})):
        for f in c.all(f"SELECT id, fid, name, operator, district FROM factory_index "
                       f"WHERE {where}", ids):
            factories[f["id"]] = f
    today = office_today()
    for r in rows:
        f = factories.get(r["factory_id"], {})
        r.update(factory_name=f.get("name"), fid=f.get("fid"), operator=f.get("operator"),
                 district=f.get("district"), province_name=province_name(r["province"]),
                 overdue=is_overdue(r, today))


def _numbered(c: Conn, rows: list[dict]) -> None:
    records = {}
    for where, ids in c.any_of("id", sorted({r["inspection_id"] for r in rows
                                              if r["inspection_id"]})):
        for i in c.all(f"SELECT id, record_no FROM inspection_index WHERE {where}", ids):
            records[i["id"]] = i["record_no"]
    for r in rows:
        r["record_no"] = records.get(r["inspection_id"])


def decorate_orders(c: Conn, rows: list[dict]) -> None:
    """Each order's factory (name, ID, district, operator) and record number."""
    _with_factories(c, rows)
    _numbered(c, rows)


def sort_key(order: dict) -> tuple:
    """Overdue first, then by deadline (none last), then factory."""
    return (not order["overdue"], order["deadline"] is None, order["deadline"] or "",
            order["factory_name"] or "", order["id"])


def _matching(rows: list[dict], f: OrderFilter) -> list[dict]:
    out = []
    for r in rows:
        if f.factory_id and r["factory_id"] != f.factory_id:
            continue
        if f.deadline_from and (not r["deadline"] or r["deadline"] < f.deadline_from):
            continue
        if f.deadline_to and (not r["deadline"] or r["deadline"] > f.deadline_to):
            continue
        if f.district and r["district"] != f.district:
            continue
        if f.inspector and r["inspector"] != f.inspector:
            continue
        if f.status == OVERDUE and not r["overdue"]:
            continue
        if f.status in P.ORDER_STATES and r["status"] != f.status:
            continue
        out.append(r)
    return sorted(out, key=sort_key)


def list_orders(db: Database, who: Principal, f: OrderFilter = OrderFilter()) -> list[dict]:
    """Every order matching ``f`` (paging ignored), in the list's order."""
    with db.read() as c:
        rows = _matching(_rows(c, who), f)
        _numbered(c, rows)
    return rows


def search_orders(db: Database, who: Principal, f: OrderFilter) -> tuple[Page, dict]:
    """One page of the orders matching ``f`` (a page past the last gives the last;
    ``per_page`` is held to 1…500) and the filter lists (``filter_choices``) of all the
    caller's orders.

    Overdue is the office's today against the deadline and the other filters read the
    rows' JSON, so every order of the caller's provinces is read and decoded (12,158
    orders: 0.1 s on SQLite); only the page's are looked up further and shown."""
    per_page = number(f.per_page, 50, 1, MAX_PER_PAGE)
    with db.read() as c:
        every = _rows(c, who)
        rows = _matching(every, f)
        page = number(f.page, 1, 1, last_page(len(rows), per_page))
        shown = rows[(page - 1) * per_page:page * per_page]
        _numbered(c, shown)
    return Page(shown, len(rows), page, per_page), filter_choices(every)


def filter_choices(rows: list[dict]) -> dict:
    """The districts and inspectors the caller's orders name (for the filter lists)."""
    return {"districts": sorted({r["district"] for r in rows if r["district"]}),
            "inspectors": sorted({r["inspector"] for r in rows if r["inspector"]})}


def in_force_of_factory(db: Database, who: Principal, factory_id: str) -> list[dict]:
    """The factory's orders a follow-up checks (open, overdue or reported done)."""
    return [r for r in list_orders(db, who, OrderFilter(factory_id=factory_id))
            if r["status"] in IN_FORCE]


def order_detail(db: Database, who: Principal, order_id: str) -> dict | None:
    """One order with ``photos`` and ``history`` (newest first); None when unknown or
    outside the caller's provinces."""
    if not usable_id(order_id):
        return None
    with db.read() as c:
        rows = _rows(c, who, " AND r.id = ?", (order_id,))
        if not rows:
            return None
        _numbered(c, rows)
        order = rows[0]
        order["photos"] = [{"id": p["id"], **loads(p["data"])} for p in c.all(
            "SELECT id, data FROM records WHERE tbl = 'order_photos' AND deleted = 0 "
            "AND parent_id = ? ORDER BY id", (order_id,))]
        order["history"] = c.all("SELECT id, status, note, inspection_id, by_user, at "
                                 "FROM order_history WHERE order_id = ? "
                                 "ORDER BY at DESC, id DESC", (order_id,))
        factory = c.one("SELECT data FROM records WHERE tbl = 'factories' AND id = ?",
                        (order["factory_id"],))
    order["factory"] = loads(factory["data"]) if factory else {}
    return order
