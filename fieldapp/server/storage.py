"""What the server needs from a database, whichever engine holds it.

Callers write SQL once, with ``?`` placeholders and the small common subset that SQLite and
PostgreSQL share; ``Conn`` adapts placeholders. Synced data changes only in a transaction that
holds the change sequence from the moment it hands out sequence numbers until it commits,
which is what makes change sequence numbers commit in order (see docs/sync-protocol.md, "the
cursor never skips"). On SQLite every write transaction holds it (BEGIN IMMEDIATE). On
PostgreSQL a push (``Database.push_write``) works out its changes first, side by side with
other pushes, and holds it from ``Conn.reserve_sequence`` (the row of the change counter,
locked until commit) on; another writer that must not interleave with a push's numbering
takes it with ``Conn.hold_sequence``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Conn:
    """One connection inside one transaction, with ``?`` placeholders on every engine."""

    # True in a transaction that does not hold the change sequence yet: it numbers its
    # changes with ``reserve_sequence``, and locks the rows it means to change as it reads
    # them (``for_update``).
    late_sequence = False
    for_update = ""

    def __init__(self, raw: Any, dialect: str):
        self.raw = raw
        self.dialect = dialect

    def hold_sequence(self) -> None:
        """Keep pushes from numbering changes until this transaction ends (held already
        here: SQLite has one writer at a time)."""

    def reserve_sequence(self, count: int) -> int:
        """Hand out ``count`` change sequence numbers, held until commit; returns the last
        number handed out before them. Only where ``late_sequence``."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def run(self, sql: str, params: tuple | list = ()) -> int:
        """Execute; returns the number of rows changed."""
        cur = self.raw.execute(self._sql(sql), params)
        return cur.rowcount

    def many(self, sql: str, seq: list) -> None:
        if not seq:
            return
        if self.dialect == "postgresql":
            with self.raw.cursor() as cur:
                cur.executemany(self._sql(sql), seq)
        else:
            self.raw.executemany(sql, seq)

    def insert_rows(self, table: str, columns: tuple[str, ...], rows: list) -> None:
        """Insert many rows at once: PostgreSQL COPY (one stream, several times faster than
        INSERTs even pipelined), SQLite executemany. Same effect either way, including a
        constraint violation aborting the statement. ``table`` and ``columns`` are names
        from the code, never from a request."""
        if not rows:
            return
        if self.dialect == "postgresql":
            with self.raw.cursor() as cur, cur.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.many(f"INSERT INTO {table} ({', '.join(columns)}) "
                      f"VALUES ({', '.join('?' * len(columns))})", rows)

    def insert_values(self, table: str, columns: tuple[str, ...], rows: list) -> None:
        """Insert a few rows: on PostgreSQL ONE multi-row ``INSERT`` (one statement to parse
        and run, its parameters sent as they are, where COPY would spell photo bytes out as
        text), on SQLite ``executemany`` (no round trip to save, and a multi-row ``VALUES``
        of megabyte photos took a tenth of a second longer over a bulk push's 200).
        ``table`` and ``columns`` are names from the code, never from a request."""
        if not rows:
            return
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = f"({', '.join('?' * len(columns))})"
        if self.dialect == "postgresql":
            self.run(head + ", ".join(one for _ in rows), [v for row in rows for v in row])
        else:
            self.many(head + one, rows)

    def all(self, sql: str, params: tuple | list = ()) -> list[dict]:
        cur = self.raw.execute(self._sql(sql), params)
        if self.dialect == "postgresql":
            # The names straight from the result: psycopg's ``description`` builds a column
            # object each (14 us a query of 13 columns against 1; a push reads a dozen).
            res = cur.pgresult
            names = [res.fname(i).decode() for i in range(res.nfields)]
        else:
            names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def tuples(self, sql: str, params: tuple | list = (), *, binary: bool = False
               ) -> list[tuple]:
        """Like ``all``, as plain tuples in column order (no dict per row). ``binary``: on
        PostgreSQL the results come in binary format, so attachment bytes travel as they
        are rather than as hex text (twice the size, decoded on arrival: 40 ms for 6 MB)."""
        if binary and self.dialect == "postgresql":
            return self.raw.execute(self._sql(sql), params, binary=True).fetchall()
        return self.raw.execute(self._sql(sql), params).fetchall()

    def one(self, sql: str, params: tuple | list = ()) -> dict | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def value(self, sql: str, params: tuple | list = ()) -> Any:
        row = self.raw.execute(self._sql(sql), params).fetchone()
        return row[0] if row else None

    def any_of(self, column: str, values: list) -> Iterator[tuple[str, list]]:
        """``(condition, params)`` pieces that together select ``column`` in ``values``:
        on PostgreSQL ONE ``column = ANY(array)`` (a list of hundreds of ``IN`` parameters
        made its planner scan the table: 70 ms a query on a 100k-row ``records``), on SQLite
        ``IN (...)`` per 500 values (its parameter limit)."""
        if not values:
            return
        if self.dialect == "postgresql":
            yield f"{column} = ANY(?)", [list(values)]
            return
        for start in range(0, len(values), 500):
            chunk = list(values[start:start + 500])
            yield f"{column} IN {self.in_list(chunk)}", chunk

    def by_key(self, table: str, column: str, values: list, where: str = "1 = 1",
               params: tuple = (), lock: bool = False) -> list[dict]:
        """Rows of ``table`` meeting ``where`` whose ``column`` is one of ``values``, one
        index probe per value. On PostgreSQL a plain ``column = ANY(array)`` let the
        planner, on statistics taken before the table's latest growth, walk every row of
        a kind instead (a push's 100 answers found by reading the day's 30,000: 10 ms, and
        growing with the table); a lateral probe per value cannot (``OFFSET 0`` keeps the
        planner from merging the probes back into one join over the table). ``lock``: rows are
        locked FOR UPDATE as they are probed, in the order of ``values`` (the caller sorts
        them, so concurrent pushes lock in one order). ``table``, ``column`` and ``where``
        come from the code, never from a request."""
        if not values:
            return []
        if self.dialect == "postgresql":
            return self.all(f"SELECT t.* FROM unnest(?::text[]) AS k(v) CROSS JOIN LATERAL "
                            f"(SELECT * FROM {table} WHERE {where} AND {column} = k.v OFFSET 0"
                            f"{' FOR UPDATE' if lock else ''}) AS t", (list(values), *params))
        found = []
        for cond, chunk in self.any_of(column, values):
            found += self.all(f"SELECT * FROM {table} WHERE {where} AND {cond}",
                              (*params, *chunk))
        return found

    def records_by_key(self, keys: list[tuple[str, str]], lock: bool = False,
                       where: str = "1 = 1", params: tuple | list = ()) -> list[dict]:
        """Rows of ``records`` named by ``(tbl, id)`` keys, whatever their tables, that meet
        ``where``: one index probe per key, as ``by_key``. On PostgreSQL ONE statement for
        all of them (a day's push names rows of three or four tables, and each statement
        costs the office a round trip and its parsing), locked FOR UPDATE in the order of
        ``keys`` with ``lock``; on SQLite, where a statement costs no round trip, one per
        table. ``where`` comes from the code, never from a request."""
        if not keys:
            return []
        if self.dialect == "postgresql":
            return self.all(
                "SELECT t.* FROM unnest(?::text[], ?::text[]) AS k(tb, v) CROSS JOIN LATERAL "
                f"(SELECT * FROM records WHERE tbl = k.tb AND id = k.v AND {where} OFFSET 0"
                f"{' FOR UPDATE' if lock else ''}) AS t",
                ([t for t, _ in keys], [i for _, i in keys], *params))
        by_table: dict[str, list[str]] = {}
        for tbl, rid in keys:
            by_table.setdefault(tbl, []).append(rid)
        found = []
        for tbl, ids in by_table.items():
            found += self.by_key("records", "id", ids, f"tbl = ? AND {where}",
                                 (tbl, *params), lock=lock)
        return found

    def meta(self, keys: tuple[str, ...]) -> dict[str, str]:
        """The ``server_meta`` values of ``keys`` that are set, in one statement."""
        return dict(self.tuples(f"SELECT key, value FROM server_meta WHERE key IN "
                                f"{self.in_list(list(keys))}", keys))

    def meta_value(self, key: str, read: dict[str, str] | None = None) -> str | None:
        """One ``server_meta`` value; from ``read`` when the caller's transaction read it
        already with ``meta``."""
        return (read if read is not None else self.meta((key,))).get(key)

    def in_list(self, values: list) -> str:
        """``(?, ?, …)`` for ``IN`` (never empty: an empty list matches nothing)."""
        return "(" + ", ".join("?" * len(values)) + ")" if values else "(NULL)"


class Database:
    """Base of the two engines. Subclasses provide ``_connect`` and the transaction kinds."""

    dialect = "abstract"
    url = ""

    @contextmanager
    def write(self) -> Iterator[Conn]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    @contextmanager
    def read(self) -> Iterator[Conn]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def statement(self):
        """A connection for ONE read statement, which sees one consistent view by itself
        (authentication: a request's first query). Engines where a transaction costs round
        trips skip it; the others read in a transaction as ``read``."""
        return self.read()

    def push_write(self):
        """The transaction of a push (server/push.py): on an engine that can, it takes the
        change-sequence lock only when it numbers its changes, so pushes work out their
        changes side by side. Engines without that kind use ``write``."""
        return self.write()

    def retryable(self, exc: BaseException) -> bool:
        """Whether ``exc`` is a clash with a concurrent transaction (a deadlock, the same
        new row inserted twice) that running the whole transaction again settles."""
        return False

    def blob_write(self):
        """A write transaction that assigns no change sequence (attachment bytes): it need
        not queue behind pushes. Engines without a cheaper kind use ``write``."""
        return self.write()

    def close(self) -> None:  # pragma: no cover - abstract
        pass

