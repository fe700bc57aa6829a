"""Pull pages and the first-sync snapshot.

A page is every visible row whose latest change sequence is above the cursor, in sequence
order. Because writers commit in sequence order (``Database.write``), "everything above the
cursor I have seen" is the complete set of changes I have not seen: the cursor never skips.
A page also carries the rows its rows point at when the client cannot have them yet, so
applying one page never leaves a dangling reference; those rows come again later at their
own sequence, which is harmless (applying a row twice changes nothing).
"""

from __future__ import annotations

import gzip
import json

from fieldapp.server.auth import Principal
from fieldapp.server.records import Record
from fieldapp.server.scope import visible
from fieldapp.server.storage import Conn, Database
from fieldapp.sync import protocol as P


def pull(db: Database, who: Principal, cursor: int, limit: int = P.PAGE_SIZE) -> dict:
    """``{"changes": [...], "cursor": n, "more": bool}`` for changes after ``cursor``."""
    where, params = visible(who)
    with db.read() as c:
        rows = c.all(f"SELECT * FROM records WHERE seq > ? AND {where} ORDER BY seq LIMIT ?",
                     (cursor, *params, limit + 1))
        more = len(rows) > limit
        records = [Record.from_row(r) for r in rows[:limit]]
        last = records[-1].seq if records else cursor
        extra = _referenced(c, records, last, where, params)
    changes = [{"t": r.tbl, "seq": r.seq, "row": r.wire()} for r in extra + records]
    return {"changes": changes, "cursor": last, "more": more, "scope": scope_of(who)}


def scope_of(who: Principal) -> str:
    """What the caller may read, in one word. When it changes (a province granted), rows
    older than the laptop's cursor become visible: the laptop takes a new snapshot."""
    return "admin" if who.is_admin else ",".join(sorted(who.provinces))


def _referenced(c: Conn, records: list[Record], last: int, where: str,
                params: list) -> list[Record]:
    """Rows referenced from ``records`` that sort after this page (so the client lacks
    them), found transitively, parents first."""
    have = {(r.tbl, r.id) for r in records}
    found: list[Record] = []
    todo = list(records)
    while todo:
        rec = todo.pop()
        for column, target in P.REFERENCES.get(rec.tbl, ()):
            ref = rec.data.get(column)
            if not ref or (target, ref) in have:
                continue
            have.add((target, ref))
            row = c.one(f"SELECT * FROM records WHERE tbl = ? AND id = ? AND seq > ? "
                        f"AND {where}", (target, ref, last, *params))
            if row is not None:
                parent = Record.from_row(row)
                found.append(parent)
                todo.append(parent)
    order = {t: i for i, t in enumerate(P.TABLES)}
    return sorted(found, key=lambda r: order[r.tbl])


def snapshot(db: Database, who: Principal) -> bytes:
    """Everything ``who`` may read, as one gzip-compressed JSON document, with the cursor
    to pull from afterwards. Rows are columns + value lists (no repeated keys)."""
    where, params = visible(who)
    tables: dict[str, dict] = {}
    with db.read() as c:
        cursor = c.value(f"SELECT max(seq) FROM records WHERE {where}", params) or 0
        top = c.value("SELECT max(seq) FROM records") or 0
        for tbl in P.TABLES:
            columns = ["id", *P.COLUMNS[tbl], "updated_hlc", "device_id", "deleted"]
            rows = []
            for row in c.all(f"SELECT * FROM records WHERE tbl = ? AND {where} ORDER BY seq",
                             (tbl, *params)):
                wire = Record.from_row(row).wire()
                rows.append([wire.get(col) for col in columns])
            tables[tbl] = {"columns": columns, "rows": rows}
    doc = {"protocol": P.PROTOCOL_VERSION, "cursor": max(cursor, top), "tables": tables,
           "scope": scope_of(who)}
    return gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8"), compresslevel=6)
