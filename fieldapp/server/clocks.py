"""What the office accepts as a change's clock: its own device, and not far in the future.

A clock names the device that wrote the change (core/hlc.py), and per-field merges compare
clocks: one laptop's stamp from the year 2286 would win every merge and drag every clock that
pulls it along. So the office refuses a change stamped more than the allowed skew ahead of
its own time, or naming a device other than the caller's. The skew is a setting:
``fieldapp-server serve --max-clock-skew MINUTES`` or ``$FIELDAPP_MAX_CLOCK_SKEW`` (minutes,
default 10). It must never refuse what it cannot explain: every refusal says why.
"""

from __future__ import annotations

import logging
import os
import time

from fieldapp.core.hlc import MAX_SKEW_MS, parts, stamp_device

log = logging.getLogger(__name__)

SKEW_ENV = "FIELDAPP_MAX_CLOCK_SKEW"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def max_skew_ms() -> int:
    """The allowed skew in ms, from ``$FIELDAPP_MAX_CLOCK_SKEW`` (minutes), else 10 minutes."""
    raw = os.environ.get(SKEW_ENV)
    if raw:
        try:
            minutes = float(raw)
            if minutes >= 0:
                return int(minutes * 60_000)
        except ValueError:
            pass
        log.warning("%s=%r is not a number of minutes; using %d", SKEW_ENV, raw,
                    MAX_SKEW_MS // 60_000)
    return MAX_SKEW_MS


def latest_allowed() -> int:
    """The latest wall time (ms) a change may carry now."""
    return now_ms() + max_skew_ms()


def check_clock(hlc: str, device_id: str, latest: int) -> str:
    """The clock's device; ValueError with the reason a person reads if the office refuses
    it: not a clock, another device's, or later than ``latest``."""
    try:
        wall, _counter, device = parts(hlc)
    except ValueError:
        raise ValueError(f"bad clock {hlc!r}") from None
    if device != stamp_device(device_id):
        raise ValueError(f"นาฬิกาของรายการนี้ระบุเครื่องอื่น (the change's clock names device "
                         f"{device[:40]!r}, not the device that sent it)")
    if wall > latest:
        raise ValueError(ahead_reason(wall - latest + max_skew_ms()))
    return device


def ahead_reason(ahead_ms: int) -> str:
    """Why a change (or a push) stamped ``ahead_ms`` after the office's time is refused."""
    return (f"นาฬิกาของเครื่องนี้เดินเร็วกว่าเวลาของสำนักงาน {_minutes(ahead_ms)} "
            f"(this laptop's clock is {_minutes_en(ahead_ms)} ahead of the office server, more "
            f"than the {max_skew_ms() // 60_000} minutes allowed) — ตั้งวันและเวลาของเครื่องให้"
            f"ถูกต้อง (set the laptop's date and time right); the change is kept on the laptop")


def _minutes(ms: int) -> str:
    minutes = max(1, round(ms / 60_000))
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60):,} วัน"
    return f"{minutes:,} นาที"


def _minutes_en(ms: int) -> str:
    minutes = max(1, round(ms / 60_000))
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60):,} days"
    return f"{minutes:,} minutes"


def client_ahead(header: str | None) -> int | None:
    """How far (ms) the time a laptop says it has (``X-FieldApp-Time``) is ahead of the
    office's beyond the allowed skew; None if it is not (or it says nothing readable)."""
    if not header or not header.isascii() or not header.isdigit() or len(header) > 16:
        return None
    ahead = int(header) - now_ms()
    return ahead if ahead > max_skew_ms() else None
