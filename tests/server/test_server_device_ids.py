"""A laptop names its own device at login, and the office checks that each change's clock
names the caller's device: so a login may not take the office's own device nor a device
already registered to another user (else its changes pass as theirs). Clocks name a device
without its dashes (core/hlc.py), so ids are compared that way. Both backends, real requests."""

from __future__ import annotations

import pytest
from server_fixtures import FACTORIES, PASSWORD, TestClient, add_users, make_app, seed_factories

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.sync import protocol as P


@pytest.fixture
def office(server_db):
    add_users(server_db)
    ids = seed_factories(server_db, FACTORIES)
    http = TestClient(make_app(server_db), raise_server_exceptions=False)
    return server_db, http, ids


def login(http, user, device):
    return http.post("/v1/login", headers=P.version_headers(), json={
        "username": user, "password": PASSWORD, "device_id": device})


def push_phone(http, token, row_id, device, phone):
    r = http.post("/v1/push", headers={**P.version_headers(), "Authorization": f"Bearer {token}"},
                  json={"cursor": 0, "ops": [{
                      "op_id": uuid7(), "table": "factories", "row_id": row_id, "op": "upsert",
                      "payload": {"phone": phone}, "hlc": HybridClock(device).now()}]})
    assert r.status_code == 200, r.text
    return r.json()["acks"][0]


@pytest.mark.parametrize("device", ["office", "server", "off-ice", "Office", "---"])
def test_the_offices_own_device_is_not_a_laptops(office, device):
    _db, http, ids = office
    r = login(http, "anong", device)
    assert r.status_code == 400 and "token" not in r.json(), r.text
    assert "สงวน" in r.text and "reserved" in r.text


def test_a_device_registered_to_another_user_is_refused_and_its_own_user_goes_on(office):
    db, http, ids = office
    assert login(http, "anong", "shared-pc-1").status_code == 200
    for taken in ("shared-pc-1", "sharedpc1", "shared-pc1"):
        r = login(http, "boon", taken)
        assert r.status_code == 400 and "another user" in r.text, r.text
    again = login(http, "anong", "shared-pc-1")       # the same laptop logging in again
    assert again.status_code == 200, again.text
    assert push_phone(http, again.json()["token"], ids[0], "shared-pc-1", "02-1")[
        "outcome"] == P.APPLIED
    # boon cannot stamp anong's device into a change from a device of his own either
    boon = login(http, "boon", "boonpc").json()["token"]
    ack = push_phone(http, boon, ids[0], "shared-pc-1", "02-2")
    assert ack["outcome"] == P.REJECTED and "device" in ack["reason"]


def test_a_device_id_with_dashes_logs_in_and_pushes(office):
    db, http, ids = office
    r = login(http, "anong", "my-laptop-7")
    assert r.status_code == 200, r.text
    assert push_phone(http, r.json()["token"], ids[0], "my-laptop-7", "02-7")[
        "outcome"] == P.APPLIED
    with db.read() as c:
        assert c.value("SELECT device_id FROM records WHERE id = ?", (ids[0],)) == "mylaptop7"


def test_a_laptop_handed_over_is_free_once_the_admin_revoked_its_previous_user(office):
    from fieldapp.server.auth import list_devices, revoke_device
    db, http, ids = office
    assert login(http, "anong", "office-pc-9").status_code == 200
    assert login(http, "boon", "office-pc-9").status_code == 400   # still anong's
    for row in list_devices(db):
        if row["username"] == "anong" and row["device_id"] == "office-pc-9":
            revoke_device(db, row["id"])
    r = login(http, "boon", "office-pc-9")
    assert r.status_code == 200, r.text
    assert push_phone(http, r.json()["token"], ids[0], "office-pc-9", "02-9")[
        "outcome"] == P.APPLIED
