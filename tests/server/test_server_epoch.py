"""Only the administrator's ``fieldapp-server restored`` renames the server's history (its
epoch, server/history.py), on both backends: a cursor a laptop sends is no evidence the
server can check, and the office's own writes are no restore."""

from __future__ import annotations

import json

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

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.core.resources import resource_path
from fieldapp.server import history, office, office_registry
from fieldapp.server.cli import main as server_main
from fieldapp.store import sync_state
from fieldapp.store.changes import save_row
from fieldapp.sync import protocol as P


def _epoch(db):
    with db.read() as c:
        return c.value("SELECT value FROM server_meta WHERE key = ?", (history.EPOCH,))


@pytest.fixture
def world(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    assert laptop.sync().ok
    api = TestClient(app, raise_server_exceptions=False)
    api.headers.update(P.version_headers())
    yield server_db, laptop, api
    laptop.close()


def _auth(api, user):
    r = api.post("/v1/login", json={"username": user, "password": PASSWORD,
                                    "device_id": uuid7().replace("-", "")})
    return {"Authorization": f"Bearer {r.json()['token']}"}


@pytest.mark.parametrize("route", ["pull", "push"])
def test_a_crafted_cursor_does_not_make_other_laptops_start_over(world, route):
    db, laptop, api = world
    save_row(laptop.store, "factories", {"id": laptop.store.query(
        "SELECT id FROM factories WHERE province_code = '10' ORDER BY id")[0]["id"],
        "phone": "02-000-0000"})
    assert laptop.sync().ok
    before = _epoch(db)
    auth = _auth(api, "chai")
    if route == "pull":
        r = api.get("/v1/pull", params={"cursor": 4611686018427387904}, headers=auth)
    else:
        r = api.post("/v1/push", json={"cursor": 4611686018427387904, "ops": [{
            "op_id": uuid7(), "table": "factories", "row_id": "nope", "op": "delete",
            "payload": {}, "hlc": HybridClock("x").now()}]}, headers=auth)
    assert r.status_code == 200, r.text
    assert _epoch(db) == before
    again = laptop.sync()
    assert again.ok and again.resent == 0 and again.requests == 1, again.line()


def test_a_laptop_past_the_head_is_answered_from_the_start(world):
    db, laptop, api = world
    with db.read() as c:
        head = int(c.value("SELECT value FROM counters WHERE name = 'change_seq'"))
    page = api.get("/v1/pull", params={"cursor": head + 1000, "limit": 1000},
                   headers=_auth(api, "anong")).json()
    assert page["cursor"] <= head and page["changes"], page
    assert {c["t"] for c in page["changes"]} >= {"factories", "template_versions"}


def test_the_advice_to_run_restored_is_given_only_when_it_was_not(world, caplog):
    """A cursor past the head with the server's own epoch: a restore without `restored`
    (or a made-up number), worth the advice. With an older epoch: a laptop from before
    `restored` was run, which sends again and starts anew; the advice would be wrong."""
    db, _laptop, api = world
    with db.read() as c:
        head = int(c.value("SELECT value FROM counters WHERE name = 'change_seq'"))
    auth = _auth(api, "anong")
    for epoch, advised in ((_epoch(db), True), ("an-older-history", False)):
        caplog.clear()
        with caplog.at_level("WARNING", logger="fieldapp.server.history"):
            r = api.get("/v1/pull", params={"cursor": head + 1000, "epoch": epoch},
                        headers=auth)
        assert r.status_code == 200
        assert ("fieldapp-server restored" in caplog.text) == advised, caplog.text


def test_office_work_leaves_the_epoch_alone(world, shared_data, tmp_path):
    db, laptop, _api = world
    before = _epoch(db)
    office_registry.import_registry(db, shared_data / "diw_factory_data_sample.csv")
    assert _epoch(db) == before
    doc = json.loads(resource_path("templates", "complaint.json").read_text(encoding="utf-8"))
    doc["version"] = 3
    path = tmp_path / "complaint-v3.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    office.publish_template_file(db, path)
    assert _epoch(db) == before
    office.assign(db, "anong", FACTORIES[0][0], "complaint",
                  started_at="2026-01-01T00:00:00Z")
    assert _epoch(db) == before
    summary = laptop.sync()
    assert summary.ok and summary.resent == 0, summary.line()
    assert laptop.store.query("SELECT count(*) AS n FROM inspections")[0]["n"] == 1


def test_only_restored_renames_the_history(world):
    db, laptop, _api = world
    before = _epoch(db)
    assert server_main(["--db", db.url, "restored"]) == 0
    assert _epoch(db) != before
    assert laptop.sync().ok
    assert sync_state.get_state(laptop.store, sync_state.SERVER_EPOCH) == _epoch(db)
