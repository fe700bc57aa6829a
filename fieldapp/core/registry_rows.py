"""Cleaning one registry row: raw text fields in, a clean factory record (or a rejection) out.

The importer maps a file's columns to the field names below (those of the ``factories`` table)
and hands each row here. A fault we can fix safely is fixed and reported as a warning; a fault
that would store a wrong or ambiguous record rejects the row with a reason a person can act on.
Rules, in short:

- factory ID: Excel quoting, spaces and dashes removed; must be 14 digits passing the Luhn check
  (else rejected: the ID is the record's name on every device, a wrong one cannot be fixed later).
- name: whitespace collapsed; empty or a placeholder ("-", "ไม่มี") is a warning, not a
  rejection: real DIW rows carry such names and the factory still exists and must be findable.
- class (จำพวก): "3", "จำพวก 3", "จ.3" -> 3; otherwise empty with a warning.
- province: name, abbreviation or alias -> one of the 77 provinces. When it disagrees with the
  ID's digits 3-4, the registration number's abbreviation breaks the tie; the disagreement is
  always a warning.
- coordinates: Thailand is roughly lat 5-21, lng 97-106. Swapped pairs are swapped back, a
  decimal comma ("13,7") is read as a point, and zero or impossible values become empty; each
  with a warning.

Pure: no I/O, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fieldapp.core.fid import (
    facreg_key,
    fid_problem,
    fid_province_code,
    normalize_facreg,
    normalize_fid,
    parse_facreg,
)
from fieldapp.core.provinces import Province, find_province, province_by_abbr, province_by_code
from fieldapp.core.registry_fields import (  # noqa: F401 - re-exported
    INPUT_FIELDS,
    LAT_RANGE,
    LNG_RANGE,
    REGISTRY_FIELDS,
    TEXT_FIELDS,
)

PLACEHOLDER_NAMES = frozenset({"", "-", "--", "---", ".", "..", "?", "ไม่มี", "ไม่ระบุ",
                               "ไม่ทราบ", "n/a", "na", "none", "null"})
_CLASS_WORDS = re.compile(r"^(?:โรงงาน)?\s*(?:จำพวก(?:ที่)?|จ\.?|class)?\s*([123])$",
                          re.IGNORECASE)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class Note:
    """One warning or rejection: a stable ``code`` for programs, a bilingual ``message``."""

    code: str
    message: str


@dataclass
class CleanResult:
    """A clean factory record with its warnings, or the reason the row was rejected."""

    factory: dict | None = None
    warnings: list[Note] = field(default_factory=list)
    rejection: Note | None = None


def _text(value: object) -> str | None:
    """Stripped text with inner whitespace runs collapsed; None for empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def clean_row(raw: dict) -> CleanResult:
    """Clean one row whose keys are field names from ``INPUT_FIELDS`` (missing keys = empty)."""
    result = CleanResult()
    warn = result.warnings.append

    fid = normalize_fid(raw.get("fid"))
    problem = fid_problem(fid)
    if problem is not None:
        code = "fid_empty" if not fid else (
            "fid_length" if fid.isascii() and fid.isdigit() and len(fid) != 14 else
            "fid_checksum" if fid.isascii() and fid.isdigit() else "fid_characters")
        result.rejection = Note(code, problem)
        return result

    out: dict = {"fid": fid}
    for name in TEXT_FIELDS:
        out[name] = _text(raw.get(name))

    if (out["name"] or "").lower() in PLACEHOLDER_NAMES:
        if out["name"]:
            warn(Note("name_placeholder",
                      f"ชื่อโรงงานเป็นเครื่องหมายแทนค่าว่าง (factory name {out['name']!r} is a placeholder; "
                      f"imported without a name)"))
        else:
            warn(Note("name_empty", "ไม่มีชื่อโรงงาน (factory name is empty; imported without "
                                    "a name)"))
        out["name"] = ""

    facreg = normalize_facreg(raw.get("facreg"))
    out["facreg"] = facreg or None
    out["facreg_key"] = facreg_key(facreg) or None
    registration = parse_facreg(facreg) if facreg else None
    out["factory_type"] = registration.type_number if registration else None

    out["factory_class"] = _factory_class(raw.get("factory_class"), registration, warn)
    out["province"], out["province_code"] = _province(raw.get("province"), fid, registration,
                                                      warn)
    out["capital"] = _number(raw.get("capital"), "capital", float, warn)
    out["horsepower"] = _number(raw.get("horsepower"), "horsepower", float, warn)
    out["workers"] = _number(raw.get("workers"), "workers", int, warn)
    out["status"] = _status(raw.get("status"), warn)
    out["lat"], out["lng"] = _coordinates(raw.get("lat"), raw.get("lng"), warn)
    result.factory = out
    return result


