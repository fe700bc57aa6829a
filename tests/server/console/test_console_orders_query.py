"""The corrective orders list read by the database (order_index, schema V11), both backends:
the same page, count, order and filter lists as the list that read and sorted every order in
Python (the model below is that code), only the page's orders read, the filters served by
order_index's indexes, and the projection following a factory's rename and a rebuild."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from server_fixtures import ADMIN, PASSWORD, add_users, pg_schema_url

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server import projection, schema
from fieldapp.server.auth import Principal, add_user, grant_province
from fieldapp.server.push import Op, push
from fieldapp.server.queries import orders as q
from fieldapp.server.queries.orders import OVERDUE, OrderFilter, search_orders
from fieldapp.server.queries.paging import last_page
from fieldapp.server.queries.scoping import regional
from fieldapp.server.storage_pg import PostgresDatabase
from fieldapp.server.storage_sqlite import SqliteDatabase
from fieldapp.sync import protocol as P

TODAY = "2026-04-01"
# Names that sort differently by code point and by a Thai or English collation.
FACTORIES = {"fa": ("10", "โรงงานกข", "บางรัก"), "fb": ("10", "Zeta", "ปทุมวัน"),
             "fc": ("10", "alpha", "บางรัก"), "fd": ("20", "โรงงาน ข", "เมือง"),
             "fe": ("10", None, None)}


class World:
    def __init__(self, db):
        self.db = db
        add_users(db)
        add_user(db, "somsri", PASSWORD, "supervisor")
        grant_province(db, "somsri", "10")
        clock = HybridClock("office")
        push(db, ADMIN, [Op(uuid7(), "factories", fid, "upsert",
                            {"fid": fid.upper(), "name": name, "province_code": province,
                             "district": district}, clock.now())
                         for fid, (province, name, district) in FACTORIES.items()], 0)
        with db.read() as c:
            self.users = {r["username"]: r["id"] for r in c.all("SELECT id, username FROM users")}

    def who(self, name: str) -> Principal:
        if name == "admin":
            return Principal(self.users["admin"], "admin", "admin", frozenset(), "browser")
        return Principal(self.users[name], name, "supervisor", frozenset({"10"}), "browser")

    def put(self, orders: list[dict]) -> None:
        """Replace every order with ``orders`` as RecordCache.flush() writes synced rows: the
        row in ``records`` and its projection in the same transaction."""
        with self.db.write() as c:
            c.run("DELETE FROM records WHERE tbl = 'orders'")
            c.run("DELETE FROM order_index")
            rows = []
            for n, o in enumerate(orders):
                data = {k: o.get(k) for k in P.COLUMNS["orders"]}
                owner = self.users.get(o["owner"]) if o["owner"] else None
                c.run("INSERT INTO records (tbl, id, province, owner, parent_id, blob_sha, "
                      "frozen, data, fields, updated_hlc, device_id, deleted, seq) VALUES "
                      "('orders', ?, ?, ?, NULL, NULL, 0, ?, '{}', 'h', 'd', ?, ?)",
                      (o["id"], o["province"], owner, json.dumps(data), o["deleted"],
                       10**6 + n))
                rows.append(projection.Row("orders", o["id"], data, o["province"], owner,
                                           o["deleted"], 10**6 + n))
            projection.project(c, rows)


@pytest.fixture
def world(server_db, monkeypatch):
    monkeypatch.setenv("FIELDAPP_TODAY", TODAY)
    return World(server_db)


# -- the model: the list as it was, every order read and decoded, filtered and sorted here --

def model(db, who: Principal, f: OrderFilter) -> tuple[list[dict], dict]:
    with db.read() as c:
        found = c.all("SELECT r.id, r.province, r.data, u.username AS inspector FROM records r "
                      "LEFT JOIN users u ON u.id = r.owner WHERE r.tbl = 'orders' "
                      "AND r.deleted = 0")
        factories = {f["id"]: f for f in c.all("SELECT id, name, district FROM factory_index")}
    every = []
    for row in found:
        if not who.is_admin and row["province"] not in who.provinces:
            continue
        d = json.loads(row["data"])
        fac = factories.get(d.get("factory_id"), {})
        every.append({**d, "id": row["id"], "inspector": row["inspector"],
                      "factory_name": fac.get("name"), "district": fac.get("district"),
                      "overdue": d.get("status") == "open" and bool(d.get("deadline"))
                      and d["deadline"] < TODAY})
    out = []
    for r in every:
        if f.factory_id and r["factory_id"] != f.factory_id:
            continue
        if f.deadline_from and (not r["deadline"] or r["deadline"] < f.deadline_from):
            continue
        if f.deadline_to and (not r["deadline"] or r["deadline"] > f.deadline_to):
            continue
        if f.district and r["district"] != f.district:
            continue
        if f.inspector and r["inspector"] != f.inspector:
            continue
        if f.status == OVERDUE and not r["overdue"]:
            continue
        if f.status in P.ORDER_STATES and r["status"] != f.status:
            continue
        out.append(r)
    out.sort(key=lambda o: (not o["overdue"], o["deadline"] is None, o["deadline"] or "",
                            o["factory_name"] or "", o["id"]))
    choices = {"districts": sorted({r["district"] for r in every if r["district"]}),
               "inspectors": sorted({r["inspector"] for r in every if r["inspector"]})}
    return out, choices


def order(order_id: str, **fields) -> dict:
    return {"id": order_id, "factory_id": "fa", "province": "10", "owner": "anong",
            "status": "open", "deadline": None, "deleted": 0, "order_text": "คำสั่ง", **fields}


DEADLINES = st.sampled_from([None, "", "", "2026-03-01", "2026-03-01", "2026-03-31", "2026-04-01", "2026-04-02",
                             "2026-05-20"])
ORDERS = st.lists(st.fixed_dictionaries({
    "id": st.sampled_from(["o1", "o2", "o3", "O4", "o10", "ก5", "o6", "o7", "o8", "o9"]),
    "factory_id": st.sampled_from([*FACTORIES, "nowhere", None]),
    "province": st.sampled_from(["10", "20", None]),
    "owner": st.sampled_from(["anong", "boon", "chai", None]),
    "status": st.sampled_from(["open", "open", *P.ORDER_STATES, None]),
    "deadline": DEADLINES,
    "deleted": st.sampled_from([0, 0, 0, 1]),
    "order_text": st.just("คำสั่ง")}), min_size=3, max_size=10, unique_by=lambda o: o["id"])


def maybe(*values):
    """Mostly no filter of this kind: several filters at once rarely leave an order."""
    return st.sampled_from([None, None, None, *values])


FILTERS = st.builds(
    OrderFilter,
    deadline_from=maybe("2026-03-15", "2026-04-01"),
    deadline_to=maybe("2026-04-01", "2026-05-20"),
    district=maybe("บางรัก", "เมือง"),
    inspector=maybe("anong", "chai", "nobody"),
    status=maybe(OVERDUE, *P.ORDER_STATES),
    factory_id=maybe("fa", "fe", "nowhere"),
    page=st.integers(1, 5), per_page=st.integers(1, 4))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orders=ORDERS, f=FILTERS, name=st.sampled_from(["admin", "somsri"]))
# What a random draw finds only now and then: an open order without a deadline is not
# overdue; names and ids sort by code point (Z before a, Thai after both).
@example(orders=[order("o1", deadline=""), order("o2", deadline="2026-03-01"),
                 order("o3", deadline=None), order("o4", status="verified", deadline="")],
         f=OrderFilter(), name="admin")
@example(orders=[order(i, factory_id=f, deadline="2026-05-20")
                 for i, f in (("o1", "fa"), ("o2", "fb"), ("o3", "fc"), ("O4", "fe"),
                              ("ก5", "fc"))], f=OrderFilter(), name="somsri")
def test_the_page_is_the_one_the_python_list_showed(world, orders, f, name):
    world.put(orders)
    who = world.who(name)
    expected, choices = model(world.db, who, f)
    found, got_choices = search_orders(world.db, who, f)
    page = min(f.page, last_page(len(expected), f.per_page))
    shown = expected[(page - 1) * f.per_page:page * f.per_page]
    assert (found.total, found.page) == (len(expected), page)
    assert [(r["id"], r["overdue"], r["factory_name"], r["district"], r["inspector"])
            for r in found.rows] == \
        [(r["id"], r["overdue"], r["factory_name"], r["district"], r["inspector"])
         for r in shown]
    assert got_choices == choices
    every = q.list_orders(world.db, who, f)
    assert [r["id"] for r in every] == [r["id"] for r in expected]


def test_only_the_page_is_read(world, monkeypatch):
    """500 orders, a page of 20: 20 orders' JSON decoded and few rows fetched, not 500."""
    world.put([{"id": f"o{n:04d}", "factory_id": "fa", "province": "10", "owner": "anong",
                "status": "open", "deadline": f"2026-{3 + n % 6:02d}-{1 + n % 28:02d}",
                "deleted": 0} for n in range(500)])
    decoded, fetched = [], []
    real_loads = q.loads
    monkeypatch.setattr(q, "loads", lambda text: decoded.append(1) or real_loads(text))
    conn_type = type(world.db.read().__enter__())
    for method in ("all", "tuples"):
        real = getattr(conn_type, method)

        def counted(self, *args, _real=real, **kwargs):
            rows = _real(self, *args, **kwargs)
            fetched.append(len(rows))
            return rows
        monkeypatch.setattr(conn_type, method, counted)
    found, choices = search_orders(world.db, world.who("somsri"),
                                   OrderFilter(page=3, per_page=20))
    assert found.total == 500 and len(found.rows) == 20 and found.page == 3
    assert choices == {"districts": ["บางรัก"], "inspectors": ["anong"]}
    assert len(decoded) == 20
    # the page, its factories and record numbers, one district and one inspector
    assert sum(fetched) <= 20 + 20 + 2 + 2, fetched


