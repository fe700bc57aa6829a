"""Planned work, read for the console: the registry filtered the way offices plan routine
inspections (district, class, status, years since the last inspection, never inspected),
the people who may be sent to a province, and the plans made.

Scope as everywhere (``scoping``): a supervisor reads the factories and plans of their
provinces, an administrator all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fieldapp.server.auth import Principal
from fieldapp.server.queries.paging import MAX_PER_PAGE, Page, last_page, number
from fieldapp.server.queries.scoping import plain_param, province_name, regional
from fieldapp.server.records import Record
from fieldapp.server.storage import Conn, Database
from fieldapp.store.wirejson import loads
from fieldapp.sync import protocol as P


@dataclass
class RegistryFilter:
    province: str | None = None
    district: str | None = None
    factory_class: int | None = None
    status: int | None = None
    # Not inspected for this many years (never inspected included); None: any.
    years: int | None = None
    page: int = 1
    per_page: int = 100


def years_before(today: date, years: int) -> str:
    """The day ``years`` years before ``today`` (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years).isoformat()
    except ValueError:
        return today.replace(year=today.year - years, day=28).isoformat()


def _where(who: Principal, f: RegistryFilter, today: date) -> tuple[str, list]:
    scope, params = regional(who, "f")
    clauses = ["f.deleted = 0", scope]
    if f.province:
        clauses.append("f.province = ?")
        params.append(plain_param(f.province))
    if f.district:
        clauses.append("f.district = ?")
        params.append(plain_param(f.district))
    if f.factory_class is not None:
        clauses.append("f.factory_class = ?")
        params.append(f.factory_class)
    if f.status is not None:
        clauses.append("f.status = ?")
        params.append(f.status)
    if f.years:
        # Any inspection since the cut-off, by anyone, counts: the factory was seen.
        clauses.append("NOT EXISTS (SELECT 1 FROM inspection_index i WHERE i.factory_id = "
                       "f.id AND i.deleted = 0 AND i.started_at >= ?)")
        params.append(years_before(today, f.years))
    return " AND ".join(clauses), params


