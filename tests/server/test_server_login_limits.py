"""Login limits under concurrency, against a real uvicorn server on loopback (both backends):
the attempt is counted before the password is checked, argon2 work is bounded, and the
limiter's memory stays bounded however many names are tried."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import tracemalloc

import httpx
from server_fixtures import PASSWORD, add_users, live_server, make_app

from fieldapp.server.limits import LoginLimiter
from fieldapp.sync import protocol as P

H = P.version_headers()


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _login(url: str, username: str, password: str, local: str | None = None):
    transport = httpx.AsyncHTTPTransport(local_address=local) if local else None
    async with httpx.AsyncClient(base_url=url, headers=H, timeout=120,
                                 transport=transport) as client:
        r = await client.post("/v1/login", json={"username": username, "password": password,
                                                  "device_id": f"d-{username}"})
        return r.status_code


async def _together(calls):
    return await asyncio.gather(*calls)


def test_concurrent_wrong_passwords_get_at_most_the_limit(server_db):
    """The review's run: 100 wrong passwords at once, limit 5 a minute -> at most 5 x 401."""
    add_users(server_db)
    with live_server(make_app(server_db)) as url:
        statuses = asyncio.run(_together(
            [_login(url, "anong", "wrong password") for _ in range(100)]))
        after = asyncio.run(_login(url, "anong", PASSWORD))  # the right one: still limited
    counts = {s: statuses.count(s) for s in set(statuses)}
    assert counts.get(401, 0) <= 5, counts
    assert counts.get(401, 0) + counts.get(429, 0) == 100, counts
    assert after == 429


def test_a_pull_stays_fast_during_a_login_storm(server_db):
    """150 logins at once from 150 loopback addresses (so the per-address limit does not stop
    them): argon2 runs at most two at a time, the rest are told to retry, the server's memory
    stays small, and another laptop's pull is not held up."""
    add_users(server_db)
    app = make_app(server_db)
    with live_server(app) as url:
        with httpx.Client(base_url=url, headers=H, timeout=60) as laptop:
            token = laptop.post("/v1/login", json={"username": "boon", "password": PASSWORD,
                                                   "device_id": "boon-laptop"}).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            assert laptop.get("/v1/pull", headers=auth).status_code == 200
            base, peak, pulls, done = _rss_mb(), [0.0], [], threading.Event()

            def watch():
                while not done.is_set():
                    peak[0] = max(peak[0], _rss_mb())
                    time.sleep(0.02)

            def pull_meanwhile():
                time.sleep(0.5)  # the storm is under way
                while not done.is_set():
                    started = time.perf_counter()
                    r = laptop.get("/v1/pull", headers=auth)
                    pulls.append((time.perf_counter() - started, r.status_code))
                    time.sleep(0.2)

            helpers = [threading.Thread(target=watch), threading.Thread(target=pull_meanwhile)]
            for t in helpers:
                t.start()
            started = time.perf_counter()
            try:
                statuses = asyncio.run(_together(
                    [_login(url, f"nobody{i}", "wrong password", f"127.0.{1 + i // 200}."
                            f"{1 + i % 200}") for i in range(150)]))
            finally:
                storm = time.perf_counter() - started
                done.set()
                for t in helpers:
                    t.join()
    counts = {s: statuses.count(s) for s in set(statuses)}
    slowest = max(seconds for seconds, _ in pulls)
    print(f"\nstorm {storm:.1f} s, statuses {counts}, server RSS +{peak[0] - base:.0f} MB, "
          f"{len(pulls)} pulls, slowest {slowest:.2f} s")
    assert set(counts) <= {401, 429}, counts
    assert all(status == 200 for _, status in pulls)
    assert pulls and slowest < 2.0, pulls
    assert peak[0] - base < 600, f"server memory grew by {peak[0] - base:.0f} MB"


def test_the_limiter_forgets_and_stays_bounded_with_60000_names():
    limiter = LoginLimiter(attempts=5, window=60, max_keys=10_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(60_000):
            keys = (f"user:name{i}", f"addr:10.0.{i // 250}.{i % 250}")
            assert limiter.reserve(*keys) == 0
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(limiter) <= 10_000
    assert grown < 8 * 1024 * 1024, f"{grown / 1e6:.1f} MB kept for 60,000 names"


def test_the_limiter_drops_expired_names():
    clock = [1000.0]
    limiter = LoginLimiter(attempts=2, window=60, clock=lambda: clock[0])
    for i in range(500):
        limiter.reserve(f"user:n{i}")
    assert len(limiter) == 500
    clock[0] += 61
    limiter.reserve("user:late")
    assert len(limiter) == 1


def test_reserve_counts_first_and_a_success_gives_the_slot_back():
    limiter = LoginLimiter(attempts=2, window=60)
    first = limiter.reserve("user:a", "addr:x")
    assert first == 0
    limiter.release("user:a", "addr:x")        # that login succeeded
    assert limiter.reserve("user:a", "addr:x") == 0
    assert limiter.reserve("user:a", "addr:x") == 0
    wait = limiter.reserve("user:a", "addr:x")    # two failures held: the third waits
    assert 0 < wait <= 60
    assert limiter.reserve("user:b", "addr:x") > 0    # the address is full too
    assert limiter.reserve("user:a", "addr:y") > 0    # and so is the name
