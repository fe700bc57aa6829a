"""Finding factories: full-text search over the local registry, paged for the GUI's lazy model.

The index is the contentless FTS5 trigram table ``factories_fts`` (name, operator, ids,
address), kept in step with ``factories`` by triggers. Trigrams find Thai substrings (Thai has
no spaces between words) and parts of IDs. Right after a first sync the index may still be
being built (store/search_index.py): text queries then scan the table for the same
substrings, case-folded, in the same columns and registry order, so they find the same rows
(slower: ~10 ms for 10,000 factories). How a query is read:

- An ID or registration number ("10130000125461", "1-0130-000125461", "3 - 10(1) - 1 / 46ปท",
  "3101146ปท") is matched against the ids column with its separators removed; the ids column
  holds the FID, the separator-free registration number and the registration number as written.
- Other text: each word of at least 3 characters must appear (AND); shorter words in a longer
  query are ignored, because a trigram index cannot look them up, and so are legal forms
  (บริษัท, จำกัด, ...) when other words remain: they are in most names and narrow nothing.
  A company form is known written out or abbreviated, with or without its full stop
  (หจก / หจก. = ห้างหุ้นส่วนจำกัด, บจก = บริษัท … จำกัด, บมจ = บริษัท … จำกัด (มหาชน)): alone
  it finds names written either way; beside other words it ranks names of that form first.
- A query under 3 characters falls back to a prefix match on the name and the FID (ranges,
  so indexes can serve them: the FID's unique index always does; the name needs an index).
- A whole 14-digit FID is looked up in the FID's unique index directly.
- An empty query lists every factory in registry order (for browsing).

Work is bounded: a text query collects at most SEARCH_CAP matching rows in index order and
ranks only those (see ``_rank_sql``), and ``count_factories`` counts at most SEARCH_CAP, so a
word found in 100,000 names costs the same as one found in 1,000. User input only ever reaches
FTS5 inside a quoted string, so quotes, brackets, '-', '*' or ':' cannot break the query.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from fieldapp.core.fid import FID_LENGTH, search_key
from fieldapp.core.provinces import PROVINCES, find_province
from fieldapp.core.thaidate import arabic_digits
from fieldapp.store import search_index
from fieldapp.store.db import Store
from fieldapp.store.factories import get_factory

__all__ = ["search_factories", "count_factories", "province_names", "get_factory",
           "plan_query", "RESULT_COLUMNS", "SEARCH_CAP", "STATUS_NOT_GIVEN"]

RESULT_COLUMNS = ("id", "fid", "facreg", "name", "operator", "subdistrict", "district",
                  "province", "province_code", "status", "factory_class", "lat", "lng")
_SELECT = ", ".join(f"f.{c}" for c in RESULT_COLUMNS)
# A text query ranks at most this many matches; count_factories reports at most this many.
SEARCH_CAP = 1000
# The ``status`` filter value for factories whose FFLAG is empty (DIW's own sample files leave
# it empty in every row, so this is common, not an edge case).
STATUS_NOT_GIVEN = -1
LEGAL_FORMS = frozenset({"บริษัท", "จำกัด", "(มหาชน)", "มหาชน", "ห้างหุ้นส่วน",
                         "ห้างหุ้นส่วนจำกัด", "ห้างหุ้นส่วนสามัญ", "หจก.", "บจก.", "บมจ.",
                         "โรงงาน"})
# A company form and the texts that name it in a registry name, written out or abbreviated
# (DIW writes most names out, "ห้างหุ้นส่วนจำกัด ...", other lists and people "หจก.").
# บจก finds "บริษัท" rather than "บริษัท" and "จำกัด" together: every บริษัท in the registry
# is limited, a public one (บมจ) too.
_PARTNERSHIP = ("ห้างหุ้นส่วนจำกัด", "หจก")
_COMPANY = ("บริษัท", "บจก", "บมจ")
_PUBLIC = ("มหาชน", "บมจ")
COMPANY_FORMS = {"หจก": _PARTNERSHIP, "ห้างหุ้นส่วนจำกัด": _PARTNERSHIP,
                 "บจก": ("บริษัท", "บจก"), "บริษัท": _COMPANY,
                 "บมจ": _PUBLIC, "มหาชน": _PUBLIC}
# An abbreviation glued to the name ("หจก.สมบูรณ์") is a word of its own.
_GLUED_FORM = re.compile(r"(?<!\S)(หจก|บจก|บมจ)\.?(?=\S)")
_MIN_TRIGRAM = 3
# Looks like an FID or a registration number: digits and separators, optionally the จ prefix
# and a province abbreviation.
_ID_LIKE = re.compile(r"^[จ]?\s*\d[\d\s\-/().]*[\u0e01-\u0e2e]{0,3}$")
# An identifier as people paste it from the registry's spreadsheet: ="10390001225278".
_EXCEL_TEXT = re.compile(r'^="(.*)"$')


@dataclass(frozen=True)
class QueryPlan:
    """How a query runs: ``kind`` is "all", "fid", "fts" or "prefix".

    ``match`` is the FTS5 expression, ``words`` the lower-cased texts the ranking looks for,
    ``exact`` what an exact FID / registration / name would equal, ``prefix`` the fallback's
    prefix, ``forms`` the texts of the company forms the query named beside other words.
    ``terms`` is ``match`` as data, for scanning the table while the index is being built:
    every group must match, a group matches if any of its (column, text) does, and column ""
    is any indexed column.
    """

    kind: str
    match: str = ""
    terms: tuple[tuple[tuple[str, str], ...], ...] = ()
    words: tuple[str, ...] = ()
    exact: str = ""
    prefix: str = ""
    forms: tuple[str, ...] = ()     # a company form's texts, to rank its names first


def _quote(text: str) -> str:
    """An FTS5 string literal: inside double quotes every character is literal."""
    return '"' + text.replace('"', '""') + '"'


def plan_query(query: str) -> QueryPlan:
    """Decide how to run a user's search text (pure; exposed for tests and the benchmark)."""
    text = " ".join((query or "").split())
    if not text:
        return QueryPlan("all")
    # An ID typed in Thai digits, or pasted with Excel's quoting, is the same ID.
    typed = arabic_digits(_EXCEL_TEXT.sub(r"\1", text))
    if _ID_LIKE.match(typed):
        text = typed
    if _ID_LIKE.match(text):
        key = search_key(text)
        if len(key) < _MIN_TRIGRAM:
            return QueryPlan("prefix", prefix=key)
        if len(key) == FID_LENGTH and key.isdigit():
            # A whole FID: the unique index answers at once (digit trigrams are everywhere).
            return QueryPlan("fid", words=(key,), exact=key)
        expression = "{ids} : " + _quote(key)
        words = [key]
        either = [("ids", key)]
        if " " not in text and key != text and len(text) >= _MIN_TRIGRAM:
            expression += " OR " + _quote(text)
            words.append(text.lower())
            either.append(("", text))
        return QueryPlan("fts", expression, (tuple(either),), tuple(words), exact=key)
    words = [w for w in _GLUED_FORM.sub(r"\1. ", text).split(" ") if len(w) >= _MIN_TRIGRAM]
    if not words:
        return QueryPlan("prefix", prefix=text)
    # Legal forms (บริษัท, จำกัด, ...) are in most names: they narrow nothing and make the
    # index walk long posting lists, so they are dropped when the query has other words.
    specific = [w for w in words if not _legal_form(w)]
    if specific:
        # "บริษัท" written out is in most names and ranks by nothing, as before; a form
        # typed to tell (หจก, บจก, บมจ, ห้างหุ้นส่วนจำกัด) ranks its names first.
        forms = tuple(dict.fromkeys(t for w in words if _form_key(w) != "บริษัท"
                                    for t in _form_texts(w)))
        return QueryPlan("fts", " AND ".join(_quote(w) for w in specific),
                         tuple((("", w),) for w in specific),
                         tuple(w.lower() for w in specific), exact=text.lower(), forms=forms)
    # Only forms: each finds its names however they write it (หจก. or ห้างหุ้นส่วนจำกัด).
    # Ranked by every spelling, so a name written out and one abbreviated score alike.
    groups = [_form_texts(w) or (w,) for w in words]
    return QueryPlan("fts", " AND ".join(_either(group) for group in groups),
                     tuple(tuple(("", t) for t in group) for group in groups),
                     tuple(dict.fromkeys(t.lower() for group in groups for t in group)),
                     exact=text.lower())