def candidates(db: Database, who: Principal, f: RegistryFilter, today: date) -> Page:
    """One page of the factories matching ``f`` in registry order, each with its last
    inspection (None: never inspected)."""
    per_page = number(f.per_page, 100, 1, MAX_PER_PAGE)
    where, params = _where(who, f, today)
    with db.read() as c:
        total = int(c.value(f"SELECT count(*) FROM factory_index f WHERE {where}", params))
        page = number(f.page, 1, 1, last_page(total, per_page))
        rows = c.all(f"SELECT f.id, f.fid, f.name, f.province, f.district, f.factory_class, "
                     f"f.status FROM factory_index f WHERE {where} ORDER BY f.fid, f.num "
                     f"LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page])
        last = _last_inspected(c, [r["id"] for r in rows])
        planned = open_plans(c, [r["id"] for r in rows])
    for row in rows:
        row["province_name"] = province_name(row["province"])
        row["last_inspected"] = last.get(row["id"])
        row["planned_on"] = planned.get(row["id"])
    return Page(rows, total, page, per_page)


def candidate_ids(db: Database, who: Principal, f: RegistryFilter, today: date,
                  cap: int) -> list[str]:
    """The ids of every factory matching ``f``, at most ``cap + 1`` (the caller refuses
    more than ``cap``)."""
    where, params = _where(who, f, today)
    with db.read() as c:
        planned = open_plans(c)
        # Not those already planned (a second "all that match" planned them all again).
        ids = []
        for (fid,) in c.tuples(f"SELECT f.id FROM factory_index f WHERE {where} "
                               f"ORDER BY f.fid, f.num", params):
            if fid not in planned:
                ids.append(fid)
                if len(ids) > cap:
                    break
        return ids


def planned_among(db: Database, who: Principal, f: RegistryFilter, today: date) -> int:
    """How many of the factories matching ``f`` have a routine plan not yet done (those
    "all that match" leaves out)."""
    where, params = _where(who, f, today)
    with db.read() as c:
        planned = sorted(open_plans(c))
        count = 0
        for cond, ids in c.any_of("f.id", planned):
            count += int(c.value(f"SELECT count(*) FROM factory_index f WHERE {where} "
                                 f"AND {cond}", [*params, *ids]))
    return count


def open_plans(c: Conn, factory_ids: list[str] | None = None) -> dict[str, str]:
    """Factory id -> planned day of its routine plan not yet done or cancelled (planned or
    started), for ``factory_ids`` or every factory."""
    found: dict[str, str] = {}
    wanted = None if factory_ids is None else set(factory_ids)
    for data in c.tuples("SELECT data FROM records WHERE tbl = 'plans' AND deleted = 0"):
        plan = loads(data[0])
        factory = plan.get("factory_id")
        if plan.get("kind") == "routine" and plan.get("status") in ("planned", "started") \
                and factory and (wanted is None or factory in wanted):
            found[factory] = min(found.get(factory) or "9999", plan.get("planned_on") or "")
    return found


def _last_inspected(c: Conn, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for where, params in c.any_of("factory_id", ids):
        for fid, last in c.tuples(f"SELECT factory_id, max(started_at) FROM inspection_index "
                                  f"WHERE deleted = 0 AND {where} GROUP BY factory_id", params):
            found[fid] = last
    return found


def registry_choices(db: Database, who: Principal) -> dict:
    """The filter values the registry in scope offers: provinces, districts, classes,
    statuses."""
    scope, params = regional(who, "f")
    base = f"FROM factory_index f WHERE f.deleted = 0 AND {scope}"
    with db.read() as c:
        places = c.tuples(f"SELECT DISTINCT f.province, f.district {base}", params)
        classes = [r[0] for r in c.tuples(f"SELECT DISTINCT f.factory_class {base}", params)]
        statuses = [r[0] for r in c.tuples(f"SELECT DISTINCT f.status {base}", params)]
    codes = {p for p, _ in places if p} | (set() if who.is_admin else set(who.provinces))
    return {"provinces": [{"code": code, "name": province_name(code)} for code in sorted(codes)],
            "districts": sorted({(p, d) for p, d in places if p and d}),
            "classes": sorted(x for x in classes if x is not None),
            "statuses": sorted(x for x in statuses if x is not None)}


def assignable(db: Database, who: Principal) -> list[dict]:
    """Enabled inspectors and supervisors holding at least one of ``who``'s provinces (an
    administrator: any), with the provinces they hold there."""
    with db.read() as c:
        rows = c.all("SELECT u.id, u.username, u.role, p.province_code FROM users u "
                     "JOIN user_provinces p ON p.user_id = u.id WHERE u.disabled = 0 AND "
                     "u.role IN ('inspector', 'supervisor') ORDER BY u.username, "
                     "p.province_code")
    people: dict[str, dict] = {}
    for r in rows:
        if not who.is_admin and r["province_code"] not in who.provinces:
            continue
        person = people.setdefault(r["id"], {"id": r["id"], "username": r["username"],
                                             "role": r["role"], "provinces": []})
        person["provinces"].append(r["province_code"])
    return list(people.values())


@dataclass
class PlanFilter:
    inspector: str | None = None
    status: str | None = None
    kind: str | None = None
    page: int = 1
    per_page: int = 100


def list_plans(db: Database, who: Principal, f: PlanFilter) -> Page:
    """The plans of ``who``'s provinces by planned date (then id), filtered, one page; each
    with its factory (or the complaint's place) and inspector."""
    scope, params = regional(who)
    with db.read() as c:
        rows = [Record.from_row(r) for r in c.all(
            f"SELECT * FROM records WHERE tbl = 'plans' AND deleted = 0 AND {scope}", params)]
        rows = [r for r in rows
                if (not f.inspector or r.data.get("assignee") == f.inspector)
                and (not f.status or r.data.get("status") == f.status)
                and (not f.kind or r.data.get("kind") == f.kind)]
        rows.sort(key=lambda r: (r.data.get("planned_on") or "", r.id))
        per_page = number(f.per_page, 100, 1, MAX_PER_PAGE)
        page = number(f.page, 1, 1, last_page(len(rows), per_page))
        shown = rows[(page - 1) * per_page:page * per_page]
        factories = {}
        for where, ids in c.any_of("id", [r.data.get("factory_id") for r in shown
                                          if r.data.get("factory_id")]):
            for row in c.all(f"SELECT id, fid, name, district FROM factory_index "
                             f"WHERE {where}", ids):
                factories[row["id"]] = row
        complaints = {}
        for where, ids in c.any_of("id", [r.data.get("complaint_id") for r in shown
                                          if r.data.get("complaint_id")]):
            for row in c.all(f"SELECT id, data FROM records WHERE tbl = 'complaints' "
                             f"AND {where}", ids):
                complaints[row["id"]] = loads(row["data"])
        names = {u["id"]: u["username"] for u in c.all("SELECT id, username FROM users")}
    out = []
    for r in shown:
        d = r.data
        factory = factories.get(d.get("factory_id") or "")
        complaint = complaints.get(d.get("complaint_id") or "", {})
        out.append({"id": r.id, **{k: d.get(k) for k in P.COLUMNS["plans"]},
                    "factory_name": factory["name"] if factory else complaint.get("place_name"),
                    "fid": factory["fid"] if factory else None,
                    "district": factory["district"] if factory else complaint.get("district"),
                    "province_name": province_name(r.province),
                    "inspector": names.get(d.get("assignee") or "", d.get("assignee_name"))})
    return Page(out, len(rows), page, per_page)


def plan_in_scope(db: Database, who: Principal, plan_id: str) -> dict | None:
    """One plan ``who`` may read (id, status, province), else None."""
    scope, params = regional(who)
    with db.read() as c:
        row = c.one(f"SELECT * FROM records WHERE tbl = 'plans' AND id = ? AND deleted = 0 "
                    f"AND {scope}", [plan_id, *params])
    if row is None:
        return None
    rec = Record.from_row(row)
    return {"id": rec.id, "province": rec.province, **rec.data}


def factories_in_scope(db: Database, who: Principal, ids: list[str]) -> set[str]:
    """Those of ``ids`` that name live factories of ``who``'s provinces."""
    scope, params = regional(who, "f")
    found: set[str] = set()
    with db.read() as c:
        for where, values in c.any_of("f.id", ids):
            found.update(r[0] for r in c.tuples(
                f"SELECT f.id FROM factory_index f WHERE f.deleted = 0 AND {scope} "
                f"AND {where}", [*params, *values]))
    return found