def plan(db, sql: str, params: list) -> str:
    with db.read() as c:
        if db.dialect == "sqlite":
            return " ".join(r[-1] for r in c.tuples("EXPLAIN QUERY PLAN " + sql, params))
        # A test database is too small for the planner to prefer any index: asked to avoid
        # scanning, it shows which index serves the query.
        c.run("SET LOCAL enable_seqscan = off")
        return " ".join(r[0] for r in c.tuples("EXPLAIN " + sql.replace("?", "%s"), params))


@pytest.mark.parametrize("f", [OrderFilter(factory_id="fa"), OrderFilter(status=OVERDUE),
                               OrderFilter(inspector="anong"),
                               OrderFilter(status="verified", deadline_from="2026-01-01")])
@pytest.mark.parametrize("name", ["admin", "somsri"])
def test_the_filters_are_served_by_indexes(world, f, name):
    where, params = q._where(world.who(name), f, TODAY)
    shown = plan(world.db, f"SELECT count(*) FROM order_index o WHERE {where}", params)
    assert "order_index_" in shown, shown
    if world.db.dialect == "sqlite":
        assert "SCAN o" not in shown.replace("SCAN o USING", ""), shown


def test_the_projection_follows_a_rename_and_a_rebuild(world):
    world.put([{"id": "o1", "factory_id": "fa", "province": "10", "owner": "anong",
                "status": "open", "deadline": "2026-03-01", "deleted": 0}])
    push(world.db, ADMIN, [Op(uuid7(), "factories", "fa", "upsert",
                              {"name": "โรงงานใหม่", "district": "สาทร"},
                              HybridClock("office").now())], 10**6)
    who = world.who("somsri")
    found, choices = search_orders(world.db, who, OrderFilter(district="สาทร"))
    assert [(r["id"], r["factory_name"]) for r in found.rows] == [("o1", "โรงงานใหม่")]
    assert choices["districts"] == ["สาทร"]
    with world.db.read() as c:
        before = c.all("SELECT * FROM order_index ORDER BY id")
    with world.db.write() as c:
        projection.rebuild(c)
    with world.db.read() as c:
        assert c.all("SELECT * FROM order_index ORDER BY id") == before
    assert before[0]["factory_name"] == "โรงงานใหม่" and before[0]["district"] == "สาทร"


