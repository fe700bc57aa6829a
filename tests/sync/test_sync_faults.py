"""Sync under faults (both backends): lost requests, responses lost after the server
committed, duplicate deliveries, a crash in the middle of applying a page, interrupted and
damaged uploads. Nothing is lost, nothing is duplicated, replicas converge."""

from __future__ import annotations

import contextlib
import hashlib
import random

import httpx
import pytest
from server_fixtures import (
    ADMIN,
    FACTORIES,
    FaultTransport,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)
from test_sync_roundtrip import SYNC_TABLES, make_finalized, table_rows

from fieldapp.server.auth import Principal
from fieldapp.store import bulk_insert, sync_apply, sync_state
from fieldapp.store import inspections as insp
from fieldapp.store.blobs import put_blob
from fieldapp.sync import protocol as P
from fieldapp.sync import uploads as uploads_module
from fieldapp.sync.client import SyncError


@contextlib.contextmanager
def crash_after(monkeypatch, calls: int, error=KeyboardInterrupt):
    """Make the laptop "lose power" after ``calls`` row writes while applying a page."""
    count = {"n": 0}
    targets = {"_apply_one": sync_apply, "insert_new": bulk_insert}
    originals = {name: getattr(module, name) for name, module in targets.items()}

    def hook(name):
        def crashing(*args):
            result = originals[name](*args)
            count["n"] += 1
            if count["n"] == calls:
                raise error("injected: laptop lost power")
            return result
        return crashing

    with monkeypatch.context() as m:
        for name, module in targets.items():
            m.setattr(module, name, hook(name))
        yield


def sync_until_ok(laptop, attempts=40):
    for _ in range(attempts):
        summary = laptop.sync()
        if summary.ok:
            return summary
    raise AssertionError(f"sync never succeeded: {summary.errors}")


def server_counts(db):
    with db.read() as c:
        return {r["tbl"]: r["n"] for r in c.all(
            "SELECT tbl, count(*) AS n FROM records GROUP BY tbl")}


