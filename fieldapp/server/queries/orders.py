"""Corrective orders as the console shows them: the list of the caller's provinces (overdue
first, then by deadline) with its filters, one order with its photos and history, and the
open orders of a factory (what a follow-up checks).

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


def is_overdue(order: dict, today: date | None = None) -> bool:
    deadline = order.get("deadline")
    return order.get("status") == "open" and bool(deadline) and \
        str(deadline) < (today or office_today()).isoformat()


def _rows(c: Conn, who: Principal, extra: str = "", params: tuple = ()) -> list[dict]:
    scope, scope_params = regional(who, "r")
    found = c.all(f"SELECT r.id, r.province, r.data, u.username AS inspector FROM records r "
                  f"LEFT JOIN users u ON u.id = r.owner WHERE r.tbl = 'orders' "
                  f"AND r.deleted = 0 AND {scope}{extra}", [*scope_params, *params])
    out = []
    for row in found:
        data = loads(row["data"])
        out.append({**{k: data.get(k) for k in P.COLUMNS["orders"]}, "id": row["id"],
                    "province": row["province"], "inspector": row["inspector"]})
    decorate_orders(c, out)
    return out


def decorate_orders(c: Conn, rows: list[dict]) -> None:
    """Each order's factory (name, ID, district, operator) and record number."""
    factories, records = {}, {}
    for where, ids in c.any_of("id", sorted({r["factory_id"] for r in rows
                                              if r["factory_id"]})):
        for f in c.all(f"SELECT id, fid, name, operator, district FROM factory_index "
                       f"WHERE {where}", ids):
            factories[f["id"]] = f
    for where, ids in c.any_of("id", sorted({r["inspection_id"] for r in rows
                                              if r["inspection_id"]})):
        for i in c.all(f"SELECT id, record_no FROM inspection_index WHERE {where}", ids):
            records[i["id"]] = i["record_no"]
    today = office_today()
    for r in rows:
        f = factories.get(r["factory_id"], {})
        r.update(factory_name=f.get("name"), fid=f.get("fid"), operator=f.get("operator"),
                 district=f.get("district"), record_no=records.get(r["inspection_id"]),
                 province_name=province_name(r["province"]), overdue=is_overdue(r, today))


def sort_key(order: dict) -> tuple:
    """Overdue first, then by deadline (none last), then factory."""
    return (not order["overdue"], order["deadline"] is None, order["deadline"] or "",
            order["factory_name"] or "", order["id"])


def list_orders(db: Database, who: Principal, f: OrderFilter = OrderFilter()) -> list[dict]:
    # The filters read fields of the rows' JSON: applied here, on the province's orders.
    with db.read() as c:
        rows = _rows(c, who)
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
