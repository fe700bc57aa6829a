"""The console's date fields: typed in the Buddhist era, as every date it shows.

A browser's own date input shows and picks Christian-era years (Chromium has no Buddhist
calendar for it), so the office would type 2026 beside lists that read 2569. The fields are
text instead: they show a stored date as ``05/12/2569`` and take what a person types, which
``thaidate.parse_date`` reads (``5/12/2569``, ``5 ธ.ค. 69``, Thai digits, or ISO as a link or
an older page sends it). Something unreadable is shown back as it was typed, beside an error.
"""

from __future__ import annotations

from datetime import date

from fieldapp.core import thaidate
from fieldapp.server.console.i18n import N_

BAD_FILTER_DATE = N_("A date could not be read; it was left out of the filter.")
TYPED_LIMIT = 40   # characters of a typed date kept (the longest form is ~20)


def field_text(value: date | str | None) -> str:
    """What a date field shows: ``dd/mm/yyyy`` in the Buddhist era for a date or ISO text
    (``2026-12-05``), the text itself for anything else (what a person typed, shown back to
    be corrected)."""
    if not value:
        return ""
    day = value if isinstance(value, date) else _iso_day(value)
    if day is None:
        return str(value)[:TYPED_LIMIT]
    return f"{day.day:02d}/{day.month:02d}/{day.year + thaidate.BE_OFFSET}"


def _iso_day(text: str) -> date | None:
    """A stored ISO date; None for other text, and for an ISO-looking date typed with a
    Buddhist-era year (``2569-12-05``), which is shown back as typed."""
    try:
        day = date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else None
    except ValueError:
        return None
    return day if day is not None and day.year < 2400 else None


def filter_day(text: str | None) -> tuple[date | None, bool]:
    """A filter's bound from its field: (the day or None, whether the field was readable).
    Empty is readable and means no bound."""
    if not text or not text.strip():
        return None, True
    day = thaidate.typed_date(text[:TYPED_LIMIT])
    return day, day is not None
