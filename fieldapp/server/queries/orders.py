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
from fieldapp.server.queries.scoping import plain_param, province_name, regional, usable_id
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
    out = [_decoded(row) for row in found]
    _with_factories(c, out)
    return out


def _decoded(row: dict) -> dict:
    data = loads(row["data"])
    return {**{k: data.get(k) for k in P.COLUMNS["orders"]}, "id": row["id"],
            "province": row["province"], "inspector": row["inspector"]}


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


# Overdue first, then by deadline (none last), then factory name and id: ``?`` is the
# office's today. Text sorts by code point on both engines (order_index's C collation).
_OVERDUE = "(o.status = 'open' AND o.deadline <> '' AND o.deadline < ?)"
_ORDER_BY = (f"CASE WHEN {_OVERDUE} THEN 0 ELSE 1 END, "
             "CASE WHEN o.deadline IS NULL THEN 1 ELSE 0 END, o.deadline, "
             "coalesce(o.factory_name, ''), o.id")


def _where(who: Principal, f: OrderFilter, today: str) -> tuple[str, list]:
    """``(sql, params)`` of the orders matching ``f`` in the caller's provinces (on
    ``order_index o``): each condition one an index of order_index serves."""
    scope, params = regional(who, "o")
    parts = ["o.deleted = 0", scope]
    if f.factory_id:
        parts.append("o.factory_id = ?")
        params.append(plain_param(f.factory_id))
    if f.deadline_from:       # an order without a deadline is outside any range
        parts.append("o.deadline >= ?")
        params.append(f.deadline_from)
    if f.deadline_to:
        parts.append("o.deadline <= ? AND o.deadline <> ''")
        params.append(f.deadline_to)
    if f.district:
        parts.append("o.district = ?")
        params.append(plain_param(f.district))
    if f.inspector:
        parts.append("o.owner IN (SELECT id FROM users WHERE username = ?)")
        params.append(plain_param(f.inspector))
    if f.status == OVERDUE:
        parts.append(_OVERDUE)
        params.append(today)
    elif f.status in P.ORDER_STATES:
        parts.append("o.status = ?")
        params.append(f.status)
    return " AND ".join(parts), params


def _page(c: Conn, who: Principal, f: OrderFilter, limit: int | None,
          offset: int = 0) -> list[dict]:
    """The orders matching ``f`` in the list's order, ``limit`` of them from ``offset``
    (all when None), decoded and with their factories and record numbers."""
    today = office_today().isoformat()
    where, params = _where(who, f, today)
    window = " LIMIT ? OFFSET ?" if limit is not None else ""
    found = c.all(f"SELECT r.id, r.province, r.data, u.username AS inspector "
                  f"FROM order_index o JOIN records r ON r.tbl = 'orders' AND r.id = o.id "
                  f"LEFT JOIN users u ON u.id = o.owner WHERE {where} "
                  f"ORDER BY {_ORDER_BY}{window}",
                  [*params, today, *((limit, offset) if limit is not None else ())])
    rows = [_decoded(row) for row in found]
    decorate_orders(c, rows)
    return rows


def list_orders(db: Database, who: Principal, f: OrderFilter = OrderFilter()) -> list[dict]:
    """Every order matching ``f`` (paging ignored), in the list's order."""
    with db.read() as c:
        return _page(c, who, f, None)


def search_orders(db: Database, who: Principal, f: OrderFilter) -> tuple[Page, dict]:
    """One page of the orders matching ``f`` (a page past the last gives the last;
    ``per_page`` is held to 1…500) and the filter lists (``filter_choices``) of all the
    caller's orders.

    The database filters, counts, sorts and pages (order_index, schema V11): only the
    page's orders are read and decoded, however many the caller's provinces hold."""
    per_page = number(f.per_page, 50, 1, MAX_PER_PAGE)
    with db.read() as c:
        where, params = _where(who, f, office_today().isoformat())
        total = int(c.value(f"SELECT count(*) FROM order_index o WHERE {where}", params))
        page = number(f.page, 1, 1, last_page(total, per_page))
        shown = _page(c, who, f, per_page, (page - 1) * per_page)
        choices = _choices(c, who)
    return Page(shown, total, page, per_page), choices


# The filter lists walk order_index's (province, district) and (province, owner) indexes
# instead of reading every order of the caller's provinces (a DISTINCT over 50,000 orders
# was most of a page view): a recursive query takes the provinces the orders name, one
# index probe each, keeps the caller's (the scope condition, ``regional``), and in each of
# them steps from one value to the next (one probe per value listed). A few hundred probes,
# however many orders there are. Orders of no province are few: read as they are.
_PROVINCES = ("places(province) AS ("
              "SELECT (SELECT o.province FROM order_index o WHERE o.province IS NOT NULL "
              "ORDER BY o.province LIMIT 1) "
              "UNION ALL SELECT (SELECT o.province FROM order_index o "
              "WHERE o.province > places.province ORDER BY o.province LIMIT 1) "
              "FROM places WHERE places.province IS NOT NULL)")


def _first(column: str, province: str, after: str) -> str:
    """The smallest ``column`` of live orders of ``province`` that passes ``after``: one
    probe of the (province, column) index."""
    return (f"(SELECT o.{column} FROM order_index o WHERE o.province = {province} "
            f"AND o.deleted = 0 AND o.{column} {after} ORDER BY o.{column} LIMIT 1)")


def _distinct(c: Conn, who: Principal, column: str, present: str) -> list:
    """The distinct ``column`` values (``present``: the condition a listed one meets, also
    where the walk starts) of the live orders in the caller's provinces."""
    mine, mine_params = regional(who, "p")
    scope, scope_params = regional(who, "o")
    found = c.all(
        f"WITH RECURSIVE {_PROVINCES}, walk(province, value) AS ("
        f"SELECT p.province, {_first(column, 'p.province', present)} FROM places p "
        f"WHERE p.province IS NOT NULL AND {mine} "
        f"UNION ALL SELECT w.province, {_first(column, 'w.province', '> w.value')} "
        f"FROM walk w WHERE w.value IS NOT NULL) "
        f"SELECT value FROM walk WHERE value IS NOT NULL "
        f"UNION SELECT o.{column} FROM order_index o WHERE o.province IS NULL "
        f"AND o.deleted = 0 AND o.{column} {present} AND {scope}",
        [*mine_params, *scope_params])
    return [row["value"] for row in found]


def _choices(c: Conn, who: Principal) -> dict:
    """The districts and inspectors the caller's orders name (for the filter lists)."""
    districts = _distinct(c, who, "district", "> ''")
    owners = _distinct(c, who, "owner", "IS NOT NULL")
    inspectors = []
    for where, ids in c.any_of("id", owners):
        inspectors += [r["username"] for r in c.all(
            f"SELECT username FROM users WHERE {where} AND username <> ''", ids)]
    # Few of either: sorted here, by code point as they always were.
    return {"districts": sorted(districts), "inspectors": sorted(inspectors)}


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
