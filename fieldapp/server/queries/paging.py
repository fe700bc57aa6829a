"""A page of a list, and page numbers read defensively (a URL can carry anything)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PER_PAGE = 500


@dataclass
class Page:
    """``rows`` of page ``page`` (1-based) of ``total`` rows, ``per_page`` a page.
    ``capped``: the search stopped counting at its cap (``total`` is a lower bound)."""

    rows: list[dict] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 50
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def number(value: object, default: int, low: int, high: int) -> int:
    """``value`` as an int held to ``low…high``; ``default`` when it is not a number."""
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(n, low), high)


def last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))
