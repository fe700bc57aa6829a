"""Fast JSON for the sync hot paths (push bodies, stored record data), via orjson.

orjson is several times faster than the standard library on the shapes sync moves (lists of
small objects with Thai text). It is stricter in a few corners the standard library accepts
(NaN, integers beyond 64 bits, lone surrogates): there we fall back to ``json`` so that what
was accepted before is still accepted, and what was refused is refused with the same error.
Output is compact UTF-8.
"""

from __future__ import annotations

import json

import orjson


def loads(data: bytes | str) -> object:
    """Parse JSON; raises ``json.JSONDecodeError`` (a ValueError) for invalid input."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def dumps(obj: object) -> bytes:
    """Compact UTF-8 JSON bytes (non-ASCII kept as is, as ``ensure_ascii=False``)."""
    try:
        return orjson.dumps(obj)
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")



def dumps_sorted_text(obj: object) -> str:
    """Compact JSON text with sorted keys, for storing a row's content (server ``records``).
    Readers parse it; nothing may match on its spacing (old rows have ``json``'s spacing)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
