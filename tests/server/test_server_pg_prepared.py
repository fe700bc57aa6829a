"""PostgreSQL parses a query once per connection and plans every run for its own values
(server/storage_pg.py ``_CONNECT``), and a table altered by another process (an upgrade
migrating while older processes serve) costs at most one failed request per connection: a
push runs again and is applied."""

from __future__ import annotations

import psycopg
import pytest
from server_fixtures import ADMIN, pg_schema_url

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.database import open_database
from fieldapp.server.push import Op, push
from fieldapp.sync import protocol as P

pytestmark = pytest.mark.postgres

LOOKUP = "SELECT * FROM records WHERE tbl = ? AND id = ?"


@pytest.fixture
def pg_db(pg_database):
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        db.statistics.next_check = float("inf")   # no ANALYZE thread borrowing connections
        yield db, url
        db.close()


def _factory(fid: str) -> Op:
    return Op(uuid7(), "factories", f"f-{fid}", "upsert",
              {"fid": fid, "name": f"โรงงาน {fid}", "province_code": "10"},
              HybridClock("office").now())


def test_a_query_is_prepared_once_and_planned_for_each_run(pg_db):
    db, _ = pg_db
    for n in range(12):   # past the five runs after which PostgreSQL may keep a generic plan
        push(db, ADMIN, [_factory(f"{n:05d}")], 0)
    with db.read() as c:   # the one idle connection: the pushes' own
        for n in range(12):
            c.all(LOOKUP, ("factories", f"f-{n:05d}"))
        assert c.value("SHOW plan_cache_mode") == "force_custom_plan"
        prepared = c.all("SELECT statement, generic_plans, custom_plans "
                         "FROM pg_prepared_statements")
    ours = [p for p in prepared if p["statement"] == LOOKUP.replace("?", "$1", 1)
            .replace("?", "$2")]
    assert ours, [p["statement"] for p in prepared]
    assert ours[0]["generic_plans"] == 0 and ours[0]["custom_plans"] >= 10
    # the push's own lookups are prepared too, and never planned once for all values
    pushes = [p for p in prepared if "FROM records" in p["statement"]
              and "FOR UPDATE" in p["statement"]]
    assert pushes and all(p["generic_plans"] == 0 for p in pushes)


def _alter(url: str, column: str) -> None:
    with psycopg.connect(url, autocommit=True) as other:
        other.execute(f"ALTER TABLE records ADD COLUMN {column} TEXT")


def _twice_after_change(run) -> list:
    """``run`` once more after the change: a stale prepared query may fail once; the next
    run must not."""
    try:
        return run()
    except psycopg.errors.FeatureNotSupported:
        return run()


@pytest.mark.parametrize("how", ["read", "statement"])
def test_a_table_altered_by_another_process_fails_at_most_once(pg_db, how):
    db, url = pg_db
    push(db, ADMIN, [_factory("00001")], 0)

    def run() -> dict:
        with getattr(db, how)() as c:
            return c.all(LOOKUP, ("factories", "f-00001"))[0]

    for _ in range(3):
        assert "extra" not in run()
    _alter(url, "extra")
    assert "extra" in _twice_after_change(run)
    assert sum(conn.closed for conn in db._all) == 1   # the stale one, and only it, closed
    for _ in range(3):
        assert "extra" in run()   # and from then on as before, prepared again


def test_other_unsupported_features_are_not_taken_for_a_stale_plan(pg_db):
    """Another error of the same SQLSTATE is no reason to run a push again, nor to drop the
    connection."""
    from fieldapp.server.storage_pg import _stale_plan
    db, _ = pg_db
    with pytest.raises(psycopg.errors.FeatureNotSupported) as raised, db.statement() as c:
        c.value("SELECT count(*) FROM records FOR UPDATE")
    assert not _stale_plan(raised.value) and not db.retryable(raised.value)
    with db.statement() as c:   # the same connection, still open
        assert c.value("SELECT 1") == 1
    assert not any(conn.closed for conn in db._all)


def test_a_push_after_another_process_altered_the_table_is_applied(pg_db):
    db, url = pg_db
    for n in range(3):
        push(db, ADMIN, [_factory(f"{n:05d}")], 0)
    _alter(url, "extra")
    acks = push(db, ADMIN, [_factory("00001"), _factory("00009")], 0)
    assert [a["outcome"] for a in acks] == [P.APPLIED, P.APPLIED]
    with db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'factories'") == 4
