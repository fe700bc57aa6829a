"""This laptop's clock against the office's, at sync.

Every answer of the office carries its time (``P.H_TIME``); the client keeps the difference.
A laptop far ahead (its date set wrong) pushes nothing: its changes carry its wrong date and
the office would refuse them, so they stay pending and the inspector is told, in Thai, to set
the date right. It still pulls (sync/engine.py): what the office holds for it is not dated
by it. Once it is right, changes stamped while it was wrong get fresh stamps before
they go (``restamp.restamp_far_future``), so none is lost. A laptop behind the office may
take in the office's stamps (``HybridClock.ahead_ms``), as it always could.
"""

from __future__ import annotations

from fieldapp.core.hlc import MAX_SKEW_MS
from fieldapp.store import restamp
from fieldapp.store.db import SERVER_AHEAD, Store
from fieldapp.sync.client import ClockAhead, SyncClient

NOTE_EVERY_MS = 5_000  # a change in the office's lead smaller than this is not saved


def note_office_time(store: Store, client: SyncClient) -> None:
    """Remember how far the office's clock is ahead of ours (0 when it is not)."""
    if client.clock_ahead_ms is None:
        return
    behind = max(0, -client.clock_ahead_ms)
    if abs(behind - store.clock.ahead_ms) < NOTE_EVERY_MS:
        return   # the same as last time, give or take the network: no write per sync
    store.clock.ahead_ms = behind
    with store.transaction():
        store.set_meta(SERVER_AHEAD, str(behind))


def before_push(store: Store, client: SyncClient) -> None:
    """ClockAhead if the office's last answer showed our clock far ahead; else re-stamp
    pending changes stamped beyond the present (the date was wrong when they were made).
    "The present" is the office's: measured now if no answer of this sync carried it yet, as
    this laptop's own date may be behind (then its earlier stamps are not in the future)."""
    if client.clock_ahead_ms is None:
        client.health()
    note_office_time(store, client)
    ahead = client.clock_ahead_ms
    if ahead is not None and ahead > MAX_SKEW_MS:
        raise ClockAhead(ahead)
    restamp.restamp_far_future(store)
