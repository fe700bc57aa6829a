"""The HTTP API on both backends: versions, login, tokens, scoping, immutability, idempotent
replays, conflicts, limits, and JSON errors with stable codes."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace

import pytest
from server_fixtures import (
    ADMIN,
    FACTORIES,
    PASSWORD,
    TestClient,
    add_users,
    make_app,
    seed_factories,
    template_doc,
    template_row,
)

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.app import BENCH_SINK_ENV
from fieldapp.server.auth import grant_province, list_devices, revoke_device, set_disabled
from fieldapp.server.push import Op, push
from fieldapp.sync import protocol as P

H = P.version_headers()


@pytest.fixture
def api(server_db):
    add_users(server_db)
    factories = seed_factories(server_db, FACTORIES)
    client = TestClient(make_app(server_db), raise_server_exceptions=False)
    client.headers.update(H)
    client.factories = factories
    return client


def login(api, user, device=None):
    """Log ``user`` in from ``device`` (by default a laptop named after the user: the
    clocks of a ``Device(user)`` name it, as the server requires)."""
    r = api.post("/v1/login", json={"username": user, "password": PASSWORD,
                                    "device_id": device or user})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


class Device:
    """Makes operations the way a laptop's outbox does."""

    def __init__(self, name="dev"):
        self.clock = HybridClock(name)

    def op(self, table, row_id, payload, kind="upsert"):
        return {"op_id": uuid7(), "table": table, "row_id": row_id, "op": kind,
                "payload": payload, "hlc": self.clock.now()}


# The shipped version, which the office publishes (make_app): a laptop's copy is a no-op.
TEMPLATE_ID, TEMPLATE = template_row(template_doc())


def inspection_ops(dev, factory, state="draft"):
    tid, iid = TEMPLATE_ID, uuid7()
    return iid, [dev.op("template_versions", tid, TEMPLATE),
                 dev.op("inspections", iid, {
                     "factory_id": factory, "template_version_id": tid, "kind": "routine",
                     "state": state, "started_at": "2026-01-01T00:00:00Z"}),
                 dev.op("answers", f"a-{iid}", {"inspection_id": iid, "item_id": "1.1",
                                                "result": "pass"})]