def test_lossy_network_neither_loses_nor_duplicates(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    rng = random.Random(5)
    faults = []

    def lossy(inner):
        t = FaultTransport(inner, rng, lose_request=0.15, lose_response=0.25, duplicate=0.2)
        faults.append(t)
        return t

    a = Laptop(tmp_path / "a.db", inproc_client(app, transport_wrapper=lossy), "anong")
    b = Laptop(tmp_path / "b.db", inproc_client(app), "anong")
    try:
        sync_until_ok(a)
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        insp.create_inspection(a.store, factory_id=factory,
                               template_version_id=a.store.query(
                                   "SELECT id FROM template_versions LIMIT 1")[0]["id"])
        made: list = []
        # A day's work a round, until the injector has fired often (how often a round
        # draws it depends on how many requests a sync makes, which is not this test's).
        for day in range(8):
            made += [make_finalized(a.store, factory, photo=bytes([3 * day + n]) * 300_000,
                                    answers=5) for n in range(3)]
            sync_until_ok(a)
            if faults[0].faults > 3:
                break
        assert faults[0].faults > 3, "the fault injector did not fire"
        local = {t: len(table_rows(a.store, t)) for t in SYNC_TABLES}
        assert sync_state.pending_count(a.store) == 0
        assert not sync_state.rejected_changes(a.store)
        counts = server_counts(server_db)
        for table in SYNC_TABLES:
            if table != "factories":
                assert counts.get(table, 0) == local[table], table
        with server_db.read() as c:
            assert c.value("SELECT count(*) FROM ops") == c.value(
                "SELECT count(DISTINCT op_id) FROM ops")
        sync_until_ok(b)
        for inspection_id, digest in made:
            assert insp.compute_content_hash(b.store, inspection_id) == digest
        faults[0].enabled = False
        sync_until_ok(a)
        for table in SYNC_TABLES:
            assert table_rows(a.store, table) == table_rows(b.store, table), table
    finally:
        a.close()
        b.close()


def test_interrupted_upload_resumes_from_the_server_offset(server_db, tmp_path, monkeypatch):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    monkeypatch.setattr(uploads_module, "CHUNK", 256 * 1024)
    state = {"puts": 0, "sent": 0}

    class CutAfterSecondChunk(FaultTransport):
        def handle_request(self, request):
            if request.method == "PUT":
                state["puts"] += 1
                state["sent"] += len(request.content)
                response = self.inner.handle_request(request)
                response.read()
                if state["puts"] == 2:
                    raise httpx.ReadError("injected: connection cut during upload",
                                          request=request)
                return response
            return self.inner.handle_request(request)

    def wrap(inner):
        return CutAfterSecondChunk(inner, random.Random(0))

    laptop = Laptop(tmp_path / "a.db", inproc_client(app, transport_wrapper=wrap), "anong")
    laptop.client.retries = 0
    try:
        laptop.sync()
        factory = laptop.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        big = random.Random(1).randbytes(1_000_000)
        draft = insp.create_inspection(laptop.store, factory_id=factory,
                                       template_version_id=laptop.store.query(
                                           "SELECT id FROM template_versions LIMIT 1")[0]["id"])
        insp.add_attachment(laptop.store, draft["id"], big)
        laptop.client.retries = 0
        cut = laptop.sync()
        assert not cut.ok and "unreachable" in cut.errors[0]
        laptop.client.retries = 3
        with server_db.read() as c:
            received = c.value("SELECT received FROM uploads")
        assert received == 2 * 256 * 1024  # two chunks stored, the answer to the 2nd lost
        summary = sync_until_ok(laptop)
        assert summary.uploaded == 1
        # the resumed upload started at the server's offset: no byte was sent twice
        assert state["sent"] == len(big)
        with server_db.read() as c:
            data = b"".join(bytes(r["data"]) for r in c.all(
                "SELECT data FROM blob_chunks ORDER BY pos"))
        assert hashlib.sha256(data).hexdigest() == hashlib.sha256(big).hexdigest()
    finally:
        laptop.close()


def test_damaged_upload_is_discarded_not_kept(server_db, tmp_path):
    from fieldapp.server.blobs import upload_chunk
    good = b"photo bytes" * 100
    sha = hashlib.sha256(good).hexdigest()
    answer = upload_chunk(server_db, ADMIN, sha, 0, len(good), b"X" * len(good))
    assert answer.get("hash_mismatch") and not answer["complete"]
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM blob_chunks") == 0
    assert upload_chunk(server_db, ADMIN, sha, 0, len(good), good)["complete"]
    # replaying any chunk of a completed blob changes nothing
    assert upload_chunk(server_db, ADMIN, sha, 0, len(good), good) == {
        "offset": len(good), "complete": True}


def test_crash_while_applying_a_page_keeps_page_and_cursor_together(server_db, tmp_path,
                                                                    monkeypatch):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    writer = Laptop(tmp_path / "w.db", inproc_client(app), "anong")
    reader = Laptop(tmp_path / "r.db", inproc_client(app), "anong")
    try:
        sync_until_ok(writer)
        sync_until_ok(reader)
        factory = writer.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        make_finalized(writer.store, factory, answers=3)
        sync_until_ok(writer)
        before = sync_state.cursor(reader.store)
        with crash_after(monkeypatch, 3), pytest.raises(KeyboardInterrupt):
            reader.sync()
        assert sync_state.cursor(reader.store) == before
        assert not reader.store.query("SELECT 1 FROM answers")  # nothing half-applied
        sync_until_ok(reader)
        for table in SYNC_TABLES:
            assert table_rows(reader.store, table) == table_rows(writer.store, table), table
        # replaying the whole history again changes nothing
        page = reader.client.pull(0, 5000)
        from fieldapp.sync import protocol as P
        counts = sync_apply.apply_rows(reader.store, page["changes"], P.COLUMNS, None)
        assert counts["applied"] == 0 and counts["skipped"] == 0
    finally:
        writer.close()
        reader.close()


def test_blob_missing_on_server_is_not_an_error_until_uploaded(server_db, tmp_path):
    add_users(server_db)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        put_blob(laptop.store.blob_dir, b"x")
        with pytest.raises(SyncError) as err:
            laptop.client.download(hashlib.sha256(b"never uploaded").hexdigest())
        assert err.value.code == "not_found"
    finally:
        laptop.close()


def test_two_laptops_uploading_the_same_photo_at_once(server_db):
    import threading

    from fieldapp.server.blobs import upload_chunk
    data = random.Random(7).randbytes(300_000)
    sha = hashlib.sha256(data).hexdigest()
    chunk = 10_000
    results, errors = [], []

    def laptop(who):
        offset = 0
        try:
            while True:
                try:
                    answer = upload_chunk(server_db, who, sha, offset, len(data),
                                          data[offset:offset + chunk])
                except Exception as exc:  # a 409: continue where the server is
                    if getattr(exc, "code", None) != "conflict":
                        raise
                    answer = {"offset": exc.offset, "complete": False}
                if answer["complete"]:
                    results.append(answer)
                    return
                offset = answer["offset"]
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    # Two inspectors: each sends every byte (proving they have the photo), stored once.
    threads = [threading.Thread(target=laptop, args=(Principal(
        name, name, "inspector", frozenset({"10"}), f"{name}-laptop"),))
        for name in ("anong", "boon")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(results) == 2
    with server_db.read() as c:
        stored = b"".join(bytes(r["data"]) for r in c.all(
            "SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos", (sha,)))
    assert stored == data


def test_parallel_uploads_cut_midway_resume_and_all_arrive(server_db, tmp_path):
    """Several photos in flight at once, while the changes before them are pushed; the
    connection fails on one photo: the sync stops with the error before any attachment row
    is pushed, what was verified stays, and the next sync sends only the rest."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    state = {"puts": 0, "sent": 0}

    class OnePutFails(FaultTransport):
        def handle_request(self, request):
            if request.method == "PUT":
                state["puts"] += 1
                if state["puts"] == 3:
                    raise httpx.ConnectError("injected: connection refused", request=request)
                state["sent"] += len(request.content)
            return self.inner.handle_request(request)

    laptop = Laptop(tmp_path / "a.db", inproc_client(
        app, transport_wrapper=lambda inner: OnePutFails(inner, random.Random(0))), "anong")
    laptop.engine.uploads.parallel = 3
    laptop.engine.uploads.batches = False  # one request a photo (batches: the test below)
    laptop.client.retries = 0
    try:
        assert laptop.sync().ok
        factory = laptop.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        draft = insp.create_inspection(laptop.store, factory_id=factory,
                                       template_version_id=laptop.store.query(
                                           "SELECT id FROM template_versions LIMIT 1")[0]["id"])
        photos = [random.Random(n).randbytes(50_000 + n) for n in range(6)]
        for photo in photos:
            insp.add_attachment(laptop.store, draft["id"], photo)
        cut = laptop.sync()
        assert not cut.ok and "unreachable" in cut.errors[0]
        with server_db.read() as c:
            # the draft went while the photos travelled; no attachment row went without
            # its bytes (the failed upload stopped the push at the first attachment row)
            assert c.value("SELECT count(*) FROM records WHERE id = ?", (draft["id"],)) == 1
            assert c.value("SELECT count(*) FROM records WHERE tbl = 'attachments'") == 0
        assert sync_state.pending_count(laptop.store) == len(photos)
        summary = sync_until_ok(laptop)
        assert cut.uploaded + summary.uploaded == len(photos)
        assert state["sent"] == sum(len(p) for p in photos)  # no photo was sent twice
        with server_db.read() as c:
            stored = {r["sha256"]: bytes(r["data"]) for r in c.all(
                "SELECT u.sha256, b.data FROM uploads u JOIN blob_chunks b "
                "ON b.sha256 = u.sha256 WHERE u.complete = 1")}
        assert stored == {hashlib.sha256(p).hexdigest(): p for p in photos}
        with server_db.read() as c:
            shas = {r["blob_sha"] for r in c.all(
                "SELECT blob_sha FROM records WHERE tbl = 'attachments'")}
        assert shas == set(stored)
    finally:
        laptop.close()


def _laptop_with_photos(server_db, tmp_path, transport_class, count=6):
    """A laptop after its first sync, with a draft holding ``count`` small photos; each
    request goes through ``transport_class(inner)``."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    laptop = Laptop(tmp_path / "a.db", inproc_client(
        make_app(server_db), transport_wrapper=transport_class), "anong")
    laptop.client.retries = 0
    assert laptop.sync().ok
    factory = laptop.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
    draft = insp.create_inspection(laptop.store, factory_id=factory,
                                   template_version_id=laptop.store.query(
                                       "SELECT id FROM template_versions LIMIT 1")[0]["id"])
    photos = [random.Random(n).randbytes(40_000 + n) for n in range(count)]
    for photo in photos:
        insp.add_attachment(laptop.store, draft["id"], photo)
    return laptop, photos


