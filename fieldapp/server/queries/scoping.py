"""The caller's read scope as SQL conditions on the console's projections.

The same rules as ``fieldapp.server.scope`` (which conditions ``records``): an admin reads
everything; a supervisor every row of their provinces; an inspector the factories of their
provinces and only their own inspections (and what is under them) there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from fieldapp.core.provinces import province_by_code
from fieldapp.server.auth import Principal

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")


def _marks(values: list) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def owned(who: Principal, alias: str = "") -> tuple[str, list]:
    """``(sql, params)`` on a table with ``province`` and ``owner`` columns
    (inspection_index, finding_index, records of inspections and their children)."""
    p = f"{alias}." if alias else ""
    if who.is_admin:
        return "1 = 1", []
    provinces = sorted(who.provinces)
    if who.is_supervisor:
        return f"{p}province IN ({_marks(provinces)})", provinces
    return f"({p}province IN ({_marks(provinces)}) AND {p}owner = ?)", [*provinces, who.user_id]


def regional(who: Principal, alias: str = "") -> tuple[str, list]:
    """``(sql, params)`` on a table with a ``province`` column that every role reads within
    its provinces (factory_index)."""
    p = f"{alias}." if alias else ""
    if who.is_admin:
        return "1 = 1", []
    provinces = sorted(who.provinces)
    return f"{p}province IN ({_marks(provinces)})", provinces


def may_review(who: Principal, province: str | None) -> bool:
    """Whether ``who`` may settle things in ``province`` (conflicts): an admin anywhere, a
    supervisor in their own provinces; an inspector never."""
    return who.is_admin or (who.is_supervisor and province in who.provinces)


def province_name(code: str | None) -> str | None:
    """The Thai name of a province code, or the code itself when it is unknown."""
    found = province_by_code(code) if code else None
    return found.name_th if found else code


def day_start_utc(day: date) -> str:
    """The start of a Bangkok calendar day as stored times read (UTC, ``YYYY-MM-DDTHH:MM:SS``
    without a zone, which sorts before every stored time of that second). A day at the
    ends of the calendar (a filter typed as 0001-01-01 or 9999-12-31) is a bound before or
    after every stored time: its UTC moment does not exist, and it failed with a 500."""
    if day.year < 1000:
        return "0000"
    if day.year > 9998:
        return "9999-99"
    moment = datetime.combine(day, time(0), BANGKOK).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def day_after_utc(day: date) -> str:
    """``day_start_utc`` of the day after ``day`` (the exclusive end of a range)."""
    return day_start_utc(day + timedelta(days=1)) if day < date.max else "9999-99"


def today_bangkok(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(BANGKOK).date()


def clean_text(text: object, limit: int = 200) -> str:
    """Search text as typed, without control characters (a NUL ends a string in SQLite's
    LIKE and is refused by PostgreSQL) and held to ``limit`` characters, spaces collapsed."""
    if not isinstance(text, str):
        return ""
    kept = "".join(ch if ch.isprintable() else " " for ch in text[:limit * 4])
    return " ".join(kept.split())[:limit]


def usable_id(value: object) -> bool:
    """Whether ``value`` can name a row at all: text of 1 to 200 printable characters (a
    NUL would make PostgreSQL refuse the query: a 500 instead of "not found")."""
    return isinstance(value, str) and 0 < len(value) <= 200 and value.isprintable()


def plain_param(value: object) -> str:
    """A filter value as a query parameter: text without NUL."""
    return str(value).replace("\x00", "")


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '\\'``, with the caller's own wildcards made literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
