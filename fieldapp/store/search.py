"""Finding factories: full-text search over the local registry, paged for the GUI's lazy model.

The index is the contentless FTS5 trigram table ``factories_fts`` (name, operator, ids,
address), kept in step with ``factories`` by triggers. Trigrams find Thai substrings (Thai has
no spaces between words) and parts of IDs. How a query is read:

- An ID or registration number ("10130000125461", "1-0130-000125461", "3 - 10(1) - 1 / 46ปท",
  "3101146ปท") is matched against the ids column with its separators removed; the ids column
  holds the FID, the separator-free registration number and the registration number as written.
- Other text: each word of at least 3 characters must appear (AND); shorter words in a longer
  query are ignored, because a trigram index cannot look them up.
- A query under 3 characters falls back to a prefix match on the name, FID and registration.
- An empty query lists every factory in registry order (for browsing).

Results are ranked by bm25 with the name and ids weighted above operator and address. User
input only ever reaches FTS5 inside a quoted string, so quotes, brackets, '-', '*' or ':'
cannot break the query. Work is bounded by LIMIT/OFFSET on the ranked list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldapp.core.fid import search_key
from fieldapp.core.provinces import PROVINCES, find_province
from fieldapp.store.db import Store
from fieldapp.store.factories import get_factory

__all__ = ["search_factories", "count_factories", "province_names", "get_factory",
           "plan_query", "RESULT_COLUMNS"]

RESULT_COLUMNS = ("id", "fid", "facreg", "name", "operator", "subdistrict", "district",
                  "province", "province_code", "status", "factory_class", "lat", "lng")
_SELECT = ", ".join(f"f.{c}" for c in RESULT_COLUMNS)
# bm25 weights for (name, operator, ids, address): a hit in the name or an ID counts most.
_RANK = "bm25(factories_fts, 10.0, 4.0, 10.0, 1.0)"
_MIN_TRIGRAM = 3
# Looks like an FID or a registration number: digits and separators, optionally the จ prefix
# and a province abbreviation.
_ID_LIKE = re.compile(r"^[จ]?\s*\d[\d\s\-/().]*[\u0e01-\u0e2e]{0,3}$")


@dataclass(frozen=True)
class QueryPlan:
    """How a query will run: ``kind`` is "all", "fts" or "prefix"; ``value`` its parameter."""

    kind: str
    value: str = ""


def _quote(text: str) -> str:
    """An FTS5 string literal: inside double quotes every character is literal."""
    return '"' + text.replace('"', '""') + '"'


def plan_query(query: str) -> QueryPlan:
    """Decide how to run a user's search text (pure; exposed for tests and the benchmark)."""
    text = " ".join((query or "").split())
    if not text:
        return QueryPlan("all")
    if _ID_LIKE.match(text):
        key = search_key(text)
        if len(key) >= _MIN_TRIGRAM:
            expression = "{ids} : " + _quote(key)
            if " " not in text and key != text and len(text) >= _MIN_TRIGRAM:
                expression += " OR " + _quote(text)
            return QueryPlan("fts", expression)
        return QueryPlan("prefix", key)
    words = [w for w in text.split(" ") if len(w) >= _MIN_TRIGRAM]
    if not words:
        return QueryPlan("prefix", text)
    return QueryPlan("fts", " AND ".join(_quote(w) for w in words))


def _filters(province_code: str | None, province: str | None,
             status: int | None) -> tuple[str, list]:
    clauses, params = ["f.deleted = 0"], []
    if province_code is None and province:
        found = find_province(province)
        if found is not None:
            province_code = found.code
        else:
            clauses.append("f.province = ?")
            params.append(province)
    if province_code:
        clauses.append("f.province_code = ?")
        params.append(province_code)
    if status is not None:
        clauses.append("f.status = ?")
        params.append(int(status))
    return " AND ".join(clauses), params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def build_search_sql(plan: QueryPlan, where: str, params: list, *, limit: int, offset: int,
                     count: bool = False) -> tuple[str, list]:
    """The SQL and parameters for a plan (shared by the app and the benchmark's raw path)."""
    columns = "count(*)" if count else _SELECT
    if plan.kind == "fts":
        rank = "" if count else f", {_RANK} AS rank"
        sql = (f"SELECT {columns}{rank} FROM factories_fts "
               f"JOIN factories f ON f.num = factories_fts.rowid "
               f"WHERE factories_fts MATCH ? AND {where}")
        params = [plan.value, *params]
        if not count:
            sql += " ORDER BY rank LIMIT ? OFFSET ?"
    else:
        rank = "" if count else ", 0.0 AS rank"
        sql = f"SELECT {columns}{rank} FROM factories f WHERE {where}"
        if plan.kind == "prefix":
            pattern = _escape_like(plan.value) + "%"
            sql += (" AND (f.name LIKE ? ESCAPE '\\' OR f.fid LIKE ? ESCAPE '\\' "
                    "OR f.facreg_key LIKE ? ESCAPE '\\')")
            params = [*params, pattern, pattern, pattern]
        if not count:
            sql += " ORDER BY f.num LIMIT ? OFFSET ?"
    if not count:
        params = [*params, int(limit), int(offset)]
    return sql, params


def search_factories(store: Store, query: str, *, limit: int = 50, offset: int = 0,
                     province_code: str | None = None, province: str | None = None,
                     status: int | None = None) -> list[dict]:
    """One page of factories matching ``query``, best first (see the module doc).

    ``province_code`` ("73") or ``province`` (a name or abbreviation) and ``status`` (FFLAG
    0-3) narrow the result. Each dict has RESULT_COLUMNS plus ``rank`` (lower is better).
    """
    where, params = _filters(province_code, province, status)
    sql, params = build_search_sql(plan_query(query), where, params, limit=limit, offset=offset)
    cursor = store.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count_factories(store: Store, query: str, *, province_code: str | None = None,
                    province: str | None = None, status: int | None = None) -> int:
    """How many factories ``search_factories`` would page through for the same arguments."""
    where, params = _filters(province_code, province, status)
    sql, params = build_search_sql(plan_query(query), where, params, limit=0, offset=0,
                                   count=True)
    return store.conn.execute(sql, params).fetchone()[0]


def province_names(store: Store) -> list[str]:
    """Thai names of the provinces that have factories in the local registry (for filters)."""
    codes = {row[0] for row in store.conn.execute(
        "SELECT DISTINCT province_code FROM factories WHERE province_code IS NOT NULL")}
    return [p.name_th for p in PROVINCES if p.code in codes]