def test_the_v11_migration_fills_the_orders_of_an_existing_database(request, tmp_path,
                                                                      monkeypatch):
    """A V10 database holding orders lists them once it migrates (and the V5 step, which
    ran before order_index existed, still migrates a V4 database: see
    test_server_console_overview)."""
    monkeypatch.setenv("FIELDAPP_TODAY", TODAY)

    def check(db):
        full = list(schema.MIGRATIONS)
        monkeypatch.setattr(schema, "MIGRATIONS", full[:10])
        monkeypatch.setattr(schema, "SCHEMA_VERSION", 10)
        schema.migrate(db)
        rows = (("factories", "fa", None, {"name": "โรงงานเดิม", "province_code": "10",
                                           "district": "บางรัก"}),
                ("orders", "o1", "u1", {"factory_id": "fa", "status": "open",
                                        "deadline": "2026-03-01", "order_text": "แก้ไข"}))
        with db.write() as c:
            for seq, (tbl, rid, owner, data) in enumerate(rows, start=1):
                c.run("INSERT INTO records (tbl, id, province, owner, parent_id, blob_sha, "
                      "frozen, data, fields, updated_hlc, device_id, deleted, seq) "
                      "VALUES (?, ?, '10', ?, NULL, NULL, 0, ?, '{}', 'h', 'd', 0, ?)",
                      (tbl, rid, owner, json.dumps(data), seq))
            # the projections a V10 server kept up (none of orders yet)
            projection.project(c, [projection.Row(tbl, rid, data, "10", owner, 0, seq)
                                   for seq, (tbl, rid, owner, data) in enumerate(rows, 1)],
                               projection.V5_TABLES)
        monkeypatch.setattr(schema, "MIGRATIONS", full)
        monkeypatch.setattr(schema, "SCHEMA_VERSION", len(full))
        assert schema.migrate(db) == len(full)
        admin = Principal("root", "root", "admin", frozenset(), "browser")
        found, choices = search_orders(db, admin, OrderFilter(status=OVERDUE))
        assert [(r["id"], r["factory_name"], r["overdue"]) for r in found.rows] == [
            ("o1", "โรงงานเดิม", True)]
        assert choices["districts"] == ["บางรัก"]

    db = SqliteDatabase(str(tmp_path / "v10.db"))
    try:
        check(db)
    finally:
        db.close()
    with pg_schema_url(request.getfixturevalue("pg_database")) as url:
        db = PostgresDatabase(url)
        try:
            check(db)
        finally:
            db.close()


