"""Factory identifiers: the 14-digit factory ID (FID) and the old registration number.

The FID (เลขทะเบียนโรงงาน 14 หลัก) is the registry's key. Every real ID passes a Luhn (mod 10)
check over all 14 digits; digit 1 is the issuing office (1 DIW, 2 provincial office, 7 IEAT),
digits 3-4 the DOPA province code, digits 5-9 a running number and digits 10-13 the Buddhist-era
year of registration. Files write it Excel-style (``="10390001225278"``), with spaces or dashes,
or as a number Excel turned into ``1.0390001225278E+13``.

The old registration number (เลขทะเบียนเดิม, DISPFACREG) looks like ``3-10(1)-1/46ปท`` or
``จ3-58(1)-68/59นพ``: class, type number (sub-item), running number, two-digit B.E. year and the
province abbreviation (none for Bangkok). DIW writes it with spaces around the separators.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FID_LENGTH = 14

# Characters people and spreadsheets put around or inside an FID that carry no meaning.
_FID_NOISE = re.compile(r"[\s\-_./'\"=]+")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def luhn_ok(digits: str) -> bool:
    """True if ``digits`` (all decimal digits) passes the Luhn mod-10 check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that, appended to ``body``, makes the whole number pass the Luhn check."""
    for digit in "0123456789":
        if luhn_ok(body + digit):
            return digit
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")


def normalize_fid(text: object) -> str:
    """The FID's digits with quoting, spaces and dashes removed (not yet validated).

    Integers and integral floats (Excel cells) become their digits; ``1.0390001225278E+13``
    (a number Excel printed in scientific notation) is expanded back to its digits.
    """
    if text is None:
        return ""
    if isinstance(text, bool):
        return str(text)
    if isinstance(text, int):
        return str(text)
    if isinstance(text, float):
        return str(int(text)) if text.is_integer() else str(text)
    text = str(text).strip()
    if _SCIENTIFIC.match(text):
        from decimal import Decimal, InvalidOperation  # rare: not on the start-up path
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is not None and number == number.to_integral_value():
            return str(int(number))
    return _FID_NOISE.sub("", text)


def fid_problem(fid: str) -> str | None:
    """Why a normalised FID is not valid, in words a person can act on, or None if it is."""
    if not fid:
        return "ไม่มีเลขทะเบียนโรงงาน (factory ID is empty)"
    if not fid.isascii() or not fid.isdigit():
        return f"เลขทะเบียนโรงงานมีอักขระที่ไม่ใช่ตัวเลข (factory ID {fid!r} is not all digits)"
    if len(fid) != FID_LENGTH:
        return (f"เลขทะเบียนโรงงานต้องมี 14 หลัก (factory ID {fid} has {len(fid)} digits, "
                f"expected 14)")
    if not luhn_ok(fid):
        return (f"เลขตรวจสอบของเลขทะเบียนโรงงานไม่ถูกต้อง (factory ID {fid} fails its "
                f"check digit)")
    return None


def is_valid_fid(fid: str) -> bool:
    """True for 14 ASCII digits passing the Luhn check."""
    return fid_problem(fid) is None


def fid_province_code(fid: str) -> str:
    """The DOPA province code in digits 3-4 of a valid FID."""
    return fid[2:4]


# -- old registration number --------------------------------------------------------------

# class (optionally prefixed จ), type number with optional (sub-item), running number, year,
# province abbreviation (Thai letters, absent for Bangkok).
_FACREG = re.compile(
    r"^(?P<prefix>[จ]?)(?P<cls>\d)-(?P<type>\d+(?:\(\d+\))?)-(?P<running>\d+)/(?P<year>\d{1,4})"
    r"(?P<abbr>[\u0e01-\u0e2e]{0,3})$")
_SEPARATOR_SPACES = re.compile(r"\s*([-/()])\s*")
_SEPARATORS = re.compile(r"[\s\-/().]+")


@dataclass(frozen=True)
class Registration:
    """The parts of an old registration number."""

    text: str
    factory_class: int
    type_number: str
    running: int
    year: str
    province_abbr: str


def normalize_facreg(text: object) -> str:
    """The registration number written the way DISPFACREG writes it: no spaces.

    ``"3 - 10(1) - 1 / 46ปท"`` -> ``"3-10(1)-1/46ปท"``; inner runs of whitespace that are not
    next to a separator are kept as one space (free text we do not understand stays readable).
    """
    if text is None:
        return ""
    cleaned = " ".join(str(text).split())
    if " " in cleaned:
        # A function, not the template r"\1": templates are expanded in Python on every match.
        cleaned = _SEPARATOR_SPACES.sub(_separator_only, cleaned)
    return cleaned


def _separator_only(match: re.Match) -> str:
    return match.group(1)


def facreg_key(text: object) -> str:
    """The registration number without any separator, for search: ``3101146ปท``."""
    return _SEPARATORS.sub("", normalize_facreg(text))


def parse_facreg(text: str) -> Registration | None:
    """The parts of a normalised registration number, or None if it does not follow the pattern."""
    match = _FACREG.match(normalize_facreg(text))
    if match is None:
        return None
    return Registration(text=match.group(0), factory_class=int(match["cls"]),
                        type_number=match["type"], running=int(match["running"]),
                        year=match["year"], province_abbr=match["abbr"])


def search_key(text: str) -> str:
    """A typed identifier with separators removed, for matching FIDs and registration numbers."""
    return _SEPARATORS.sub("", text)
