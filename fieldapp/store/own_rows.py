"""The laptop's own new rows that the office holds exactly as they were sent, so that the
pull after a push need not bring them back (sync_state ``own_rows``).

The office answers ``exact`` to an operation that created a row from its payload alone, and
left it at that change number (server/push.py). The laptop keeps those change numbers, as
ranges, under the office's history (its epoch), and names the ranges above its cursor when
it pulls (``own``, server/pull.py): a row still at such a number is the one this laptop
sent, and is not sent again. A row changed since has another number and comes as always.

Kept with what they describe: a laptop restored from its own backup has the ranges of the
rows that backup holds, not of rows it sent later. Numbers of another history name other
rows: ranges noted under another epoch are never named (the office checks the epoch too),
and an office restore drops them (office_restored.resend_acknowledged). Anything lost here only
means rows pulled that need not have been.
"""

from __future__ import annotations

import json

from fieldapp.store.db import Store
from fieldapp.store.sync_meta import get_state, set_state

KEY = "own_rows"
# Ranges kept at most; beyond them the highest are dropped (those rows are pulled again).
KEEP = 1000


def _load(store: Store) -> tuple[str | None, list[list[int]]]:
    try:
        held = json.loads(get_state(store, KEY) or "{}")
        epoch, ranges = held.get("epoch"), held.get("ranges") or []
        if isinstance(epoch, str) and all(
                isinstance(r, list) and len(r) == 2 and all(type(n) is int for n in r)
                for r in ranges):
            return epoch, ranges
    except (ValueError, AttributeError):
        pass
    return None, []   # unreadable: as if none were kept


def note(store: Store, epoch: str | None, seqs: list[int]) -> None:
    """Keep the change numbers ``seqs`` the office answered ``exact``, under ``epoch``."""
    if epoch is None or not seqs:
        return
    held_epoch, ranges = _load(store)
    if held_epoch != epoch:
        ranges = []
    merged: list[list[int]] = []
    for low, high in sorted([*ranges, *([n, n] for n in seqs)]):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    set_state(store, KEY, json.dumps({"epoch": epoch, "ranges": merged[:KEEP]}))


def for_pull(store: Store, epoch: str | None, cursor: int, at_most: int) -> str | None:
    """The ``own`` of a pull from ``cursor`` under ``epoch``: ranges above the cursor, at
    most ``at_most`` (what the office takes), lowest first; None when there are none."""
    held_epoch, ranges = _load(store)
    if epoch is None or held_epoch != epoch:
        return None
    above = [f"{max(low, cursor + 1)}-{high}" for low, high in ranges if high > cursor]
    return ",".join(above[:at_most]) or None


def passed(store: Store, cursor: int) -> None:
    """Forget the ranges the cursor has passed."""
    epoch, ranges = _load(store)
    left = [r for r in ranges if r[1] > cursor]
    if left != ranges:
        set_state(store, KEY, json.dumps({"epoch": epoch, "ranges": left}) if left else None)


def forget(store: Store) -> None:
    set_state(store, KEY, None)
