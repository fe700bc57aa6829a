"""Login limits: how many password tries a name or an address gets, and how many password
checks run at once.

Both live in memory, per server process: enough for one office server. Behind several app
servers put the same limit in the reverse proxy (docs/server.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import anyio


class LoginLimiter:
    """At most ``attempts`` password tries per ``window`` seconds per key (a user name, an
    address); a successful login gives its try back.

    A try is counted *before* the password is checked (``reserve``), so a hundred tries sent
    at once cannot all pass the check while none has failed yet. Memory stays bounded: keys
    whose tries are all older than the window are dropped, and beyond ``max_keys`` the key
    touched longest ago goes first (an attacker needs thousands of addresses to push one out,
    and gets only ``attempts`` tries from each).
    """

    def __init__(self, attempts: int = 5, window: float = 60.0, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.attempts = attempts
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        # key -> times of its tries, oldest first; the dict is ordered by last use.
        self._tries: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tries)

    def _recent(self, key: str, now: float) -> list[float]:
        tries = self._tries.get(key)
        if tries is None:
            return []
        while tries and now - tries[0] > self.window:
            tries.pop(0)
        return tries

    def _wait(self, keys: tuple[str, ...], now: float) -> float:
        wait = 0.0
        for key in keys:
            tries = self._recent(key, now)
            if len(tries) >= self.attempts:
                wait = max(wait, self.window - (now - tries[0]))
        return wait

    def _forget_old(self, now: float) -> None:
        """Drop keys from the least recently used end while they hold no recent try, then
        the oldest beyond ``max_keys``. Amortised O(1) per call."""
        while self._tries:
            key, tries = next(iter(self._tries.items()))
            if tries and now - tries[-1] <= self.window:
                break
            del self._tries[key]
        while len(self._tries) > self.max_keys:
            self._tries.popitem(last=False)

    def retry_after(self, *keys: str) -> float:
        """Seconds to wait before another try is allowed (0 when allowed now)."""
        with self._lock:
            return self._wait(keys, self.clock())

    def reserve(self, *keys: str) -> float:
        """Count one try for every key and return 0; or, when any key has no try left,
        count nothing and return the seconds to wait."""
        now = self.clock()
        with self._lock:
            wait = self._wait(keys, now)
            if wait > 0:
                return wait
            for key in keys:
                self._tries.setdefault(key, []).append(now)
                self._tries.move_to_end(key)
            self._forget_old(now)
            return 0.0

    def release(self, *keys: str) -> None:
        """Give back one reserved try of every key (the login succeeded, or its password was
        never checked)."""
        with self._lock:
            for key in keys:
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
