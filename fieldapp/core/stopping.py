"""Ctrl-C and SIGTERM during a long command (a registry import) asked to stop at a safe point.

A KeyboardInterrupt raised at a random moment can land just after a batch has committed and
before it was counted, and then what the command says the database holds is wrong by a
batch. Here the first signal is only noted; the work polls ``requested()`` between batches
and stops there, so its count is exact. A second signal stops at once (KeyboardInterrupt),
for a user who will not wait.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator


class StopRequest:
    """The first SIGINT or SIGTERM seen while ``catching()``; ``program`` prefixes the one
    line printed when it comes."""

    def __init__(self, program: str):
        self.program = program
        self.signal: int | None = None

    def requested(self) -> bool:
        return self.signal is not None

    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process the signal ended."""
        return 128 + (self.signal or signal.SIGINT)

    def reason(self) -> str:
        if self.signal == signal.SIGTERM:
            return "stopped by the system (SIGTERM)"
        return "interrupted (Ctrl-C)"

    def _handle(self, signum: int, _frame) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = signum
        print(f"{self.program}: กำลังหยุดหลังชุดที่กำลังบันทึก (stopping after the rows being "
              f"written; Ctrl-C again stops at once)", file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def catching(self) -> Iterator[StopRequest]:
        try:
            previous = {s: signal.signal(s, self._handle)
                        for s in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:   # not the main thread: signals are not this code's to take
            yield self
            return
        try:
            yield self
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
