"""Recording the server's answers to pushed changes in the outbox.

The sync engine (sync/push.py) calls ``record_acks`` once per answered request, in one local
transaction with what else the answers bring; a change is never lost here, refused or not.
"""

from __future__ import annotations

from fieldapp.store.db import Store
from fieldapp.store.resync import take_server_rows


def record_acks(store: Store, acks: list[dict],
                sent: list[tuple[int, str]] | None = None,
                columns: dict[str, tuple[str, ...]] | None = None) -> tuple[int, int]:
    """Mark pushed changes acknowledged or rejected (with the server's reason).

    A rejected change stays in the outbox with status ``rejected`` and its reason, so it is
    never lost and the inspector can see why. Returns (acked, rejected).

    A change refused because the record was finalized on another laptop comes with the
    server's row (``current``); with ``columns`` (the synced columns per table) the local
    row becomes the office's copy in the same transaction (store/resync.py).

    ``sent`` (from ``pending_batch``: outbox seq and op_id of each change, in the order
    pushed) lets a run of plain "applied" answers be written with ONE ranged UPDATE: where
    both the outbox seqs and the server's seqs go up by one from change to change, the
    changes are all the outbox rows in that seq range (seq is the integer primary key, so
    consecutive numbers leave no room for another row), and each row's server seq follows
    from its own. Any other answer is written by op_id as always.
    """
    updates = []
    ranges = []
    start = None  # index in acks where the current run of plain applied answers began
    keyed = sent is not None and len(sent) == len(acks)
    for n, ack in enumerate(acks):
        outcome = ack.get("first_outcome") or ack["outcome"]
        status = "rejected" if outcome == "rejected" else "acked"
        plain = keyed and ack["outcome"] == "applied" and ack.get("reason") is None \
            and type(ack.get("seq")) is int and ack["op_id"] == sent[n][1]
        if plain and start is not None and sent[n][0] == sent[n - 1][0] + 1 \
                and ack["seq"] == acks[n - 1]["seq"] + 1:
            continue  # extends the run
        if start is not None:
            ranges.append((start, n - 1))
            start = None
        if plain:
            start = n
            continue
        updates.append((status, ack.get("seq"), ack["outcome"], ack.get("reason"),
                        ack["op_id"]))
    if start is not None:
        ranges.append((start, len(acks) - 1))
    rejected = sum(1 for u in updates if u[0] == "rejected")
    with store.transaction():
        for first, last in ranges:
            if first == last:
                ack = acks[first]
                updates.append(("acked", ack["seq"], ack["outcome"], None, ack["op_id"]))
                continue
            low, high = sent[first][0], sent[last][0]
            store.conn.execute(
                "UPDATE outbox SET status = 'acked', server_seq = ? + (seq - ?), "
                "outcome = 'applied', reason = NULL "
                "WHERE seq BETWEEN ? AND ? AND status = 'pending'",
                (acks[first]["seq"], low, low, high))
        store.conn.executemany(
            "UPDATE outbox SET status = ?, server_seq = ?, outcome = ?, reason = ? "
            "WHERE op_id = ? AND status = 'pending'", updates)
        # Only a refusal, or a repeat of what a finalized record holds, carries the server's
        # copy (a server bug must not rewrite rows).
        currents = [a["current"] for a in acks if a.get("current") and (
            "rejected" in (a.get("outcome"), a.get("first_outcome"))
            or a["outcome"] == "applied" and a["current"].get("row") is not None)]
        if currents and columns is not None:
            take_server_rows(store, currents, columns)
    return len(acks) - rejected, rejected
