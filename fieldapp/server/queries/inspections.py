"""The console's list of inspections: filter, search, sort and page, within the caller's scope.

Reads ``inspection_index`` (server/projection.py), never the JSON of ``records``. Text is
matched, word by word, against the factory's name, its 14-digit ID and the record number;
an ID or record number typed with separators ("1-0130-000125461", "2569/ABCD-1234") matches
without them too. User text only ever reaches SQL as a ``LIKE`` parameter with its
wildcards escaped. Sort columns come from a whitelist; anything else sorts by start date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from fieldapp.core.fid import search_key
from fieldapp.server.auth import Principal
from fieldapp.server.queries.paging import MAX_PER_PAGE, Page, last_page, number
from fieldapp.server.queries.scoping import (
    clean_text,
    day_after_utc,
    day_start_utc,
    like_pattern,
    owned,
    plain_param,
    province_name,
)
from fieldapp.server.storage import Conn, Database

SORTS = ("started_at", "finalized_at", "factory_name", "fid", "record_no", "state", "kind",
         "province", "district", "template_key", "inspector")
MAX_WORDS = 8          # more words narrow nothing useful and only lengthen the query
EXPORT_BATCH = 1000

_SELECT = ("SELECT i.id, i.record_no, i.state, i.kind, i.started_at, i.finalized_at, "
           "i.factory_id, i.factory_name, i.fid, i.province, i.district, i.owner, "
           "u.username AS inspector, i.created_by, i.template_key, i.template_version, "
           "i.template_version_id, i.amends_id "
           "FROM inspection_index i LEFT JOIN users u ON u.id = i.owner")
_SORT_SQL = {name: f"i.{name}" for name in SORTS} | {"inspector": "u.username"}


@dataclass(frozen=True)
class InspectionFilter:
    """What the list shows. Empty/None means "any". ``inspector`` is a user id; dates are
    Bangkok calendar days of ``started_at``, both ends included (a ``date`` or ISO text;
    unreadable text is no bound). Anything else a URL carries is read defensively."""

    text: str = ""
    province: str | None = None
    district: str | None = None
    inspector: str | None = None
    state: str | None = None
    kind: str | None = None
    template: str | None = None
    template_version: int | None = None   # with ``template``: one published version
    date_from: date | str | None = None
    date_to: date | str | None = None
    sort: str = "started_at"
    direction: str = "desc"
    page: int = 1
    per_page: int = 50


def _text_condition(text: str) -> tuple[list[str], list]:
    """Each word must appear in the factory name, the FID or the record number (the last
    two also with separators removed): all of them are in the projection's ``search``
    (a pg_trgm GIN index serves it on PostgreSQL)."""
    clauses, params = [], []
    for word in clean_text(text).split()[:MAX_WORDS]:
        word = word.lower()
        key = search_key(word)
        if key and key != word:
            clauses.append("(i.search LIKE ? ESCAPE '\\' OR i.search LIKE ? ESCAPE '\\')")
            params += [like_pattern(word), like_pattern(key)]
        else:
            clauses.append("i.search LIKE ? ESCAPE '\\'")
            params.append(like_pattern(word))
    return clauses, params


def _day(value: object) -> date | None:
    """A filter's day: a ``date`` or ISO text ("2026-03-05"); anything else means no bound."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _where(who: Principal, f: InspectionFilter) -> tuple[str, list]:
    scope, params = owned(who, "i")
    clauses = ["i.deleted = 0", scope]
    for column, value in (("province", f.province), ("district", f.district),
                          ("owner", f.inspector), ("state", f.state), ("kind", f.kind),
                          ("template_key", f.template)):
        if value:
            clauses.append(f"i.{column} = ?")
            params.append(plain_param(value))
    if f.template and isinstance(f.template_version, int) and 0 < f.template_version < 2**31:
        clauses.append("i.template_version = ?")
        params.append(f.template_version)
    first, last = _day(f.date_from), _day(f.date_to)
    if first is not None:
        clauses.append("i.started_at >= ?")
        params.append(day_start_utc(first))
    if last is not None:
        clauses.append("i.started_at < ?")
        params.append(day_after_utc(last))
    words, word_params = _text_condition(f.text)
    return " AND ".join(clauses + words), params + word_params


