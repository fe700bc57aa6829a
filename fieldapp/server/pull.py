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
import queue
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from fieldapp.server import history, office_seals, scope_exits
from fieldapp.server.auth import Principal
from fieldapp.server.records import Record, clocks_of
from fieldapp.server.scope import visible, visible_parts
from fieldapp.server.storage import Conn, Database
from fieldapp.store.wirejson import dumps, loads
from fieldapp.sync import protocol as P


def pull(db: Database, who: Principal, cursor: int, limit: int = P.PAGE_SIZE,
         known: str | None = None, epoch: str | None = None,
         rescope_ok: bool = False, own: tuple[tuple[int, int], ...] = ()) -> dict:
    """``{"changes": [...], "cursor": n, "more": bool, "epoch": ...}`` for changes after
    ``cursor`` (from the start if it is past every change, server/history.py); with
    ``known`` also whether the server holds that operation. The epoch a laptop names with
    its cursor changes nothing here (only ``restored`` renames it), but the log's advice.
    An inspector's cursor below the notes pruned (server/scope_exits.py) gets no rows and
    ``"rescope": true``: the laptop takes a new snapshot. A laptop that does not say it
    understands that (``rescope_ok``, a laptop from before pruning) is answered as before:
    given no rows it would never move on, missing every change after its cursor.

    ``own``: ranges of change numbers whose rows the laptop holds exactly as the office
    does (its own new rows, answered ``exact`` when pushed): not sent again while still at
    those numbers. Only for a cursor of this history (``epoch`` this server's): numbers of
    another history name other rows. A laptop that names numbers that are not its own only
    goes without rows itself."""
    where, params = visible(who)
    with db.read() as c:
        start = cursor
        # The history's name, the pruning horizon and the seal key, in one statement.
        meta = c.meta((history.EPOCH, scope_exits.HORIZON, office_seals.KEY))
        answer, cursor = history.read(c, known, cursor, epoch, meta)
        if cursor != start or epoch is None or epoch != answer["epoch"]:
            own = ()
        own = tuple((low, high) for low, high in own if high > cursor)
        # Tombstones this laptop needs may be pruned (server/scope_exits.py): no rows, a
        # new snapshot instead, which drops every office row it no longer lists.
        rescope = rescope_ok and _exits_pruned(c, who, cursor, meta)
        page = [] if rescope else sorted(
            _after(c, who, cursor, limit + 1, own) + _exits(c, who, cursor, limit + 1),
            key=lambda row: row["seq"])
        more = len(page) > limit
        page = page[:limit]
        last = page[-1]["seq"] if page else cursor
        if own and not more and not rescope:
            # Every row after the cursor that was not skipped is in this page: the cursor
            # passes the skipped ones too, up to the last change committed (a laptop's
            # numbers past it are not its own rows: they are left for later pages).
            newest = int(c.value("SELECT coalesce(max(seq), 0) FROM records") or 0)
            last = max([last, *(high for _, high in own if high <= newest)])
        # Field clocks only where a seal covers them (office rows, office_seals.seal).
        page = [r if "row_id" in r else Record.from_row(r, clocks=r["tbl"] in _SEALED)
                for r in page]
        records = [r for r in page if isinstance(r, Record)]
        extra = _referenced(c, records, last, where, params)
        key = office_seals.held_key(c, meta)
    # A row that left and came back comes as itself (its seq is above its tombstone's).
    held = {(r.tbl, r.id) for r in extra + records}
    if key is None and any(r.tbl in _SEALED for r in extra + records):
        key = office_seals.ensure_key(db)
    changes = [_change(r, key) for r in extra]
    for item in page:
        if isinstance(item, Record):
            changes.append(_change(item, key))
        elif (item["tbl"], item["row_id"]) not in held:
            changes.append(_gone(item))
    out = {"changes": changes, "cursor": last, "more": more, "scope": scope_of(who),
           **history.settle(db, answer)}
    if rescope:
        out["rescope"] = True
    return out


