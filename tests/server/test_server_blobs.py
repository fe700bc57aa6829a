"""Attachment bytes on both backends: an attachment row may only name bytes its author
uploaded (proving possession) or may already read; ``missing`` answers per caller; per-user
upload quota; cleanup of unfinished and unreferenced uploads."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from server_fixtures import FACTORIES, TestClient, add_users, make_app, seed_factories
from test_server_api import Device, inspection_ops, login, push_ok

from fieldapp.core.ids import uuid7
from fieldapp.server.app import create_app
from fieldapp.server.auth import LoginLimiter
from fieldapp.server.timeutil import iso
from fieldapp.sync import protocol as P

PHOTO = "ภาพโรงงานของอนงค์ (anong's photo)".encode() * 50
SHA = hashlib.sha256(PHOTO).hexdigest()


@pytest.fixture
def web(server_db):
    """The app in-process over a database with users and factories (as test_server_api)."""
    add_users(server_db)
    client = TestClient(make_app(server_db), raise_server_exceptions=False)
    client.headers.update(P.version_headers())
    client.factories = seed_factories(server_db, FACTORIES)
    return client


def put(web, auth, sha, offset, total, data):
    return web.put(f"/v1/attachments/{sha}", content=data, headers={
        **auth, "Upload-Offset": str(offset), "Upload-Length": str(total)})


def photo_op(dev, iid, sha=SHA, size=None):
    return dev.op("attachments", uuid7(), {"inspection_id": iid, "kind": "photo",
                                            "sha256": sha, "size": size or len(PHOTO),
                                            "mime": "image/jpeg"})


def missing(web, auth, *hashes):
    r = web.post("/v1/attachments/missing", json={"hashes": list(hashes)}, headers=auth)
    assert r.status_code == 200, r.text
    return {m["sha256"]: m["offset"] for m in r.json()["missing"]}


def with_photo(web, user="anong", data=PHOTO):
    """``user`` uploads ``data`` and pushes an inspection with a row naming it."""
    auth, dev = login(web, user, device=user), Device(user)
    assert put(web, auth, hashlib.sha256(data).hexdigest(), 0, len(data), data).json()[
        "complete"]
    iid, ops = inspection_ops(dev, web.factories[0])
    acks = push_ok(web, auth, [*ops, photo_op(dev, iid, hashlib.sha256(data).hexdigest(),
                                              len(data))])
    assert [a["outcome"] for a in acks] == ["applied"] * 4, acks
    return auth, dev, iid


def test_a_row_naming_someone_elses_photo_is_rejected_and_gives_no_access(web):
    """The review's attack: boon names anong's photo (size 1) in his own inspection."""
    anong, _, _ = with_photo(web)
    assert web.get(f"/v1/attachments/{SHA}", headers=anong).content == PHOTO
    boon, dev = login(web, "boon", device="boon"), Device("boon")
    iid, ops = inspection_ops(dev, web.factories[0])
    acks = push_ok(web, boon, [*ops, photo_op(dev, iid, size=1)])
    assert [a["outcome"] for a in acks] == ["applied"] * 3 + ["rejected"]
    assert "upload" in acks[-1]["reason"]
    assert web.get(f"/v1/attachments/{SHA}", headers=boon).status_code == 404


def test_missing_does_not_reveal_other_users_bytes(web):
    anong, _, _ = with_photo(web)
    assert missing(web, anong, SHA) == {}
    boon = login(web, "boon")
    assert missing(web, boon, SHA) == {SHA: 0}
    # half an upload of anong's: boon is told his own offset (none), not hers
    big = bytes(range(256)) * 40
    big_sha = hashlib.sha256(big).hexdigest()
    assert put(web, anong, big_sha, 0, len(big), big[:1000]).json()["offset"] == 1000
    assert missing(web, anong, big_sha) == {big_sha: 1000}
    assert missing(web, boon, big_sha) == {big_sha: 0}


def test_the_same_photo_uploaded_by_two_users_proves_possession_without_storing_twice(web,
                                                                                    server_db):
    with_photo(web)
    boon, dev = login(web, "boon", device="boon"), Device("boon")
    # wrong bytes under anong's name: refused, and still not his
    bad = put(web, boon, SHA, 0, len(PHOTO), b"x" * len(PHOTO))
    assert bad.status_code == 422
    assert missing(web, boon, SHA) == {SHA: 0}
    # in chunks, as a laptop resumes a big one: compared with what is stored
    half = len(PHOTO) // 2
    assert put(web, boon, SHA, 0, len(PHOTO), PHOTO[:half]).json() == \
        {"offset": half, "complete": False}
    assert missing(web, boon, SHA) == {SHA: half}
    assert put(web, boon, SHA, half, len(PHOTO), PHOTO[half:]).json()["complete"]
    assert missing(web, boon, SHA) == {}
    iid, ops = inspection_ops(dev, web.factories[0])
    acks = push_ok(web, boon, [*ops, photo_op(dev, iid)])
    assert [a["outcome"] for a in acks] == ["applied"] * 4
    assert web.get(f"/v1/attachments/{SHA}", headers=boon).content == PHOTO
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM blob_chunks WHERE sha256 = ?", (SHA,)) == 1
        assert sorted(r["user_id"] for r in c.all(
            "SELECT u.username AS user_id FROM upload_owners o JOIN users u "
            "ON u.id = o.user_id WHERE o.sha256 = ?", (SHA,))) == ["anong", "boon"]


def test_a_caption_change_to_a_photo_already_readable_is_accepted(web):
    anong, dev, iid = with_photo(web)
    # her other laptop: never uploaded it, may read it
    second, other = login(web, "anong", device="anong2"), Device("anong2")
    assert missing(web, second, SHA) == {}
    acks = push_ok(web, second, [photo_op(other, iid)])
    assert [a["outcome"] for a in acks] == ["applied"]


def test_a_row_before_its_bytes_is_rejected_with_a_reason(web):
    anong, dev = login(web, "anong", device="anong"), Device("anong")
    iid, ops = inspection_ops(dev, web.factories[0])
    acks = push_ok(web, anong, [*ops, photo_op(dev, iid)])
    assert acks[-1]["outcome"] == "rejected" and "upload" in acks[-1]["reason"]


def test_upload_quota_refuses_with_a_clear_413(server_db):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = create_app(server_db, LoginLimiter(attempts=5, window=60), upload_quota=3000)
    client = TestClient(app, raise_server_exceptions=False)
    client.headers.update(P.version_headers())
    anong = login(client, "anong")
    one = bytes(2000)
    assert put(client, anong, hashlib.sha256(one).hexdigest(), 0, 2000, one).json()[
        "complete"]
    two = b"\x01" * 2000
    r = put(client, anong, hashlib.sha256(two).hexdigest(), 0, 2000, two)
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == P.E_TOO_LARGE
    assert "โควตา" in r.json()["error"]["message"] and "quota" in r.json()["error"]["message"]
    # another user has their own allowance
    boon = login(client, "boon")
    assert put(client, boon, hashlib.sha256(two).hexdigest(), 0, 2000, two).json()[
        "complete"]


def _age(server_db, sha, days):
    old = iso(datetime.now(UTC) - timedelta(days=days))
    with server_db.write() as c:
        c.run("UPDATE uploads SET created_at = ? WHERE sha256 = ?", (old, sha))
        c.run("UPDATE upload_owners SET created_at = ? WHERE sha256 = ?", (old, sha))


@pytest.mark.parametrize("dry_run", [False, True])
def test_cleanup_removes_only_old_unfinished_and_unreferenced_bytes(web, server_db, dry_run):
    from fieldapp.server import blob_gc

    anong, _, _ = with_photo(web)                       # referenced: kept however old
    blobs = {name: bytes([n]) * 3000 for n, name in enumerate(
        ("stale_half", "fresh_half", "stale_orphan", "fresh_orphan"))}
    shas = {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}
    for name, data in blobs.items():
        part = data[:1000] if name.endswith("half") else data
        put(web, anong, shas[name], 0, len(data), part)
    for name in ("stale_half", "stale_orphan"):
        _age(server_db, shas[name], 8)
    _age(server_db, SHA, 30)
    report = blob_gc.collect(server_db, days=7, dry_run=dry_run)
    assert report == {"unfinished": 1, "unreferenced": 1, "bytes": 4000}
    with server_db.read() as c:
        left = {r["sha256"] for r in c.all("SELECT sha256 FROM uploads")}
        chunks = {r["sha256"] for r in c.all("SELECT DISTINCT sha256 FROM blob_chunks")}
        owners = {r["sha256"] for r in c.all("SELECT DISTINCT sha256 FROM upload_owners")}
    want = {SHA, *shas.values()} if dry_run else \
        {SHA, shas["fresh_half"], shas["fresh_orphan"]}
    assert left == chunks == owners == want
    assert web.get(f"/v1/attachments/{SHA}", headers=anong).content == PHOTO


def post_batch(web, auth, parts, header=None):
    """POST several whole blobs in one request (``parts``: (sha256, bytes))."""
    return web.post("/v1/attachments/batch", content=b"".join(d for _, d in parts), headers={
        **auth, P.H_UPLOAD_PARTS: header if header is not None else
        ",".join(f"{sha}:{len(d)}" for sha, d in parts)})


def _blob(n: int, size: int = 3000) -> tuple[str, bytes]:
    data = bytes([n]) * size
    return hashlib.sha256(data).hexdigest(), data


def test_a_batch_of_whole_photos_is_taken_each_answered_and_readable(web, server_db):
    anong = login(web, "anong")
    parts = [_blob(n) for n in range(1, 5)]
    r = post_batch(web, anong, parts)
    assert r.status_code == 200, r.text
    assert r.json()["parts"] == [{"sha256": sha, "offset": len(d), "complete": True}
                                 for sha, d in parts]
    assert missing(web, anong, *[sha for sha, _ in parts]) == {}
    # the same batch again (its answer was lost): the same answers, nothing stored twice
    assert post_batch(web, anong, parts).json() == r.json()
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM blob_chunks") == len(parts)


def test_a_damaged_part_leaves_the_others_taken(web, server_db):
    anong = login(web, "anong")
    good, other = _blob(1), _blob(2)
    damaged = (_blob(4)[0], b"\x09" * 3000)  # bytes that are not their name's
    answers = post_batch(web, anong, [good, damaged, other]).json()["parts"]
    assert [a.get("complete") for a in answers] == [True, False, True]
    assert answers[1]["error"] == P.E_HASH_MISMATCH and answers[1]["offset"] == 0
    assert missing(web, anong, good[0], damaged[0], other[0]) == {damaged[0]: 0}
    with server_db.read() as c:  # nothing kept of the damaged one
        assert c.value("SELECT count(*) FROM uploads WHERE sha256 = ?", (damaged[0],)) == 0


def test_a_part_over_the_quota_is_refused_in_words_and_the_rest_kept(server_db):
    add_users(server_db)
    app = create_app(server_db, LoginLimiter(attempts=5, window=60), upload_quota=7000)
    client = TestClient(app, raise_server_exceptions=False)
    client.headers.update(P.version_headers())
    anong = login(client, "anong")
    parts = [_blob(n) for n in (1, 2, 3)]  # 3 x 3,000 bytes against 7,000 a day
    answers = post_batch(client, anong, parts).json()["parts"]
    refused = [a for a in answers if not a["complete"]]
    assert len(refused) == 1 and refused[0]["error"] == P.E_TOO_LARGE
    assert "โควตา" in refused[0]["reason"] and "quota" in refused[0]["reason"]
    assert missing(client, anong, *[sha for sha, _ in parts]) == {refused[0]["sha256"]: 0}
    with server_db.read() as c:  # nothing kept of the refused one
        assert c.value("SELECT count(*) FROM uploads WHERE sha256 = ?",
                       (refused[0]["sha256"],)) == 0


def test_a_batch_that_lies_about_its_parts_is_refused_whole(web, server_db):
    anong = login(web, "anong")
    (sha, data), (sha2, data2) = _blob(1), _blob(2)
    for header, body_parts, status in [
            (None, [(sha, data)], 200),                        # one part is allowed
            ("", [(sha2, data2)], 400),                        # no parts named
            (f"{sha2}:{len(data2) + 1}", [(sha2, data2)], 400),  # sizes not the body's
            (f"{sha2}:0", [(sha2, b"")], 400),                 # an empty part
            (f"{sha2.upper()}:{len(data2)}", [(sha2, data2)], 400),
            (f"{sha2}:{len(data2)}:x", [(sha2, data2)], 400),
            (",".join([f"{sha2}:1"] * (P.MAX_BATCH_PARTS + 1)), [(sha2, b"x" * 65)], 413)]:
        r = post_batch(web, anong, body_parts, header)
        assert r.status_code == status, (header, r.text)
    assert missing(web, anong, sha2) == {sha2: 0}
    # and without logging in, nothing at all
    assert post_batch(web, {}, [(sha2, data2)]).status_code == 401
