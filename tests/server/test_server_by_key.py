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


def test_records_by_key_finds_exactly_the_rows_named_across_tables(server_db):
    """A push's rows of several tables in one lookup: each key is its (table, id); the same
    id under another table is another row."""
    _fill(server_db, 1200)
    wanted = [("answers", f"a{n:05d}") for n in range(0, 1300, 7)] + [
        ("findings", "a00007"), ("findings", "a00008"), ("inspections", "a00014")]
    with server_db.write() as c:
        rows = c.records_by_key(sorted(wanted), lock=True)
        assert c.records_by_key([]) == []
    got = sorted((r["tbl"], r["id"]) for r in rows)
    assert got == sorted([k for k in wanted if k[0] == "answers" and int(k[1][1:]) < 1200]
                         + [("findings", "a00007")])


def test_records_by_key_with_a_condition_of_its_own(server_db):
    """As a pull page looks up the rows it names: a condition with parameters of its own
    beside the keys, across SQLite's 500-parameter chunks, gives what a filter of every row
    gives."""
    _fill(server_db, 1200)
    with server_db.write() as c:
        c.run("UPDATE records SET province = '20' WHERE MOD(seq, 3) = 0")
    keys = sorted([("answers", f"a{n:05d}") for n in range(0, 1250)] + [("findings", "a00007")])
    with server_db.read() as c:
        got = c.records_by_key(keys, where="seq > ? AND province IN (?)", params=(400, "10"))
        every = c.all("SELECT tbl, id, seq, province FROM records")
    expected = {(r["tbl"], r["id"]) for r in every
                if (r["tbl"], r["id"]) in set(keys) and r["seq"] > 400 and r["province"] == "10"}
    assert {(r["tbl"], r["id"]) for r in got} == expected and len(got) == len(expected)
    assert ("findings", "a00007") in expected and len(expected) > 500


@pytest.mark.postgres
def test_postgres_probes_by_key_on_stale_statistics(pg_database):
    from server_fixtures import pg_schema_url

    from fieldapp.server.database import open_database
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        db.statistics.next_check = float("inf")  # stale they stay, for this test
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
                c.by_key("records", "id", keys, "tbl = ?", ("answers",))
                c.records_by_key([("answers", k) for k in keys], lock=True)
                c.records_by_key([("answers", k) for k in keys])
                plans = ["\n".join(r["QUERY PLAN"] for r in run("EXPLAIN " + sql, params))
                         for sql, params in asked]
        finally:
            db.close()
    for plan in plans:   # locked or not
        # the key is an index condition on every probe, not a filter over every answer
        assert any("Index Cond" in line and "id =" in line for line in plan.splitlines()), plan
        assert not any("Filter" in line and "id =" in line for line in plan.splitlines()), plan
        assert "Hash" not in plan, plan   # nor a join over the whole table


@pytest.mark.postgres
def test_postgres_statistics_follow_a_growing_table(pg_database):
    """After writes, the server analyzes ``records`` once it changed past autovacuum's own
    threshold (storage_pg._Statistics), without waiting for autovacuum (off on some
    installs, a minute away on others); a table that barely changed is left alone."""
    import time

    from server_fixtures import pg_schema_url

    from fieldapp.server.database import open_database
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        try:
            keeper = db.statistics
            keeper.CHECK_EVERY_S = 0.0

            def analyzed() -> object:
                with db.read() as c:
                    return c.value("SELECT last_analyze FROM pg_stat_user_tables WHERE "
                                   "schemaname = current_schema() AND relname = 'records'")

            def settle() -> None:
                with keeper.busy:  # the check started by the last write has finished
                    pass

            _fill(db, 20)
            for _ in range(10):
                keeper.wrote()
                settle()
            assert keeper.runs == 0 and analyzed() is None   # 20 rows: not worth it
            _fill_more(db, 3000)
            deadline = time.monotonic() + 15
            while analyzed() is None and time.monotonic() < deadline:
                time.sleep(0.3)   # PostgreSQL counts changes a moment after commit
                keeper.wrote()
                settle()
            assert analyzed() is not None and keeper.runs >= 1
        finally:
            db.close()


@pytest.mark.postgres
def test_postgres_statistics_of_a_table_that_doubled_are_taken_at_once(pg_database):
    """Before the ordinary check is due, a table that grew by less than its size waits for
    it, and one that more than doubled is analyzed within moments (storage_pg._Statistics:
    a young office's pull pages were planned on a table a hundredth the size)."""
    import time

    from server_fixtures import pg_schema_url

    from fieldapp.server.database import open_database
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        try:
            keeper = db.statistics
            keeper.SOON_S = 0.0
            with db.write() as c:
                c.run("ANALYZE records")
            keeper.next_due = time.monotonic() + 3600   # the ordinary check: not for an hour

            def analyses() -> int:
                with db.read() as c:
                    return c.value("SELECT analyze_count FROM pg_stat_user_tables WHERE "
                                   "schemaname = current_schema() AND relname = 'records'")

            def look_for(seconds: float) -> None:
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    time.sleep(0.3)   # PostgreSQL counts changes a moment after commit
                    keeper.wrote()
                    with keeper.busy:   # that look has finished
                        pass

            _fill(db, 4000)
            look_for(2.5)
            assert keeper.runs == 1 and analyses() == 2   # 4,001 rows where there were none
            _fill_more(db, 3000)
            look_for(2.5)
            assert keeper.runs == 1 and analyses() == 2   # 3,000 more on 4,001: it waits
            keeper.next_due = 0.0
            look_for(1.0)
            assert keeper.runs == 2 and analyses() == 3   # once due, past the threshold
        finally:
            db.close()


def _fill_more(db, answers: int) -> None:
    with db.write() as c:
        c.many("INSERT INTO records (tbl, id, province, owner, data, fields, updated_hlc, "
               "device_id, seq) VALUES (?, ?, '10', 'u', '{}', '{}', 'h', 'd', ?)",
               [("answers", f"b{n:05d}", 100_000 + n) for n in range(answers)])