_SEALED = frozenset(P.OFFICE_TABLES)


def _change(rec: Record, key: bytes | None) -> dict:
    """One row of a page; a row of the office's tables with its seal
    (server/office_seals.py), which a laptop keeps to give it back after a restore."""
    change = {"t": rec.tbl, "seq": rec.seq, "row": rec.wire()}
    if rec.tbl in _SEALED:
        change["seal"] = office_seals.seal(key, rec)
    return change


def _exits(c: Conn, who: Principal, cursor: int, limit: int) -> list[dict]:
    """The rows that left ``who``'s scope after ``cursor`` (schema V10), in sequence order:
    an inspector's own rows re-assigned to another or to no one (told from rows of
    ``records`` by their ``row_id``). Supervisors and admins read a whole province, so
    nothing leaves theirs this way."""
    if who.is_admin or who.is_supervisor:
        return []
    return c.all("SELECT tbl, row_id, seq, updated_hlc, device_id FROM scope_exits "
                 "WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?",
                 (who.user_id, cursor, limit))


def _exits_pruned(c: Conn, who: Principal, cursor: int, meta: dict[str, str]) -> bool:
    """Whether notes of rows that left ``who``'s scope after ``cursor`` may have been
    pruned (server/scope_exits.py). One view with the pull (a read transaction), so a
    prune either happened before it (and this says so) or not at all."""
    if who.is_admin or who.is_supervisor:
        return False
    return cursor < scope_exits.horizon(c, meta)


def _gone(exit: dict) -> dict:
    """A row that left the caller's scope, as a tombstone: the id and the clock of the
    change that moved it, nothing of what it holds now (that is another inspector's).
    ``gone`` tells a laptop to mark only a row it holds (store/sync_apply.py); an older
    laptop takes it as a row and marks the one it holds all the same."""
    return {"t": exit["tbl"], "seq": exit["seq"], "gone": True,
            "row": {"id": exit["row_id"], "deleted": 1, "updated_hlc": exit["updated_hlc"],
                    "device_id": exit["device_id"]}}


def _after(c: Conn, who: Principal, cursor: int, limit: int,
           own: tuple[tuple[int, int], ...] = ()) -> list[dict]:
    """The first ``limit`` rows ``who`` may read with a change sequence above ``cursor``
    and outside the ranges ``own``, in sequence order: each part of the scope
    (scope.visible_parts) taken in order by its own index, then merged."""
    parts = visible_parts(who)
    skip = "".join(" AND seq NOT BETWEEN ? AND ?" for _ in own)
    skipped = [n for pair in own for n in pair]
    if len(parts) == 1:
        where, params = parts[0]
        return c.all(f"SELECT * FROM records WHERE seq > ?{skip} AND {where} "
                     "ORDER BY seq LIMIT ?", (cursor, *skipped, *params, limit))
    query = " UNION ALL ".join(
        f"SELECT * FROM (SELECT * FROM records WHERE seq > ?{skip} AND {where} ORDER BY seq "
        f"LIMIT ?) AS part{n}" for n, (where, _) in enumerate(parts))
    params = [value for _, part in parts for value in (cursor, *skipped, *part, limit)]
    return c.all(f"{query} ORDER BY seq LIMIT ?", (*params, limit))


def scope_of(who: Principal) -> str:
    """What the caller may read, in one word. When it changes (a province granted), rows
    older than the laptop's cursor become visible: the laptop takes a new snapshot."""
    if who.is_admin:
        return "admin"
    provinces = ",".join(sorted(who.provinces))
    # A supervisor reads more of the same provinces than an inspector (server/scope.py): a
    # role change must change the scope too.
    return f"supervisor:{provinces}" if who.is_supervisor else provinces


