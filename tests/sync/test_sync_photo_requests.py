"""A day's sync, request by request: its photos go unasked in one batch and the push brings
the first pull page back (two requests), photos the office may hold are asked about, and a
photo upload that fails or is cut short loses nothing."""

from __future__ import annotations

import threading

import httpx
import pytest
from server_fixtures import FACTORIES, Laptop, add_users, inproc_client, make_app, seed_factories
from test_sync_roundtrip import make_finalized

from fieldapp.store import inspections as insp
from fieldapp.store.sync_state import pending_count
from fieldapp.sync import engine as sync_engine
from fieldapp.sync import push as outbox_push


class _Requests(httpx.BaseTransport):
    """Remembers each request's method and path."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner, self.seen = inner, []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


def _watched_laptop(server_db, tmp_path) -> tuple[Laptop, list[_Requests]]:
    """anong's laptop against a fresh office, each request it makes written down."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    wire: list[_Requests] = []
    client = inproc_client(make_app(server_db),
                           transport_wrapper=lambda t: wire.append(_Requests(t)) or wire[0])
    return Laptop(tmp_path / "a.db", client, "anong"), wire


@pytest.mark.parametrize("parallel", [1, 4])
def test_a_days_sync_sends_its_photos_unasked_and_learns_the_office_time_from_them(
        server_db, tmp_path, parallel):
    """A day's few new photos go in one batch without first asking which bytes the office
    lacks, and the batch's answer tells the office's time, which the push must know before
    it sends anything: no question and no health request. The push's answer brings the
    first pull page (server/pull_ask.py): two requests in all, where there were four."""
    a, wire = _watched_laptop(server_db, tmp_path)
    a.engine.uploads.parallel = parallel
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        make_finalized(a.store, factory)
        wire[0].seen.clear()
        summary = a.sync()
        assert summary.ok and summary.uploaded >= 3, summary.errors
        assert pending_count(a.store) == 0
        assert wire[0].seen == ["POST /v1/attachments/batch", "POST /v1/push"], wire[0].seen
        assert a.engine.client.clock_ahead_ms is not None
    finally:
        a.close()


def _sync_threads(monkeypatch) -> list[str]:
    """The names of the threads the sync starts of its own (``sync-…``), as they start."""
    started: list[str] = []
    start = threading.Thread.start

    def noted(thread: threading.Thread) -> None:
        if thread.name.startswith("sync-"):
            started.append(thread.name)
        start(thread)
    monkeypatch.setattr(threading.Thread, "start", noted)
    return started


def test_a_days_sync_starts_no_thread_and_a_long_push_still_pipelines(server_db, tmp_path,
                                                                      monkeypatch):
    """Changes that fit one request wait for their photos and go once, so neither the
    photos nor that request get a thread of their own (each would cost its start and
    hand-overs and overlap nothing). A push of several requests still sends each on its
    wire thread while the laptop records the last answers and reads the next batch."""
    a, wire = _watched_laptop(server_db, tmp_path)
    a.engine.uploads.parallel = 4   # as shipped
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        make_finalized(a.store, factory)
        started = _sync_threads(monkeypatch)
        wire[0].seen.clear()
        assert a.sync().ok and pending_count(a.store) == 0
        assert wire[0].seen == ["POST /v1/attachments/batch", "POST /v1/push"], wire[0].seen
        assert started == [], started

        make_finalized(a.store, factory)
        monkeypatch.setattr(outbox_push, "PUSH_BATCH", 20)   # several requests
        wire[0].seen.clear()
        assert a.sync().ok and pending_count(a.store) == 0
        assert wire[0].seen.count("POST /v1/push") > 2, wire[0].seen
        assert any(name.startswith("sync-push") for name in started), started
    finally:
        a.close()


def test_photos_the_office_may_hold_are_asked_about_and_not_sent_again(server_db, tmp_path):
    """New captions of photos the office already has: their bytes are not sent again, the
    laptop asks (the question's answer also tells the office's time); a record's photos
    over one batch's bytes are asked about too, so an interrupted upload resumes."""
    a, wire = _watched_laptop(server_db, tmp_path)
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        draft = insp.create_inspection(a.store, factory_id=factory, template_version_id=a.store.query(
            "SELECT id FROM template_versions LIMIT 1")[0]["id"])["id"]
        photos = [insp.add_attachment(a.store, draft, bytes([n]) * 200_000, caption=f"รูป {n}")
                  for n in range(2)]
        assert a.sync().ok
        wire[0].seen.clear()
        for photo in photos:
            insp.update_attachment(a.store, photo["id"], caption="บ่อบำบัด (แก้)")
        summary = a.sync()
        assert summary.ok and summary.uploaded == 0, summary
        assert wire[0].seen[0] == "POST /v1/attachments/missing", wire[0].seen
        assert "POST /v1/attachments/batch" not in wire[0].seen, wire[0].seen
        assert "GET /v1/health" not in wire[0].seen, wire[0].seen

        wire[0].seen.clear()
        for n in range(5):  # 5 MB: more than one batch carries
            insp.add_attachment(a.store, draft, bytes([10 + n]) * 1_000_000)
        summary = a.sync()
        assert summary.ok and summary.uploaded == 5, summary
        assert wire[0].seen[0] == "POST /v1/attachments/missing", wire[0].seen
    finally:
        a.close()


