"""Pruning the notes of rows that left an inspector's scope (``scope_exits``, server schema
10), and the safe answer to a laptop whose cursor is older than what was pruned.

A note is needed only by a laptop whose cursor is below its change sequence: its pull sends
the row as a tombstone (server/pull.py). The server does not know every laptop's cursor, so
notes are kept for a retention (``DEFAULT_DAYS``, by the clock of the change that moved the
row), and the highest change sequence of any note removed is remembered
(``server_meta`` ``HORIZON``). An inspector's pull from a cursor below it may have missed a
tombstone, so it is answered with ``rescope`` and no rows: the laptop takes a new snapshot,
which marks deleted every office row it holds that the snapshot does not list
(store/left_scope.forget_unlisted). Pruning is a matter of cost, never of what a laptop
ends up holding. Never removes a note above the horizon it records.
"""

from __future__ import annotations

import time

from fieldapp.server.storage import Conn, Database

HORIZON = "scope_exits_pruned_to"
# Longer than a login lasts unused (30 days): a laptop in use never meets the horizon; one
# back after months takes a new snapshot (a first sync's cost).
DEFAULT_DAYS = 90


def horizon(c: Conn, meta: dict[str, str] | None = None) -> int:
    """The highest change sequence of a note removed (0: none was), in the caller's
    transaction (``meta``: its ``server_meta`` values, read already)."""
    held = c.meta_value(HORIZON, meta)
    return int(held) if held else 0


def prune(db: Database, days: int = DEFAULT_DAYS, now_ms: int | None = None) -> int:
    """Remove the notes whose moving change is older than ``days`` (by its clock) and raise
    the horizon to the highest change sequence removed, in one transaction. Returns how
    many were removed."""
    if days < 0:
        raise ValueError("days must not be negative")
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    # Clocks begin with 13 digits of milliseconds (core/hlc.py): text order is time order.
    cutoff = f"{max(now_ms - days * 86_400_000, 0):013d}"
    with db.write() as c:
        top = c.value("SELECT max(seq) FROM scope_exits WHERE updated_hlc < ?", (cutoff,))
        if top is None:
            return 0
        removed = c.run("DELETE FROM scope_exits WHERE updated_hlc < ?", (cutoff,))
        c.run("INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
              "DO UPDATE SET value = excluded.value", (HORIZON, str(max(top, horizon(c)))))
        return removed
