"""What a pushed answer's value may be, by its checklist item: a measured value (a number item)
is one a laptop would store, a decimal or a value below a lab's detection limit ("<2",
"ND", "ND<0.5": core/detection.py), never other text. The office's console, printed copies
and monthly counts read these values; a laptop that stored garbage (an old or a hand-made
client) would put it on every copy of the record.

Only a change a laptop pushes is held to this. A signed copy that comes with a finalize
(server/signed.py) is not: a finalized record can never change, so refusing one would keep it
from the office for good. An answer to an item its template lacks, or under a template the
office does not hold, is let through as before (the console lists it apart).
"""

from __future__ import annotations

import json
import threading

from fieldapp.core.errors import ValidationError
from fieldapp.core.templates import (
    Template,
    TemplateError,
    normalize_value,
    parse_decimal,
    parse_template,
)
from fieldapp.server.records import Record
from fieldapp.server.storage import Database

# Parsed templates by version and content hash: a body never changes under its hash, and
# a push of a hundred answers would otherwise parse the same template a hundred times. The
# version's id too: a version stored without a hash must not stand for another.
_PARSED: dict[tuple[str, object], Template | None] = {}
_PARSED_MAX = 64
# One thread parses a version while the others wait for it. Without this, the pushes that
# reach a freshly started server process together (a province's end of day) each parsed the
# same template on their own, dozens at once under one interpreter lock: a quarter of the
# office's CPU in the first seconds of 300 syncs.
_PARSING = threading.Lock()


def _template(version: Record) -> Template | None:
    key = (version.id, version.data.get("content_hash"))
    try:
        return _PARSED[key]
    except KeyError:
        pass
    with _PARSING:
        if key not in _PARSED:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            try:
                _PARSED[key] = parse_template(json.loads(version.data.get("body") or ""),
                                              f"template_versions {version.id}")
            except (ValueError, TypeError, TemplateError):
                _PARSED[key] = None  # stored before the office checked bodies: nothing to go by
        return _PARSED[key]


def warm(db: Database) -> int:
    """Parse the office's newest template versions now, as a server process starts, rather
    than in the first pushes it serves (a province's end of day arrives all at once on a
    freshly started process). Returns how many were parsed."""
    with db.read() as c:
        rows = c.all("SELECT * FROM records WHERE tbl = 'template_versions' AND deleted = 0 "
                     "ORDER BY seq DESC LIMIT ?", (_PARSED_MAX,))
    for row in rows:
        _template(Record.from_row(row, clocks=False))
    return len(rows)


def answer_value_problem(version: Record | None, item_id: object, value: object) -> str | None:
    """Why ``value`` cannot be the answer to ``item_id`` of template ``version``, in the
    laptop's own words (Thai and English, naming the item), or None."""
    if value is None or version is None or not isinstance(item_id, str):
        return None
    template = _template(version)
    item = template.item(item_id) if template is not None else None
    if item is None or item.type != "number" or parse_decimal(value) is not None:
        # Not a measured item, or any number, as every laptop version has stored one (the
        # item is looked up first: most answers are not numbers). A rule tightened later (a
        # negative measure refused since December 2026) must not refuse an answer an older
        # laptop stored and signed; the office would then hold other than the signed record.
        return None
    try:
        normalize_value(item, value)   # the lab's "<2" and "ND" forms, as the laptop reads them
    except ValidationError as exc:
        return str(exc)
    return None
