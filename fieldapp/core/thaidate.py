"""Dates the Thai way: Buddhist era, Thai month names, Asia/Bangkok, optional Thai digits.

Storage stays ISO 8601 (UTC instants, plain local dates); this module only formats and parses
what people see and type.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

# Thailand has kept UTC+7 without daylight saving since 1920, so a fixed offset is exact for
# every date an inspection can carry, needs no tzdata in the frozen app, and spares the
# window's start-up the zoneinfo import.
BANGKOK = timezone(timedelta(hours=7), "ICT")

BE_OFFSET = 543
# A typed year above this is of the Buddhist era (parse_date); at or below, Christian.
BE_YEARS_FROM = 2400

MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.",
                "ต.ค.", "พ.ย.", "ธ.ค.")

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(text: str) -> str:
    """``text`` with 0-9 written as ๐-๙."""
    return text.translate(_THAI_DIGITS)


def arabic_digits(text: str) -> str:
    """``text`` with ๐-๙ written as 0-9 (for parsing what people type)."""
    return text.translate(_ARABIC_DIGITS)


def to_local(value: datetime | str) -> datetime:
    """An instant (aware datetime or ISO text) in Bangkok time. Naive values are taken as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BANGKOK)


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return to_local(value).date()
    if isinstance(value, str):
        return to_local(value).date() if "T" in value else date.fromisoformat(value)
    return value


def format_date(value: date | datetime | str, style: str = "long", digits: str = "arabic") -> str:
    """``21 ธันวาคม 2566`` (long), ``21 ธ.ค. 66`` (short) or ``21/12/2566`` (numeric)."""
    d = _as_date(value)
    year = d.year + BE_OFFSET
    if style == "long":
        text = f"{d.day} {MONTHS[d.month - 1]} {year}"
    elif style == "short":
        text = f"{d.day} {MONTHS_SHORT[d.month - 1]} {year % 100:02d}"
    elif style == "numeric":
        text = f"{d.day:02d}/{d.month:02d}/{year}"
    else:
        raise ValueError(f"unknown date style {style!r}")
    return thai_digits(text) if digits == "thai" else text


def format_time(value: datetime | str, digits: str = "arabic") -> str:
    """Bangkok time as Thai official documents write it: ``14.05 น.`` (a full stop between
    hours and minutes, as งานสารบรรณ writes ``เวลา 09.30 น.``; ``09:30`` is the English
    clock)."""
    text = f"{to_local(value):%H.%M} น."
    return thai_digits(text) if digits == "thai" else text


def format_datetime(value: datetime | str, style: str = "long", digits: str = "arabic") -> str:
    """Date as ``format_date`` plus Bangkok time: ``21 ธันวาคม 2566 เวลา 14.05 น.``"""
    local = to_local(value)
    return f"{format_date(local.date(), style, digits)} เวลา {format_time(local, digits)}"


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\s*$")


def parse_date(text: str) -> date:
    """Parse a date a person typed: ``21/12/2566``, ``21 ธ.ค. 66``, ``21 ธันวาคม 2566``,
    Thai digits allowed, or ISO ``2023-12-21``. Years above 2400 are Buddhist era; two-digit
    years are Buddhist era (``66`` is 2566)."""
    raw = arabic_digits(text).strip()
    iso = _ISO.match(raw)
    m = _NUMERIC.match(raw)
    if iso:
        # Year first, as ISO writes it; typed in the Buddhist era too (2566-12-21), which
        # taken as C.E. was stored as the year 3109, and 2567-02-29 refused.
        year, month, day = (int(g) for g in iso.groups())
    elif m:
        day, month, year = (int(g) for g in m.groups())
    else:
        parts = raw.replace(",", " ").split()
        # A year of two or four digits, as the numeric form: "5 ธ.ค. 256" is a slip of the
        # keyboard, not the year 256.
        if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit() \
                or len(parts[2]) not in (2, 4):
            raise ValueError(f"ไม่ใช่วันที่ (not a date): {text!r}")
        names = {n: i + 1 for i, n in enumerate(MONTHS)}
        names.update({n: i + 1 for i, n in enumerate(MONTHS_SHORT)})
        names.update({n.replace(".", ""): i + 1 for i, n in enumerate(MONTHS_SHORT)})
        if parts[1] not in names:
            raise ValueError(f"ไม่รู้จักชื่อเดือน (unknown month): {parts[1]!r}")
        day, month, year = int(parts[0]), names[parts[1]], int(parts[2])
    if year < 100:
        year += 2500
    if year > BE_YEARS_FROM:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"ไม่ใช่วันที่ที่มีอยู่จริง (no such date): {text!r}") from exc


def typed_date(text: object) -> date | None:
    """``parse_date`` for a form or filter field: None when it is empty or not a date."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_date(text.strip()[:40])
    except ValueError:
        return None


# A period as an order states it: "ภายใน 30 วัน", "30 วัน", "within 30 days" (DESIGN §7).
_PERIOD = re.compile(r"^(?:ภายใน|within)?\s*(\d{1,4})\s*(?:วัน|days?)\.?$", re.I)
_FULL_YEAR = re.compile(r"\d{4}$")


def period_days(text: str) -> int | None:
    """N of a period typed as ``ภายใน 30 วัน``, ``30 วัน`` or ``within 30 days`` (Thai
    digits too); None when ``text`` is no such period."""
    m = _PERIOD.match(arabic_digits(text).strip())
    return int(m.group(1)) if m else None


def parse_deadline(text: str, start: date) -> date:
    """A date typed as ``parse_date`` reads it, or a period counted from ``start`` (the day
    of the inspection): ``ภายใน 30 วัน`` is ``start`` plus 30 days."""
    days = period_days(text)
    return start + timedelta(days=days) if days is not None else parse_date(text)


def typed_in_full(text: str) -> bool:
    """Whether typing that parses is finished as it stands: a period with its unit, an ISO
    date, or a date with a four-digit year. ``1/1/25`` parses (2525) but may be the start
    of ``1/1/2567``, so it is taken only when the field is left."""
    raw = arabic_digits(text).strip()
    return bool(period_days(raw) is not None or _ISO.match(raw) or _FULL_YEAR.search(raw))
