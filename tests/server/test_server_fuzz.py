"""Fuzzing the HTTP API from its own OpenAPI document: whatever arrives, no 5xx, and every
error is JSON with a stable code. (Hypothesis drives it; schemathesis is not a dependency.)
"""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_fixtures import (
    FACTORIES,
    PASSWORD,
    TestClient,
    add_users,
    make_app,
    pg_schema_url,
    seed_factories,
)

from fieldapp.server.database import open_database
from fieldapp.sync import protocol as P

CODES = {P.E_BAD_REQUEST, P.E_UPDATE_REQUIRED, P.E_UNAUTHORIZED, P.E_FORBIDDEN, P.E_NOT_FOUND,
         P.E_TOO_LARGE, P.E_RATE_LIMITED, P.E_CONFLICT, P.E_HASH_MISMATCH, P.E_METHOD}

# Text as JSON may carry it: lone surrogates too ("\ud800" is valid JSON, not Unicode).
texts = st.text(max_size=30) | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                                       min_size=1, max_size=3)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=5),
    max_leaves=20)

op_like = st.fixed_dictionaries({
    "op_id": texts | st.integers(), "table": st.sampled_from(P.TABLES)
    | st.text(max_size=12), "row_id": texts, "op": st.sampled_from(
        ("upsert", "delete", "x")), "payload": st.dictionaries(
        st.sampled_from(("name", "fid", "phone", "lat", "state", "inspection_id", "deleted",
                         "bogus")), json_values, max_size=4) | json_values,
    "hlc": st.text(max_size=30) | st.just("1700000000000-0000-dev")})

# JSON nested deeper than any parser's recursion limit.
deep = st.integers(900, 5_000).map(lambda n: b"[" * n + b"]" * n) | st.integers(900, 5_000).map(
    lambda n: b'{"ops": ' + b'{"a": ' * n + b"1" + b"}" * n + b', "cursor": 0}')

as_json = lambda v: json.dumps(v).encode()  # noqa: E731 - escapes lone surrogates as \\ud800
push_bodies = st.fixed_dictionaries({
    "ops": st.lists(op_like, max_size=5), "cursor": st.integers(-5, 2**64) | json_values},
    optional={"epoch": texts | json_values}).map(as_json)
login_bodies = st.fixed_dictionaries({
    "username": texts | json_values, "password": texts | json_values,
    "device_id": texts | json_values}, optional={"device_name": texts}).map(as_json)
hash_bodies = st.fixed_dictionaries({"hashes": st.lists(texts | st.just("a" * 64),
                                                        max_size=5)}).map(as_json)
bodies = st.one_of(st.binary(max_size=200), deep, json_values.map(as_json), push_bodies,
                   login_bodies, hash_bodies)
# What each route parses, for the fuzz behind a valid login.
ROUTE_BODIES = {"/v1/push": push_bodies, "/v1/login": login_bodies,
                "/v1/attachments/missing": hash_bodies}


def _paths(doc: dict) -> list[tuple[str, str]]:
    out = []
    for path, item in doc["paths"].items():
        for method in item:
            out.append((method.upper(), path))
    return out


@contextlib.contextmanager
def _fuzz_db(request, tmp_path_factory):
    if request.param == "sqlite":
        yield open_database(str(tmp_path_factory.mktemp("fuzz") / "server.db"))
        return
    with pg_schema_url(request.getfixturevalue("pg_database")) as url:
        yield open_database(url)


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fuzz_api(request, tmp_path_factory):
    with _fuzz_db(request, tmp_path_factory) as db:
        yield from _fuzz_client(db)


def _fuzz_client(db):
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
    # Mostly well-formed envelopes (versions, a valid token, no odd encoding), so that the
    # garbage reaches the handlers behind them rather than the first check.
    if data.draw(st.integers(0, 4)):
        headers.update(P.version_headers())
    else:
        headers.update(data.draw(st.dictionaries(
            st.sampled_from((P.H_PROTOCOL, P.H_SCHEMA)), st.sampled_from(
                ("1", "0", "-1", "x", "99999999999999999999", "")), max_size=2)))
    if data.draw(st.integers(0, 4)):
        headers["Authorization"] = data.draw(st.sampled_from(
            [f"Bearer {token}"] * 6 + ["Bearer nope", "Basic abc", "Bearer", ""]))
    if not data.draw(st.integers(0, 3)):
        headers["Content-Encoding"] = data.draw(st.sampled_from(("gzip", "br", "identity")))
    if method == "PUT":
        # Latin-1 bytes: "²" passes str.isdigit but not int()
        headers["Upload-Offset"] = data.draw(st.sampled_from(
            (b"0", b"5", b"-1", b"x", b"", b"\xb2", b"1\xb9")))
        headers["Upload-Length"] = data.draw(st.sampled_from(
            (b"1", b"10", b"0", b"9" * 30, b"", b"\xb2")))
    params = data.draw(st.dictionaries(st.sampled_from(("cursor", "limit")), st.sampled_from(
        ("0", "1", "-1", "x", "9" * 40, "", "²", "١٢", "𝟙", "1_0")), max_size=2))
    body = data.draw(bodies) if method in ("POST", "PUT") else None
    response = client.request(method, path, content=body, headers=headers, params=params)
    assert response.status_code < 500, (method, path, headers, body, response.text)
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in CODES