def _referenced(c: Conn, records: list[Record], last: int, where: str,
                params: list) -> list[Record]:
    """Rows referenced from ``records`` that sort after this page (so the client lacks
    them), found transitively, parents first."""
    have = {(r.tbl, r.id) for r in records}
    found: list[Record] = []
    todo = list(records)
    while todo:
        # One lookup for every row the last ones found name (a page's inspections name
        # their factories and template versions), then for the rows those name.
        named = set()
        for rec in todo:
            for column, target in P.REFERENCES.get(rec.tbl, ()):
                ref = rec.data.get(column)
                # (No stored row is named with a NUL: PostgreSQL could not look one up.)
                if ref and isinstance(ref, str) and "\x00" not in ref \
                        and (target, ref) not in have:
                    named.add((target, ref))
        have |= named
        todo = [Record.from_row(row, clocks=row["tbl"] in _SEALED)
                for row in c.records_by_key(sorted(named), where=f"seq > ? AND {where}",
                                            params=(last, *params))]
        found += todo
    order = {t: i for i, t in enumerate(P.TABLES)}
    return sorted(found, key=lambda r: order[r.tbl])


def _snapshot_rows(db: Database, who: Principal) -> tuple[int, dict[str, list[tuple]]]:
    """The cursor and, per table in ``P.TABLES`` order, the raw ``(id, data, updated_hlc,
    device_id, deleted)`` of every row ``who`` may read, from ONE read transaction (one
    consistent view). Only plain tuples are fetched here: encoding happens afterwards,
    outside the transaction, so a slow download never holds a database connection."""
    where, params = visible(who)
    tables: dict[str, list[tuple]] = {}
    with db.read() as c:
        # Every change up to the newest of all is in this view: the cursor to pull from.
        top = c.value("SELECT max(seq) FROM records") or 0
        for tbl in P.TABLES:
            tables[tbl] = c.raw.execute(c._sql(
                f"SELECT id, data, updated_hlc, device_id, deleted FROM records "
                f"WHERE tbl = ? AND {where} ORDER BY seq"), (tbl, *params)).fetchall()
    return top, tables


def _snapshot_columns(tbl: str) -> list[str]:
    return ["id", *P.COLUMNS[tbl], "updated_hlc", "device_id", "deleted"]


def _wire_values(tbl: str, rows: list[tuple]) -> Iterator[list]:
    """Rows as value lists in ``_snapshot_columns(tbl)`` order (what ``Record.wire()`` holds
    under those names: the bookkeeping columns win over same-named keys in ``data``)."""
    content = P.COLUMNS[tbl]
    for rid, data, hlc, device, deleted in rows:
        values = loads(data)
        yield [rid, *map(values.get, content), hlc, device, deleted]


def _sealed_values(key: bytes, tbl: str, columns: list[str],
                   rows: list[tuple]) -> Iterator[list]:
    """Rows of an office table as value lists, each ending with its seal (the laptop keeps
    it to give the row back after a restore; server/office_seals.py). An older laptop
    takes the row by the names it knows and ignores the seal."""
    content = P.COLUMNS[tbl]
    for rid, data, hlc, device, deleted, fields in rows:
        values = loads(data)
        row = [rid, *map(values.get, content), hlc, device, deleted]
        row.append(office_seals.seal_values(key, tbl, columns, row, values,
                                            clocks_of(values, fields)))
        yield row


def snapshot(db: Database, who: Principal) -> bytes:
    """Everything ``who`` may read, as one gzip-compressed JSON document, with the cursor
    to pull from afterwards. Rows are columns + value lists (no repeated keys). The form
    clients before the streamed snapshot (``snapshot_lines``) ask for."""
    cursor, found = _snapshot_rows(db, who)
    tables = {tbl: {"columns": _snapshot_columns(tbl), "rows": list(_wire_values(tbl, rows))}
              for tbl, rows in found.items()}
    doc = {"protocol": P.PROTOCOL_VERSION, "cursor": cursor, "tables": tables,
           "scope": scope_of(who)}
    return gzip.compress(dumps(doc), compresslevel=6)