def test_photos_sent_again_after_a_sync_cut_before_its_push_are_taken_once(server_db, tmp_path):
    """The one wrong guess of sending unasked: the photos arrived, then the link went before
    the push. The next sync sends them again without asking; the office takes them as the
    bytes it holds, and every row and photo is there once."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    cut = []
    client = inproc_client(make_app(server_db),
                           transport_wrapper=lambda t: cut.append(_PushCut(t)) or cut[0])
    a = Laptop(tmp_path / "a.db", client, "anong")
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        inspection, digest = make_finalized(a.store, factory)
        first = a.sync()
        assert not first.ok and first.uploaded >= 3 and pending_count(a.store) > 0, first
        cut[0].cutting = False
        again = a.sync()
        assert again.ok and again.uploaded >= 3 and pending_count(a.store) == 0, again.errors
        with server_db.read() as c:
            shas = [r["blob_sha"] for r in c.all(
                "SELECT blob_sha FROM records WHERE tbl = 'attachments' AND parent_id = ?",
                (inspection,))]
            assert len(shas) == len(set(shas)) >= 3
            assert c.value("SELECT count(*) FROM uploads WHERE complete = 1") >= 3
    finally:
        a.close()


class _PushCut(httpx.BaseTransport):
    """Cuts the link on every push while ``cutting``: the photos before it arrive."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner, self.cutting = inner, True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.cutting and request.url.path == "/v1/push":
            raise httpx.ConnectError("injected: link cut before the push", request=request)
        return self.inner.handle_request(request)


class _PhotosFail(httpx.BaseTransport):
    """Refuses every upload of attachment bytes while ``failing``, as a cut link would."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner, self.failing = inner, True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        uploading = request.method == "PUT" or request.url.path == "/v1/attachments/batch"
        if self.failing and uploading:
            raise httpx.ConnectError("injected: upload cut", request=request)
        return self.inner.handle_request(request)


def _laptop_photos_failing(server_db, tmp_path, parallel: int) -> tuple[Laptop, _PhotosFail]:
    """anong's laptop against a fresh office, its photo uploads refused while the returned
    wire's ``failing`` is set, and no retries."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    wire: list[_PhotosFail] = []
    client = inproc_client(make_app(server_db),
                           transport_wrapper=lambda t: wire.append(_PhotosFail(t)) or wire[0])
    a = Laptop(tmp_path / "a.db", client, "anong")
    a.client.retries = 0
    a.engine.uploads.parallel = parallel
    return a, wire[0]


@pytest.mark.parametrize("parallel", [1, 4])
def test_a_failed_photo_upload_still_lets_the_changes_before_it_reach_the_office(server_db,
                                                                                 tmp_path,
                                                                                 parallel):
    """Photos that cannot be sent stop the push at the first photo row, not before it: the
    record's other changes reach the office, and the next sync brings the rest."""
    a, wire = _laptop_photos_failing(server_db, tmp_path, parallel)
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        inspection_id, digest = make_finalized(a.store, factory)
        cut = a.sync()
        assert not cut.ok and cut.errors
        with server_db.read() as c:
            stored = {r["tbl"]: r["n"] for r in c.all(
                "SELECT tbl, count(*) AS n FROM records WHERE tbl IN ('inspections', "
                "'answers', 'attachments') GROUP BY tbl")}
            state = c.value("SELECT data FROM records WHERE tbl = 'inspections' AND id = ?",
                            (inspection_id,))
        assert stored.get("inspections") == 1 and stored.get("answers", 0) > 0, stored
        assert "attachments" not in stored and '"finalized"' not in state
        assert pending_count(a.store) > 0
        wire.failing = False
        assert a.sync().ok and pending_count(a.store) == 0
        with server_db.read() as c:
            assert c.value("SELECT count(*) FROM records WHERE tbl = 'attachments'") == 3
            assert '"finalized"' in c.value("SELECT data FROM records WHERE tbl = "
                                            "'inspections' AND id = ?", (inspection_id,))
        assert insp.compute_content_hash(a.store, inspection_id) == digest
    finally:
        a.close()


@pytest.mark.parametrize("failing", [False, True])
def test_a_push_of_several_requests_overlaps_its_photos_and_never_outruns_them(
        server_db, tmp_path, monkeypatch, failing):
    """More changes than one request carries: the photos go on a side thread while the
    changes before the first photo row are pushed, and no photo row leaves before its bytes
    arrived. An upload that fails stops the push at that row; the next sync brings the
    rest."""
    monkeypatch.setattr(outbox_push, "PUSH_BATCH", 20)
    monkeypatch.setattr(sync_engine, "PUSH_BATCH", 20)
    a, wire = _laptop_photos_failing(server_db, tmp_path, 4)   # as shipped
    try:
        wire.failing = False
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        inspection_id, digest = make_finalized(a.store, factory)
        assert pending_count(a.store) > 20
        wire.failing = failing
        started = _sync_threads(monkeypatch)
        summary = a.sync()
        assert any(name.startswith("sync-upload-all") for name in started), started
        with server_db.read() as c:
            photos = c.value("SELECT count(*) FROM records WHERE tbl = 'attachments'")
            answers = c.value("SELECT count(*) FROM records WHERE tbl = 'answers'")
        rejected = a.store.query("SELECT count(*) AS n FROM outbox WHERE status = 'rejected'")
        assert rejected[0]["n"] == 0   # no photo row ever reached the office before its bytes
        if failing:
            assert not summary.ok and photos == 0 and answers > 0 and pending_count(a.store)
            wire.failing = False
            assert a.sync().ok
        else:
            assert summary.ok, summary.errors
        assert pending_count(a.store) == 0
        with server_db.read() as c:
            assert c.value("SELECT count(*) FROM records WHERE tbl = 'attachments'") == 3
        assert insp.compute_content_hash(a.store, inspection_id) == digest
    finally:
        a.close()

