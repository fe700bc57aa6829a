"""What the laptop does when it finds the office restored from an older backup
(server/history.py): every change the office had acknowledged is pending again, refused ones
go again under new op ids, and the office's own rows are given back (store/office_copies.py)
and recreated (store/recreations.py). The sync engine finds the restore (sync/engine.py pull).
"""

from __future__ import annotations

from fieldapp.core.ids import uuid7
from fieldapp.store import office_copies, own_rows
from fieldapp.store.db import Store
from fieldapp.store.office_copies import GIVE_BACK
from fieldapp.store.recreations import RECREATE
from fieldapp.store.sync_meta import CURSOR, PUSH_UNANSWERED, set_state
from fieldapp.store.sync_state import SERVER_EPOCH


def last_acknowledged(store: Store) -> str | None:
    """The op id of the newest change the server acknowledged, for asking the server
    whether it still holds it (``resend_acknowledged``)."""
    row = store.conn.execute("SELECT op_id FROM outbox WHERE status = 'acked' "
                             "ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else None


def resend_acknowledged(store: Store, epoch: str | None,
                        refused_now: set[str] | frozenset[str] = frozenset()
                        ) -> tuple[int, int]:
    """The server no longer holds changes it acknowledged (it was restored from an older
    backup): make every acknowledged change pending again, to be pushed again (the server
    answers "duplicate" for those it still has), and start the pull over from a new
    snapshot (the server's change numbers went back, so the cursor would skip what others
    send from now on). Refused changes stay refused. Returns the changes to resend, and how
    many of them are of ``refused_now`` (no longer refused).

    All in one transaction with the server's new ``epoch`` and the push-run mark
    (``push_unsure``): every finalize sent again carries its signed copy, since the
    outbox now says "unsent" of records the office held before its backup.

    ``refused_now``: op ids the office refused in this sync before the restore was noticed
    (a change to a plan the restore lost: the office had no such row). They are pending
    again under new op ids (the office remembers its answer to the old ones), to follow the
    rows given back (``office_copies``, ``GIVE_BACK``) and recreated."""
    with store.transaction():   # set_state joins it
        for key, value in ((SERVER_EPOCH, epoch), (PUSH_UNANSWERED, "1"), (CURSOR, "0"),
                           ("bootstrapped", None), (RECREATE, "1"), (GIVE_BACK, "1")):
            set_state(store, key, value)
        office_copies.mark_all(store)
        own_rows.forget(store)   # numbers of the history the office lost
        count = store.conn.execute(
            "UPDATE outbox SET status = 'pending', server_seq = NULL, outcome = NULL, "
            "reason = NULL WHERE status = 'acked'").rowcount
        refused = rearm(store, refused_now)
    return count + refused, refused


def rearm(store: Store, op_ids: set[str] | list[str]) -> int:
    """Make refused changes pending again under new op ids (the office remembers its answer
    to the old ones, and would give it again to the same id); in the caller's transaction.
    Returns how many."""
    count = 0
    for op_id in sorted(op_ids):
        count += store.conn.execute(
            "UPDATE outbox SET status = 'pending', op_id = ?, server_seq = NULL, "
            "outcome = NULL, reason = NULL WHERE op_id = ? AND status = 'rejected'",
            (uuid7(), op_id)).rowcount
    return count


def resend_if_restored(ack: dict) -> bool:
    """Whether a refused change goes again if this sync finds the office restored
    (``resend_acknowledged``): a refusal, but not one that came with the office's row (a
    record finalized on another laptop): the laptop took that row instead of its change,
    which must not reach the office after all."""
    return "rejected" in (ack.get("outcome"), ack.get("first_outcome")) and \
        ack.get("current") is None