def _either(texts: tuple[str, ...]) -> str:
    quoted = [_quote(t) for t in texts]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def _form_key(word: str) -> str:
    return word.lower().strip("().")


def _legal_form(word: str) -> bool:
    return word.lower() in LEGAL_FORMS or _form_key(word) in LEGAL_FORMS | COMPANY_FORMS.keys()


def _form_texts(word: str) -> tuple[str, ...]:
    """The texts a company form is written as in names; () for any other word."""
    return COMPANY_FORMS.get(_form_key(word), ())


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
    if status == STATUS_NOT_GIVEN:
        clauses.append("f.status IS NULL")
    elif status is not None:
        clauses.append("f.status = ?")
        params.append(int(status))
    return " AND ".join(clauses), params


def _rank_sql(plan: QueryPlan) -> tuple[str, list]:
    """A cheap relevance score computed on the bounded candidate rows (lower is better).

    Weights follow the intent of bm25 column weights: per word, a hit in the name or an ID
    counts 10, in the operator 4, otherwise (it matched, so in the address) 1; an exact name,
    FID or registration number wins outright, and among equals a shorter name (the word is
    more of it) comes first. FTS5's own bm25 is not used: its IDF step walks every row that
    contains a common word ("บริษัท" is in most names), so its cost grows with the registry
    instead of with the page.
    """
    terms, params = [], []
    for word in plan.words:
        terms.append("CASE WHEN instr(lower(f.name), ?) THEN 10 WHEN instr(f.fid || ' ' || "
                     "coalesce(f.facreg_key, '') || ' ' || lower(coalesce(f.facreg, '')), ?) "
                     "THEN 10 WHEN instr(lower(coalesce(f.operator, '')), ?) THEN 4 ELSE 1 END")
        params += [word] * 3
    terms.append("30 * (f.fid = ? OR coalesce(f.facreg_key, '') = ? OR lower(f.name) = ?)")
    params += [plan.exact] * 3
    if plan.forms:
        # "หจก สมบูรณ์": the partnerships among the สมบูรณ์s first.
        terms.append("5 * (" + " OR ".join("instr(f.name, ?)" for _ in plan.forms) + ")")
        params += list(plan.forms)
    return f"length(f.name) / 1000.0 - ({' + '.join(terms)})", params


