"""The console's factories: search (the laptop's trigram search, on the server's
``factory_index``) and one factory with its inspections and open orders.

The search reads a query as the laptop does (``fieldapp.store.search.plan_query``): an ID or
registration number typed with or without separators, Thai words (each of three characters or
more must appear; legal forms such as บริษัท are dropped when other words remain), a short
prefix, a whole 14-digit FID. On SQLite the words go to an FTS5 trigram table (user text only
inside an FTS5 string literal); on PostgreSQL to ``LIKE`` patterns served by pg_trgm GIN
indexes (user text only as an escaped parameter). A text query collects at most SEARCH_CAP
matches, so a word found in 100,000 names costs what one found in 1,000 does.
"""

from __future__ import annotations

from datetime import date

from fieldapp.server.auth import Principal
from fieldapp.server.queries.orders import IN_FORCE, decorate_orders, is_overdue
from fieldapp.server.queries.paging import MAX_PER_PAGE, Page, last_page, number
from fieldapp.server.queries.scoping import (
    clean_text,
    like_pattern,
    owned,
    plain_param,
    province_name,
    regional,
    usable_id,
)
from fieldapp.server.records import Record
from fieldapp.server.scope import may_read
from fieldapp.server.storage import Conn, Database
from fieldapp.store.search import SEARCH_CAP, QueryPlan, plan_query
from fieldapp.store.wirejson import loads
from fieldapp.sync import protocol as P

_COLUMNS = ("f.id, f.fid, f.facreg, f.name, f.operator, f.province, f.district, "
            "f.factory_class, f.status")
OPEN = ("open", "in_progress")


def _hits(c: Conn, plan: QueryPlan, where: str, params: list) -> tuple[str, list]:
    """SQL selecting the ``num`` of at most SEARCH_CAP factories matching ``plan``."""
    if plan.kind == "all":
        return f"SELECT f.num FROM factory_index f WHERE {where}", params
    if plan.kind == "fid":
        return f"SELECT f.num FROM factory_index f WHERE f.fid = ? AND {where}", \
            [plan.exact, *params]
    if plan.kind == "prefix":
        pattern = like_pattern(plan.prefix.lower())[1:]    # prefix%: no leading wildcard
        return (f"SELECT f.num FROM factory_index f WHERE (lower(f.name) LIKE ? ESCAPE '\\' "
                f"OR f.fid LIKE ? ESCAPE '\\') AND {where} LIMIT {SEARCH_CAP}",
                [pattern, pattern, *params])
    if c.dialect == "sqlite":
        return (f"SELECT f.num FROM factory_fts CROSS JOIN factory_index f "
                f"ON f.num = factory_fts.rowid WHERE factory_fts MATCH ? AND {where} "
                f"LIMIT {SEARCH_CAP}", [plan.match, *params])
    if plan.match.startswith("{ids}"):
        # an identifier: any of its spellings in the identifiers
        cond = " OR ".join("f.ids LIKE ? ESCAPE '\\'" for _ in plan.words)
        words = plan.words
    else:
        # Every group of spellings (a company form written out or abbreviated), as the
        # laptop's index matches them.
        cond = " AND ".join("(" + " OR ".join("f.search LIKE ? ESCAPE '\\'" for _ in group)
                            + ")" for group in plan.terms)
        words = tuple(text for group in plan.terms for _, text in group)
    return (f"SELECT f.num FROM factory_index f WHERE ({cond}) AND {where} "
            f"LIMIT {SEARCH_CAP}", [*(like_pattern(w.lower()) for w in words), *params])


def _order(plan: QueryPlan) -> tuple[str, list]:
    """Exact ID or name first, then names holding the first word, shorter names first (the
    word is more of them); the registry's ID breaks ties."""
    if plan.kind == "all":
        return "f.fid, f.num", []      # registry order (an FID begins with its province)
    exact = plan.exact or plan.prefix
    first = plan.words[0] if plan.words else exact
    return ("CASE WHEN f.fid = ? OR lower(f.name) = ? THEN 0 "
            "WHEN lower(f.name) LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END, "
            "length(f.name), f.fid, f.num", [exact, exact.lower(), like_pattern(first.lower())])


def search_factories(db: Database, who: Principal, text: str = "",
                     province: str | None = None, district: str | None = None,
                     page: int = 1, per_page: int = 50) -> Page:
    """One page of the factories ``who`` may read (admin: all; others: their provinces)
    matching ``text``, best first. ``capped``: a text search stopped at SEARCH_CAP."""
    per_page = number(per_page, 50, 1, MAX_PER_PAGE)
    plan = plan_query(clean_text(text))
    scope, params = regional(who, "f")
    clauses = ["f.deleted = 0", scope]
    if province:
        clauses.append("f.province = ?")
        params.append(plain_param(province))
    if district:
        clauses.append("f.district = ?")
        params.append(plain_param(district))
    where = " AND ".join(clauses)
    with db.read() as c:
        hits, hit_params = _hits(c, plan, where, params)
        total = int(c.value(f"SELECT count(*) FROM ({hits}) h", hit_params))
        page = number(page, 1, 1, last_page(total, per_page))
        order, order_params = _order(plan)
        rows = c.all(f"SELECT {_COLUMNS} FROM factory_index f WHERE f.num IN ({hits}) "
                     f"ORDER BY {order} LIMIT ? OFFSET ?",
                     [*hit_params, *order_params, per_page, (page - 1) * per_page])
        _last_inspected(c, who, rows)
    for row in rows:
        row["province_name"] = province_name(row["province"])
    return Page(rows, total, page, per_page, capped=plan.kind != "all" and total >= SEARCH_CAP)


