"""Who may publish a checklist template version, and what the server checks in one, on both
backends: a laptop of an inspector cannot publish (its bundled copies are no noise), the
office's publish is never blocked by a laptop, and no body the laptops cannot read is ever
stored."""

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
    template_doc,
    template_row,
)

from fieldapp.core.canonical import canonical_bytes, content_hash
from fieldapp.core.errors import ValidationError
from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.office import publish_template_file
from fieldapp.store.sync_state import rejected_changes
from fieldapp.sync import protocol as P


@pytest.fixture
def api(server_db):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    client = TestClient(make_app(server_db), raise_server_exceptions=False)
    client.headers.update(P.version_headers())
    return client


def login(api, user):
    r = api.post("/v1/login", json={"username": user, "password": PASSWORD,
                                    "device_id": user})
    assert r.status_code == 200, r.text
    # The device header says whose clock push_template stamps (the server checks it).
    return {"Authorization": f"Bearer {r.json()['token']}", P.H_DEVICE: user}


def push_template(api, auth, row_id, fields):
    op = {"op_id": uuid7(), "table": "template_versions", "row_id": row_id, "op": "upsert",
          "payload": fields, "hlc": HybridClock(auth[P.H_DEVICE]).now()}
    r = api.post("/v1/push", json={"ops": [op], "cursor": 0}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["acks"][0]


def stored(db, row_id):
    with db.read() as c:
        row = c.one("SELECT data FROM records WHERE tbl = 'template_versions' AND id = ?",
                    (row_id,))
    return json.loads(row["data"]) if row else None


def test_an_inspector_cannot_publish_a_template_version(api, server_db):
    row_id, fields = template_row(template_doc(99))
    ack = push_template(api, login(api, "anong"), row_id, fields)
    assert ack["outcome"] == P.REJECTED
    assert "office" in ack["reason"]
    assert stored(server_db, row_id) is None
    # and a laptop of another province does not get it
    pulled = api.get("/v1/pull", headers=login(api, "chai")).json()["changes"]
    assert not [c for c in pulled if c["row"]["id"] == row_id]


def test_the_office_publishes_a_version_an_inspector_tried_first(api, server_db, tmp_path):
    doc = template_doc(2)
    row_id, fields = template_row(doc)
    fields["title"] = "ของผู้ตรวจ"
    assert push_template(api, login(api, "anong"), row_id, fields)["outcome"] == P.REJECTED
    path = tmp_path / "env-general-v2.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    row = publish_template_file(server_db, path)
    assert row["id"] == row_id
    assert stored(server_db, row_id)["content_hash"] == fields["content_hash"]


def test_the_same_version_the_office_published_is_a_quiet_no_op_for_a_laptop(api, server_db):
    row_id, fields = template_row(template_doc(1))   # the shipped version, already published
    assert stored(server_db, row_id) is not None
    ack = push_template(api, login(api, "anong"), row_id, {**fields, "published_at": "x"})
    assert ack["outcome"] == P.APPLIED
    assert stored(server_db, row_id)["published_at"] != "x"


@pytest.mark.parametrize("breakage", ["not json", "schema", "hash", "key", "id"])
def test_even_an_admin_cannot_store_a_body_laptops_cannot_read(api, server_db, breakage):
    row_id, fields = template_row(template_doc(7))
    if breakage == "not json":
        fields["body"] = "{not json"
    elif breakage == "schema":
        body = json.loads(fields["body"])
        del body["sections"]
        fields["body"] = canonical_bytes(body).decode("utf-8")
        fields["content_hash"] = content_hash(body)
    elif breakage == "hash":
        fields["content_hash"] = "0" * 64
    elif breakage == "key":
        fields["template_key"] = "complaint"
    else:
        row_id = "tv-made-up"
    ack = push_template(api, login(api, "admin"), row_id, fields)
    assert ack["outcome"] == P.REJECTED, ack
    assert ack["reason"]
    assert stored(server_db, row_id) is None


def test_an_admin_publishes_a_valid_version(api, server_db):
    row_id, fields = template_row(template_doc(8))
    assert push_template(api, login(api, "admin"), row_id, fields)["outcome"] == P.APPLIED
    assert stored(server_db, row_id)["version"] == 8


def test_the_office_publish_refuses_a_file_that_fails_the_schema(server_db, tmp_path):
    doc = template_doc(9)
    del doc["form_code"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError):
        publish_template_file(server_db, path)


def test_an_inspector_laptop_keeps_its_bundled_templates_quietly(server_db, tmp_path):
    """Its bundled versions are local: not pushed, nothing refused. A fresh laptop gets the
    office's published versions with its snapshot, and a version only the office has."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    doc = template_doc(5, "complaint")
    path = tmp_path / "complaint-v5.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    publish_template_file(server_db, path)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        summary = a.sync()
        assert summary.ok and summary.rejected == 0, summary.line()
        assert not rejected_changes(a.store)
        keys = {(r["template_key"], r["version"]) for r in a.store.query(
            "SELECT template_key, version FROM template_versions")}
        assert {("env-general", 1), ("complaint", 1), ("follow-up", 1),
                ("complaint", 5)} <= keys
        with server_db.read() as c:
            devices = {json.loads(r["data"])["template_key"]: r["device_id"] for r in c.all(
                "SELECT data, device_id FROM records WHERE tbl = 'template_versions'")}
        assert a.store.device_id not in devices.values()
    finally:
        a.close()
