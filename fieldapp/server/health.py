"""Whether this server process can still do its work, for ``GET /v1/health``.

Answering "ok" from the event loop alone proves little: every database call runs on a
worker thread, and when all of them are stuck (a database that does not answer, a request
that never ends) every pull waits while the event loop still answers. So the probe does what
a request does: it takes a worker thread and makes one database round trip, and gives up
after ``DEADLINE_S``. It never waits longer than that, and never starts a second round trip
while one is still out (a stuck database must not swallow a thread per probe).
"""

from __future__ import annotations

import asyncio
import logging
import threading

from starlette.concurrency import run_in_threadpool

from fieldapp.server.limits import WriteThreads
from fieldapp.server.storage import Database

log = logging.getLogger(__name__)

DEADLINE_S = 2.0
WRITES_POLL_S = 0.05  # how often a probe looks whether a waiting write got a thread


class HealthProbe:
    """One per app: remembers a round trip that has not come back yet. ``writes``: the
    app's write threads (limits.WriteThreads), whose stall is a problem too."""

    def __init__(self, db: Database, deadline: float = DEADLINE_S,
                 writes: WriteThreads | None = None):
        self.db = db
        self.deadline = deadline
        self.writes = writes
        self._out: asyncio.Task | None = None
        self._started = threading.Event()

    async def problem(self) -> str | None:
        """None when a worker thread and the database both answered in time and writes are
        moving, else why not (Thai, then English)."""
        if self.writes is not None and await self._writes_stalled():
            seconds = f"{self.deadline:g}"
            return (f"งานบันทึกข้อมูลค้างเกิน {seconds} วินาที (pushes and uploads are waiting "
                    f"and none has finished for over {seconds} s: every write thread is busy "
                    f"or stuck)")
        if self._out is not None and not self._out.done():
            return self._stuck_reason()
        self._started = started = threading.Event()

        def round_trip() -> None:
            started.set()
            with self.db.read() as c:
                c.value("SELECT 1")

        task = asyncio.ensure_future(run_in_threadpool(round_trip))
        task.add_done_callback(_log_failure)
        done, _ = await asyncio.wait({task}, timeout=self.deadline)
        if not done:
            if not started.is_set():
                task.cancel()  # stop queueing for a thread; nothing has started
            self._out = task
            return self._stuck_reason()
        if task.exception() is not None:
            return ("ฐานข้อมูลมีข้อผิดพลาด (the database round trip failed: "
                    f"{type(task.exception()).__name__})")
        return None

    async def _writes_stalled(self) -> bool:
        """Writes wait for a thread and none finishes within the deadline, counted from
        when they began to wait: as a worker thread must come free for the round trip, a
        write thread must. Returns as soon as one finishes (a burst that moves)."""
        stalled = self.writes.stalled()
        while 0 < stalled <= self.deadline:
            await asyncio.sleep(WRITES_POLL_S)
            now = self.writes.stalled()
            if now < stalled:
                return False   # a write finished, or none waits any more
            stalled = now
        return stalled > self.deadline

    def _stuck_reason(self) -> str:
        seconds = f"{self.deadline:g}"
        if self._started.is_set():
            return (f"ฐานข้อมูลไม่ตอบภายใน {seconds} วินาที (the database did not answer a "
                    f"round trip within {seconds} s)")
        return (f"ไม่มีเธรดว่างรับงานภายใน {seconds} วินาที (no worker thread was free within "
                f"{seconds} s: every one is busy or stuck)")


def _log_failure(task: asyncio.Task) -> None:
    # Also retrieves the outcome, so asyncio never warns about an exception nobody read.
    if not task.cancelled() and task.exception() is not None:
        log.warning("health probe: database round trip failed: %r", task.exception())
