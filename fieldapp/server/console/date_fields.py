"""The console's date fields: typed in the Buddhist era, as every date it shows.

A browser's own date input shows and picks Christian-era years (Chromium has no Buddhist
calendar for it), so the office would type 2026 beside lists that read 2569. The fields are
text instead: they show a date as ``05/12/2569`` and take what a person types, which
``thaidate.parse_date`` reads (``5/12/2569``, ``5 ธ.ค. 69``, Thai digits, or ISO as an older
page sends it). Something unreadable is shown back as it was typed, beside an error.
"""

from __future__ import annotations

from datetime import date

from fieldapp.core import thaidate
from fieldapp.core.thaidate import typed_date
from fieldapp.server.console.i18n import N_

BAD_FILTER_DATE = N_("A date could not be read; it was left out of the filter.")
TYPED_LIMIT = 40   # characters of a typed date kept (the longest form is ~20)


def field_text(value: date | str | None) -> str:
    """What a date field shows: ``dd/mm/yyyy`` in the Buddhist era for a date, or for text
    that reads as one (the office's own ISO default, or what a person typed, which is then
    shown as it was read); other text as it was typed, to be corrected.

    Text is read as a person's (``thaidate.typed_date``: a year above 2400 is of the
    Buddhist era), so a page passes a filter's field its text as typed, never the ISO form
    of a day past the year 2400, which would read as Buddhist-era."""
    if not value:
        return ""
    day = value if isinstance(value, date) else typed_date(str(value)[:TYPED_LIMIT])
    if day is None:
        return str(value)[:TYPED_LIMIT]
    return day_text(day)


def day_text(day: date) -> str:
    """A day as the console's fields show it and its links carry it, so that it reads back
    as the same day: ``05/12/2569``, or ISO before 1858 (a Buddhist-era year up to 2400
    would read as of the Christian era: thaidate.parse_date)."""
    if day.year + thaidate.BE_OFFSET <= thaidate.BE_YEARS_FROM:
        return day.isoformat()
    return f"{day.day:02d}/{day.month:02d}/{day.year + thaidate.BE_OFFSET}"


def filter_day(text: str | None) -> tuple[date | None, bool]:
    """A filter's bound from its field: (the day or None, whether the field was readable).
    Empty is readable and means no bound."""
    if not text or not text.strip():
        return None, True
    day = typed_date(text[:TYPED_LIMIT])
    return day, day is not None


def filter_warning(params, *names: str) -> str | None:
    """BAD_FILTER_DATE when one of the date filters ``names`` of the query ``params`` cannot
    be read (``filter_day`` leaves it out), else None."""
    if all(filter_day(params.get(name))[1] for name in names):
        return None
    return BAD_FILTER_DATE