def _last_inspected(c: Conn, who: Principal, rows: list[dict]) -> None:
    """Each row's latest inspection start the caller may read (None: none)."""
    scope, params = owned(who, "i")
    found: dict[str, str] = {}
    for where, ids in c.any_of("i.factory_id", [r["id"] for r in rows]):
        for fid, last in c.tuples(f"SELECT i.factory_id, max(i.started_at) FROM "
                                  f"inspection_index i WHERE i.deleted = 0 AND {scope} AND "
                                  f"{where} GROUP BY i.factory_id", [*params, *ids]):
            found[fid] = last
    for row in rows:
        row["last_inspected"] = found.get(row["id"])


# Orders in force: open or in progress, in a finalized record that no finalized amendment
# replaces (the amendment carries the orders then).
def _in_force(c: Conn, who: Principal, factory_id: str | None = None) -> list[dict]:
    """The office's orders in force (open or reported done: issued when their record was
    approved, not yet verified, cancelled or escalated) the caller may read, with their
    factory and record number. Read from the orders themselves: the findings they come
    from were counted before, which held findings of records nobody had approved and
    orders long verified, so the figures never went down."""
    scope, params = owned(who, "r")
    rows = []
    for rid, province, owner, data in c.tuples(
            f"SELECT r.id, r.province, r.owner, r.data FROM records r WHERE r.tbl = 'orders' "
            f"AND r.deleted = 0 AND {scope}", params):
        order = loads(data)
        if order.get("status") not in IN_FORCE:
            continue
        if factory_id is not None and order.get("factory_id") != factory_id:
            continue
        rows.append({**{k: order.get(k) for k in P.COLUMNS["orders"]}, "id": rid,
                     "province": province, "owner": owner, "inspector": None})
    decorate_orders(c, rows)
    return rows


def count_orders(c: Conn, who: Principal, today: str | None = None) -> tuple[int, int]:
    """(in force, overdue) orders the caller may read; overdue: open and the deadline (a
    date) is before ``today`` (ISO date; Bangkok's today by default)."""
    day = date.fromisoformat(today) if today else None
    rows = _in_force(c, who)
    return len(rows), sum(1 for r in rows if is_overdue(r, day))


def open_orders(c: Conn, who: Principal, factory_id: str | None = None,
                limit: int = 200, overdue_only: bool = False,
                today: str | None = None) -> list[dict]:
    """Orders in force the caller may read, earliest deadline first (none last).
    ``overdue_only``: open with the deadline (a Bangkok date) passed."""
    day = date.fromisoformat(today) if today else None
    rows = _in_force(c, who, factory_id)
    for row in rows:
        row["overdue"] = is_overdue(row, day)
    if overdue_only:
        rows = [r for r in rows if r["overdue"]]
    rows.sort(key=lambda r: (r["deadline"] is None, r["deadline"] or "", r["id"]))
    return rows[:number(limit, 200, 1, 10_000)]


def factory_detail(db: Database, who: Principal, factory_id: str) -> dict | None:
    """One factory: its fields, the inspections of it the caller may read (newest first)
    and its open orders; None when unknown, deleted or out of scope."""
    if not usable_id(factory_id):
        return None
    with db.read() as c:
        row = c.one("SELECT * FROM records WHERE tbl = 'factories' AND id = ?", (factory_id,))
        if row is None:
            return None
        record = Record.from_row(row)
        if record.deleted or not may_read(who, record):
            return None
        scope, params = owned(who, "i")
        inspections = c.all(
            f"SELECT i.id, i.record_no, i.state, i.kind, i.started_at, i.finalized_at, "
            f"i.template_key, i.template_version, i.amends_id, u.username AS inspector "
            f"FROM inspection_index i LEFT JOIN users u ON u.id = i.owner "
            f"WHERE i.factory_id = ? AND i.deleted = 0 AND {scope} "
            f"ORDER BY i.started_at DESC, i.id DESC", [factory_id, *params])
        orders = open_orders(c, who, factory_id)
    fields = {k: v for k, v in record.data.items() if k != "deleted"}
    return {"id": record.id, "fields": fields, "province": record.province,
            "province_name": province_name(record.data.get("province_code") or
                                           record.province),
            "inspections": inspections, "open_orders": orders}
