"""Numbers as people read them on the paper and on screen (DESIGN.md §5).

One rule for every measured value, legal limit and count: the whole part in groups of
three digits from 1,000 up (12,500; 3,000; 1,250), the decimals exactly as recorded (7.20
stays 7.20, 0.005 stays 0.005: a measured value is never rounded). Thai digits, where
wanted, are applied to the result by the caller (๑๒,๕๐๐). Nothing here reads or writes.
"""

from __future__ import annotations

import re
from decimal import Decimal

_DECIMAL = re.compile(r"^([+-]?)(\d+)(\.\d*)?$")


def grouped(value: Decimal | int | str) -> str:
    """``value`` with its thousands grouped and its precision kept. Text that is not a
    plain decimal number (a value kept from before numbers were checked) comes back as
    it is: the paper never invents a number."""
    text = format(value, "f") if isinstance(value, Decimal) else str(value).strip()
    match = _DECIMAL.match(text)
    if not match:
        return str(value)
    sign, whole, decimals = match.groups()
    return f"{'-' if sign == '-' else ''}{int(whole):,}{decimals or ''}"