SNAPSHOT_FLUSH_ROWS = 1000  # rows per compressed piece sent on (the client applies as they come)
# Threads that read and encode streamed snapshots. A few, reused: the SQLite backend keeps
# one connection per thread, so a thread per request would leave a connection behind each.
_READERS = ThreadPoolExecutor(4, thread_name_prefix="snapshot-read")


def snapshot_lines(db: Database, who: Principal) -> Iterator[bytes]:
    """The snapshot as gzip-compressed JSON lines (format: ``P.SNAPSHOT_LINES``).

    A reader thread reads the rows in ONE read transaction (one consistent view), a
    thousand at a time, and encodes and compresses each thousand into a queue; the returned
    iterator hands the pieces on as they come. So the first rows are on their way (and
    being applied by the laptop) while the rest are still being read, and the transaction
    (a pooled connection on PostgreSQL) lasts as long as reading, never as long as a slow
    download. A piece is flushed whole (Z_SYNC_FLUSH) so the client never waits for bytes
    zlib is holding back. The closing line carries the row count; if reading fails after
    the first piece, the stream stops without it, and the client keeps nothing of it."""
    where, params = visible(who)
    scope = scope_of(who)
    out: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        try:
            with db.read() as c:
                key = office_seals.held_key(c)
            key = key or office_seals.ensure_key(db)
            deflate = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip framing
            sent = 0
            with db.read() as c:
                # Every change up to the newest of all is in this view (visible or not):
                # the cursor to pull from afterwards.
                top = c.value("SELECT max(seq) FROM records") or 0
                total = c.value(
                    f"SELECT count(*) FROM records WHERE tbl IN "
                    f"({', '.join('?' * len(P.TABLES))}) AND {where}", (*P.TABLES, *params))
                lines = [dumps({"protocol": P.PROTOCOL_VERSION, "cursor": top,
                                "scope": scope, "rows": total})]
                for tbl in P.TABLES:
                    sealed = tbl in _SEALED
                    # In seq order: neighbouring rows (imported together) are alike, which
                    # gzip rewards (id order, which needs no sort, came out 12% larger).
                    rows = c.raw.execute(c._sql(
                        f"SELECT id, data, updated_hlc, device_id, deleted"
                        f"{', fields' if sealed else ''} FROM records "
                        f"WHERE tbl = ? AND {where} ORDER BY seq"), (tbl, *params))
                    named = False
                    while batch := rows.fetchmany(SNAPSHOT_FLUSH_ROWS):
                        if not named:
                            columns = _snapshot_columns(tbl)
                            lines.append(dumps({"table": tbl, "columns": [
                                *columns, *(("seal",) if sealed else ())]}))
                            named = True
                        if sealed:
                            lines.extend(map(dumps, _sealed_values(key, tbl, columns, batch)))
                        else:
                            lines.extend(map(dumps, _wire_values(tbl, batch)))
                        sent += len(batch)
                        if len(lines) >= SNAPSHOT_FLUSH_ROWS:
                            lines.append(b"")
                            out.put(deflate.compress(b"\n".join(lines))
                                    + deflate.flush(zlib.Z_SYNC_FLUSH))
                            lines = []
            lines += [dumps({"end": sent}), b""]
            out.put(deflate.compress(b"\n".join(lines)) + deflate.flush(zlib.Z_FINISH))
        except BaseException as exc:  # noqa: BLE001 - handed to the response, which stops
            out.put(exc)
        out.put(None)

    _READERS.submit(read)

    def pieces(piece: bytes | None) -> Iterator[bytes]:
        while piece is not None:
            yield piece
            piece = out.get()
            if isinstance(piece, BaseException):
                raise piece

    # The first piece is awaited here, so a failure to read at all (the likely one) is
    # still answered as an error, not as a stream that stops.
    first = out.get()
    if isinstance(first, BaseException):
        raise first
    return pieces(first)
