"""Login limits: how many password tries a name or an address gets, and how many password
checks run at once; and how many writing requests run at once.

All live in memory, per server process: enough for one office server. Behind several app
servers put the same login limit in the reverse proxy (docs/server.md).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

import anyio
import anyio.to_thread

from fieldapp.core.errors import FieldAppError

# A try refused only because others from the same name or address are still being checked
# waits this long, not for the window: an office whose laptops share one address (a router,
# a proxy) signs in a dozen at once after lunch, and none of them has failed.
CHECKING_WAIT_S = 1.0


class Refusal(NamedTuple):
    """Why a try may not start now: ``wait`` seconds, and ``checking`` when what fills the
    limit is tries still being checked (none failed yet), not failures."""

    wait: float
    checking: bool = False


class LoginLimiter:
    """At most ``attempts`` password tries per ``window`` seconds per key (a user name, an
    address); a successful login gives its try back.

    A try is counted *before* the password is checked (``reserve``), so a hundred tries sent
    at once cannot all pass the check while none has failed yet. Until it is settled
    (``release`` on success, ``failed`` on a wrong password) it is *in flight*: a key full of
    failures waits out the window, a key full only because of tries in flight is told to
    try again in a moment (``Refusal.checking``). Memory stays bounded: keys whose tries are
    all older than the window are dropped, and beyond ``max_keys`` the key touched longest
    ago goes first (an attacker needs thousands of addresses to push one out, and gets only
    ``attempts`` tries from each).
    """

    def __init__(self, attempts: int = 5, window: float = 60.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.attempts = attempts
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        # key -> times of its tries, oldest first; the dict is ordered by last use.
        self._tries: OrderedDict[str, list[float]] = OrderedDict()
        # key -> times of its tries in flight. They expire with the window as every try
        # does, so one never settled (a crash) cannot hold a key for longer.
        self._flying: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tries)

    def _recent(self, key: str, now: float) -> list[float]:
        tries = self._tries.get(key)
        if tries is None:
            return []
        while tries and now - tries[0] > self.window:
            tries.pop(0)
        flying = self._flying.get(key)
        while flying and now - flying[0] > self.window:
            flying.pop(0)
        return tries

    def _refusal(self, keys: tuple[str, ...], now: float) -> Refusal | None:
        wait, checking = 0.0, False
        for key in keys:
            tries = self._recent(key, now)
            if len(tries) < self.attempts:
                continue
            if len(tries) - len(self._flying.get(key, ())) >= self.attempts:
                wait = max(wait, self.window - (now - tries[0]))
            else:
                checking = True
        if wait > 0:
            return Refusal(wait)
        return Refusal(CHECKING_WAIT_S, checking=True) if checking else None

    def _forget_old(self, now: float) -> None:
        """Drop keys from the least recently used end while they hold no recent try, then
        the oldest beyond ``max_keys``. Amortised O(1) per call."""
        while self._tries:
            key, tries = next(iter(self._tries.items()))
            if tries and now - tries[-1] <= self.window:
                break
            del self._tries[key]
            self._flying.pop(key, None)
        while len(self._tries) > self.max_keys:
            key, _ = self._tries.popitem(last=False)
            self._flying.pop(key, None)

    def reserve(self, *keys: str) -> Refusal | None:
        """Count one try in flight for every key and return None; or, when a key has no try
        left, count nothing and say why (``Refusal``)."""
        now = self.clock()
        with self._lock:
            refusal = self._refusal(keys, now)
            if refusal is not None:
                return refusal
            for key in keys:
                self._tries.setdefault(key, []).append(now)
                self._tries.move_to_end(key)
                self._flying.setdefault(key, []).append(now)
            self._forget_old(now)
            return None

    def _land(self, key: str) -> None:
        flying = self._flying.get(key)
        if flying:
            flying.pop()
        if not flying:
            self._flying.pop(key, None)

    def failed(self, *keys: str) -> None:
        """The reserved try of every key was a wrong password: it stays counted."""
        with self._lock:
            for key in keys:
                self._land(key)

    def release(self, *keys: str) -> None:
        """Give back one reserved try of every key (the login succeeded, or its password was
        never checked)."""
        with self._lock:
            for key in keys:
                self._land(key)
                tries = self._tries.get(key)
                if tries:
                    tries.pop()
                if not tries:
                    self._tries.pop(key, None)


class Busy(Exception):
    """Too many password checks are running or waiting: try again in a moment."""


class CheckGate:
    """At most ``concurrent`` password checks at once (argon2id takes 64 MiB and a core's
    worth of work each). A check that cannot start within ``wait`` seconds, or finds
    ``queue`` others already waiting, raises ``Busy`` instead of piling up.

    Waiting happens on the event loop, not on a worker thread, so a login storm never takes
    the threads that other laptops' pulls and pushes need. It polls rather than using an
    asyncio primitive so that one gate serves any event loop (the test client runs one per
    request).
    """

    POLL = 0.02  # seconds between looks for a free slot

    def __init__(self, concurrent: int = 2, wait: float = 3.0, queue: int = 32):
        self.concurrent = concurrent
        self.wait = wait
        self.queue = queue
        self._running = 0
        self._waiting = 0
        self._lock = threading.Lock()

    def _try_enter(self) -> bool:
        with self._lock:
            if self._running < self.concurrent:
                self._running += 1
                return True
            return False

    async def __aenter__(self) -> CheckGate:
        if self._try_enter():
            return self
        with self._lock:
            if self._waiting >= self.queue:
                raise Busy
            self._waiting += 1
        try:
            deadline = time.monotonic() + self.wait
            while not self._try_enter():
                if time.monotonic() >= deadline:
                    raise Busy
                await anyio.sleep(self.POLL)
        finally:
            with self._lock:
                self._waiting -= 1
        return self

    async def __aexit__(self, *exc_info) -> None:
        with self._lock:
            self._running -= 1


# Requests of one server process that write at once (pushes, photo uploads), each on a
# worker thread; more wait on the event loop. Measured with 300 laptops syncing at once
# (tests/bench/end_of_day.py: PostgreSQL, two processes, two cores), paired runs: with the
# 40 threads any request may take, p95 6.1-7.5 s and 27-32 ms of office CPU a sync at an office
# on its first day, 6.2 s and 27 ms at one a year in; with 4, 5.5-5.9 s and 24-26 ms at
# both. 8 did about as well at the first-day office, 2 as well there and worse at the office
# a year in (docs/sync-protocol.md).
WRITE_THREADS = 4
WRITE_THREADS_ENV = "FIELDAPP_WRITE_THREADS"


class WriteThreads:
    """At most ``threads`` writing requests of this process run at once, each on a worker
    thread; the others wait their turn on the event loop, in order.

    Why: on a few cores, the writes that reach a process together gain nothing from running
    side by side. Dozens of threads take turns on the interpreter lock and dozens of
    transactions contend in the database, and both cost CPU that the syncs themselves then
    lack. Reads (pulls, the console) keep the ordinary worker threads, so writes that queue
    here never hold them up.

    One limiter per event loop: the test client runs one loop per request, and an anyio
    limiter wakes its waiters on the loop they wait in.

    ``stalled`` tells the health probe when writes wait and none has finished for a while:
    pushes stuck behind a database that stopped answering no longer take the threads the
    probe itself runs on, so it asks here. Its count is the process's, as serving runs one
    event loop a process.

    Photo uploads share the threads with pushes: a thread is held only for the database
    work (the body is read on the event loop before), and a day's photos are a few MB.
    """

    def __init__(self, threads: int = WRITE_THREADS):
        if threads < 1:
            raise ValueError("at least one write thread")
        self.threads = threads
        self._by_loop: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self._pending = 0   # running or waiting
        self._queued_since = 0.0   # since when some have waited with no write finishing

    async def run(self, func: Callable, *args):
        """``func(*args)`` on a worker thread, once one of the ``threads`` is free."""
        loop = asyncio.get_running_loop()
        limiter = self._by_loop.get(loop)
        if limiter is None:
            limiter = self._by_loop[loop] = anyio.CapacityLimiter(self.threads)
        ran = False

        def call():
            nonlocal ran
            ran = True
            return func(*args)

        with self._lock:
            self._pending += 1
            if self._pending == self.threads + 1:
                self._queued_since = time.monotonic()
        try:
            return await anyio.to_thread.run_sync(call, limiter=limiter)
        finally:
            with self._lock:
                self._pending -= 1
                if ran:   # one finished: progress (a waiter given up on is none)
                    self._queued_since = time.monotonic()

    def stalled(self) -> float:
        """Seconds that writes have waited for a thread with none of the running ones
        finishing; 0 when none waits."""
        with self._lock:
            if self._pending <= self.threads:
                return 0.0
            return time.monotonic() - self._queued_since


def write_threads_from_environment() -> int:
    """``FIELDAPP_WRITE_THREADS`` (set by ``serve --write-threads`` for its worker
    processes), else WRITE_THREADS."""
    raw = os.environ.get(WRITE_THREADS_ENV, "").strip()
    if not raw:
        return WRITE_THREADS
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise FieldAppError(f"{WRITE_THREADS_ENV} must be a whole number, 1 or more, "
                            f"not {raw!r}")
    return int(raw)
