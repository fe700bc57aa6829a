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
import unicodedata
from typing import Any

import orjson

FORMAT = "fieldapp.inspection/1"


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


def _pick(row: dict, fields: tuple[str, ...]) -> dict:
    return {f: row.get(f) for f in fields}


def inspection_document(inspection: dict, answers: list[dict], findings: list[dict],
                        participants: list[dict], attachments: list[dict]) -> dict:
    """The canonical document of one inspection, from plain rows as the store holds them.

    Deleted rows, signature images and scans of the signed paper are not part of it:
    signatures bind *to* this hash, so they cannot be inside it.
    """
    live = [a for a in attachments
            if not a.get("deleted") and a.get("kind") not in ("signature", "scan")]
    return {
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
