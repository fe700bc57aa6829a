"""A server whose write threads are all stuck, or whose worker threads are, says so, and
still stops when told to: health answers 503 within its deadline (not 200, not a hang), and
``fieldapp-server serve`` exits on SIGTERM even with requests stuck in the database. Real
uvicorn on loopback, both backends.

The stuck work is real: the test holds the database's write lock from outside the server
(SQLite: a BEGIN IMMEDIATE on the file; PostgreSQL: the change-sequence advisory lock), so
every push waits on a write thread or for one, as it would behind a database that stopped
answering.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from server_fixtures import PASSWORD, add_users, free_port, live_server, make_app

from fieldapp.server.health import DEADLINE_S
from fieldapp.sync import protocol as P

H = P.version_headers()
ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def write_lock_held(db):
    """Make every push wait, from another connection: hold SQLite's write lock, or lock
    PostgreSQL's change counter."""
    if db.dialect == "sqlite":
        conn = sqlite3.connect(db.url, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:
        # Pushes on PostgreSQL take no lock until they number their changes (server/push.py);
        # every one reads the change counter first, and waits while its table is locked.
        with psycopg.connect(db.url) as conn, conn.transaction():
            conn.execute("LOCK TABLE counters IN ACCESS EXCLUSIVE MODE")
            yield


def token_for(url: str, username: str) -> dict:
    r = httpx.post(f"{url}/v1/login", headers=H, timeout=30, json={
        "username": username, "password": PASSWORD, "device_id": f"dev-{username}"})
    assert r.status_code == 200, r.text
    return {**H, "Authorization": f"Bearer {r.json()['token']}"}


def stuck_pushes(pool: ThreadPoolExecutor, url: str, auth: dict, n: int) -> list:
    return [pool.submit(httpx.post, f"{url}/v1/push", headers=auth, timeout=120,
                        json={"ops": [], "cursor": 0}) for _ in range(n)]


def test_health_says_503_within_its_deadline_when_every_write_thread_is_stuck(server_db):
    add_users(server_db)
    app = make_app(server_db)
    app.state.health.writes_stall = 1.0   # not 30 s, for the test's sake
    with live_server(app) as url:
        auth = token_for(url, "anong")
        assert httpx.get(f"{url}/v1/health", timeout=10).json()["status"] == "ok"
        with ThreadPoolExecutor(60) as pool:
            with write_lock_held(server_db):
                # More pushes than the server has write threads (4): all of them wait,
                # those on a thread and those queued for one.
                pushes = stuck_pushes(pool, url, auth, 50)
                time.sleep(0.3)
                assert httpx.get(f"{url}/v1/health", timeout=30).status_code == 200  # not yet
                time.sleep(2)
                for _ in range(2):   # asked twice: the same, just as fast
                    start = time.monotonic()
                    r = httpx.get(f"{url}/v1/health", timeout=30)
                    took = time.monotonic() - start
                    assert r.status_code == 503, r.text
                    assert took < DEADLINE_S + 1.5, took
                    assert "write thread" in r.json()["reason"]
            # The lock is gone: the stuck pushes finish and the server is healthy again.
            assert all(f.result().status_code == 200 for f in pushes)
        deadline = time.monotonic() + 20
        while httpx.get(f"{url}/v1/health", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "health did not recover"
            time.sleep(0.2)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_when_told_with_requests_stuck_in_the_database(server_db, sig):
    add_users(server_db)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fieldapp.server.cli", "--db", server_db.url, "serve",
         "--port", str(port), "--graceful-timeout", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, \
                proc.stdout.read().decode() if proc.poll() is not None else "no start"
            time.sleep(0.1)
        auth = token_for(url, "anong")
        with ThreadPoolExecutor(10) as pool, write_lock_held(server_db):
            stuck_pushes(pool, url, auth, 5)
            time.sleep(1)
            start = time.monotonic()
            proc.send_signal(sig)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                raise AssertionError(f"the server ignored {sig.name}") from None
            took = time.monotonic() - start
            # Shutting down while pushes are stuck: the client sees a dropped connection.
        assert took < 30, took
        print(f"exited {took:.1f} s after {sig.name}:", proc.stdout.read().decode()[-400:])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_health_names_a_database_that_does_not_answer():
    """A worker thread is free but the round trip hangs: 503 at the deadline, and a second
    probe does not pile another thread onto the stuck database."""
    import asyncio
    import threading

    from fieldapp.server.health import HealthProbe

    release, calls = threading.Event(), []

    class StuckDatabase:
        @contextlib.contextmanager
        def read(self):
            calls.append(1)
            release.wait(30)
            yield type("C", (), {"value": lambda self, sql: 1})()

    async def probe_twice():
        probe = HealthProbe(StuckDatabase(), deadline=0.5)
        start = time.monotonic()
        first = await probe.problem()
        second = await probe.problem()
        return first, second, time.monotonic() - start

    try:
        first, second, took = asyncio.run(asyncio.wait_for(probe_twice(), 10))
    finally:
        release.set()
    assert "database did not answer" in first and first == second
    assert took < 1.5 and len(calls) == 1


def test_health_names_the_worker_threads_when_none_is_free():
    """Every ordinary worker thread busy (here: one, held): the probe cannot even start its
    round trip, and says so within its deadline."""
    import asyncio
    import threading

    import anyio.to_thread
    from starlette.concurrency import run_in_threadpool

    from fieldapp.server.health import HealthProbe

    release = threading.Event()

    class Database:
        @contextlib.contextmanager
        def read(self):
            yield type("C", (), {"value": lambda self, sql: 1})()

    async def probe_with_every_thread_busy():
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        busy = asyncio.ensure_future(run_in_threadpool(release.wait, 30))
        await asyncio.sleep(0.05)
        start = time.monotonic()
        problem = await HealthProbe(Database(), deadline=0.5).problem()
        took = time.monotonic() - start
        release.set()
        await busy
        return problem, took

    problem, took = asyncio.run(asyncio.wait_for(probe_with_every_thread_busy(), 10))
    assert "no worker thread was free" in problem
    assert took < 1.5


def test_health_names_stalled_writes_and_not_a_burst_that_moves():
    """Writes waiting while none finishes: a problem once they have waited ``writes_stall``
    seconds. Writes waiting while others finish (300 laptops at once): none."""
    import asyncio
    import threading

    from fieldapp.server.health import HealthProbe
    from fieldapp.server.limits import WriteThreads

    class Database:
        @contextlib.contextmanager
        def read(self):
            yield type("C", (), {"value": lambda self, sql: 1})()

    async def scenario():
        writes = WriteThreads(2)
        probe = HealthProbe(Database(), writes=writes, writes_stall=1.0)
        # A burst that moves: 40 short writes, two at a time, for longer than the stall.
        burst = asyncio.gather(*(writes.run(time.sleep, 0.05) for _ in range(40)))
        during = []
        while not burst.done():
            during.append(await probe.problem())
            await asyncio.sleep(0.05)
        await burst
        # Stuck: two writes that never finish and one waiting behind them.
        release = threading.Event()
        stuck = asyncio.gather(*(writes.run(release.wait, 30) for _ in range(3)))
        await asyncio.sleep(0.05)
        early = await probe.problem()
        await asyncio.sleep(1.2)
        start = time.monotonic()
        late = await probe.problem()
        took = time.monotonic() - start
        release.set()
        await stuck
        return during, early, late, took, await probe.problem(), writes.stalled()

    during, early, late, took, after, stalled = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert len(during) >= 4 and set(during) == {None}
    assert early is None
    assert "write thread" in late and took < 0.5   # looked at, not waited for
    assert after is None and stalled == 0
