"""Fresh stamps for pending changes stamped beyond the present (made while the laptop's date
was set far ahead, or under a clock that ran away), before they are pushed
(sync/clock_check.py): the office would refuse them for their clock, and none may be lost.
"""

from __future__ import annotations

import logging

from fieldapp.core.ids import uuid7
from fieldapp.store.changes import SYNC_TABLES
from fieldapp.store.db import Store

log = logging.getLogger(__name__)


def restamp_far_future(store: Store) -> int:
    """Give pending changes stamped beyond what this laptop's clock accepts (made while its
    date was set far ahead, or under a clock that ran away) fresh stamps, in outbox order,
    and new operation ids (the office may have refused the old ones for their clock).
    The clock itself is reset first if it ran away. Returns how many were re-stamped."""
    with store.transaction():
        store.repair_clock()
        limit = store.clock.limit()
        # Binary text order: a 13-digit wall above the limit sorts after "<limit>.", and a
        # wall of any other width is caught by where its first dash is.
        rows = store.conn.execute(
            "SELECT seq, table_name, row_id FROM outbox WHERE status = 'pending' AND "
            "(hlc > ? OR instr(hlc, '-') <> 14) ORDER BY seq", (f"{limit:013d}.",)).fetchall()
        if rows:
            # The new stamps must sort after every change this laptop made within the bound
            # (sent or not): a change stamped again below an earlier change of the same row
            # would lose to it at the office (a finalize undone by the draft's creation).
            kept = store.conn.execute(
                "SELECT max(hlc) FROM outbox WHERE hlc <= ? AND instr(hlc, '-') = 14",
                (f"{limit:013d}.",)).fetchone()[0]
            if kept:
                store.clock.observe(kept)
        newest: dict[tuple[str, str], str] = {}
        for seq, table, row_id in rows:
            stamp = newest[(table, row_id)] = store.stamp()
            store.conn.execute("UPDATE outbox SET hlc = ?, op_id = ? WHERE seq = ?",
                               (stamp, uuid7(), seq))
        _restamp_rows(store, newest, limit)
    if rows:
        log.warning("%d pending changes carried a clock beyond the present: stamped again",
                    len(rows))
    return len(rows)


def _restamp_rows(store: Store, newest: dict[tuple[str, str], str], limit: int) -> None:
    """The rows those changes wrote carry the same far-future clock as their last change:
    give each the stamp its newest change now travels with, so that the laptop's copy and
    the office's agree once it is sent (a row's clock is its newest write). A finalized
    record's rows too, past the frozen guards: its clock is not part of what was signed."""
    if not newest:
        return
    store.conn.execute("INSERT INTO frozen_override (id) VALUES (1)")
    try:
        for (table, row_id), stamp in newest.items():
            if table not in SYNC_TABLES:   # named in SQL: only our own tables
                continue
            store.conn.execute(
                f"UPDATE {table} SET updated_hlc = ? WHERE id = ? AND "
                f"(updated_hlc > ? OR instr(updated_hlc, '-') <> 14)",
                (stamp, row_id, f"{limit:013d}."))
    finally:
        store.conn.execute("DELETE FROM frozen_override")