def push_ok(api, auth, ops, cursor=0):
    r = api.post("/v1/push", json={"ops": ops, "cursor": cursor}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["acks"]


def test_health_and_openapi_need_no_login(api):
    assert api.get("/v1/health").json()["protocol"] == P.PROTOCOL_VERSION
    doc = api.get("/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/v1/push" in doc["paths"]


@pytest.mark.parametrize("headers", [{P.H_PROTOCOL: "99", P.H_SCHEMA: "1"},
                                     {P.H_PROTOCOL: "1", P.H_SCHEMA: "999"},
                                     {P.H_PROTOCOL: "", P.H_SCHEMA: ""}])
def test_incompatible_client_is_told_to_update(api, headers):
    api.headers.update(headers)
    r = api.post("/v1/login", json={"username": "anong", "password": PASSWORD,
                                    "device_id": "d"})
    if headers[P.H_PROTOCOL] == "":
        assert r.json()["error"]["code"] in ("bad_request", "update_required")
    else:
        assert r.status_code == 426
        assert r.json()["error"]["code"] == "update_required"


def test_a_laptop_of_the_schema_before_is_told_to_update(api):
    """A laptop of schema 1 would hash a record that keeps its factory (schema 2) without it
    and call a genuine paper modified: it is updated before it syncs again."""
    api.headers.update({P.H_PROTOCOL: str(P.PROTOCOL_VERSION), P.H_SCHEMA: "1"})
    r = api.post("/v1/login", json={"username": "anong", "password": PASSWORD,
                                    "device_id": "d"})
    assert r.status_code == 426 and r.json()["error"]["code"] == "update_required"
    assert P.MIN_SCHEMA_VERSION == P.SCHEMA_VERSION == 2


def test_login_refuses_wrong_password_and_is_rate_limited(api):
    for _ in range(5):
        r = api.post("/v1/login", json={"username": "anong", "password": "wrong password",
                                        "device_id": "d"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = api.post("/v1/login", json={"username": "anong", "password": PASSWORD,
                                    "device_id": "d"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) > 0
    # another user from another name is not locked out by anong's failures... but the same
    # address is: the limit is per name AND per address.
    r = api.post("/v1/login", json={"username": "boon", "password": PASSWORD,
                                    "device_id": "d"})
    assert r.status_code == 429


def test_tokens_are_stored_hashed_and_revocation_works(api, server_db):
    auth = login(api, "anong", device="laptop-1")
    token = auth["Authorization"].split()[1]
    with server_db.read() as c:
        stored = [r["token_hash"] for r in c.all("SELECT token_hash FROM devices")]
    assert token not in stored and len(stored[0]) == 64
    assert api.get("/v1/pull", headers=auth).status_code == 200
    revoke_device(server_db, list_devices(server_db)[0]["id"])
    r = api.get("/v1/pull", headers=auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    auth2 = login(api, "boon")
    set_disabled(server_db, "boon")
    assert api.get("/v1/pull", headers=auth2).status_code == 401
    assert api.post("/v1/login", json={"username": "boon", "password": PASSWORD,
                                       "device_id": "x"}).status_code == 401


def test_no_token_no_data(api):
    for method, path in [("GET", "/v1/pull"), ("GET", "/v1/snapshot"),
                         ("POST", "/v1/push"), ("GET", "/v1/attachments/" + "a" * 64)]:
        r = api.request(method, path)
        assert r.status_code == 401, path
        assert r.json()["error"]["code"] == "unauthorized"


def test_cross_province_and_cross_inspector_are_refused(api):
    # each laptop's clock names the device it logged in as (the server checks it)
    anong, boon, chai = (login(api, "anong", device="a"), login(api, "boon", device="b"),
                         login(api, "chai", device="c"))
    f10, _, f20 = api.factories
    dev = Device("a")
    iid, ops = inspection_ops(dev, f10)
    assert [a["outcome"] for a in push_ok(api, anong, ops)] == ["applied"] * 3
    # chai (province 20) cannot write a province-10 factory nor create an inspection there
    acks = push_ok(api, chai, [Device("c").op("factories", f10, {"phone": "02"}),
                               *inspection_ops(Device("c"), f10)[1][1:]])
    assert [a["outcome"] for a in acks] == ["rejected"] * 3
    assert "province" in acks[0]["reason"]
    # boon (same province) cannot touch anong's inspection
    acks = push_ok(api, boon, [Device("b").op("answers", f"a-{iid}", {"result": "fail"})])
    assert acks[0]["outcome"] == "rejected" and "another inspector" in acks[0]["reason"]
    # reads: boon sees factories of 10 but not anong's inspection; chai sees neither
    seen_b = {c["row"]["id"] for c in api.get("/v1/pull", headers=boon).json()["changes"]}
    seen_c = {c["row"]["id"] for c in api.get("/v1/pull", headers=chai).json()["changes"]}
    assert f10 in seen_b and iid not in seen_b and f"a-{iid}" not in seen_b
    assert f10 not in seen_c and f20 in seen_c and iid not in seen_c
    snap = json.loads(api.get("/v1/snapshot", headers=chai).content)
    assert not snap["tables"]["inspections"]["rows"]
    assert all(r[0] != f10 for r in snap["tables"]["factories"]["rows"])


def test_push_is_idempotent_by_operation_id(api, server_db):
    anong = login(api, "anong", device="dev")
    iid, ops = inspection_ops(Device(), api.factories[0])
    first = push_ok(api, anong, ops)
    with server_db.read() as c:
        before = c.all("SELECT tbl, id, data, seq FROM records ORDER BY seq")
    again = push_ok(api, anong, ops)
    assert [a["outcome"] for a in again] == ["duplicate"] * 3
    assert [a["seq"] for a in again] == [a["seq"] for a in first]
    with server_db.read() as c:
        assert c.all("SELECT tbl, id, data, seq FROM records ORDER BY seq") == before


def test_if_absent_creates_only_a_row_the_server_lacks(api, server_db):
    """``if_absent`` (a laptop sending again a row the office made, after the office was
    restored): a row the server lacks is created as by any upsert; one it holds is left as
    it is, and another inspector's is refused as any write to it is, so nobody learns of
    it nor changes it that way."""
    anong, boon = login(api, "anong", device="a"), login(api, "boon", device="b")
    dev = Device("a")
    iid, ops = inspection_ops(dev, api.factories[0])
    push_ok(api, anong, ops[:2])
    with server_db.read() as c:
        before = c.all("SELECT tbl, id, data, fields, seq FROM records ORDER BY seq")
    again = {**dev.op("inspections", iid, {**ops[1]["payload"], "purpose": "ของแล็ปท็อป",
                                           "kind": "complaint"}), "if_absent": True}
    acks = push_ok(api, anong, [again])
    assert acks[0]["outcome"] == "applied"
    with server_db.read() as c:
        assert c.all("SELECT tbl, id, data, fields, seq FROM records ORDER BY seq") == before
    other = {**Device("b").op("inspections", iid, {**ops[1]["payload"]}), "if_absent": True}
    assert push_ok(api, boon, [other])[0]["outcome"] == "rejected"
    fresh = uuid7()
    made = {**dev.op("inspections", fresh, {**ops[1]["payload"], "purpose": "ใหม่"}),
            "if_absent": True}
    assert push_ok(api, anong, [made])[0]["outcome"] == "applied"
    with server_db.read() as c:
        row = json.loads(c.value("SELECT data FROM records WHERE id = ?", (fresh,)))
    assert row["purpose"] == "ใหม่"


def test_a_refused_change_of_factory_does_not_move_the_record_to_its_province(api,
                                                                              server_db):
    """A record's factory never changes: a push that names another one (in a province the
    inspector also holds) is refused, and must leave no trace on the record, not even the
    other factory's province, which a later change of the same batch would then write."""
    grant_province(server_db, "anong", "20")
    anong = login(api, "anong", device="a")
    dev = Device("a")
    f10, _, f20 = api.factories
    iid, ops = inspection_ops(dev, f10)
    push_ok(api, anong, ops[:2])
    for first in (dev.op("inspections", iid, {"factory_id": f20}),
                  {**dev.op("inspections", iid, {**ops[1]["payload"], "factory_id": f20}),
                   "if_absent": True}):
        acks = push_ok(api, anong, [first, dev.op("inspections", iid, {"purpose": "ตามแผน"})])
        assert [a["outcome"] for a in acks] == ["rejected", "applied"]
        assert "cannot change" in acks[0]["reason"]
        with server_db.read() as c:
            row = c.one("SELECT province, data FROM records WHERE id = ?", (iid,))
        assert row["province"] == "10" and json.loads(row["data"])["factory_id"] == f10


def test_finalized_inspection_is_immutable_on_the_server(api):
    anong = login(api, "anong", device="dev")
    dev = Device()
    iid, ops = inspection_ops(dev, api.factories[0])
    push_ok(api, anong, ops)
    push_ok(api, anong, [dev.op("inspections", iid, {"state": "finalized",
                                                      "content_hash": "abc"})])
    scan = b"the ink-signed paper"
    scan_sha = hashlib.sha256(scan).hexdigest()
    assert api.put(f"/v1/attachments/{scan_sha}", content=scan, headers={
        **anong, "Upload-Offset": "0", "Upload-Length": str(len(scan))}).json()["complete"]
    acks = push_ok(api, anong, [
        dev.op("answers", f"a-{iid}", {"result": "fail"}),
        dev.op("inspections", iid, {"purpose": "changed"}),
        dev.op("answers", uuid7(), {"inspection_id": iid, "item_id": "9", "result": "na"}),
        dev.op("inspections", iid, {}, kind="delete"),
        dev.op("inspections", iid, {"state": "finalized"}),  # no change: accepted
        dev.op("attachments", uuid7(), {"inspection_id": iid, "kind": "scan",
                                         "sha256": scan_sha, "size": len(scan),
                                         "mime": "image/png"}),
    ])
    outcomes = [a["outcome"] for a in acks]
    assert outcomes == ["rejected"] * 4 + ["applied", "applied"]
    assert "finalized" in acks[0]["reason"]
    rows = {c["row"]["id"]: c["row"] for c in api.get("/v1/pull", headers=anong).json()[
        "changes"]}
    assert rows[f"a-{iid}"]["result"] == "pass" and rows[iid]["deleted"] == 0


def test_shared_fields_merge_per_field_and_conflicts_are_recorded(api, server_db):
    anong, boon = login(api, "anong", device="a"), login(api, "boon", device="b")
    f10 = api.factories[0]
    a, b = Device("a"), Device("b")
    a_phone = a.op("factories", f10, {"phone": "02-111", "lat": 13.1})
    b_phone = b.op("factories", f10, {"phone": "02-222", "contact_person": "คุณบี"})
    # both laptops have the registry (cursor c0) but neither has pulled the other's write:
    # the two pushes are concurrent
    c0 = api.get("/v1/pull", headers=anong).json()["cursor"]
    push_ok(api, anong, [a_phone], cursor=c0)
    push_ok(api, boon, [b_phone], cursor=c0)
    row = next(c["row"] for c in api.get("/v1/pull", headers=anong).json()["changes"]
               if c["row"]["id"] == f10)
    assert row["phone"] == "02-222"           # b's clock is later: b wins phone
    assert row["lat"] == 13.1                 # only a wrote lat: kept
    assert row["contact_person"] == "คุณบี"   # only b wrote it: kept
    with server_db.read() as c:
        conflicts = c.all("SELECT field, kept_value, lost_value FROM conflicts")
    assert conflicts == [{"field": "phone", "kept_value": '"02-222"',
                          "lost_value": '"02-111"'}]
    # an edit made after pulling the other's value is not a conflict
    cursor = api.get("/v1/pull", headers=anong).json()["cursor"]
    push_ok(api, anong, [a.op("factories", f10, {"phone": "02-333"})], cursor=cursor)
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM conflicts") == 1


def test_late_older_write_loses_but_is_recorded(server_db):
    add_users(server_db)
    f10 = seed_factories(server_db, FACTORIES)[0]
    # the stale write was made days earlier on a laptop that stayed offline
    old = HybridClock("old", wall=lambda: 1_700_000_000_000)
    stale = Op(uuid7(), "factories", f10, "upsert", {"phone": "stale"}, old.now())
    seeded = len(FACTORIES)  # both laptops had pulled the registry
    laptop = Device("new")
    with server_db.read() as c:
        # ... so the fresh one's clock has seen the registry's (pulling observes clocks);
        # otherwise a seed written in the same millisecond may win on the device name
        laptop.clock.observe(c.value("SELECT max(updated_hlc) FROM records"))
    fresh = Op(uuid7(), "factories", f10, "upsert", {"phone": "fresh"}, laptop.clock.now())
    push(server_db, replace(ADMIN, device_id="new"), [fresh], seeded)
    assert push(server_db, replace(ADMIN, device_id="old"), [stale], seeded)[0]["outcome"] \
        == "applied"
    with server_db.read() as c:
        data = json.loads(c.value("SELECT data FROM records WHERE id = ?", (f10,)))
        assert data["phone"] == "fresh"
        assert c.value("SELECT lost_value FROM conflicts") == '"stale"'


GARBAGE = [b"", b"{", b"[]", b"null", b'{"ops": 5}', b'{"ops": [1]}', b'{"ops": [{}]}',
           b'{"ops": [], "cursor": -1}', b'{"ops": [], "cursor": "x"}', b"\xff\xfe\x00",
           b'{"ops": [{"op_id": 1, "table": 2, "row_id": 3, "op": 4, "payload": 5, "hlc": 6}]}']


@pytest.mark.parametrize("body", GARBAGE)
def test_garbage_bodies_get_a_json_400_not_a_500(api, body):
    auth = login(api, "anong")
    for path in ("/v1/push", "/v1/login", "/v1/attachments/missing"):
        r = api.post(path, content=body, headers=auth)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
        assert r.json()["error"]["code"], path


def test_bad_operations_are_rejected_one_by_one(api):
    auth = login(api, "anong")
    dev = Device()
    ops = [dev.op("nonsense", "x", {}), dev.op("factories", "x", {"num": 1}),
           dev.op("factories", "x", {"name": {"nested": 1}}),
           {**dev.op("factories", "x", {}), "hlc": "yesterday"},
           {**dev.op("factories", "x", {}), "op": "drop"},
           dev.op("answers", "y", {"inspection_id": "nope", "item_id": "1"}),
           dev.op("inspections", "z", {"factory_id": "nope", "template_version_id": "t",
                                        "kind": "routine", "state": "draft",
                                        "started_at": "2026"})]
    acks = push_ok(api, auth, ops)
    assert [a["outcome"] for a in acks] == ["rejected"] * len(ops)
    assert all(a["reason"] for a in acks)


def test_size_limits(api):
    auth = login(api, "anong")
    big = b"x" * (P.MAX_BODY_BYTES + 1)
    r = api.post("/v1/push", content=big, headers=auth)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    bomb = gzip.compress(b" " * (P.MAX_BODY_BYTES + 10))
    r = api.post("/v1/push", content=bomb, headers={**auth, "Content-Encoding": "gzip"})
    assert r.status_code == 413
    r = api.post("/v1/push", json={"ops": [{}] * (P.MAX_PUSH_OPS + 1)}, headers=auth)
    assert r.status_code == 400


def test_unknown_routes_and_methods_answer_json(api):
    r = api.get("/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.delete("/v1/push")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = api.get("/v1/pull?cursor=-5", headers=login(api, "anong"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_benchmark_sink_exists_only_when_asked(server_db, monkeypatch):
    """The benchmark's body-discarding floor route is not mounted in production."""
    monkeypatch.delenv(BENCH_SINK_ENV, raising=False)
    plain = TestClient(make_app(server_db), raise_server_exceptions=False)
    r = plain.post("/v1/_bench/sink", content=b"x" * 10)
    assert r.status_code == 404 and r.json()["error"]["code"] == P.E_NOT_FOUND
    monkeypatch.setenv(BENCH_SINK_ENV, "1")
    bench = TestClient(make_app(server_db), raise_server_exceptions=False)
    assert bench.post("/v1/_bench/sink", content=b"x" * 300_000).json() == {"received": 300_000}


def test_last_seen_follows_requests_at_most_once_a_minute(api, server_db):
    auth = login(api, "anong", device="laptop-9")

    def seen():
        with server_db.read() as c:
            return c.value("SELECT last_seen FROM devices WHERE device_id = 'laptop-9'")
    at_login = seen()
    assert at_login is not None
    assert api.get("/v1/pull", headers=auth).status_code == 200
    assert seen() == at_login  # within the minute: no write per request
    with server_db.write() as c:  # as if the laptop was last here yesterday
        c.run("UPDATE devices SET last_seen = '2026-01-01T00:00:00.000Z' "
              "WHERE device_id = 'laptop-9'")
    assert api.get("/v1/pull", headers=auth).status_code == 200
    assert seen() > "2026-01-02" and seen() >= at_login
