"""Measured values below a laboratory's detection limit, and how they are judged.

A lab report gives BOD as "<2" (below the method's detection limit of 2 mg/L) or heavy
metals as "ND" / "n.d." / "ไม่พบ" (not detected), sometimes with the limit ("ND (<0.005)").
Such a value is not a number but a range: the true value is at least zero and below the
limit. The store keeps it as text in one canonical form, beside plain decimals:

    "<2"       below the detection limit 2
    "ND"       not detected, no limit given
    "ND<0.5"   not detected, detection limit 0.5

A plain decimal ("7.20") never takes one of these forms, so every value stored before
keeps its text, and so every finalized record keeps its content hash (core/canonical.py
hashes the text). Judging against legal limits (both inclusive) follows what the range
proves:

- "<L" against a maximum M: within when L <= M (every value below L is below M);
  otherwise *undecided*: the value may be over the maximum, and only the inspector (with the
  lab) can say. Never silently passed nor failed.
- "<L" against a minimum m > 0: below it when L <= m (every value below L is below m);
  otherwise undecided.
- "ND" with no limit reads as nothing found: within any maximum of zero or more, below any
  minimum above zero (dissolved oxygen not detected fails DO >= 4).
- A lower bound of zero or less is met by any value, found or not.

Pure Python: no database, no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fieldapp.core.numbers import grouped

# Judgements of a measured value against its legal limits.
WITHIN, ABOVE, BELOW, UNDECIDED = "within", "above", "below", "undecided"

_LESS = "<"
_ND = "ND"
# How lab reports write "not detected", compared without spaces and case-folded:
# ND, N.D., n.d, "not detected", ไม่พบ, and the form this app prints, "ไม่พบ (ND)".
_ND_WORDS = re.compile(r"^(?:ไม่พบ(?:\(n\.?d\.?\))?|notdetected|n\.?d\.?)")
_LESS_SIGNS = ("<", "＜", "‹")          # the fullwidth sign comes from Thai/CJK input methods
# What may follow an ND word: nothing, or the detection limit as "<0.5", "(<0.5)",
# "(0.5)", ",<0.5" (a bare "ND 0.5" is refused: is 0.5 the limit or a value?).
_ND_LIMIT = re.compile(r"^(?:,?<(?P<a>.+)|\(<?(?P<b>[^()]+)\))$")


class DetectionError(ValueError):
    """Typed text that starts like a below-detection value but is not one."""


@dataclass(frozen=True)
class BelowDetection:
    """A value below the detection limit: ``limit`` (None when not given) and whether the lab
    reported it as not detected."""

    limit: Decimal | None
    not_detected: bool

    def text(self) -> str:
        """The canonical stored text: ``<2``, ``ND`` or ``ND<0.5``."""
        limit = "" if self.limit is None else _LESS + _plain(self.limit)
        return (_ND + limit) if self.not_detected else limit


def _plain(value: Decimal) -> str:
    return format(value, "f")


def read_typed(text: str, parse_number) -> BelowDetection | None:
    """The below-detection value a person typed (spaces allowed: "< 2", "ND (< 0.5)"), None
    if ``text`` does not start like one (then it may be a plain number). ``parse_number``
    reads a decimal as the rest of the app does (Thai digits, thousands), None if none.

    Raises DetectionError for text that starts like one and is not: "<", "<<2", "ND5x".
    """
    squeezed = re.sub(r"\s+", "", text).casefold()
    for sign in _LESS_SIGNS[1:]:
        squeezed = squeezed.replace(sign, _LESS)
    if squeezed.startswith(_LESS):
        return BelowDetection(_limit(squeezed[1:], parse_number), not_detected=False)
    word = _ND_WORDS.match(squeezed)
    if word is None:
        return None
    rest = squeezed[word.end():]
    if not rest:
        return BelowDetection(None, not_detected=True)
    match = _ND_LIMIT.match(rest)
    if match is None:
        raise DetectionError(f"what follows ND is not a detection limit: {rest!r}")
    return BelowDetection(_limit(match["a"] or match["b"], parse_number), not_detected=True)


def _limit(text: str, parse_number) -> Decimal:
    if not text:
        raise DetectionError("the detection limit is missing after <")
    value = parse_number(text)
    if value is None:
        raise DetectionError(f"the detection limit {text!r} is not a number")
    if value <= 0:
        raise DetectionError("a detection limit is above zero")
    return value


def read_stored(text: object) -> BelowDetection | None:
    """The below-detection value held in stored ``text`` (canonical form only), else None
    (a plain number, or anything that is not text)."""
    if not isinstance(text, str) or not text or text[0] not in (_LESS, "N"):
        return None
    not_detected = text.startswith(_ND)
    rest = text[len(_ND):] if not_detected else text
    if not rest:
        return BelowDetection(None, True) if not_detected else None
    if not rest.startswith(_LESS):
        return None
    try:
        limit = Decimal(rest[1:])
    except ArithmeticError:
        return None
    if not limit.is_finite() or limit <= 0 or _plain(limit) != rest[1:]:
        return None
    return BelowDetection(limit, not_detected)


def judge(value: BelowDetection, low: Decimal | None, high: Decimal | None) -> str:
    """WITHIN, BELOW or UNDECIDED for a below-detection value against inclusive legal
    limits (see the module docstring). Never ABOVE: no value below a limit is proven over
    a maximum."""
    limit = value.limit
    low_side = WITHIN
    if low is not None and low > 0:
        low_side = BELOW if limit is None or limit <= low else UNDECIDED
    if low_side == BELOW:
        return BELOW
    # "ND" alone is nothing found: within any maximum (items that take these values have no
    # limit below zero, template_values._number).
    high_side = UNDECIDED if high is not None and limit is not None and limit > high \
        else WITHIN
    return UNDECIDED if UNDECIDED in (low_side, high_side) else WITHIN


def printed_text(stored: str, unit: str | None = None) -> str | None:
    """How stored below-detection text reads on paper and in the office's console, Thai
    first as a lab report writes it: ``< 2 mg/L``, ``ไม่พบ (ND)``, ``ไม่พบ (ND < 0.5 mg/L)``;
    None when ``stored`` is not one (a plain number is printed as numbers are)."""
    value = read_stored(stored)
    if value is None:
        return None
    unit_part = f" {unit}" if unit else ""
    limit = None if value.limit is None else f"< {grouped(value.limit)}{unit_part}"
    if not value.not_detected:
        return limit
    # The unit goes with the limit: "ไม่พบ mg/L" says nothing.
    return f"ไม่พบ (ND < {limit[2:]})" if limit else "ไม่พบ (ND)"


# Thai words of a judgement, as printed beside the value (forms) and shown in the console.
JUDGEMENT_WORDS = {
    WITHIN: "อยู่ในเกณฑ์มาตรฐาน",
    ABOVE: "เกินเกณฑ์มาตรฐาน",
    BELOW: "ต่ำกว่าเกณฑ์มาตรฐาน",
    UNDECIDED: "ตัดสินจากค่านี้ไม่ได้",
}
# Why: the lab's limit is above the legal one (above the maximum, or above the minimum).
UNDECIDED_WHY = "ขีดจำกัดการตรวจวัดสูงกว่าเกณฑ์"