def _factory_class(value: object, registration, warn) -> int | None:
    text = _text(value)
    if text is None:
        return registration.factory_class if registration else None
    text = text.translate(_THAI_DIGITS)
    if text in ("1", "2", "3", "1.0", "2.0", "3.0"):
        return int(float(text))
    match = _CLASS_WORDS.match(text)
    if match:
        warn(Note("class_words", f"จำพวกโรงงานเขียนเป็นคำ (factory class {text!r} read as "
                                 f"{match[1]})"))
        return int(match[1])
    warn(Note("class_unknown", f"ไม่รู้จักจำพวกโรงงาน (factory class {text!r} not understood; "
                               f"left empty)"))
    return registration.factory_class if registration else None


def _province(value: object, fid: str, registration, warn) -> tuple[str | None, str | None]:
    """Province name and code; the ID's digits 3-4 decide when nothing else is given."""
    by_fid = province_by_code(fid_province_code(fid))
    by_reg: Province | None = None
    if registration is not None:
        by_reg = province_by_abbr(registration.province_abbr) if registration.province_abbr \
            else province_by_code("10")
    text = _text(value)
    named = find_province(text) if text else None
    if text and named is None:
        warn(Note("province_unknown", f"ไม่รู้จักชื่อจังหวัด (province {text!r} not recognised; "
                                      f"using the factory ID's province)"))
    if named is None:
        chosen = by_fid or by_reg
        return (chosen.name_th, chosen.code) if chosen else (text, None)
    if by_fid is not None and named.code != by_fid.code:
        # Two sources against one: the registration number's abbreviation breaks the tie.
        chosen = by_fid if by_reg is not None and by_reg.code == by_fid.code else named
        warn(Note("province_mismatch",
                  f"จังหวัดไม่ตรงกับเลขทะเบียนโรงงาน (province {text!r} is {named.name_th} "
                  f"but factory ID {fid} says {by_fid.name_th}; kept {chosen.name_th})"))
        return chosen.name_th, chosen.code
    return named.name_th, named.code


def _number(value: object, label: str, kind, warn):
    text = _text(value)
    if text is None or text == "-":
        return None
    try:
        number = float(text.translate(_THAI_DIGITS).replace(",", ""))
    except ValueError:
        warn(Note(f"{label}_invalid", f"ตัวเลขไม่ถูกต้อง ({label} {text!r} is not a number; "
                                      f"left empty)"))
        return None
    if kind is int:
        return int(number) if number.is_integer() else round(number)
    return number


def _status(value: object, warn) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if text in ("0", "1", "2", "3", "0.0", "1.0", "2.0", "3.0"):
        return int(float(text))
    warn(Note("status_invalid", f"สถานะโรงงานไม่ถูกต้อง (FFLAG {text!r} is not 0-3; left empty)"))
    return None


def _coordinate(value: object, label: str, warn) -> float | None:
    text = _text(value)
    if text is None:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        warn(Note("coord_comma", f"พิกัดใช้จุลภาคแทนจุดทศนิยม ({label} {text!r} read as "
                                 f"{text.replace(',', '.')})"))
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        warn(Note("coord_invalid", f"พิกัดไม่ใช่ตัวเลข ({label} {text!r} is not a number; "
                                   f"coordinates left empty)"))
        return float("nan")


def _inside(lat: float, lng: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]


def _coordinates(lat_raw: object, lng_raw: object, warn) -> tuple[float | None, float | None]:
    lat = _coordinate(lat_raw, "lat", warn)
    lng = _coordinate(lng_raw, "lng", warn)
    if lat is None and lng is None:
        return None, None
    if lat is None or lng is None or lat != lat or lng != lng:  # one missing, or NaN
        if lat == lat and lng == lng:
            warn(Note("coord_incomplete", "พิกัดไม่ครบ (only one of lat/lng given; coordinates "
                                          "left empty)"))
        return None, None
    if lat == 0 and lng == 0:
        warn(Note("coord_zero", "พิกัดเป็นศูนย์ (coordinates 0, 0 are not a location; left "
                                "empty)"))
        return None, None
    if _inside(lat, lng):
        return lat, lng
    if _inside(lng, lat):
        warn(Note("coord_swapped", f"สลับละติจูดกับลองจิจูด (lat {lat} and lng {lng} were "
                                   f"swapped; swapped back)"))
        return lng, lat
    warn(Note("coord_outside", f"พิกัดอยู่นอกประเทศไทย (lat {lat}, lng {lng} is outside "
                               f"Thailand; left empty)"))
    return None, None
