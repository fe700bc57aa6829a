"""A batch of whole photos the office has never seen is taken in a handful of statements
(server/blobs.py ``_take_new``), and that shortcut answers and stores exactly what taking
the parts one by one does, whatever the batch holds: parts seen before, parts another user
sent or half sent, damaged parts, repeats, a quota nearly used up. Both engines."""

from __future__ import annotations

import hashlib
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_fixtures import add_users

from fieldapp.server import blobs, storage
from fieldapp.server.auth import Principal

POOL = [bytes([n]) * (1000 + 97 * n) for n in range(1, 7)]
NAMES = [hashlib.sha256(d).hexdigest() for d in POOL]


def _who(db, username: str) -> Principal:
    with db.read() as c:
        uid = c.value("SELECT id FROM users WHERE username = ?", (username,))
    return Principal(uid, username, "inspector", frozenset({"10"}), f"dev-{username}")


def _state(db) -> tuple:
    """What the uploads hold, without the times."""
    with db.read() as c:
        return (
            sorted(c.tuples("SELECT sha256, size, received, complete FROM uploads")),
            sorted(c.tuples("SELECT sha256, user_id, bytes FROM upload_owners")),
            sorted((sha, pos, bytes(data)) for sha, pos, data in
                   c.tuples("SELECT sha256, pos, data FROM blob_chunks")))


def _clear(db) -> None:
    with db.write() as c:
        for table in ("blob_chunks", "upload_owners", "uploads"):
            c.run(f"DELETE FROM {table}")


# One step: (user, kind, parts). kind "batch": upload_many of parts (pool index, damaged?);
# kind "half": the user sends the first half of a pool blob as a chunk and stops.
part = st.tuples(st.integers(0, len(POOL) - 1), st.booleans())
step = st.one_of(
    st.tuples(st.sampled_from(["anong", "boon"]), st.just("batch"),
              st.lists(part, min_size=1, max_size=5)),
    st.tuples(st.sampled_from(["anong", "boon"]), st.just("half"),
              st.lists(st.tuples(st.integers(0, len(POOL) - 1), st.just(False)),
                       min_size=1, max_size=1)))


def _run(db, steps, quota: int) -> list:
    answers = []
    for user, kind, chosen in steps:
        who = _who(db, user)
        if kind == "half":
            data = POOL[chosen[0][0]]
            try:
                answers.append(blobs.upload_chunk(db, who, NAMES[chosen[0][0]], 0, len(data),
                                                  data[:len(data) // 2], quota))
            except blobs.UploadError as exc:
                answers.append(("refused", exc.code, exc.offset))
            continue
        parts = [(NAMES[n], b"\x00" + POOL[n][1:] if damaged else POOL[n])
                 for n, damaged in chosen]
        answers.append(blobs.upload_many(db, who, parts, quota))
    return answers


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=6),
       quota=st.sampled_from([blobs.DEFAULT_QUOTA, 6000, 3000]))
def test_taking_new_photos_together_is_taking_them_one_by_one(server_db, steps, quota):
    if not getattr(server_db, "_users_added", False):
        add_users(server_db)
        server_db._users_added = True
    _clear(server_db)
    one_by_one = pytest.MonkeyPatch()
    one_by_one.setattr(blobs, "_take_new", lambda *a: set())
    try:
        expected = _run(server_db, steps, quota)
    finally:
        one_by_one.undo()
    expected_state = _state(server_db)
    _clear(server_db)
    assert _run(server_db, steps, quota) == expected
    assert _state(server_db) == expected_state


def test_five_new_photos_take_a_handful_of_statements(server_db, monkeypatch):
    """The day's five photos: five statements for the lot, not a dozen each."""
    add_users(server_db)
    who = _who(server_db, "anong")
    sent = []
    for name in ("run", "many", "tuples", "value", "all"):
        method = getattr(storage.Conn, name)

        def counted(self, *args, _method=method, **kwargs):
            sent.append(args[0].split()[0])
            return _method(self, *args, **kwargs)
        monkeypatch.setattr(storage.Conn, name, counted)
    parts = list(zip(NAMES[:5], POOL[:5], strict=True))
    answers = blobs.upload_many(server_db, who, parts)
    assert all(a["complete"] for a in answers)
    assert len(sent) <= 5, sent
    monkeypatch.undo()
    assert _state(server_db)[2] == sorted((sha, 0, data) for sha, data in parts)


def test_two_laptops_sending_the_same_new_photos_at_once_both_finish(server_db):
    """Each claims what it can, waits for what the other is claiming and then proves it
    holds the same bytes: one copy stored, both owners counted, no deadlock."""
    add_users(server_db)
    parts = list(zip(NAMES[:4], POOL[:4], strict=True))
    results, errors = {}, []
    start = threading.Barrier(2)

    def send(user: str, order: list) -> None:
        try:
            who = _who(server_db, user)
            start.wait()
            results[user] = blobs.upload_many(server_db, who, order)
        except Exception as exc:  # reported below
            errors.append(exc)
    threads = [threading.Thread(target=send, args=("anong", parts)),
               threading.Thread(target=send, args=("boon", parts[::-1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert all(a["complete"] for user in results for a in results[user])
    uploads, owners, chunks = _state(server_db)
    assert len(chunks) == 4 and all(row[3] == 1 for row in uploads)
    assert len(owners) == 8
