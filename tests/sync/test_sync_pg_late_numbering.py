"""Pushes side by side on PostgreSQL (server/push.py, storage_pg.py): a push works out its
changes without holding the change sequence, and takes it only to number and write them.

Each test holds one push at the moment it has worked everything out and is about to number
(``_Push._number``), and shows what another push or the upload cleanup can and cannot do
meanwhile: go ahead on other rows, wait for the rows the held push has locked, or make it
run again when what it counted on is gone."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from hashlib import sha256

import pytest
from server_fixtures import (
    ADMIN,
    FACTORIES,
    pg_schema_url,
    seed_factories,
    template_doc,
    template_row,
)

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server import blob_gc
from fieldapp.server import push as push_module
from fieldapp.server.blobs import upload_chunk
from fieldapp.server.database import open_database
from fieldapp.server.frozen_records import FROZEN_REASON
from fieldapp.server.pull import pull
from fieldapp.server.push import Op, push
from fieldapp.sync import protocol as P

pytestmark = pytest.mark.postgres

TEMPLATE_ID, TEMPLATE = template_row(template_doc())
WAIT_S = 20


class Held:
    """Runs one push on a thread and holds it just before it numbers its changes, until
    ``release``. Counts how many times that push was worked out (``runs``)."""

    def __init__(self, monkeypatch, db, who, ops):
        self.arrived, self.released = threading.Event(), threading.Event()
        self.runs = 0
        self.acks: list[dict] | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(db, who, ops))
        original = push_module._Push._number
        held = self

        def number(batch, acks):
            if threading.current_thread() is held.thread:
                held.runs += 1
                held.arrived.set()
                assert held.released.wait(WAIT_S)
            return original(batch, acks)

        monkeypatch.setattr(push_module._Push, "_number", number)

    def _run(self, db, who, ops) -> None:
        try:
            self.acks = push(db, who, ops, 0)
        except BaseException as exc:  # noqa: BLE001 - checked by the test
            self.error = exc

    def start(self) -> Held:
        self.thread.start()
        assert self.arrived.wait(WAIT_S), "the held push never got to numbering"
        return self

    def release(self) -> list[dict]:
        self.released.set()
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive()
        assert self.error is None, self.error
        return self.acks


def in_thread(fn, *args) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - checked by the test
            out["error"] = exc
    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


@pytest.fixture
def pg_db(pg_database):
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        yield db
        db.close()


def rename(factory: str, name: str, clock: HybridClock) -> Op:
    return Op(uuid7(), "factories", factory, "upsert", {"name": name}, clock.now())


def test_a_push_goes_ahead_while_another_is_working_out_its_changes(pg_db, monkeypatch):
    f1, f2, _ = seed_factories(pg_db, FACTORIES)
    a, b = HybridClock("lap-a"), HybridClock("lap-b")
    held = Held(monkeypatch, pg_db, replace(ADMIN, device_id="lap-a"),
                [rename(f1, "โรงงานหนึ่ง ใหม่", a)]).start()
    thread, out = in_thread(push, pg_db, replace(ADMIN, device_id="lap-b"),
                            [rename(f2, "โรงงานสอง ใหม่", b)], 0)
    thread.join(WAIT_S)
    # A design that serialised whole pushes would keep this one waiting for the held one.
    assert not thread.is_alive(), "the second push waited for the first one's work"
    [second] = out["value"]
    [first] = held.release()
    assert first["outcome"] == second["outcome"] == P.APPLIED
    # Numbered when they were written: the held push numbered last, so its change comes
    # after, and a puller sees each change once, in order.
    assert first["seq"] > second["seq"]
    page = pull(pg_db, ADMIN, 0, limit=1000)
    seqs = [c["seq"] for c in page["changes"]]
    assert seqs == sorted(set(seqs))
    assert {c["row"]["name"] for c in page["changes"] if c["row"]["id"] in (f1, f2)} == \
        {"โรงงานหนึ่ง ใหม่", "โรงงานสอง ใหม่"}


def test_two_pushes_creating_the_same_row_settle_by_running_again(pg_db, monkeypatch):
    seed_factories(pg_db, FACTORIES)
    row = "factory-reported-twice"
    a, b = HybridClock("lap-a"), HybridClock("lap-b")
    fields = {"fid": "10100000000099", "name": "โรงงานใหม่", "province_code": "10"}
    held = Held(monkeypatch, pg_db, replace(ADMIN, device_id="lap-a"),
                [Op(uuid7(), "factories", row, "upsert", dict(fields), a.now())]).start()
    # Meanwhile another laptop creates the same row, and commits first.
    later = Op(uuid7(), "factories", row, "upsert", {**fields, "name": "โรงงานใหม่ (ข)"},
               b.now())
    [second] = push(pg_db, replace(ADMIN, device_id="lap-b"), [later], 0)
    [first] = held.release()
    # The held push found no row, so it would insert one: the insert clashed, and the
    # push was worked out again against the row the other one made.
    assert held.runs == 2
    assert first["outcome"] == second["outcome"] == P.APPLIED
    with pg_db.read() as c:
        rows = c.all("SELECT data FROM records WHERE tbl = 'factories' AND id = ?", (row,))
    assert len(rows) == 1
    assert '"โรงงานใหม่ (ข)"' in rows[0]["data"]  # the later clock wins the name


def _inspection(db, clock: HybridClock) -> tuple[str, str]:
    f1 = seed_factories(db, FACTORIES)[0]
    iid = uuid7()
    acks = push(db, replace(ADMIN, device_id="lap-a"), [
        Op(uuid7(), "template_versions", TEMPLATE_ID, "upsert", {"id": TEMPLATE_ID, **TEMPLATE},
           clock.now()),
        Op(uuid7(), "inspections", iid, "upsert",
           {"factory_id": f1, "template_version_id": TEMPLATE_ID, "kind": "routine",
            "state": "draft", "started_at": "2026-01-01T00:00:00Z"}, clock.now()),
        Op(uuid7(), "answers", f"{iid}-1", "upsert",
           {"inspection_id": iid, "item_id": "1.1", "result": "pass", "note": None},
           clock.now())], 0)
    assert all(a["outcome"] == P.APPLIED for a in acks), acks
    return iid, f"{iid}-1"


def test_a_child_cannot_change_while_its_inspection_is_being_finalized(pg_db, monkeypatch):
    a, b = HybridClock("lap-a"), HybridClock("lap-b")
    iid, answer = _inspection(pg_db, a)
    held = Held(monkeypatch, pg_db, replace(ADMIN, device_id="lap-a"),
                [Op(uuid7(), "inspections", iid, "upsert", {"state": "finalized"},
                    a.now())]).start()
    # The edit names only the field it changes, not its inspection: the push must still
    # wait for the inspection, or it would change a record being signed off.
    thread, out = in_thread(push, pg_db, replace(ADMIN, device_id="lap-b"),
                            [Op(uuid7(), "answers", answer, "upsert", {"note": "แก้ไข"},
                                b.now())], 0)
    thread.join(1.0)
    assert thread.is_alive(), "an answer changed while its inspection was being finalized"
    [finalized] = held.release()
    thread.join(WAIT_S)
    [edit] = out["value"]
    assert finalized["outcome"] == P.APPLIED
    assert edit["outcome"] == P.REJECTED and edit["reason"] == FROZEN_REASON
    with pg_db.read() as c:
        assert '"แก้ไข"' not in c.value("SELECT data FROM records WHERE tbl = 'answers' "
                                         "AND id = ?", (answer,))


def test_bytes_collected_meanwhile_are_not_named(pg_db, monkeypatch):
    clock = HybridClock("lap-a")
    iid, _ = _inspection(pg_db, clock)
    photo = b"\xff\xd8 a photo nobody's row names yet"
    digest = sha256(photo).hexdigest()
    assert upload_chunk(pg_db, ADMIN, digest, 0, len(photo), photo)["complete"]
    held = Held(monkeypatch, pg_db, replace(ADMIN, device_id="lap-a"), [
        Op(uuid7(), "attachments", "att-1", "upsert",
           {"inspection_id": iid, "kind": "photo", "sha256": digest, "size": len(photo),
            "mime": "image/jpeg"}, clock.now())]).start()
    # The upload cleanup runs while the push is worked out: the bytes are unreferenced.
    report = blob_gc.collect(pg_db, 1, now=datetime.now(UTC) + timedelta(days=3))
    assert report["unreferenced"] == 1
    [ack] = held.release()
    assert held.runs == 2  # saw them gone when it numbered, and ran again
    assert ack["outcome"] == P.REJECTED
    with pg_db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE blob_sha = ?", (digest,)) == 0
