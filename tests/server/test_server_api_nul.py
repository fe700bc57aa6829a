"""A NUL character anywhere a request names something is a 400 (or a refused operation),
never a 500: PostgreSQL refuses NUL in text, and a lookup or insert of it failed there
(found by attacking the sync API on loopback). Both backends."""

from __future__ import annotations

import pytest
from server_fixtures import PASSWORD
from test_server_api import Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)


@pytest.mark.parametrize("field", ["username", "device_id", "device_name"])
def test_a_login_naming_a_nul_is_a_bad_request(api, field):
    body = {"username": "anong", "password": PASSWORD, "device_id": "anong",
            "device_name": "laptop"}
    body[field] = body[field][:2] + "\x00" + body[field][2:]
    r = api.post("/v1/login", json=body)
    assert r.status_code == 400, r.text


@pytest.mark.parametrize("field", ["op_id", "table", "row_id", "hlc"])
def test_a_push_whose_envelope_holds_a_nul_is_a_bad_request(api, field):
    anong, dev = login(api, "anong"), Device("anong")
    _, ops = inspection_ops(dev, api.factories[0])
    ops[1][field] = ops[1][field] + "\x00"
    r = api.post("/v1/push", json={"ops": ops, "cursor": 0}, headers=anong)
    assert r.status_code == 400, r.text


def test_a_reference_holding_a_nul_is_refused_and_the_rest_applied(api):
    """What names or places a row is refused with a NUL; other text keeps it inside the
    row (tests/server/test_server_console_overview.py: a registry file may hold one)."""
    anong, dev = login(api, "anong"), Device("anong")
    iid, ops = inspection_ops(dev, api.factories[0])
    ops.append(dev.op("answers", "a-nul", {"inspection_id": iid + "\x00", "item_id": "1.2",
                                           "result": "pass"}))
    ops.append(dev.op("factories", "f-nul", {"fid": "10999999999998", "name": "ก",
                                             "province_code": "1\x000"}))
    ops.append(dev.op("answers", "a-note", {"inspection_id": iid, "item_id": "1.3",
                                            "note": "ก\x00ข", "result": "pass"}))
    acks = push_ok(api, anong, ops)
    assert [a["outcome"] for a in acks[1:]] == ["applied", "applied", "rejected", "rejected",
                                                "applied"], acks
    assert "NUL" in acks[3]["reason"] and "NUL" in acks[4]["reason"]


@pytest.mark.parametrize("path", ["/v1/pull?cursor=0&known=x%00y",
                                  "/v1/records/ab%00cd/verification",
                                  "/v1/attachments/" + "0" * 63 + "%00"])
def test_a_path_or_query_holding_a_nul_is_a_bad_request(api, path):
    r = api.get(path, headers=login(api, "anong"))
    assert r.status_code == 400, r.text