def _office_holds(server_db, photos) -> None:
    with server_db.read() as c:
        stored = {r["sha256"]: bytes(r["data"]) for r in c.all(
            "SELECT u.sha256, b.data FROM uploads u JOIN blob_chunks b "
            "ON b.sha256 = u.sha256 WHERE u.complete = 1")}
        named = {r["blob_sha"] for r in c.all(
            "SELECT blob_sha FROM records WHERE tbl = 'attachments'")}
    assert stored == {hashlib.sha256(p).hexdigest(): p for p in photos}
    assert named == set(stored)


class _Counting(httpx.BaseTransport):
    def __init__(self, inner):
        self.inner = inner
        self.seen: list[tuple[str, str]] = []

    def handle_request(self, request):
        self.seen.append((request.method, request.url.path))
        return self.inner.handle_request(request)


def test_a_records_small_photos_travel_in_one_request(server_db, tmp_path):
    made = []
    laptop, photos = _laptop_with_photos(
        server_db, tmp_path, lambda inner: made.append(_Counting(inner)) or made[-1])
    try:
        made[0].seen.clear()
        summary = laptop.sync()
        assert summary.ok and summary.uploaded == len(photos)
        assert made[0].seen.count(("POST", "/v1/attachments/batch")) == 1
        assert not [m for m, path in made[0].seen if m == "PUT"]
        _office_holds(server_db, photos)
    finally:
        laptop.close()


