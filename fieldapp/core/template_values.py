"""Answer values: what a person typed, turned into the one text the store keeps.

``normalize_value`` is idempotent (normalising stored text gives the same text back), so a
value can pass through it again on amend or sync without drifting. Numbers stay decimal
text end to end: the legal limit check uses Decimal arithmetic, never float.

Number rule (docs/templates.md): Thai digits are read as digits; "." is the decimal mark;
a comma followed by groups of exactly three digits separates thousands ("3,000" is three
thousand, "1,234.5" too); any other single comma is a decimal comma ("7,5" is 7.5). The typed
precision is kept ("7.20" stays "7.20").

A measured value with a legal limit may also be below a lab's detection limit ("<2", "ND",
"ไม่พบ"): core/detection.py says how it is stored ("<2", "ND", "ND<0.5") and judged.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fieldapp.core import detection
from fieldapp.core.errors import ValidationError
from fieldapp.core.template_model import Item
from fieldapp.core.thaidate import arabic_digits, parse_date

# Thailand's bounding box (DESIGN.md §8); a point outside it is a typing or GPS error.
LAT_RANGE = (Decimal(5), Decimal(21))
LNG_RANGE = (Decimal(97), Decimal(106))

_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def _problem(item: Item, thai: str, english: str) -> ValidationError:
    return ValidationError(f"{item.name('th')}: {thai} ({item.name('en')}: {english})")


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw in ([], {}, ())


def normalize_value(item: Item, raw: Any) -> str | None:
    """The text stored in ``answers.value`` for ``raw`` typed into ``item``; None when empty.

    Raises ValidationError, naming the item, for input that does not fit the item's type.
    """
    if _blank(raw):
        return None
    handler = _HANDLERS[item.type]
    return handler(item, raw)


def _no_value(item: Item, raw: Any) -> None:
    where = ("the result is recorded as pass/fail" if item.type == "result"
             else "photos are attached, not typed")
    raise _problem(item, "ข้อนี้ไม่รับค่าที่พิมพ์", f"this item takes no typed value; {where}")


def _text(item: Item, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _problem(item, "ต้องเป็นข้อความ", f"expected text, got {type(raw).__name__}")
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_decimal(raw: Any) -> Decimal | None:
    """A Decimal from what a person typed (see the module's number rule); None if it is not
    a number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # repr is the shortest text that reads back as this float: 7.2 -> 7.2, not 7.2000...
        value = Decimal(repr(raw))
        return value if value.is_finite() else None
    if not isinstance(raw, str):
        return None
    text = _SPACES.sub("", arabic_digits(raw))
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if not _PLAIN.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes these
        return None
    return value if value.is_finite() else None


def decimal_text(value: Decimal) -> str:
    """Plain decimal text (no exponent, no sign on zero), keeping the given precision."""
    if value == 0:
        value = value.copy_abs()
    return format(value, "f")


def _number(item: Item, raw: Any) -> str:
    text = raw
    if isinstance(raw, str) and item.unit:
        # "20 mg/L" typed in full: drop the item's own unit, nothing else.
        stripped = raw.strip()
        if stripped.lower().endswith(item.unit.lower()):
            text = stripped[: -len(item.unit)]
    below = _below_detection(item, raw, text) if isinstance(text, str) else None
    if below is not None:
        return below
    value = parse_decimal(text)
    if value is None:
        if item.limit_text():
            raise _problem(item, f"{raw!r} ไม่ใช่ตัวเลข",
                           f"{raw!r} is not a number; type digits such as 7.5 or 3,000, "
                           "or what the lab report says: <2 (below the detection limit), "
                           "ND or ไม่พบ (not detected)")
        raise _problem(item, f"{raw!r} ไม่ใช่ตัวเลข",
                       f"{raw!r} is not a number; type digits such as 7.5 or 3,000")
    low = item.limits.min if item.limits else None
    if value < 0 and (low is None or low >= 0):
        # A count or a measure of this kind is never below zero (a stray minus sign; -3
        # workers was flagged "over the legal limit", -5 mg/L taken as within it).
        raise _problem(item, f"{raw!r} ติดลบ ค่านี้ไม่ต่ำกว่าศูนย์",
                       f"{raw!r} is negative; this value is never below zero")
    return decimal_text(value)


def _below_detection(item: Item, raw: Any, text: str) -> str | None:
    """The stored text of a below-detection value typed into ``item`` ("< 2" -> "<2"), None
    when ``text`` is not one. Only a measured value with a legal limit takes one: a count of
    workers is never "not detected", and a limit is what the value is judged against. A
    quantity that may be negative (a limit below zero) has no detection limit either."""
    try:
        found = detection.read_typed(text, parse_decimal)
    except detection.DetectionError as exc:
        raise _problem(item, f"{raw!r} ไม่ใช่ค่าที่อ่านได้ (ให้พิมพ์ เช่น <2 หรือ ND)",
                       f"{raw!r} cannot be read: {exc}; type e.g. <2 for a value below the "
                       "detection limit 2, ND or ไม่พบ for not detected, or ND<0.5") from None
    if found is None:
        return None
    limits = item.limits
    if not item.limit_text() or (limits.min is not None and limits.min < 0) or \
            (limits.max is not None and limits.max < 0):
        raise _problem(item, f"{raw!r} ข้อนี้ไม่รับค่าต่ำกว่าขีดจำกัดการตรวจวัด ให้พิมพ์ตัวเลข",
                       f"{raw!r}: this item takes no value below a detection limit "
                       "(it has no legal limit to judge one against); type a number")
    return found.text()


def _choice(item: Item, raw: Any) -> str:
    choice = raw.strip() if isinstance(raw, str) else raw
    if item.choice(choice) is None:
        ids = ", ".join(c.id for c in item.choices)
        raise _problem(item, f"ไม่มีตัวเลือก {raw!r}", f"{raw!r} is not a choice ({ids})")
    return choice


def _multi_choice(item: Item, raw: Any) -> str | None:
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _problem(item, "รูปแบบรายการไม่ถูกต้อง",
                               f"not a list of choices: {exc.msg}") from exc
        else:
            raw = [text]
    if not isinstance(raw, (list, tuple, set, frozenset)):
        raise _problem(item, "ต้องเป็นรายการตัวเลือก", "expected a list of choices")
    chosen = sorted({_choice(item, c) for c in raw})
    return json.dumps(chosen, ensure_ascii=False, separators=(",", ":")) if chosen else None


def _date(item: Item, raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if not isinstance(raw, str):
        raise _problem(item, "ต้องเป็นวันที่", f"expected a date, got {type(raw).__name__}")
    try:
        return parse_date(raw).isoformat()
    except ValueError as exc:
        raise _problem(item, f"{raw!r} ไม่ใช่วันที่",
                       f"{raw!r} is not a date; type e.g. 21/12/2566 or 2023-12-21") from exc


def _object(item: Item, raw: Any, keys: set[str]) -> dict:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _problem(item, "รูปแบบข้อมูลไม่ถูกต้อง", f"not valid data: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise _problem(item, "รูปแบบข้อมูลไม่ถูกต้อง",
                       f"expected fields {', '.join(sorted(keys))}")
    unknown = set(raw) - keys
    if unknown:
        raise _problem(item, "มีช่องข้อมูลที่ไม่รู้จัก",
                       f"unknown field(s) {', '.join(sorted(unknown))}; "
                       f"allowed: {', '.join(sorted(keys))}")
    return raw


def _canonical(document: dict) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _document(item: Item, raw: Any) -> str | None:
    doc = _object(item, raw, {"number", "date"})
    number = doc.get("number")
    if number is not None and not isinstance(number, str):
        number = str(number)
    number = number.strip() if number else None
    day = _date(item, doc["date"]) if not _blank(doc.get("date")) else None
    if number is None and day is None:
        return None
    return _canonical({"number": number or None, "date": day})


def _coordinate(item: Item, raw: Any, name: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
    value = parse_decimal(raw)
    if value is None:
        raise _problem(item, f"ค่า {name} ไม่ใช่ตัวเลข", f"{name} {raw!r} is not a number")
    if not bounds[0] <= value <= bounds[1]:
        raise _problem(item, f"ค่า {name} {raw} อยู่นอกประเทศไทย",
                       f"{name} {raw} is outside Thailand ({bounds[0]}–{bounds[1]}); "
                       "check the digits or whether latitude and longitude are swapped")
    return value


def _gps(item: Item, raw: Any) -> str:
    if isinstance(raw, str) and not raw.strip().startswith("{"):
        # "13.7563, 100.5018" as read off a phone or map.
        parts = [p for p in re.split(r"[,\s]+", raw.strip()) if p]
        if len(parts) != 2:
            raise _problem(item, "พิกัดต้องเป็น ละติจูด, ลองจิจูด",
                           "type coordinates as latitude, longitude (e.g. 13.7563, 100.5018)")
        raw = {"lat": parts[0], "lng": parts[1]}
    point = _object(item, raw, {"lat", "lng", "accuracy_m"})
    if "lat" not in point or "lng" not in point:
        raise _problem(item, "ต้องมีทั้งละติจูดและลองจิจูด", "both lat and lng are needed")
    lat = _coordinate(item, point["lat"], "lat", LAT_RANGE)
    lng = _coordinate(item, point["lng"], "lng", LNG_RANGE)
    result = {"lat": decimal_text(lat), "lng": decimal_text(lng)}
    if not _blank(point.get("accuracy_m")):
        accuracy = parse_decimal(point["accuracy_m"])
        if accuracy is None or accuracy < 0:
            raise _problem(item, "ความแม่นยำต้องเป็นตัวเลขไม่ติดลบ",
                           f"accuracy_m {point['accuracy_m']!r} must be a number >= 0")
        result["accuracy_m"] = decimal_text(accuracy)
    return _canonical(result)


_HANDLERS = {
    "result": _no_value,
    "photo": _no_value,
    "text": _text,
    "number": _number,
    "choice": _choice,
    "multi_choice": _multi_choice,
    "date": _date,
    "document": _document,
    "gps": _gps,
}


def outside_limits(item: Item, value_text: str | None) -> str | None:
    """``"below"`` a minimum or ``"above"`` a maximum for a number item with legal limits,
    else None (within them, undecided, no limits, no value): pH 4.0 against 5.5-9.0 is not
    "over"."""
    side = judgement(item, value_text)
    return side if side in (detection.ABOVE, detection.BELOW) else None


def is_exceeded(item: Item, value_text: str | None) -> bool | None:
    """For a number item with legal limits: True when the value is outside [min, max]
    (inclusive bounds); None when the item has no limits, there is no value, or the value
    cannot be judged by itself (``judgement`` says "undecided": "<30" against ≤ 20)."""
    side = judgement(item, value_text)
    if side is None or side == detection.UNDECIDED:
        return None
    return side != detection.WITHIN


def judgement(item: Item, value_text: str | None) -> str | None:
    """How the stored value of a number item stands against its legal limits: "within",
    "above", "below", or "undecided" for a below-detection value whose limit straddles a
    legal limit (the inspector decides: core/detection.py). None when the item has no
    limits, there is no value, or the value is not one that can be read."""
    if item.type != "number" or item.limits is None or value_text is None:
        return None
    low, high = item.limits.min, item.limits.max
    below = detection.read_stored(value_text)
    if below is not None:
        return detection.judge(below, low, high)
    value = parse_decimal(value_text)
    if value is None:
        return None
    if low is not None and value < low:
        return detection.BELOW
    if high is not None and value > high:
        return detection.ABOVE
    return detection.WITHIN
