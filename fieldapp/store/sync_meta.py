"""The laptop's sync bookkeeping values (table ``sync_state``) and the count of changes not
yet sent: what the window reads at start-up (the status bar, the office lists).

Apart from ``sync_state`` (the outbox and the server's answers), which imports orjson and
the attachment store: at start-up those cost ~3 ms the window does not need.
``sync_state`` re-exports these names.
"""

from __future__ import annotations

from fieldapp.store.db import Store

CURSOR = "pull_cursor"
# Set while a push may have been applied by the server without its answer being recorded
# here: the outbox may then say "pending" for a change the office holds (see
# sync_state.push_unsure). Set from the start of every push run until it ends.
PUSH_UNANSWERED = "push_unanswered"


def get_state(store: Store, key: str, default: str | None = None) -> str | None:
    row = store.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return row[0] if row and row[0] is not None else default


def set_state(store: Store, key: str, value: str | None) -> None:
    with store.transaction():
        store.conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           (key, value))


def pending_count(store: Store) -> int:
    """Local changes not yet on the server (for the status bar)."""
    return store.conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
