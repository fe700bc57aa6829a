"""Fixtures for sync and server tests: the server database on SQLite AND PostgreSQL, users,
laptops, in-process and real-socket servers, and a transport that injects network faults.

PostgreSQL tests create their own database (fieldapp_test_<random>) for the session and a
fresh schema per test, and drop them afterwards. When PostgreSQL is unreachable they skip,
unless CI=true: then they fail, because CI must prove both backends.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import socket
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg
import pytest
import uvicorn

from fieldapp.core.canonical import canonical_bytes
from fieldapp.core.hlc import HybridClock
from fieldapp.core.resources import resource_path
from fieldapp.core.templates import parse_template

with warnings.catch_warnings():
    # Starlette nags about its httpx-based TestClient; we only borrow its ASGI transport.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
from fieldapp.core.ids import uuid7
from fieldapp.server.app import create_app
from fieldapp.server.auth import LoginLimiter, Principal, add_user, grant_province
from fieldapp.server.database import open_database
from fieldapp.server.http_head import HeadCapped
from fieldapp.server.office import publish_shipped_templates
from fieldapp.server.push import Op, push
from fieldapp.store.db import open_store
from fieldapp.store.factories import factory_id
from fieldapp.store.templates import install_bundled_templates
from fieldapp.sync.client import SyncClient
from fieldapp.sync.engine import SyncEngine

PG_ADMIN = os.environ.get("FIELDAPP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"
USERS = {"admin": ("admin", ()), "anong": ("inspector", ("10",)),
         "boon": ("inspector", ("10",)), "chai": ("inspector", ("20",))}


def _pg_or_skip() -> None:
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at {PG_ADMIN} is unreachable ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the PostgreSQL tests")
        pytest.skip(f"{message}; start it or set FIELDAPP_TEST_PG to run these tests")


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database for this test session (dropped at the end)."""
    _pg_or_skip()
    name = f"fieldapp_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    # pg_trgm (server schema V5) once, in public, as an administrator installs it: each
    # test's schema then finds it there, as a deployment's schema would.
    with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def pg_schema_url(database_url: str):
    """A fresh schema in the session database, as a URL whose search_path points at it."""
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{database_url}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server_db(request, tmp_path):
    """A fresh, migrated server database; every test using it runs on both engines."""
    if request.param == "sqlite":
        db = open_database(str(tmp_path / "server.db"))
        yield db
        db.close()
        return
    database = request.getfixturevalue("pg_database")
    with pg_schema_url(database) as url:
        db = open_database(url)
        yield db
        db.close()


def add_users(db) -> None:
    for name, (role, provinces) in USERS.items():
        add_user(db, name, PASSWORD, role)
        for code in provinces:
            grant_province(db, name, code)


# The office writing as itself: its clocks name the server's own device, "office".
ADMIN = Principal("admin", "admin", "admin", frozenset(), "office")


def seed_factories(db, factories: list[tuple[str, str, str]]) -> list[str]:
    """Put factories (fid, province_code, name) on the server as the office would."""
    clock = HybridClock("office")
    ops, ids = [], []
    for fid, province, name in factories:
        row_id = factory_id(fid)
        ids.append(row_id)
        ops.append(Op(uuid7(), "factories", row_id, "upsert",
                      {"fid": fid, "name": name, "province_code": province,
                       "province": f"จังหวัด {province}", "lat": 13.75, "lng": 100.5,
                       "phone": None, "contact_person": None}, clock.now()))
    acks = push(db, ADMIN, ops, 0)
    assert all(a["outcome"] == "applied" for a in acks), acks
    return ids


def template_doc(version: int = 1, key: str = "env-general") -> dict:
    """A shipped template document, under another version if asked."""
    doc = json.loads(resource_path("templates", f"{key}.json").read_text(encoding="utf-8"))
    doc["version"] = version
    return doc


def template_row(doc: dict) -> tuple[str, dict]:
    """The row id and fields of a valid published version, as a laptop would push it."""
    t = parse_template(doc, "test")
    return t.version_id, {"template_key": t.key, "version": t.version, "status": "published",
                          "title": t.title["th"],
                          "body": canonical_bytes(t.body).decode("utf-8"),
                          "content_hash": t.content_hash,
                          "published_at": "2026-01-01T00:00:00Z"}


FACTORIES = [("10100000000001", "10", "โรงงานหนึ่ง"), ("10100000000002", "10", "โรงงานสอง"),
             ("20200000000003", "20", "โรงงานสาม")]


def make_app(db):
    """The app on ``db``, with the shipped templates published as `serve` does."""
    publish_shipped_templates(db)
    return create_app(db, LoginLimiter(attempts=5, window=60))


def inproc_client(app, token: str | None = None, transport_wrapper=None) -> SyncClient:
    """A SyncClient that talks to ``app`` in-process (no sockets)."""
    test_client = TestClient(app, raise_server_exceptions=False)
    # TestClient is an httpx.Client whose transport runs the ASGI app; reuse that transport
    # (private attribute of httpx) under our own client so retries and faults are ours.
    transport = test_client._transport
    if transport_wrapper is not None:
        transport = transport_wrapper(transport)
    return SyncClient("http://testserver", token, transport=transport, backoff=0.001,
                      sleep=lambda s: None, retries=8)


class FaultTransport(httpx.BaseTransport):
    """Loses requests, loses responses after the server applied them, delivers twice."""

    def __init__(self, inner: httpx.BaseTransport, rng: random.Random, *,
                 lose_request: float = 0.0, lose_response: float = 0.0,
                 duplicate: float = 0.0):
        self.inner = inner
        self.rng = rng
        self.lose_request = lose_request
        self.lose_response = lose_response
        self.duplicate = duplicate
        self.enabled = True
        self.faults = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.enabled and self.rng.random() < self.lose_request:
            self.faults += 1
            raise httpx.ConnectError("injected: request lost", request=request)
        if self.enabled and self.rng.random() < self.duplicate:
            self.faults += 1
            self.inner.handle_request(request).read()
        response = self.inner.handle_request(request)
        response.read()
        if self.enabled and self.rng.random() < self.lose_response:
            self.faults += 1
            raise httpx.ReadError("injected: response lost after the server answered",
                                  request=request)
        return response


class Laptop:
    """One inspector's laptop: a local store and a sync engine against a server."""

    def __init__(self, path: Path, client: SyncClient, username: str):
        self.store = open_store(path)
        install_bundled_templates(self.store)
        self.client = client
        self.username = username
        answer = client.login(username, PASSWORD, self.store.device_id, path.stem)
        self.token = answer["token"]
        self.engine = SyncEngine(self.store, "http://unused", lambda: self.token,
                                 client=client)
        # One upload at a time: fault transports draw from a seeded random generator, and
        # Hypothesis needs the same draws in the same order on a replay. Parallel uploads
        # have their own tests.
        self.engine.uploads.parallel = 1

    def sync(self):
        return self.engine.run()

    def close(self) -> None:
        self.store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(app, **config):
    """``app`` served by uvicorn on a random loopback port in a thread, with the HTTP
    protocol ``serve`` uses; yields the URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", http=HeadCapped,
                                           timeout_graceful_shutdown=1, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    scheme = "https" if config.get("ssl_certfile") else "http"
    try:
        yield f"{scheme}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
