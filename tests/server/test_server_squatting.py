"""What one inspector can do to another's work with made-up ids and hashes, on both
backends: a factory report under a made-up id, an upload started with the wrong size or
wrong bytes, an op id someone else used, and uploads left unfinished to dodge the quota."""

from __future__ import annotations

import hashlib
import os
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

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.server import office, office_registry
from fieldapp.store import inspections as insp
from fieldapp.store.db import open_store
from fieldapp.store.factories import factory_id
from fieldapp.store.registry_import import import_factories
from fieldapp.sync import protocol as P

C_FID = "20200000000003"   # chai's factory, province 20 (server_fixtures.FACTORIES)


def _hlc(device: str) -> str:
    return f"{time.time_ns() // 1_000_000:013d}-0000-{device}"


class World:
    def __init__(self, db):
        self.db = db
        add_users(db)
        self.fids = seed_factories(db, FACTORIES)
        self.app = make_app(db)
        self.http = TestClient(self.app, raise_server_exceptions=False)
        self.devices = {"anong": "evil", "boon": "boonlaptop", "chai": "chailaptop"}
        self.tok = {u: self.http.post("/v1/login", headers=P.version_headers(), json={
            "username": u, "password": PASSWORD, "device_id": d}).json()["token"]
            for u, d in self.devices.items()}

    def h(self, user):
        return {**P.version_headers(), "Authorization": f"Bearer {self.tok[user]}"}

    def push(self, user, ops):
        r = self.http.post("/v1/push", headers=self.h(user), json={"cursor": 0, "ops": ops})
        assert r.status_code == 200, r.text
        return r.json()["acks"]

    def factory_op(self, user, row_id, payload, op_id=None):
        return {"op_id": op_id or uuid7(), "table": "factories", "row_id": row_id,
                "op": "upsert", "hlc": _hlc(self.devices[user]), "payload": payload}

    def put(self, user, sha, offset, total, data):
        return self.http.put(f"/v1/attachments/{sha}", headers={
            **self.h(user), "Upload-Offset": str(offset), "Upload-Length": str(total)},
            content=data)


@pytest.fixture
def world(server_db):
    return World(server_db)


# -- factories reported from the field ------------------------------------------------------

def test_a_made_up_factory_id_is_refused_and_assign_finds_the_real_factory(world):
    fake = "00000000-0000-7000-8000-000000000000"
    ack = world.push("anong", [world.factory_op("anong", fake, {
        "fid": C_FID, "name": "fake", "province_code": "10"})])[0]
    assert ack["outcome"] == P.REJECTED and "id" in ack["reason"], ack
    with world.db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE id = ?", (fake,)) == 0
    iid = office.assign(world.db, "chai", C_FID, "env-general", started_at="2026-01-01")
    with world.db.read() as c:
        row = c.one("SELECT province, data FROM records WHERE id = ?", (iid,))
    assert row["province"] == "20" and factory_id(C_FID) in row["data"]


def test_a_report_under_a_fids_own_id_of_a_held_factory_changes_nothing(world):
    ack = world.push("anong", [world.factory_op("anong", factory_id(C_FID), {
        "fid": C_FID, "name": "fake", "province_code": "10"})])[0]
    assert ack["outcome"] == P.REJECTED   # the office's row is in province 20
    with world.db.read() as c:
        assert '"fake"' not in c.value("SELECT data FROM records WHERE id = ?",
                                       (factory_id(C_FID),))
    assert not office_registry.reported_factories(world.db)


def test_assign_refuses_a_user_without_the_factorys_province(world):
    with pytest.raises(ValidationError) as exc:
        office.assign(world.db, "anong", C_FID, "env-general", started_at="2026-01-01")
    assert "จังหวัด" in str(exc.value) and "province" in str(exc.value)
    with pytest.raises(NotFoundError):
        office.assign(world.db, "anong", "10999999999999", "env-general",
                      started_at="2026-01-01")


def test_a_real_field_report_passes_and_the_registry_import_accepts_it(world, shared_data,
                                                                      tmp_path):
    sample = shared_data / "diw_factory_data_sample.csv"
    store = open_store(tmp_path / "peek.db")   # one fid of the file, as a laptop reads it
    try:
        import_factories(store, sample)
        fid = store.query("SELECT fid FROM factories ORDER BY fid LIMIT 1")[0]["fid"]
    finally:
        store.close()
    ack = world.push("anong", [world.factory_op("anong", factory_id(fid), {
        "fid": fid, "name": "โรงงานจากภาคสนาม", "province_code": "10"})])[0]
    assert ack["outcome"] == P.APPLIED, ack
    assert [r["fid"] for r in office_registry.reported_factories(world.db)] == [fid]
    office_registry.import_registry(world.db, sample)
    assert not office_registry.reported_factories(world.db)
    done = office_registry.reported_factories(world.db, include_accepted=True)
    assert [(r["fid"], bool(r["accepted_at"])) for r in done] == [(fid, True)]


def test_accept_factory_finds_the_report_by_its_id(world):
    fid = "10999999999999"
    ack = world.push("anong", [world.factory_op("anong", factory_id(fid), {
        "fid": fid, "name": "ใหม่", "province_code": "10"})])[0]
    assert ack["outcome"] == P.APPLIED, ack
    office_registry.accept_factory(world.db, fid, "admin")
    assert not office_registry.reported_factories(world.db)
    with pytest.raises(NotFoundError):
        office_registry.accept_factory(world.db, fid, "admin")


# -- operation ids ----------------------------------------------------------------------------

