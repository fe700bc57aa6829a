"""What a value a laptop sends may be, beyond its type: numbers every laptop can store, and
the sizes of a factory's fields.

Every laptop of a province pulls each factory row the office holds, into SQLite, which
stores integers of 64 bits: one larger number (or NaN, which the lenient JSON parser lets
through) pulled would stop every sync of that province. A factory's phone number a megabyte
long would be downloaded by every laptop and stall printing. So the office refuses them
here, with the reason, before anything is stored.
"""

from __future__ import annotations

import math

from fieldapp.core.canonical import signed_factory
from fieldapp.core.registry_fields import LAT_RANGE, LNG_RANGE
from fieldapp.sync import protocol as P

INT_MIN, INT_MAX = -(2**63), 2**63 - 1   # SQLite's INTEGER, PostgreSQL's bigint
TEXT_MAX = 1_000_000                     # any text field (a template body is large)
FACTORY_TEXT_MAX = 2_000                 # a field of a factory reported from the field
# The fields an inspector edits in the field (core/registry_fields.FIELD_EDITABLE).
FACTORY_SHORT_TEXT = {"phone": 200, "contact_person": 200}
FACTORY_RANGES = {"lat": LAT_RANGE, "lng": LNG_RANGE}


def value_problem(name: str, value: object) -> str | None:
    """Why a scalar value cannot be stored for every laptop, or None if it can."""
    kind = type(value)
    if kind is int:
        if not INT_MIN <= value <= INT_MAX:
            return f"field {name} is a number too large to store (beyond 64 bits)"
    elif kind is float:
        if not math.isfinite(value):
            return f"field {name} must be a finite number"
    elif kind is str and len(value) > TEXT_MAX:
        return f"field {name} is too long"
    return None


def factory_problem(name: str, value: object) -> str | None:
    """Why a laptop may not give a factory's field ``name`` this value (the office's own
    registry import is not held to these), or None."""
    if value is None:
        return None
    if name in FACTORY_RANGES:
        low, high = FACTORY_RANGES[name]
        if type(value) not in (int, float) or not low <= value <= high:
            return (f"พิกัด {name} ต้องเป็นตัวเลขในประเทศไทย ({name} must be a number between "
                    f"{low:g} and {high:g}, in Thailand)")
        return None
    if isinstance(value, str):
        limit = FACTORY_SHORT_TEXT.get(name, FACTORY_TEXT_MAX)
        if len(value) > limit:
            return (f"ช่อง {name} ยาวเกิน {limit:,} ตัวอักษร (field {name} is longer than "
                    f"{limit:,} characters)")
    return None


# Fields besides the references (protocol.NAMING) that a row's own columns are taken from:
# its province and its owner (server/write_scope.py, server/loop_scope.py).
COLUMN_FIELDS = frozenset({"province_code", "assignee"})


def storable_problem(table: str, name: str, value: object) -> str | None:
    """Why a laptop that pulls a row of ``table`` could not store ``value`` in ``name``, or
    None if it could: a required field empty, a value outside the laptop schema's choices
    (protocol.CHOICES), a NUL in what names or places a row (stored in a text column of its
    own, which PostgreSQL refuses with one; other text keeps a NUL inside the row's JSON,
    as a registry file may hold one). One rule for a pushed change and a signed copy."""
    if value is None:
        return f"{name} of {table} cannot be empty" if name in P.REQUIRED[table] else None
    choices = P.CHOICES.get(table, {}).get(name)
    if choices is not None and value not in choices:
        return (f"{name} of {table} is one of {', '.join(sorted(map(str, choices)))}, "
                f"not {value!r}")
    if isinstance(value, str) and "\x00" in value and (
            name in P.NAMING[table] or name in COLUMN_FIELDS):
        return f"field {name} holds a NUL character"
    if name == "signed_factory" and table == "inspections" and \
            signed_factory({name: value}) is None:
        # Printed on every reprint of the record: what no laptop could print is refused.
        return ("signed_factory of inspections is the factory's printed fields as a JSON "
                "object (core/canonical.FACTORY_FIELDS)")
    return None


# Per table: the required fields, the fields with choices, and the fields a NUL may not be in.
_REQUIRED = {table: frozenset(names) for table, names in P.REQUIRED.items()}
_NUL_FREE = {table: names | COLUMN_FIELDS for table, names in P.NAMING.items()}


def field_problem(table: str, name: str, value: object) -> str | None:
    """``value_problem(name, value) or storable_problem(table, name, value)``, worked out in
    one call: a push asks it of every field of every operation (half a million in a day's
    bulk push), so the common case (text within bounds, no choices) returns at once.
    tests/server/test_server_values.py holds it to the two it stands for."""
    kind = type(value)
    if kind is str:
        if len(value) > TEXT_MAX:
            return f"field {name} is too long"
    elif value is None:
        return f"{name} of {table} cannot be empty" if name in _REQUIRED[table] else None
    elif kind is int:
        if not INT_MIN <= value <= INT_MAX:
            return f"field {name} is a number too large to store (beyond 64 bits)"
    elif kind is float and not math.isfinite(value):
        return f"field {name} must be a finite number"
    choices = P.CHOICES.get(table)
    if choices is not None and name in choices:
        return storable_problem(table, name, value)
    if kind is str and "\x00" in value and name in _NUL_FREE[table]:
        return f"field {name} holds a NUL character"
    if name == "signed_factory":
        return storable_problem(table, name, value)
    return None
