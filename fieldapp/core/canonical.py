"""The canonical form of an inspection and its content hash.

The hash is what signatures bind to and what the QR code on a paper copy carries, so it must
come out the same on every run, platform and Python version. The canonical form
(docs/content-hash.md, golden vectors in tests/core/test_canonical.py) is:

- a JSON document (RFC 8259) with object keys sorted by code point, no insignificant white
  space, and non-ASCII characters written as themselves (UTF-8), not as ``\\u`` escapes;
- every string NFC-normalised, so a Thai word typed with a different mark order on another
  keyboard hashes the same when Unicode says it is the same text;
- numbers never as JSON numbers: measured values are kept as the decimal text the store holds
  (``"7.20"`` stays ``"7.20"``), because float printing is the usual cause of hashes that
  differ between platforms; integers are allowed and written in plain decimal;
- ``null`` for absent values; lists in a defined order (see ``inspection_document``).

The hash is ``sha256`` of the UTF-8 bytes, written as lower-case hex.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from typing import Any

import orjson

FORMAT = "fieldapp.inspection/1"
# The same with the factory as signed (``factory``): records finalized since it was kept.
FORMAT_WITH_FACTORY = "fieldapp.inspection/2"


def _text(value: str) -> str:
    # ASCII is NFC already; most of a record is ASCII (ids, codes, decimals), and a Thai
    # string is almost always NFC as typed, which is_normalized tells without copying.
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def _normalise(value: Any) -> Any:
    # Exact types first: this runs over every field of every row of a record each time
    # one is hashed (a finalize on the server re-hashes a hundred rows). Subclasses take
    # the general checks below and come out the same.
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                item = _text(item)
            elif not (item is None or kind is int or kind is bool):
                item = _normalise(item)
            out[_text(key) if type(key) is str else _normalise(key)] = item
        return out
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in the canonical form; store decimals as text")
    if isinstance(value, dict):
        return {_normalise(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    raise TypeError(f"cannot put {type(value).__name__} in the canonical form")


def _settled(value: Any) -> bool:
    """True if ``value`` is already in canonical shape: plain dicts with text keys, lists,
    text in NFC, int, bool and None, nothing else (what a stored record almost always is).
    Checking costs far less than building the normalised copy: a finalize on the server
    hashes a hundred rows, a bulk push a thousand records in one batch."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or _nfc(key)):
                return False
            kind = type(item)
            if kind is str:
                if not (item.isascii() or _nfc(item)):
                    return False
            elif not (item is None or kind is int or kind is bool or _settled(item)):
                return False
        return True
    if kind is list:
        # A loop, not all() over a generator: one frame a level, as deep as _normalise goes.
        for item in value:
            if not _settled(item):
                return False
        return True
    if kind is str:
        return value.isascii() or _nfc(value)
    return value is None or kind is int or kind is bool


