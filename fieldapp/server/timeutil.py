"""Server timestamps (ISO 8601 UTC, milliseconds), the same format the laptops write."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
