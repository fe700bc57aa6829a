"""What the office configures about its printed forms (from the app's settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PrintSettings:
    """``office_name`` heads every form; ``office_logo`` (PNG/JPEG) sits left of it;
    ``thai_digits`` prints dates, numbers and page numbers in ๐–๙ (ids and hashes stay
    in 0–9 so that they can be typed and scanned)."""

    office_name: str = "สำนักงานอุตสาหกรรมจังหวัด"
    office_logo: Path | None = None
    thai_digits: bool = False
    author: str = "FieldApp"
