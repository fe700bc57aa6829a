"""``Conn.by_key``: rows looked up by key, one index probe per key (a push's rows, its
operation ids). The same rows on both engines, across SQLite's 500-parameter chunks; and on
PostgreSQL an index probe even when the statistics were taken before the table grew, which
is when a plain ``= ANY(array)`` read every row of the kind instead."""

from __future__ import annotations

import pytest


def _fill(db, answers: int) -> None:
    with db.write() as c:
        c.many("INSERT INTO records (tbl, id, province, owner, data, fields, updated_hlc, "
               "device_id, seq) VALUES (?, ?, '10', 'u', '{}', '{}', 'h', 'd', ?)",
               [("answers", f"a{n:05d}", n + 1) for n in range(answers)]
               + [("findings", "a00007", answers + 1)])


def test_finds_exactly_the_rows_named(server_db):
    _fill(server_db, 1200)
    wanted = [f"a{n:05d}" for n in range(0, 1300, 3)]  # some beyond the rows held
    with server_db.write() as c:
        rows = c.by_key("records", "id", wanted, "tbl = ?", ("answers",), lock=True)
        assert c.by_key("records", "id", [], "tbl = ?", ("answers",)) == []
    assert sorted(r["id"] for r in rows) == [w for w in wanted if int(w[1:]) < 1200]
    assert {r["tbl"] for r in rows} == {"answers"}  # the finding with a shared id is not


@pytest.mark.postgres
def test_postgres_probes_by_key_on_stale_statistics(pg_database):
    from server_fixtures import pg_schema_url

    from fieldapp.server.database import open_database
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        try:
            with db.write() as c:
                c.run("ANALYZE records")   # statistics of an office with no answers yet
            _fill(db, 5000)
            with db.write() as c:
                asked = []
                run = c.all
                c.all = lambda sql, params=(): asked.append((sql, params)) or run(sql, params)
                keys = sorted(f"a{n:05d}" for n in range(0, 5000, 50))   # a push's hundred
                c.by_key("records", "id", keys, "tbl = ?", ("answers",), lock=True)
                sql, params = asked[0]
                plan = "\n".join(r["QUERY PLAN"] for r in run("EXPLAIN " + sql, params))
        finally:
            db.close()
    # the key is an index condition on every probe, not a filter over every answer
    assert any("Index Cond" in line and "id =" in line for line in plan.splitlines()), plan
    assert not any("Filter" in line and "id =" in line for line in plan.splitlines()), plan