# -- the filter lists: walked through the indexes, the same as the DISTINCT they replace --

def distinct_choices(c, who: Principal) -> dict:
    """The filter lists as they were read before the walk: a DISTINCT over every live order
    of the caller's provinces (queries/orders.py before schema V12)."""
    scope, params = regional(who, "o")
    districts = c.all(f"SELECT DISTINCT o.district FROM order_index o WHERE o.deleted = 0 "
                      f"AND {scope} AND o.district <> ''", params)
    owners = (f"SELECT DISTINCT o.owner FROM order_index o WHERE o.deleted = 0 AND {scope} "
              f"AND o.owner IS NOT NULL")
    inspectors = c.all(f"SELECT u.username FROM users u WHERE u.id IN ({owners}) "
                       f"AND u.username <> ''", params)
    return {"districts": sorted(r["district"] for r in districts),
            "inspectors": sorted(r["username"] for r in inspectors)}


CALLERS = {
    "admin": Principal("root", "root", "admin", frozenset(), "browser"),
    "one province": Principal("s1", "s1", "supervisor", frozenset({"10"}), "browser"),
    "three provinces": Principal("s3", "s3", "supervisor", frozenset({"10", "11", "Z9"}),
                                 "browser"),
    "no province": Principal("s0", "s0", "supervisor", frozenset(), "browser"),
    "inspector": Principal("i2", "i2", "inspector", frozenset({"20", "11"}), "browser"),
}
# Values that sort differently by code point and by a collation, empty ones, NULLs; owners
# who are users, one whose username is empty, one who is no user.
INDEXED = st.lists(st.tuples(
    st.sampled_from(["10", "11", "20", "Z9", "a1", None]),
    st.sampled_from(["บางรัก", "เมือง", "Zeta", "alpha", "ก", "", None]),
    st.sampled_from(["u-anong", "u-boon", "u-chai", "u-blank", "ghost", "", None]),
    st.sampled_from([0, 0, 0, 1])), max_size=25)


@pytest.fixture
def indexed(server_db):
    with server_db.write() as c:
        for uid, name in (("u-anong", "anong"), ("u-boon", "บุญ"), ("u-chai", "Chai"),
                          ("u-blank", "")):
            c.run("INSERT INTO users (id, username, password_hash, role, created_at) "
                  "VALUES (?, ?, 'x', 'inspector', '2026-01-01')", (uid, name))
    return server_db


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=INDEXED, caller=st.sampled_from(sorted(CALLERS)))
@example(rows=[("10", "", "", 0), ("10", None, None, 0), ("10", "ก", "u-blank", 0),
               ("11", "alpha", "ghost", 1), (None, "Zeta", "u-chai", 0),
               ("Z9", "บางรัก", "u-boon", 0)], caller="admin")
def test_the_filter_lists_are_the_distinct_ones(indexed, rows, caller):
    with indexed.write() as c:
        c.run("DELETE FROM order_index")
        for n, (province, district, owner, deleted) in enumerate(rows):
            c.run("INSERT INTO order_index (id, province, owner, district, deleted) "
                  "VALUES (?, ?, ?, ?, ?)", (f"o{n}", province, owner, district, deleted))
    who = CALLERS[caller]
    with indexed.read() as c:
        assert q._choices(c, who) == distinct_choices(c, who)


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_the_filter_lists_walk_the_indexes(indexed, monkeypatch, caller):
    """Each list is one query that reads order_index only through its indexes (on SQLite:
    no scan of the table; on PostgreSQL, asked to avoid scanning, the two it walks)."""
    asked = []
    conn_type = type(indexed.read().__enter__())
    real = conn_type.all

    def kept(self, sql, params=()):
        asked.append((sql, list(params)))
        return real(self, sql, params)
    monkeypatch.setattr(conn_type, "all", kept)
    with indexed.read() as c:
        q._choices(c, CALLERS[caller])
    monkeypatch.setattr(conn_type, "all", real)
    walks = [(sql, params) for sql, params in asked if "order_index" in sql]
    assert len(walks) == 2
    for (sql, params), index in zip(walks, ("order_index_live_districts", "order_index_live_owners"),
                                    strict=True):
        shown = plan(indexed, sql, params)
        assert index in shown, shown
        if indexed.dialect == "sqlite":
            assert "SCAN o" not in shown and "SCAN order_index" not in shown, shown
        else:
            assert "Seq Scan on order_index" not in shown, shown
