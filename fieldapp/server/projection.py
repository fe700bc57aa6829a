"""The console's read projections of synced rows: ``factory_index`` (with its search text),
``inspection_index`` and ``finding_index`` (schema V5), ``order_index`` (V11).

Synced rows are stored generically, as JSON in ``records``; a list of 20,000 inspections
filtered by district and sorted by date cannot be answered from that without parsing every
row. These tables hold the few columns the console filters, sorts and searches on, one row per
record, and are written by ``RecordCache.flush()`` (the single write point of synced rows) in
the same transaction as the rows themselves, so they are never behind. ``rebuild`` fills them
from ``records`` (run once by the V5 migration, in its transaction; safe to run again).

A factory renamed or moved to another district carries its new name into the inspections of
that factory here, so a search by name finds its old inspections under the name it has now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from fieldapp.core.fid import search_key
from fieldapp.server.storage import Conn
from fieldapp.store.wirejson import loads

TABLES = ("factories", "inspections", "findings", "orders")
# What the V5 migration fills: order_index comes later (V11), and fills itself then.
V5_TABLES = TABLES[:3]
_ADDRESS = ("address", "road", "soi", "subdistrict", "district", "province")
_FACTORY_COLS = ("id", "fid", "facreg", "name", "operator", "province", "district",
                 "factory_class", "status", "deleted", "ids", "address", "search")
_INSPECTION_COLS = ("id", "factory_id", "province", "district", "factory_name", "fid",
                    "record_no", "record_key", "owner", "created_by", "state", "kind",
                    "template_version_id", "template_key", "template_version", "started_at",
                    "finalized_at", "amends_id", "deleted", "seq", "search")
_FINDING_COLS = ("id", "inspection_id", "province", "owner", "status", "deadline", "deleted")
_ORDER_COLS = ("id", "province", "owner", "factory_id", "inspection_id", "status", "deadline",
               "factory_name", "district", "deleted")


class Row(NamedTuple):
    """What a projection needs of one synced row (a ``records.Record`` has these too)."""

    tbl: str
    id: str
    data: dict
    province: str | None
    owner: str | None
    deleted: int
    seq: int


def _text(value: object) -> str:
    return "" if value is None else str(value)


def factory_ids_text(data: dict) -> str:
    """The identifiers of a factory as the laptop's index holds them (store/migrations.py
    ``_fts_values``): FID, the separator-free registration number, the number as written."""
    return f"{_text(data.get('fid'))} {_text(data.get('facreg_key'))} {_text(data.get('facreg'))}"


# Integer columns of each projection; every other column is text.
_NUMBERS = {"factory_index": frozenset({"factory_class", "status", "deleted"}),
            "inspection_index": frozenset({"template_version", "deleted", "seq"}),
            "finding_index": frozenset({"deleted"}),
            "order_index": frozenset({"deleted"})}


def _text_value(value: object) -> str | None:
    """A text column's value whatever a laptop sent: text without NUL (``records`` keeps
    NUL inside JSON escapes, a PostgreSQL text column refuses it) and a number as its text
    (PostgreSQL refuses a typed number into a text column). Either refusal would fail the
    laptop's whole push."""
    return None if value is None else str(value).replace("\x00", "")


def _safe(table: str, columns: tuple[str, ...], row: tuple) -> tuple:
    numbers = _NUMBERS[table]
    return tuple(v if col in numbers else _text_value(v)
                 for col, v in zip(columns, row, strict=True))


def _upsert(c: Conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    rows = [_safe(table, columns, r) for r in rows]
    updates = ", ".join(f"{col} = excluded.{col}" for col in columns[1:])
    c.many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
           f"({', '.join('?' * len(columns))}) ON CONFLICT (id) DO UPDATE SET {updates}", rows)