def test_another_users_op_id_is_refused_not_answered_with_their_outcome(world):
    op_id = uuid7()
    f10 = world.fids[0]
    ack = world.push("anong", [world.factory_op("anong", f10, {"phone": "01"}, op_id)])[0]
    assert ack["outcome"] == P.APPLIED
    again = world.push("anong", [world.factory_op("anong", f10, {"phone": "01"}, op_id)])[0]
    assert again["outcome"] == P.DUPLICATE and again["first_outcome"] == P.APPLIED
    theirs = world.push("boon", [world.factory_op("boon", f10, {"phone": "02"}, op_id)])[0]
    assert theirs["outcome"] == P.REJECTED and "op id" in theirs["reason"], theirs
    assert theirs["seq"] is None and "first_outcome" not in theirs
    with world.db.read() as c:
        assert '"02"' not in c.value("SELECT data FROM records WHERE id = ?", (f10,))


# -- uploads ----------------------------------------------------------------------------------

def test_a_size_squat_does_not_block_another_users_upload(world):
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    assert world.put("anong", sha, 0, 2, b"x").status_code == 200
    r = world.put("boon", sha, 0, len(data), data)
    assert r.status_code == 200 and r.json()["complete"], r.text


def test_a_size_squat_on_a_chunked_upload_does_not_block_it(world):
    data = os.urandom(5 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    assert world.put("anong", sha, 0, 2, b"x").status_code == 200
    r = world.put("boon", sha, 0, len(data), data[:4 * 1024 * 1024])
    assert r.status_code == 200, r.text
    r = world.put("boon", sha, 4 * 1024 * 1024, len(data), data[4 * 1024 * 1024:])
    assert r.status_code == 200 and r.json()["complete"], r.text


def test_wrong_partial_bytes_do_not_spoil_another_users_upload(world, tmp_path):
    data = b"\xff\xd8" + os.urandom(6 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    assert world.put("anong", sha, 0, len(data), b"x").status_code == 200
    boon = Laptop(tmp_path / "b.db", inproc_client(world.app), "boon")
    try:
        assert boon.sync().ok
        factory = world.fids[0]
        tid = boon.store.query("SELECT id FROM template_versions "
                               "WHERE template_key = 'env-general'")[0]["id"]
        rec = insp.create_inspection(boon.store, factory_id=factory,
                                     template_version_id=tid, created_by="boon")
        boon.sync()
        insp.add_attachment(boon.store, rec["id"], data)
        summary = boon.sync()
        assert summary.ok, summary.errors
    finally:
        boon.close()
    with world.db.read() as c:
        assert c.value("SELECT complete FROM uploads WHERE sha256 = ?", (sha,)) == 1
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'attachments' "
                       "AND blob_sha = ?", (sha,)) == 1


def test_bytes_sent_late_in_an_old_upload_count_towards_the_quota(world):
    world.app.state.upload_quota = 3 * 1024 * 1024
    parts = [os.urandom(2 * 1024 * 1024) for _ in range(3)]
    for data in parts:
        assert world.put("anong", hashlib.sha256(data).hexdigest(), 0, len(data),
                         data[:1]).status_code == 200
    with world.db.write() as c:   # a day passes
        c.run("UPDATE upload_owners SET created_at = '2000-01-01T00:00:00.000Z'")
        c.run("UPDATE uploads SET created_at = '2000-01-01T00:00:00.000Z'")
    codes = [world.put("anong", hashlib.sha256(d).hexdigest(), 1, len(d), d[1:]).status_code
             for d in parts]
    assert codes[:1] == [200] and 413 in codes, codes


def test_unfinished_uploads_one_user_may_hold_are_capped(world, monkeypatch):
    from fieldapp.server import blobs
    monkeypatch.setattr(blobs, "MAX_UNFINISHED", 3)
    shas = [hashlib.sha256(bytes([n]) * 100).hexdigest() for n in range(4)]
    for sha in shas[:3]:
        assert world.put("anong", sha, 0, 100, b"x").status_code == 200
    r = world.put("anong", shas[3], 0, 100, b"x")
    assert r.status_code == 413 and "unfinished" in r.json()["error"]["message"], r.text
    # continuing one already started is fine, and another user is not affected
    assert world.put("anong", shas[0], 1, 100, b"y").status_code == 200
    assert world.put("boon", shas[3], 0, 100, b"x").status_code == 200


def test_a_wrong_tail_cut_inside_a_chunk_is_resumed_and_verified(world):
    mb = 1024 * 1024
    data = os.urandom(6 * mb)
    sha = hashlib.sha256(data).hexdigest()
    assert world.put("boon", sha, 0, len(data), data[:4 * mb]).json()["offset"] == 4 * mb
    assert world.put("anong", sha, 0, len(data), data[:3 * mb]).json()["offset"] == 3 * mb
    # anong's wrong megabyte cuts boon's chunk at 3 MB (inside it) and takes its place
    assert world.put("anong", sha, 3 * mb, len(data), b"\0" * mb).status_code == 200
    r = world.put("boon", sha, 4 * mb, len(data), data[4 * mb:])
    assert r.status_code == 409 and r.json()["error"]["offset"] == 3 * mb, r.text
    r = world.put("boon", sha, 3 * mb, len(data), data[3 * mb:])
    assert r.status_code == 200 and r.json()["complete"], r.text
    with world.db.read() as c:
        stored = b"".join(bytes(p["data"]) for p in c.all(
            "SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos", (sha,)))
    assert stored == data