def test_an_office_without_batches_gets_each_photo_on_its_own(server_db, tmp_path):
    """An office from before batches answers 405 (its route for one attachment has no
    POST): the laptop sends each photo on its own, then and for the rest of the run."""
    class OlderOffice(_Counting):
        def handle_request(self, request):
            if request.url.path == "/v1/attachments/batch":
                self.seen.append((request.method, request.url.path))
                return httpx.Response(405, json={"error": {
                    "code": P.E_METHOD, "message": "method not allowed"}})
            return super().handle_request(request)

    made = []
    laptop, photos = _laptop_with_photos(
        server_db, tmp_path, lambda inner: made.append(OlderOffice(inner)) or made[-1])
    try:
        assert laptop.sync().ok
        assert made[0].seen.count(("POST", "/v1/attachments/batch")) == 1
        assert len([m for m, _ in made[0].seen if m == "PUT"]) == len(photos)
        assert laptop.engine.uploads.batches is False
        _office_holds(server_db, photos)
    finally:
        laptop.close()


def test_a_batch_cut_or_damaged_on_the_way_loses_no_photo(server_db, tmp_path):
    """The first batch never arrives (the sync stops before any attachment row goes); the
    next one arrives with one photo's bytes damaged: that photo goes again on its own."""
    state = {"batches": 0}

    class CutThenDamage(_Counting):
        def handle_request(self, request):
            if request.url.path == "/v1/attachments/batch":
                state["batches"] += 1
                if state["batches"] == 1:
                    raise httpx.ConnectError("injected: connection refused", request=request)
                if state["batches"] == 2:
                    body = bytearray(request.read())
                    body[10] ^= 0xFF  # inside the first part
                    request = httpx.Request(request.method, request.url,
                                            headers=request.headers, content=bytes(body))
            return super().handle_request(request)

    made = []
    laptop, photos = _laptop_with_photos(
        server_db, tmp_path, lambda inner: made.append(CutThenDamage(inner)) or made[-1])
    try:
        cut = laptop.sync()
        assert not cut.ok and "unreachable" in cut.errors[0]
        with server_db.read() as c:
            assert c.value("SELECT count(*) FROM records WHERE tbl = 'attachments'") == 0
        made[0].seen.clear()
        assert sync_until_ok(laptop).ok
        assert state["batches"] == 2
        assert len([m for m, _ in made[0].seen if m == "PUT"]) == 1  # the damaged one
        assert sync_state.pending_count(laptop.store) == 0
        _office_holds(server_db, photos)
    finally:
        laptop.close()
