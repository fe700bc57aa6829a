"""Hybrid logical clock: timestamps that order changes across devices and never run backwards.

A timestamp is text, ``WWWWWWWWWWWWW-CCCC-DEVICE``: wall-clock milliseconds (13 digits), a
4-hex-digit counter and the device id. Fixed widths make plain text comparison the same as
comparing (wall, counter, device), so SQL can ``ORDER BY updated_hlc`` and ``max()`` works.

When the wall clock jumps backwards (a laptop whose battery died, a bad NTP answer) the clock
keeps the last wall time and counts up instead, so every new stamp is greater than the last.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 0xFFFF


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:04x}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        return cls(*_parts(text))


def _parts(text: str) -> tuple[int, int, str]:
    try:
        wall, counter, device = text.split("-", 2)
        if len(wall) != 13 or len(counter) != 4 or not device:
            raise ValueError
        return int(wall), int(counter, 16), device
    except ValueError:
        raise ValueError(f"not a clock timestamp: {text!r}") from None


def device_of(text: str) -> str:
    """The device of a timestamp, checked as ``Timestamp.parse`` checks it; ValueError if
    it is not one. Without building the (frozen, slow to make) Timestamp: the server asks
    this once per pushed operation."""
    return _parts(text)[2]


class HybridClock:
    """Issues monotonic timestamps for one device.

    ``last`` is the greatest timestamp issued or observed; the store persists it so that the
    clock stays monotonic across restarts too.
    """

    def __init__(self, device: str, last: str | None = None,
                 wall: Callable[[], int] | None = None):
        if "-" in device:
            # The device part is free text after the second dash, but keeping it dash-free
            # keeps the format easy to read.
            device = device.replace("-", "")
        self.device = device
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self.last = Timestamp.parse(last) if last else Timestamp(0, 0, device)

    def now(self) -> str:
        """A new timestamp, greater than every one issued or observed before."""
        wall = self._wall()
        if wall > self.last.wall_ms:
            ts = Timestamp(wall, 0, self.device)
        else:
            ts = self._bump(self.last.wall_ms, self.last.counter)
        self.last = ts
        return str(ts)

    def observe(self, remote: str) -> None:
        """Take in a timestamp from another device so our next stamp sorts after it."""
        other = Timestamp.parse(remote)
        if (other.wall_ms, other.counter) > (self.last.wall_ms, self.last.counter):
            self.last = Timestamp(other.wall_ms, other.counter, self.device)

    def _bump(self, wall: int, counter: int) -> Timestamp:
        if counter >= MAX_COUNTER:
            # 65,536 stamps in one millisecond: borrow the next millisecond rather than wrap.
            return Timestamp(wall + 1, 0, self.device)
        return Timestamp(wall, counter + 1, self.device)