def _nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def canonical_bytes(document: Any) -> bytes:
    """The canonical UTF-8 encoding of ``document`` (dicts, lists, str, int, bool, None).

    orjson writes exactly the form the standard library writes with these options (sorted
    keys, compact, UTF-8 as itself, the same escapes; tests/core/test_canonical.py holds
    them to it) at a tenth of the time. What orjson refuses (integers beyond 64 bits, keys
    that are not text) goes through the standard library as before, which also raises for
    what the canonical form cannot hold."""
    if not _settled(document):
        document = _normalise(document)
    try:
        return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        text = json.dumps(document, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")


def content_hash(document: Any) -> str:
    """Lower-case hex SHA-256 of the canonical form of ``document``."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


# Fields of each part that the hash covers. Sync bookkeeping (clocks, device, tombstones) is
# left out on purpose: it changes when nothing a person signed has changed.
INSPECTION_FIELDS = ("id", "factory_id", "template_version_id", "kind", "started_at",
                     "purpose", "amends_id")
ANSWER_FIELDS = ("item_id", "result", "value", "note")
FINDING_FIELDS = ("id", "item_id", "description", "legal_basis", "order_text", "deadline",
                  "status")
PARTICIPANT_FIELDS = ("id", "role", "name", "position", "organisation", "phone", "sort_order")
ATTACHMENT_FIELDS = ("id", "item_id", "kind", "sha256", "size", "mime", "caption")


# The factory's fields the printed form shows (forms/blocks.factory_block, and the province
# in the office's heading). A record keeps them as they were when it was first signed
# (``factory_text``): the registry changes later, what was signed does not.
FACTORY_FIELDS = ("fid", "facreg", "name", "operator", "business", "factory_type",
                  "factory_class", "address", "moo", "soi", "road", "subdistrict", "district",
                  "province", "lat", "lng")
FACTORY_FIELD_MAX = 2_000      # characters of one kept field (a registry's are far shorter)
_COORDINATES = {"lat": 90.0, "lng": 180.0}


def _pick(row: dict, fields: tuple[str, ...]) -> dict:
    return {f: row.get(f) for f in fields}


def factory_text(factory: dict) -> str:
    """The printed fields of a factory row, as the text a record keeps of them
    (``signed_factory``) and its hash covers. Text, not an object inside the document,
    because coordinates are floats, which the canonical form refuses. Whatever the registry
    row holds, the result is one ``signed_factory`` accepts (the office refuses any other):
    text as text and at most FACTORY_FIELD_MAX characters, the class a whole number or
    text, coordinates finite and on the globe or none."""
    kept: dict = {}
    for name in FACTORY_FIELDS:
        value = factory.get(name)
        if name in _COORDINATES:
            try:
                number = float(value) if value is not None and type(value) is not bool \
                    else None
            except (TypeError, ValueError):
                number = None
            ok = number is not None and math.isfinite(number) and \
                abs(number) <= _COORDINATES[name]
            kept[name] = number if ok else None
        elif value is None or (name == "factory_class" and type(value) is int
                               and abs(value) < 2**53):
            kept[name] = value
        else:
            kept[name] = str(value)[:FACTORY_FIELD_MAX]
    return orjson.dumps(kept, option=orjson.OPT_SORT_KEYS).decode()


def signed_factory(inspection: dict) -> dict | None:
    """The factory as the record keeps it (its printed fields, kept when it was first
    signed), or None for a record that keeps none (never signed yet, or signed before
    records kept it), or a copy that is not exactly what ``factory_text`` makes (the
    office refuses one, server/values.py; a laptop that holds one prints the registry's)."""
    text = inspection.get("signed_factory")
    if not isinstance(text, str) or len(text) > len(FACTORY_FIELDS) * (FACTORY_FIELD_MAX + 40):
        return None
    try:
        factory = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(factory, dict) or factory.keys() != set(FACTORY_FIELDS):
        return None
    for name, value in factory.items():
        if value is None:
            continue
        if name in _COORDINATES:
            if type(value) not in (int, float) or not math.isfinite(value) or \
                    abs(value) > _COORDINATES[name]:
                return None
        elif name == "factory_class" and type(value) is int:
            if abs(value) >= 2**53:
                return None
        elif type(value) is not str or len(value) > FACTORY_FIELD_MAX:
            return None
    return factory


def inspection_document(inspection: dict, answers: list[dict], findings: list[dict],
                        participants: list[dict], attachments: list[dict],
                        factory: str | None = None) -> dict:
    """The canonical document of one inspection, from plain rows as the store holds them.

    Deleted rows, signature images and scans of the signed paper are not part of it:
    signatures bind *to* this hash, so they cannot be inside it.

    ``factory``: the ``factory_text`` of a draft's factory as it stands, for a draft that
    keeps none yet; a record that keeps one (``signed_factory``) is hashed with it. With a
    factory the document is of FORMAT_WITH_FACTORY; a record signed or finalized before
    records kept one is of FORMAT, as it always was.
    """
    live = [a for a in attachments
            if not a.get("deleted") and a.get("kind") not in ("signature", "scan")]
    if factory is None:
        factory = inspection.get("signed_factory")
    document = {
        "format": FORMAT,
        "inspection": _pick(inspection, INSPECTION_FIELDS),
        "answers": sorted((_pick(a, ANSWER_FIELDS) for a in answers if not a.get("deleted")),
                          key=lambda a: a["item_id"]),
        "findings": sorted((_pick(f, FINDING_FIELDS) for f in findings if not f.get("deleted")),
                           key=lambda f: f["id"]),
        "participants": sorted(
            (_pick(p, PARTICIPANT_FIELDS) for p in participants if not p.get("deleted")),
            key=lambda p: (p["role"], p["sort_order"] or 0, p["id"])),
        "attachments": sorted((_pick(a, ATTACHMENT_FIELDS) for a in live),
                              key=lambda a: (a["sha256"], a["id"])),
    }
    if factory is not None:
        document["format"] = FORMAT_WITH_FACTORY
        document["factory"] = factory
    return document