def _order(f: InspectionFilter) -> str:
    column = _SORT_SQL.get(f.sort, "i.started_at")
    direction = "ASC" if str(f.direction).lower() == "asc" else "DESC"
    # NULLs last on both engines (they disagree by default), then a stable tie-break.
    return f"({column} IS NULL), {column} {direction}, i.id {direction}"


def _row(row: dict) -> dict:
    row["province_name"] = province_name(row["province"])
    return row


def _amended(c: Conn, rows: list[dict]) -> None:
    """Mark the rows a later amendment replaces (``amended_by``: its id)."""
    for row in rows:
        row["amended_by"] = None
    by_id = {row["id"]: row for row in rows}
    for where, params in c.any_of("amends_id", list(by_id)):
        for amends, newer in c.tuples(f"SELECT amends_id, id FROM inspection_index "
                                      f"WHERE deleted = 0 AND {where} ORDER BY id", params):
            by_id[amends]["amended_by"] = newer


def search_inspections(db: Database, who: Principal, f: InspectionFilter) -> Page:
    """One page of the inspections ``who`` may read that match ``f``. A page past the last
    gives the last page; ``per_page`` is held to 1…500."""
    per_page = number(f.per_page, 50, 1, MAX_PER_PAGE)
    where, params = _where(who, f)
    with db.read() as c:
        total = int(c.value(f"SELECT count(*) FROM inspection_index i WHERE {where}", params))
        last = last_page(total, per_page)
        page = number(f.page, 1, 1, last)
        rows = c.all(f"{_SELECT} WHERE {where} ORDER BY {_order(f)} LIMIT ? OFFSET ?",
                     [*params, per_page, (page - 1) * per_page])
        _amended(c, rows)
    return Page([_row(r) for r in rows], total, page, per_page)


def iter_inspections(db: Database, who: Principal, f: InspectionFilter) -> Iterator[dict]:
    """Every inspection matching ``f`` (paging ignored), in its sort order, for CSV/XLSX
    export. Reads in batches, each its own short read transaction."""
    where, params = _where(who, f)
    offset = 0
    while True:
        with db.read() as c:
            rows = c.all(f"{_SELECT} WHERE {where} ORDER BY {_order(f)} LIMIT ? OFFSET ?",
                         [*params, EXPORT_BATCH, offset])
            _amended(c, rows)
        yield from (_row(r) for r in rows)
        if len(rows) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH


def filter_choices(db: Database, who: Principal) -> dict:
    """The values the list's filters offer, from the inspections (and, for provinces, the
    grants) in the caller's scope: provinces [{code, name}], districts [{province,
    district}], inspectors [{id, username}], templates [{key, versions}], states, kinds."""
    scope, params = owned(who, "i")
    base = f"FROM inspection_index i WHERE i.deleted = 0 AND {scope}"
    with db.read() as c:
        codes = {r[0] for r in c.tuples(f"SELECT DISTINCT i.province {base}", params) if r[0]}
        if not who.is_admin:
            codes |= set(who.provinces)
        districts = c.tuples(f"SELECT DISTINCT i.province, i.district {base} "
                             f"AND i.district IS NOT NULL", params)
        inspectors = c.all(f"SELECT DISTINCT u.id, u.username FROM inspection_index i "
                           f"JOIN users u ON u.id = i.owner WHERE i.deleted = 0 AND {scope}",
                           params)
        templates = c.tuples(f"SELECT DISTINCT i.template_key, i.template_version {base} "
                             f"AND i.template_key IS NOT NULL", params)
        states = sorted(r[0] for r in c.tuples(f"SELECT DISTINCT i.state {base}", params)
                        if r[0])
        kinds = sorted(r[0] for r in c.tuples(f"SELECT DISTINCT i.kind {base}", params) if r[0])
    versions: dict[str, list[int]] = {}
    for key, version in templates:
        versions.setdefault(key, []).append(version)
    return {
        "provinces": [{"code": code, "name": province_name(code)} for code in sorted(codes)],
        "districts": [{"province": p, "district": d} for p, d in sorted(districts)],
        "inspectors": sorted(inspectors, key=lambda u: u["username"]),
        "templates": [{"key": k, "versions": sorted(v for v in vs if v is not None)}
                      for k, vs in sorted(versions.items())],
        "states": states, "kinds": kinds}
