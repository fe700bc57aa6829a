"""Pushes and photo uploads of one server process run at most ``write_threads`` at once,
against a real uvicorn server on loopback (both engines); the rest wait their turn, every
one is answered, and reads are not held up meanwhile (server/limits.py WriteThreads)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from server_fixtures import PASSWORD, add_users, live_server

from fieldapp.core.errors import FieldAppError
from fieldapp.server import push as server_push
from fieldapp.server.app import create_app
from fieldapp.server.limits import (
    WRITE_THREADS,
    WRITE_THREADS_ENV,
    LoginLimiter,
    write_threads_from_environment,
)
from fieldapp.server.office import publish_shipped_templates
from fieldapp.sync import protocol as P

H = P.version_headers()


def test_writes_past_the_limit_wait_their_turn_and_reads_do_not(server_db, monkeypatch):
    add_users(server_db)
    publish_shipped_templates(server_db)
    app = create_app(server_db, LoginLimiter(attempts=50, window=60), write_threads=2)
    app.state.health.writes_stall = 60.0   # held on purpose here
    inside, most, lock, release = [0], [0], threading.Lock(), threading.Event()
    real_push = server_push.push

    def held_push(*args):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            assert release.wait(20), "never released"
            return real_push(*args)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(server_push, "push", held_push)
    with live_server(app) as url, httpx.Client(base_url=url, headers=H, timeout=30) as laptop:
        token = laptop.post("/v1/login", json={"username": "boon", "password": PASSWORD,
                                               "device_id": "boon-laptop"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        statuses: list[int] = []

        def one_push():
            with httpx.Client(base_url=url, headers=H, timeout=30) as other:
                r = other.post("/v1/push", headers=auth, json={"ops": [], "cursor": 0})
                statuses.append(r.status_code)

        # More than the 40 ordinary worker threads: were the pushes on them, the pull
        # below would find none free.
        pushes = [threading.Thread(target=one_push) for _ in range(50)]
        for thread in pushes:
            thread.start()
        deadline = time.monotonic() + 10
        while inside[0] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # time for more to get in, were they let
        assert inside[0] == 2
        # Reads keep the ordinary worker threads: a pull answers while the writes queue.
        started = time.perf_counter()
        try:
            pulled = laptop.get("/v1/pull", headers=auth, timeout=5).status_code
        finally:
            release.set()
        assert pulled == 200
        assert time.perf_counter() - started < 5
        for thread in pushes:
            thread.join(60)
    assert statuses == [200] * 50
    assert most[0] == 2


def test_write_threads_come_from_the_environment(monkeypatch):
    monkeypatch.delenv(WRITE_THREADS_ENV, raising=False)
    assert write_threads_from_environment() == WRITE_THREADS
    monkeypatch.setenv(WRITE_THREADS_ENV, "12")
    assert write_threads_from_environment() == 12
    for bad in ("0", "-3", "four", "๔", "2.5"):
        monkeypatch.setenv(WRITE_THREADS_ENV, bad)
        with pytest.raises(FieldAppError, match=WRITE_THREADS_ENV):
            write_threads_from_environment()
