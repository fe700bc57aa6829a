"""One inspector's factory edit must never stop the other laptops of the province: the office
refuses numbers no laptop can store (beyond 64 bits, NaN, infinity), coordinates outside
Thailand and factory fields longer than a laptop should carry; and a laptop that pulls such a
row anyway (let in by an older office) skips it and keeps syncing. Both backends, real
requests, bodies as a laptop could send them (the lenient JSON path included)."""

from __future__ import annotations

import json
import time

import pytest
from server_fixtures import (
    FACTORIES,
    PASSWORD,
    Laptop,
    TestClient,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)

from fieldapp.core.ids import uuid7
from fieldapp.store.factories import factory_id, update_field_info
from fieldapp.store.search import search_factories
from fieldapp.sync import protocol as P


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class Office:
    """The app, and inspector anong's login from device "anongpc" over plain HTTP."""

    def __init__(self, db):
        self.db = db
        add_users(db)
        self.ids = seed_factories(db, FACTORIES)
        self.app = make_app(db)
        self.http = TestClient(self.app, raise_server_exceptions=False)
        self.token = self.http.post("/v1/login", headers=P.version_headers(), json={
            "username": "anong", "password": PASSWORD, "device_id": "anongpc"}).json()["token"]

    def push_text(self, table, row_id, payload_json: str):
        """A push whose payload is sent as this JSON text: 2**63 or NaN as a laptop could."""
        hlc = f"{now_ms():013d}-0000-anongpc"
        op = json.dumps({"op_id": uuid7(), "table": table, "row_id": row_id, "op": "upsert",
                         "hlc": hlc, "payload": "PAYLOAD"})
        body = '{"cursor": 0, "ops": [' + op.replace('"PAYLOAD"', payload_json) + "]}"
        r = self.http.post("/v1/push", content=body.encode("utf-8"), headers={
            **P.version_headers(), "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json"})
        assert r.status_code == 200, r.text
        return r.json()["acks"][0]

    def data(self, row_id):
        with self.db.read() as c:
            return json.loads(c.value("SELECT data FROM records WHERE id = ?", (row_id,)))


BAD_EDITS = [
    ('{"lat": 9223372036854775808}', "64 bits"),         # 2**63
    ('{"lat": -9223372036854775809}', "lat"),    # -2**63 - 1: orjson reads it as a float
    ('{"phone": 1%s}' % ("0" * 400), "64 bits"),         # only the lenient parser reads it
    ('{"phone": 9223372036854775808}', "64 bits"),
    ('{"lat": NaN}', "finite"),
    ('{"lng": Infinity}', "finite"),
    ('{"lat": 1e308}', "Thailand"),
    ('{"lat": 0.0, "lng": 0.0}', "Thailand"),
    ('{"lat": true}', "Thailand"),
    ('{"lng": "100.5"}', "Thailand"),
    ('{"phone": "%s"}' % ("0" * 201), "200"),
    ('{"contact_person": "%s"}' % ("ก" * 900_000), "200"),
]


@pytest.mark.parametrize(("payload", "reason"), BAD_EDITS)
def test_a_factory_edit_no_laptop_can_carry_is_refused_and_the_province_syncs_on(
        server_db, tmp_path, payload, reason):
    office = Office(server_db)
    before = office.data(office.ids[0])
    ack = office.push_text("factories", office.ids[0], payload)
    assert ack["outcome"] == P.REJECTED and reason in ack["reason"], ack
    assert office.data(office.ids[0]) == before
    boon = Laptop(tmp_path / "boon.db", inproc_client(office.app), "boon")
    try:
        assert boon.sync().ok
        assert [r["name"] for r in search_factories(boon.store, "โรงงานหนึ่ง")] == ["โรงงานหนึ่ง"]
    finally:
        boon.close()


def test_what_an_inspector_may_write_into_a_factory_still_goes(server_db):
    office = Office(server_db)
    ack = office.push_text("factories", office.ids[0], json.dumps(
        {"lat": 18, "lng": 98.98, "phone": "0" * 200, "contact_person": "คุณสมชาย"}))
    assert ack["outcome"] == P.APPLIED, ack
    assert office.push_text("factories", office.ids[0], '{"lat": null, "lng": null}')[
        "outcome"] == P.APPLIED
    assert office.data(office.ids[0])["phone"] == "0" * 200


def _new_factory(fid, **extra):
    return json.dumps({"fid": fid, "name": "โรงงานใหม่", "province_code": "10", **extra})


def test_a_factory_reported_from_the_field_is_held_to_the_same_sizes(server_db):
    office = Office(server_db)
    ack = office.push_text("factories", factory_id("10100000000009"), _new_factory(
        "10100000000009", address="ถ" * 2001))
    assert ack["outcome"] == P.REJECTED and "2,000" in ack["reason"], ack
    ack = office.push_text("factories", factory_id("10100000000009"), _new_factory(
        "10100000000009", workers=2**63))
    assert ack["outcome"] == P.REJECTED and "64 bits" in ack["reason"], ack
    ack = office.push_text("factories", factory_id("10100000000009"), _new_factory(
        "10100000000009", address="ถ" * 2000, workers=2**63 - 1))
    assert ack["outcome"] == P.APPLIED, ack


def _poison(db, row_id, value):
    """What an office without these checks let in: a factory holding ``value`` as its lat,
    handed out as a new change."""
    with db.write() as c:
        data = json.loads(c.value("SELECT data FROM records WHERE id = ?", (row_id,)))
        data["lat"] = value
        seq = int(c.value("SELECT value FROM counters WHERE name = 'change_seq'")) + 1
        c.run("UPDATE records SET data = ?, seq = ? WHERE id = ?",
              (json.dumps(data), seq, row_id))
        c.run("UPDATE counters SET value = ? WHERE name = 'change_seq'", (seq,))


def test_a_laptop_skips_a_pulled_number_it_cannot_store_and_keeps_syncing(server_db,
                                                                          tmp_path):
    office = Office(server_db)
    boon = Laptop(tmp_path / "boon.db", inproc_client(office.app), "boon")
    try:
        assert boon.sync().ok
        _poison(server_db, office.ids[0], 2**63)
        for _ in range(2):
            summary = boon.sync()          # raised OverflowError before, on every sync
            assert summary.ok, summary.errors
        assert summary.skipped == 0        # the cursor moved past it: skipped once
        update_field_info(boon.store, office.ids[1], phone="02-123")
        assert boon.sync().ok
        assert office.data(office.ids[1])["phone"] == "02-123"
    finally:
        boon.close()
    # a laptop whose first sync (the snapshot) carries the row
    chai = Laptop(tmp_path / "anong.db", inproc_client(office.app), "anong")
    try:
        summary = chai.sync()
        assert summary.ok and summary.skipped == 1, summary.errors
        assert [r["name"] for r in search_factories(chai.store, "โรงงานสอง")] == ["โรงงานสอง"]
    finally:
        chai.close()