def _int(value: object) -> int | None:
    """A small integer column's value (factory class, status, template version), or None
    for anything else, so that no value a laptop may send fails the push."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if -(2**31) <= number < 2**31 else None


def _nums(c: Conn, ids: list[str]) -> dict[str, int]:
    found = {}
    for where, params in c.any_of("id", ids):
        found.update(c.tuples(f"SELECT id, num FROM factory_index WHERE {where}", params))
    return found


def _factories(c: Conn, rows: list, orders: bool = True) -> None:
    values = []
    for r in rows:
        d = r.data
        ids = factory_ids_text(d).lower()   # trigram matching ignores case on both engines
        address = " ".join(_text(d.get(col)) for col in _ADDRESS)
        search = " ".join((_text(d.get("name")), _text(d.get("operator")), ids,
                           address)).lower()
        values.append((r.id, d.get("fid"), d.get("facreg"), d.get("name"), d.get("operator"),
                       d.get("province_code") or r.province, d.get("district"),
                       _int(d.get("factory_class")), _int(d.get("status")), int(r.deleted),
                       ids, address, search))
    ids = [v[0] for v in values]
    before = _nums(c, ids)
    if c.dialect == "sqlite":
        # Out of the trigram table by rowid (FTS5 serves ``rowid = ?`` directly; a
        # ``rowid IN (subquery)`` made it scan), in again below with the new text.
        c.many("DELETE FROM factory_fts WHERE rowid = ?", [(n,) for n in before.values()])
    # New rows (a registry import) in bulk (COPY on PostgreSQL), known ones updated.
    _upsert(c, "factory_index", _FACTORY_COLS, [v for v in values if v[0] in before])
    c.insert_rows("factory_index", _FACTORY_COLS,
                  [_safe("factory_index", _FACTORY_COLS, v) for v in values
                   if v[0] not in before])
    if c.dialect == "sqlite":
        nums = {**before, **_nums(c, [i for i in ids if i not in before])}
        c.many("INSERT INTO factory_fts (rowid, name, operator, ids, address) "
               "VALUES (?, ?, ?, ?, ?)",
               [(nums[v[0]], *(_text_value(x) or "" for x in (v[3], v[4], v[10], v[11])))
                for v in values if not v[9]])
    # The factory's name, ID and district as its inspections show and find them.
    c.many("UPDATE inspection_index SET factory_name = ?, fid = ?, district = ?, "
           "search = ? || ' ' || coalesce(lower(record_no), '') || ' ' || "
           "coalesce(record_key, '') WHERE factory_id = ?",
           [tuple(map(_text_value, (v[3], v[1], v[6], _factory_words(v[3], v[1]), v[0])))
            for v in values])
    if orders:      # and as its orders are listed and filtered
        c.many("UPDATE order_index SET factory_name = ?, district = ? WHERE factory_id = ?",
               [tuple(map(_text_value, (v[3], v[6], v[0]))) for v in values])


def _factory_words(name: str | None, fid: str | None) -> str:
    return f"{_text(name)} {_text(fid)}".lower()


def _inspection_search(name: str | None, fid: str | None, record_no: str | None,
                       record_key: str | None) -> str:
    """What a text search of the inspection list looks in: the factory's name and FID, the
    record number as written and without separators (record numbers are ASCII: SQL's
    ``lower`` in the rename above gives the same text)."""
    return f"{_factory_words(name, fid)} {_text(record_no).lower()} {_text(record_key)}"


def _inspections(c: Conn, rows: list, known: Mapping) -> None:
    factories: dict[str, tuple] = {}
    wanted = sorted({r.data.get("factory_id") for r in rows
                     if isinstance(r.data.get("factory_id"), str)})
    for where, params in c.any_of("id", wanted):
        for fid_, name, fid, district in c.tuples(
                f"SELECT id, name, fid, district FROM factory_index WHERE {where}", params):
            factories[fid_] = (name, fid, district)
    templates: dict[str, tuple] = {}
    wanted = []
    for tid in sorted({r.data.get("template_version_id") for r in rows
                       if isinstance(r.data.get("template_version_id"), str)}):
        # The version as the caller's transaction holds it already (a push read it to check
        # the inspection), or else read here: a version is a whole checklist, 80 KB of JSON.
        held = known.get(("template_versions", tid))
        if held is not None:
            templates[tid] = (held.data.get("template_key"), _int(held.data.get("version")))
        else:
            wanted.append(tid)
    for where, params in c.any_of("id", wanted):
        for tid, data in c.tuples(f"SELECT id, data FROM records WHERE "
                                  f"tbl = 'template_versions' AND {where}", params):
            d = loads(data)
            templates[tid] = (d.get("template_key"), _int(d.get("version")))
    values = []
    for r in rows:
        d = r.data
        name, fid, district = factories.get(d.get("factory_id"), (None, None, None))
        key, version = templates.get(d.get("template_version_id"), (None, None))
        record_no = d.get("record_no") if isinstance(d.get("record_no"), str) else None
        record_key = search_key(record_no).lower() if record_no else None
        values.append((r.id, d.get("factory_id"), r.province, district, name, fid, record_no,
                       record_key, r.owner, d.get("created_by"), d.get("state"),
                       d.get("kind"), d.get("template_version_id"), key, version,
                       d.get("started_at"), d.get("finalized_at"), d.get("amends_id"),
                       int(r.deleted), r.seq,
                       _inspection_search(name, fid, record_no, record_key)))
    _upsert(c, "inspection_index", _INSPECTION_COLS, values)


def _findings(c: Conn, rows: list, known: Mapping) -> None:
    _upsert(c, "finding_index", _FINDING_COLS, [
        (r.id, r.data.get("inspection_id"), r.province, r.owner, r.data.get("status"),
         r.data.get("deadline"), int(r.deleted)) for r in rows])


def _factory_places(c: Conn, rows: list) -> dict[str, tuple]:
    """The name and district of the factories ``rows`` name (their ``factory_id``)."""
    found: dict[str, tuple] = {}
    wanted = sorted({r.data.get("factory_id") for r in rows
                     if isinstance(r.data.get("factory_id"), str)})
    for where, params in c.any_of("id", wanted):
        for fid_, name, district in c.tuples(
                f"SELECT id, name, district FROM factory_index WHERE {where}", params):
            found[fid_] = (name, district)
    return found


def _orders(c: Conn, rows: list, known: Mapping) -> None:
    factories = _factory_places(c, rows)
    _upsert(c, "order_index", _ORDER_COLS, [
        (r.id, r.province, r.owner, r.data.get("factory_id"), r.data.get("inspection_id"),
         r.data.get("status"), r.data.get("deadline"),
         *factories.get(r.data.get("factory_id"), (None, None)), int(r.deleted))
        for r in rows])


_INDEX = {"factories": "factory_index", "inspections": "inspection_index",
          "findings": "finding_index", "orders": "order_index"}
_PROJECT = {"inspections": _inspections, "findings": _findings, "orders": _orders}


def project(c: Conn, rows: Iterable, tables: tuple[str, ...] = TABLES,
            known: Mapping = MappingProxyType({})) -> None:
    """Bring the projections of ``tables`` in step with ``rows`` (just written synced rows:
    anything with ``tbl, id, data, province, owner, deleted, seq``). Factories first: an
    inspection or order written in the same batch as its factory takes the factory's name.
    ``known``: rows of this transaction as it holds them, by ``(tbl, id)`` (a push's
    ``RecordCache.rows``), read from there instead of from the database."""
    by_table: dict[str, list] = {t: [] for t in tables}
    for r in rows:
        if r.tbl in by_table:
            by_table[r.tbl].append(r)
    if by_table.get("factories"):
        _factories(c, by_table["factories"], orders="orders" in tables)
    for tbl, write in _PROJECT.items():
        if by_table.get(tbl):
            write(c, by_table[tbl], known)


def rebuild(c: Conn, tables: tuple[str, ...] = TABLES, batch: int = 2000) -> None:
    """Fill the projections of ``tables`` again from ``records`` (idempotent; the V5 and
    V11 migrations run it)."""
    for tbl in reversed(tables):     # factory_index last: the others read it to fill
        c.run(f"DELETE FROM {_INDEX[tbl]}")
    if "factories" in tables and c.dialect == "sqlite":
        c.run("DELETE FROM factory_fts")
    for tbl in tables:
        after = ""
        while True:
            got = c.tuples("SELECT id, data, province, owner, deleted, seq FROM records "
                           "WHERE tbl = ? AND id > ? ORDER BY id LIMIT ?", (tbl, after, batch))
            if not got:
                break
            project(c, [Row(tbl, rid, loads(data), province, owner, deleted, seq)
                        for rid, data, province, owner, deleted, seq in got], tables)
            after = got[-1][0]