def _scan_sql(plan: QueryPlan, columns: dict[str, tuple[str, ...]],
              fold: bool) -> tuple[str, list]:
    """``plan.match`` as a condition on ``factories f``, for while the index is being built.

    The trigram index finds a text (3 characters or more, no spaces: see ``plan_query``)
    wherever it occurs in one column, case-folded for every script that has case: so does
    this. LIKE folds ASCII only, which is the same while the table holds nothing but
    ASCII and Thai (no case); ``fold``: it holds other text, folded by ``FOLD`` (Python,
    ~4 µs a value)."""
    groups, params = [], []
    for group in plan.terms:
        either = []
        for column, text in group:
            folded = _fold(text)
            for sql in (columns[column] if column else
                        [part for parts in columns.values() for part in parts]):
                if fold:
                    either.append(f"instr({FOLD}({sql}), ?)")
                    params.append(folded)
                else:
                    either.append(f"{sql} LIKE ? ESCAPE '\\'")
                    params.append("%" + re.sub(r"([\\%_])", r"\\\1", folded) + "%")
        groups.append(f"({' OR '.join(either)})")
    return " AND ".join(groups), params


def _fold(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


FOLD = "fieldapp_fold"


def build_search_sql(plan: QueryPlan, where: str, params: list, *, limit: int, offset: int,
                     count: bool = False,
                     index_pending: dict[str, tuple[str, ...]] | None = None,
                     fold: bool = True) -> tuple[str, list]:
    """The SQL and parameters for a plan (shared by the app and the benchmark's raw path).

    Text and prefix queries first collect at most SEARCH_CAP matching rows (the index
    drives: CROSS JOIN keeps SQLite from scanning factories first), then rank only those.
    ``index_pending``: the index is being built (``search_index.pending_columns``): text
    queries scan the table in registry order instead, which collects the same rows (the
    index gives its matches in the same order); ``fold``: the table holds text that
    SQLite's LIKE does not case-fold as the index does (``FOLD`` registered then).
    """
    if plan.kind == "all":
        if count:
            return f"SELECT count(*) FROM factories f WHERE {where}", params
        return (f"SELECT {_SELECT}, 0.0 AS rank FROM factories f WHERE {where} "
                f"ORDER BY f.num LIMIT ? OFFSET ?", [*params, int(limit), int(offset)])
    if plan.kind == "fid":
        hits = f"SELECT f.num AS num FROM factories f WHERE f.fid = ? AND {where}"
        hit_params = [plan.exact, *params]
        rank, rank_params = "0.0", []
    elif plan.kind == "fts" and index_pending is not None:
        match, match_params = _scan_sql(plan, index_pending, fold)
        hits = (f"SELECT f.num AS num FROM factories f WHERE {match} AND {where} "
                f"ORDER BY f.num LIMIT {SEARCH_CAP}")
        hit_params = [*match_params, *params]
        rank, rank_params = ("0.0", []) if count else _rank_sql(plan)
    elif plan.kind == "fts":
        hits = (f"SELECT f.num AS num FROM factories_fts CROSS JOIN factories f "
                f"ON f.num = factories_fts.rowid WHERE factories_fts MATCH ? AND {where} "
                f"LIMIT {SEARCH_CAP}")
        hit_params = [plan.match, *params]
        rank, rank_params = ("0.0", []) if count else _rank_sql(plan)
    else:
        # Ranges rather than LIKE, one branch per column, so the FID's unique index and an
        # index on name serve them; the unary + keeps SQLite from walking an index on
        # "deleted" instead.
        upper = plan.prefix + "\U0010ffff"
        unindexed = where.replace("f.deleted = 0", "+f.deleted = 0", 1)
        branch = (f"SELECT num FROM (SELECT f.num AS num FROM factories f WHERE f.{{col}} >= ? "
                  f"AND f.{{col}} < ? AND {unindexed} LIMIT {SEARCH_CAP})")
        hits = (f"SELECT num FROM ({branch.format(col='name')} UNION "
                f"{branch.format(col='fid')}) LIMIT {SEARCH_CAP}")
        hit_params = [plan.prefix, upper, *params, plan.prefix, upper, *params]
        rank, rank_params = "0.0", []
    if count:
        return f"WITH hits AS ({hits}) SELECT count(*) FROM hits", hit_params
    return (f"WITH hits AS ({hits}) SELECT {_SELECT}, {rank} AS rank FROM hits "
            f"CROSS JOIN factories f ON f.num = hits.num ORDER BY rank, f.num LIMIT ? OFFSET ?",
            [*hit_params, *rank_params, int(limit), int(offset)])


def search_factories(store: Store, query: str, *, limit: int = 50, offset: int = 0,
                     province_code: str | None = None, province: str | None = None,
                     status: int | None = None) -> list[dict]:
    """One page of factories matching ``query``, best first (see the module doc).

    ``province_code`` ("73") or ``province`` (a name or abbreviation) and ``status`` (FFLAG
    0-3, or STATUS_NOT_GIVEN for an empty FFLAG) narrow the result. Each dict has RESULT_COLUMNS plus ``rank`` (lower is better).
    """
    where, params = _filters(province_code, province, status)
    sql, params = build_search_sql(plan_query(query), where, params, limit=limit, offset=offset,
                                   **_pending(store))
    cursor = store.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count_factories(store: Store, query: str, *, province_code: str | None = None,
                    province: str | None = None, status: int | None = None) -> int:
    """How many factories ``search_factories`` would page through for the same arguments."""
    where, params = _filters(province_code, province, status)
    sql, params = build_search_sql(plan_query(query), where, params, limit=0, offset=0,
                                   count=True, **_pending(store))
    return store.conn.execute(sql, params).fetchone()[0]


def _pending(store: Store) -> dict:
    """While the index is being built: the indexed columns' SQL, and whether the table holds
    text other than ASCII and Thai (then ``FOLD`` is registered). Asked again only when the
    table may have changed: scanning for such text takes ~0.4 s at 150,000 factories."""
    columns = search_index.pending_columns(store.conn)
    if columns is None:
        return {}
    changed = (store.conn.execute("PRAGMA data_version").fetchone()[0],
               store.conn.total_changes)
    known = _FOLD_NEEDED.get(store)
    if known is None or known[0] != changed:
        parts = [part for column in columns.values() for part in column]
        other = " OR ".join(f"{part} GLOB '*[^ -~\u0e00-\u0e7f]*'" for part in parts)
        known = _FOLD_NEEDED[store] = (changed, bool(store.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM factories f WHERE {other})").fetchone()[0]))
    if known[1]:
        store.conn.create_function(FOLD, 1, _fold, deterministic=True)
    return {"index_pending": columns, "fold": known[1]}


# store -> ((data_version, total_changes), whether its table needs FOLD), while pending
_FOLD_NEEDED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def province_names(store: Store) -> list[str]:
    """Thai names of the provinces that have factories in the local registry (for filters)."""
    # A loose index scan: one index seek per province present (77 at most), rather than
    # DISTINCT, which walks all 150,000 index entries (15 ms on the UI thread at start-up).
    codes, code = set(), ""
    while (code := store.conn.execute(
            "SELECT min(province_code) FROM factories WHERE province_code > ?",
            (code,)).fetchone()[0]) is not None:
        codes.add(code)
    return [p.name_th for p in PROVINCES if p.code in codes]
