"""Hybrid logical clock: timestamps that order changes across devices and never run backwards.

A timestamp is text, ``WWWWWWWWWWWWW-CCCC-DEVICE``: wall-clock milliseconds (13 digits), a
4-hex-digit counter and the device id. Fixed widths make plain text comparison the same as
comparing (wall, counter, device), so SQL can ``ORDER BY updated_hlc`` and ``max()`` works.

When the wall clock jumps backwards (a laptop whose battery died, a bad NTP answer) the clock
keeps the last wall time and counts up instead, so every new stamp is greater than the last.

A clock must never be carried far into the future by another device: one timestamp from a
laptop whose date is wrong would otherwise drag every clock that sees it along, and at
``9999999999999`` the next stamp no longer fits the format. So a clock takes in (``observe``)
only timestamps up to ``limit()``: its own wall time, or the office's when that is known to
be ahead (``ahead_ms``), plus ``skew_ms``; and it never issues a stamp wider than the format.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_COUNTER = 0xFFFF
MAX_WALL = 10**13 - 1  # the greatest wall time that fits 13 digits (the year 2286)
REPAIR_SLACK_MS = 365 * 86_400_000
"""A saved clock this far beyond the present ran away (it took in a poisoned stamp): reset."""
MAX_SKEW_MS = 10 * 60_000
"""How far ahead of the present (the office's time) a clock may be: the office refuses
changes stamped later than this, and laptops never adopt such a stamp."""


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


def parts(text: str) -> tuple[int, int, str]:
    """(wall ms, counter, device) of a timestamp; ValueError if it is not one. Cheaper than
    ``Timestamp.parse`` (no frozen dataclass), for checks run once per pushed operation."""
    return _parts(text)


def wall_of(text: str) -> int:
    """The wall time (ms) of a timestamp; ValueError if it is not one."""
    return _parts(text)[0]


def stamp_device(device_id: str) -> str:
    """How a clock names ``device_id``: without dashes. The device part is free text after
    the second dash, but keeping it dash-free keeps the format easy to read. The office
    compares a change's clock with its caller's device in this form."""
    return device_id.replace("-", "")


def device_of(text: str) -> str:
    """The device of a timestamp, checked as ``Timestamp.parse`` checks it; ValueError if
    it is not one. Without building the (frozen, slow to make) Timestamp: the server asks
    this once per pushed operation."""
    return _parts(text)[2]


class HybridClock:
    """Issues monotonic timestamps for one device.

    ``last`` is the greatest timestamp issued or observed; the store persists it so that the
    clock stays monotonic across restarts too. ``ahead_ms``: how far the office's clock was
    ahead of this laptop's at the last sync (a laptop whose date is behind may adopt the
    office's stamps); ``skew_ms``: how far beyond that a stamp may be and still be adopted.
    """

    def __init__(self, device: str, last: str | None = None,
                 wall: Callable[[], int] | None = None, *, skew_ms: int = MAX_SKEW_MS,
                 ahead_ms: int = 0):
        self.device = device = stamp_device(device)
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self.skew_ms = skew_ms
        self.ahead_ms = ahead_ms
        self.last = Timestamp.parse(last) if last else Timestamp(0, 0, device)

    def limit(self, slack_ms: int | None = None) -> int:
        """The latest wall time this clock accepts from elsewhere: the present as far as it
        knows it, plus ``slack_ms`` (by default ``skew_ms``)."""
        return self._wall() + max(0, self.ahead_ms) + (
            self.skew_ms if slack_ms is None else slack_ms)

    def accepts(self, text: str, slack_ms: int | None = None) -> bool:
        """True if ``text`` is a timestamp no later than ``limit(slack_ms)``."""
        try:
            return wall_of(text) <= self.limit(slack_ms)
        except ValueError:
            return False

    def restore(self, saved: str | None, slack_ms: int = REPAIR_SLACK_MS) -> bool:
        """Take up the persisted ``last``; False (and the clock starts from the wall time)
        if it is unreadable or more than ``slack_ms`` beyond the present. By default only a
        clock that ran away (years ahead) is reset: this laptop's date going back an hour or
        a day must not send its clock back too, or its next edit would lose to its last."""
        if not saved:
            return True
        if not self.accepts(saved, slack_ms):
            # From the present as far as this clock knows it: the office's time when it was
            # found ahead, so that a laptop whose date is behind does not stamp its next
            # change below the ones it sent before its date went wrong.
            self.last = Timestamp(min(self._wall() + max(0, self.ahead_ms), MAX_WALL), 0,
                                  self.device)
            return False
        self.last = Timestamp.parse(saved)
        return True

    def now(self) -> str:
        """A new timestamp, greater than every one issued or observed before."""
        wall = min(self._wall(), MAX_WALL)
        if wall > self.last.wall_ms:
            ts = Timestamp(wall, 0, self.device)
        else:
            ts = self._bump(self.last.wall_ms, self.last.counter)
        self.last = ts
        return str(ts)

    def observe(self, remote: str) -> bool:
        """Take in a timestamp from another device so our next stamp sorts after it.

        False, and nothing taken, if it is not a timestamp or lies beyond ``limit()``: that
        device's date is wrong, and following it would carry this clock there too."""
        if not self.accepts(remote):
            return False
        other = Timestamp.parse(remote)
        if (other.wall_ms, other.counter) > (self.last.wall_ms, self.last.counter):
            self.last = Timestamp(other.wall_ms, other.counter, self.device)
        return True

    def _bump(self, wall: int, counter: int) -> Timestamp:
        if counter < MAX_COUNTER:
            return Timestamp(wall, counter + 1, self.device)
        if wall < MAX_WALL:
            # 65,536 stamps in one millisecond: borrow the next millisecond rather than wrap.
            return Timestamp(wall + 1, 0, self.device)
        # No greater stamp fits the format (only a state restored without ``restore`` gets
        # here): start again from the wall clock rather than issue one nobody can read.
        log.warning("clock at the end of its range (%s): restarting from the wall clock",
                    Timestamp(wall, counter, self.device))
        return Timestamp(min(self._wall(), MAX_WALL), 0, self.device)
