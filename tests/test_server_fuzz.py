"""Fuzzing the HTTP API from its own OpenAPI document: whatever arrives, no 5xx, and every
error is JSON with a stable code. (Hypothesis drives it; schemathesis is not a dependency.)
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_fixtures import FACTORIES, PASSWORD, TestClient, add_users, make_app, seed_factories

from fieldapp.server.database import open_database
from fieldapp.sync import protocol as P

CODES = {P.E_BAD_REQUEST, P.E_UPDATE_REQUIRED, P.E_UNAUTHORIZED, P.E_FORBIDDEN, P.E_NOT_FOUND,
         P.E_TOO_LARGE, P.E_RATE_LIMITED, P.E_CONFLICT, P.E_HASH_MISMATCH, P.E_METHOD}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=5),
    max_leaves=20)

op_like = st.fixed_dictionaries({
    "op_id": st.text(max_size=40) | st.integers(), "table": st.sampled_from(P.TABLES)
    | st.text(max_size=12), "row_id": st.text(max_size=40), "op": st.sampled_from(
        ("upsert", "delete", "x")), "payload": st.dictionaries(
        st.sampled_from(("name", "fid", "phone", "lat", "state", "inspection_id", "deleted",
                         "bogus")), json_values, max_size=4) | json_values,
    "hlc": st.text(max_size=30) | st.just("1700000000000-0000-dev")})

bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"ops": st.lists(op_like, max_size=5),
                           "cursor": st.integers(-5, 2**64) | json_values}).map(
        lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"username": json_values, "password": json_values,
                           "device_id": json_values}).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"hashes": st.lists(st.text(max_size=70) | st.just("a" * 64),
                                              max_size=5)}).map(lambda v: json.dumps(v).encode()),
)


def _paths(doc: dict) -> list[tuple[str, str]]:
    out = []
    for path, item in doc["paths"].items():
        for method in item:
            out.append((method.upper(), path))
    return out


@pytest.fixture(scope="module")
def fuzz_api(tmp_path_factory):
    db = open_database(str(tmp_path_factory.mktemp("fuzz") / "server.db"))
    add_users(db)
    seed_factories(db, FACTORIES)
    client = TestClient(make_app(db), raise_server_exceptions=False)
    token = client.post("/v1/login", headers=P.version_headers(), json={
        "username": "anong", "password": PASSWORD, "device_id": "fuzzer"}).json()["token"]
    doc = client.get("/v1/openapi.json").json()
    yield client, token, _paths(doc)
    db.close()


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_request_gets_a_5xx(fuzz_api, data):
    client, token, paths = fuzz_api
    method, path = data.draw(st.sampled_from(paths + [("DELETE", "/v1/push"),
                                                      ("GET", "/v1/%00"), ("PUT", "/v1/x")]))
    path = path.replace("{sha256}", data.draw(st.sampled_from(
        ["a" * 64, "A" * 64, "zz", "0" * 63, "../../etc"])))
    headers = {}
    if data.draw(st.booleans()):
        headers.update(P.version_headers())
    else:
        headers.update(data.draw(st.dictionaries(
            st.sampled_from((P.H_PROTOCOL, P.H_SCHEMA)), st.sampled_from(
                ("1", "0", "-1", "x", "99999999999999999999", "")), max_size=2)))
    if data.draw(st.booleans()):
        headers["Authorization"] = data.draw(st.sampled_from(
            [f"Bearer {token}", "Bearer nope", "Basic abc", "Bearer", ""]))
    if data.draw(st.booleans()):
        headers["Content-Encoding"] = data.draw(st.sampled_from(("gzip", "br", "identity")))
    if method == "PUT":
        headers["Upload-Offset"] = data.draw(st.sampled_from(("0", "5", "-1", "x", "")))
        headers["Upload-Length"] = data.draw(st.sampled_from(("1", "10", "0", "9" * 30, "")))
    params = data.draw(st.dictionaries(st.sampled_from(("cursor", "limit")), st.sampled_from(
        ("0", "1", "-1", "x", "9" * 40, "")), max_size=2))
    body = data.draw(bodies) if method in ("POST", "PUT") else None
    response = client.request(method, path, content=body, headers=headers, params=params)
    assert response.status_code < 500, (method, path, headers, body, response.text)
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in CODES