# Anything a number may be written with: "²" and "١" pass str.isdigit, "٣" even int().
digit_like = st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=3)
latin1_digits = st.text(st.characters(codec="latin-1", categories=("Nd", "No")), min_size=1,
                        max_size=3).map(lambda t: t.encode("latin-1"))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_garbage_behind_a_valid_login_gets_a_400_not_a_500(fuzz_api, data):
    """Past the version and token checks, straight to the handlers: every body, number
    and text they parse themselves."""
    client, token, paths = fuzz_api
    method, path = data.draw(st.sampled_from(paths))
    path = path.replace("{sha256}", "a" * 64).replace("{record_id}", "x")
    headers = {**P.version_headers(), "Authorization": f"Bearer {token}"}
    if method == "PUT":
        headers["Upload-Offset"] = data.draw(latin1_digits)
        headers["Upload-Length"] = data.draw(latin1_digits | st.just(b"1"))
    params = data.draw(st.dictionaries(st.sampled_from(("cursor", "limit", "known", "epoch")),
                                       digit_like | st.text(max_size=30), max_size=3))
    body = data.draw(ROUTE_BODIES.get(path, bodies) | bodies) \
        if method in ("POST", "PUT") else None
    response = client.request(method, path, content=body, headers=headers, params=params)
    assert response.status_code < 500, (method, path, headers, params, body, response.text)


# -- the classes of input that once got a 500, on both backends ------------------------------

@pytest.fixture
def api_client(server_db):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    client = TestClient(make_app(server_db), raise_server_exceptions=False)
    client.headers.update(P.version_headers())
    token = client.post("/v1/login", json={"username": "anong", "password": PASSWORD,
                                           "device_id": "fuzzer"}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _bad_request(response) -> str:
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == P.E_BAD_REQUEST
    return response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/v1/push", "/v1/login", "/v1/attachments/missing"])
def test_deeply_nested_json_is_a_400(api_client, path):
    for depth in (2_000, 100_000):
        body = b"[" * depth + b"]" * depth
        assert "JSON" in _bad_request(api_client.post(path, content=body))
        body = b'{"ops": ' + b"[" * depth + b"]" * depth + b', "cursor": 0}'
        _bad_request(api_client.post(path, content=body))


LONE_SURROGATES = ['"\\ud800"', '"\\udfff x"', '"ok \\ud83d"']


@pytest.mark.parametrize("text", LONE_SURROGATES)
def test_a_lone_surrogate_in_any_body_is_a_400(api_client, text):
    inspection = {"op_id": "op-1", "table": "factories", "row_id": "f-1", "op": "upsert",
                  "payload": {"name": "__X__"}, "hlc": "1700000000000-0000-dev"}
    for path, body in (
            ("/v1/push", json.dumps({"ops": [inspection], "cursor": 0})),
            ("/v1/login", json.dumps({"username": "__X__", "password": "p",
                                      "device_id": "d"})),
            ("/v1/attachments/missing", json.dumps({"hashes": ["__X__"]}))):
        message = _bad_request(api_client.post(path, content=body.replace('"__X__"', text)))
        assert "Unicode" in message
    # a surrogate in a key, too
    body = '{"ops": [], "cursor": 0, ' + text + ': 1}'
    _bad_request(api_client.post("/v1/push", content=body))


@pytest.mark.parametrize("value", ["²", "¹²", "١٢", "𝟙", "٣", " 1", "1 ", "+1", "1_0", "-0"])
def test_numbers_in_the_query_and_headers_are_ascii_digits_only(api_client, value):
    for name in ("cursor", "limit"):
        _bad_request(api_client.get("/v1/pull", params={name: value}))
    sha = "a" * 64
    raw = value.encode("latin-1", "ignore")
    if raw.decode("latin-1") == value:  # headers travel as Latin-1: "²" can, "١" cannot
        for offset, total in ((raw, b"1"), (b"0", raw)):
            _bad_request(api_client.put(f"/v1/attachments/{sha}", content=b"x", headers={
                "Upload-Offset": offset, "Upload-Length": total}))
    _bad_request(api_client.get("/v1/pull", headers={P.H_PROTOCOL: raw or b"x"}))



@pytest.mark.parametrize("value", ["²", "¹²", "²" * 16, "١٢٣"])
def test_a_laptops_time_written_in_other_digits_is_ignored_not_a_500(value):
    """X-FieldApp-Time is informational: unreadable, it is ignored. (Called directly: the
    test client sends header text as UTF-8, a real laptop's raw Latin-1 "²" reaches it.)"""
    from fieldapp.server.clocks import client_ahead
    assert client_ahead(value) is None


@pytest.mark.parametrize("value", ["²", "¹²", "9" * 30])
def test_the_laptop_reads_the_offices_numbers_safely(value):
    """A broken (or hostile) office cannot crash the laptop, or make it sleep for ever."""
    import httpx

    from fieldapp.sync.client import SyncClient
    waits = []
    client = SyncClient("http://office.invalid", sleep=waits.append)
    client._note_time(httpx.Response(200, headers={P.H_TIME: value.encode("latin-1")}))
    assert client.clock_ahead_ms is None or abs(client.clock_ahead_ms) < 10**17
    client._wait(1, value)
    assert waits and waits[0] <= 300
