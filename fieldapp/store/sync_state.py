"""The laptop's side of sync in SQL: state, the outbox and the server's answers to it.

The pull cursor lives in table ``sync_state``; applying the rows that come from the server
(with the cursor, in one transaction) is in ``sync_apply``. Reading and writing that table,
and the count of unsent changes, are in ``sync_meta`` (what the window reads at start-up,
without this module's imports) and re-exported here.
"""

from __future__ import annotations

import logging

import orjson

from fieldapp.core.ids import uuid7
from fieldapp.store import office_copies, own_rows
from fieldapp.store.blobs import has_blob
from fieldapp.store.changes import SYNC_TABLES
from fieldapp.store.db import Store
from fieldapp.store.field_reports import factory_reports
from fieldapp.store.office_copies import GIVE_BACK
from fieldapp.store.recreations import RECREATE, recreations
from fieldapp.store.resync import take_server_rows
from fieldapp.store.sync_meta import (  # noqa: F401 - re-exported
    CURSOR,
    PUSH_UNANSWERED,
    get_state,
    pending_count,
    set_state,
)
from fieldapp.store.wirejson import dumps, loads

log = logging.getLogger(__name__)


def cursor(store: Store) -> int:
    return int(get_state(store, CURSOR, "0"))


# -- outbox --------------------------------------------------------------------------------

def pending_ops(store: Store, limit: int) -> list[dict]:
    """The oldest unsent local changes, as push operations."""
    return pending_after(store, 0, limit)[0]


def pending_after(store: Store, after_seq: int, limit: int,
                  max_bytes: int = 8 * 1024 * 1024,
                  stop_before_table: str | None = None) -> tuple[list[dict], int]:
    """Up to ``limit`` unsent changes with outbox seq above ``after_seq``, oldest first, and
    the seq of the last one (``after_seq`` if none). Lets the sync engine read the next
    batch while the previous one is still on its way to the server. A batch stops early
    past ``max_bytes`` of payload (always at least one change), so a batch of large
    payloads (drawn signatures) stays well under the server's body limit. With
    ``stop_before_table`` the batch ends before the first change to that table (attachment
    rows wait for their bytes)."""
    rows = _pending_rows(store, after_seq, limit, max_bytes, stop_before_table)
    ops = [{"op_id": r[1], "table": r[2], "row_id": r[3], "op": r[4],
            "payload": loads(r[5]), "hlc": r[6]} for r in rows]
    return ops, (rows[-1][0] if rows else after_seq)


def pending_batch(store: Store, after_seq: int, limit: int,
                  max_bytes: int = 8 * 1024 * 1024,
                  stop_before_table: str | None = None,
                  blobs_sent: set[str] | None = None,
                  columns: dict[str, tuple[str, ...]] | None = None,
                  children: tuple[str, ...] = (),
                  unsent: set[str] | frozenset[str] = frozenset(),
                  reported: dict[str, str] | None = None,
                  recreated: dict[str, str] | None = None
                  ) -> tuple[list[dict], list[tuple[int, str]], int]:
    """``pending_after`` for pushing: each payload is the outbox's own JSON text, wrapped
    as an ``orjson.Fragment`` so encoding the request copies it instead of parsing and
    re-encoding it (a quarter of the laptop's work in a bulk push). Also returns the
    ``(outbox seq, op_id)`` of each change, for ``record_acks``.

    A payload holding NaN or Infinity (``json.dumps`` writes them, JSON has no such
    numbers) is parsed and re-encoded as before, so the server gets what it got before
    (``null``); the text test may also catch such words inside a string, which only costs
    the parse.

    ``blobs_sent`` (the hashes this sync run uploaded or found on the server): the batch
    also ends before a change to an attachment whose bytes are here but not among them, a
    photo taken while the sync ran; it goes, bytes first, with the next upload.

    With ``columns`` (the synced columns per table) and ``children`` (the child tables of
    an inspection), a finalize that the office may hold another draft of carries the
    record as signed here (``signed``, see ``signed_record``); the batch ends early past
    ``max_bytes`` counting those too. ``unsent``: from ``unsent_inspections``.

    With ``reported`` (and ``columns``): a change referring to a factory imported here that
    the office may lack is preceded by that factory's row (store/field_reports.py); what is
    sent is added to ``reported`` (factory id -> op id), so a sync sends each once. Those
    operations have no outbox entry and no key in the second list.

    With ``recreated`` (and ``columns``; after the office was restored from a backup, see
    store/recreations.py): a change referring to an inspection the office made is preceded
    by its row as the office made it; sent ones are added to ``recreated`` (inspection id
    -> op id). Those have no outbox entry either.
    """
    rows = _pending_rows(store, after_seq, limit, max_bytes, stop_before_table, blobs_sent)
    reports = factory_reports(store, [r[2:6] for r in rows], columns["factories"], reported) \
        if reported is not None and columns is not None else {}
    remade = recreations(store, [(r[2], r[3], r[5], r[6]) for r in rows],
                         columns["inspections"], children, recreated) \
        if recreated is not None and columns is not None else {}
    ops, size, taken = [], 0, 0
    for n, r in enumerate(rows):
        op = {"op_id": r[1], "table": r[2], "row_id": r[3], "op": r[4],
              "payload": _payload_fragment(r[5]), "hlc": r[6]}
        size += len(r[5])
        if columns is not None and r[2] == "inspections" and '"finalized"' in r[5] \
                and r[3] not in unsent and loads(r[5]).get("state") == "finalized":
            signed = orjson.dumps(signed_record(store, r[3], columns, children))
            size += len(signed)
            op["signed"] = orjson.Fragment(signed)
        ahead = [extra for extra in (reports.get(n), remade.get(n)) if extra is not None]
        size += sum(len(dumps(extra["payload"])) for extra in ahead)
        if size > max_bytes and ops:
            break  # (payload lengths are characters, near enough to bytes for a budget)
        for extra in ahead:
            ops.append(extra)
            sent = reported if extra["table"] == "factories" else recreated
            sent[extra["row_id"]] = extra["op_id"]
        ops.append(op)
        taken += 1
    rows = rows[:taken]
    return ops, [(r[0], r[1]) for r in rows], (rows[-1][0] if rows else after_seq)




def push_unsure(store: Store, starting: bool) -> bool:
    """Around one push run: ``starting`` returns whether an earlier run ended without
    recording all its answers, and marks this one as running (on disk, so a crash
    mid-push counts); ``starting=False`` (the run ended with every answer recorded)
    clears the mark."""
    if not starting:
        _set_unsynced(store, PUSH_UNANSWERED, None)
        return False
    earlier = bool(get_state(store, PUSH_UNANSWERED))
    if not earlier:
        _set_unsynced(store, PUSH_UNANSWERED, "1")
    return earlier


def _set_unsynced(store: Store, key: str, value: str | None) -> None:
    """``set_state`` without waiting for the disk (synchronous NORMAL in WAL mode): it
    survives the app being killed at once, and power loss from the next ordinary commit
    on, which the push's first recorded answers are. (Waiting twice per sync showed in
    the benchmark of 50 laptops syncing at once.)"""
    if store._depth:
        set_state(store, key, value)
        return
    level = store.conn.execute("PRAGMA synchronous").fetchone()[0]
    store.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        set_state(store, key, value)
    finally:
        store.conn.execute(f"PRAGMA synchronous = {int(level)}")


def unsent_inspections(store: Store, unsure: bool) -> set[str]:
    """Inspections the office cannot hold yet, taken at the start of a push run: their
    creation is still unsent here, so no other laptop can have edited a draft of them, and
    their finalize travels without the signed copy (a bulk push of new records). Taken
    before the run, because the run itself sends the creations in an earlier batch than
    the finalizes. Empty if ``unsure`` (``push_unsure``): the office may hold a change the
    outbox says is unsent."""
    if unsure:
        return set()
    return {r[0] for r in store.conn.execute(
        "SELECT row_id FROM outbox WHERE status = 'pending' AND table_name = 'inspections' "
        "AND instr(payload, '\"template_version_id\"') > 0")}


def signed_record(store: Store, inspection_id: str, columns: dict[str, tuple[str, ...]],
                  children: tuple[str, ...]) -> list[dict]:
    """The inspection and all its child rows as this laptop holds them, in the wire form
    of a pulled row (``{"t": table, "row": {...}}``). A finalize carries it so that the
    office can make its copy the signed one when another laptop's edits of the same draft
    reached it first (server/signed.py)."""
    out = []
    for table in ("inspections", *children):
        names = ["id", *columns[table], "updated_hlc", "device_id", "deleted"]
        key = "id" if table == "inspections" else "inspection_id"
        for values in store.conn.execute(
                f"SELECT {', '.join(names)} FROM {table} WHERE {key} = ? ORDER BY id",
                (inspection_id,)):
            out.append({"t": table, "row": dict(zip(names, values, strict=True))})
    return out


def _pending_rows(store: Store, after_seq: int, limit: int, max_bytes: int,
                  stop_before_table: str | None,
                  blobs_sent: set[str] | None = None) -> list[tuple]:
    rows = store.conn.execute(
        "SELECT seq, op_id, table_name, row_id, op, payload, hlc FROM outbox "
        "WHERE status = 'pending' AND seq > ? ORDER BY seq LIMIT ?",
        (after_seq, limit)).fetchall()
    size = 0
    for n, r in enumerate(rows):
        size += len(r[5])
        if (size > max_bytes and n) or r[2] == stop_before_table:
            return rows[:n]
        if blobs_sent is not None and r[2] == "attachments" and _bytes_unsent(
                store, r[3], blobs_sent):
            return rows[:n]
    return rows


def _bytes_unsent(store: Store, attachment_id: str, blobs_sent: set[str]) -> bool:
    """Whether this attachment's bytes are on this laptop but were not sent in this run
    (bytes that are not here came from the server with the row: it has them)."""
    row = store.conn.execute("SELECT sha256 FROM attachments WHERE id = ?",
                             (attachment_id,)).fetchone()
    return row is not None and row[0] not in blobs_sent and store.blob_dir is not None \
        and has_blob(store.blob_dir, row[0])


def _payload_fragment(text: str) -> orjson.Fragment:
    if "NaN" in text or "Infinity" in text:
        return orjson.Fragment(dumps(loads(text)))
    return orjson.Fragment(text)


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


def forget_revoked(store: Store, old_scope: str | None, new_scope: str | None) -> int:
    """Remove the registry rows of provinces the inspector no longer holds, when a new
    snapshot brings a narrower scope (``scope_of`` on the server: "admin" or the granted
    province codes joined by commas). Call inside the snapshot's transaction.

    Only the office's rows of provinces that WERE in the old scope go (a registry file
    imported on this laptop stays: ``local_only``), and of them no factory that an inspection here refers to or that holds an
    unsent change. Rows are removed without outbox entries: this is not a change to send.
    Returns the number of factories removed."""
    if not old_scope or not new_scope or "admin" in (old_scope, new_scope) \
            or old_scope == new_scope:
        return 0   # an admin's laptop held everything: nothing says which rows came how
    gone = sorted(set(old_scope.split(",")) - set(new_scope.split(",")) - {""})
    if not gone:
        return 0
    return store.conn.execute(
        f"DELETE FROM factories WHERE province_code IN ({', '.join('?' * len(gone))}) "
        "AND local_only = 0 AND id NOT IN (SELECT factory_id FROM inspections) "
        "AND id NOT IN (SELECT row_id FROM outbox WHERE status = 'pending' "
        "AND table_name = 'factories')", gone).rowcount


def forget_unlisted(store: Store, listed: dict[str, set[str]]) -> int:
    """Mark deleted the office's rows (``listed``'s tables) this laptop holds that a new
    snapshot did not list: they left this user's scope (re-assigned to another inspector,
    a province revoked) before the snapshot's cursor, where no pull will tell of them. As
    for a tombstone of a row that left (sync_apply.RowApplier._gone), without outbox
    entries, and over a local change still unsent. Call inside the snapshot's
    transaction. Returns how many rows were marked."""
    marked = 0
    for table, ids in listed.items():
        shown = dumps(sorted(i for i in ids if isinstance(i, str))).decode("utf-8")
        marked += store.conn.execute(
            f"UPDATE {table} SET deleted = 1 WHERE deleted = 0 AND id NOT IN "
            "(SELECT value FROM json_each(?))", (shown,)).rowcount
        # Their sealed copies go too, but one still to be given back (right after a
        # restore the office lacks the rows it lost, so the snapshot lists none of them).
        store.conn.execute(
            "DELETE FROM office_copies WHERE tbl = ? AND give_back = 0 AND id NOT IN "
            "(SELECT value FROM json_each(?))", (table, shown))
    return marked


def last_acknowledged(store: Store) -> str | None:
    """The op id of the newest change the server acknowledged, for asking the server
    whether it still holds it (``resend_acknowledged``)."""
    row = store.conn.execute("SELECT op_id FROM outbox WHERE status = 'acked' "
                             "ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else None


# The history of changes (server/history.py) this laptop's cursor belongs to.
SERVER_EPOCH = "server_epoch"


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


def rejected_changes(store: Store, limit: int = 200) -> list[dict]:
    """Changes the server refused, newest first, with the reason in words."""
    return store.query("SELECT seq, op_id, table_name, row_id, op, payload, hlc, created_at, "
                       "reason FROM outbox WHERE status = 'rejected' ORDER BY seq DESC LIMIT ?",
                       (limit,))


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


def pending_blob_hashes(store: Store) -> list[str]:
    """Attachment bytes the server may still lack: those of attachment rows with an unsent
    change (once a change is acknowledged its bytes were uploaded before it)."""
    rows = store.query(
        "SELECT DISTINCT a.sha256 FROM outbox o JOIN attachments a ON a.id = o.row_id "
        "WHERE o.status = 'pending' AND o.table_name = 'attachments'")
    # Deleted rows too: a photo deleted after it was taken may reach the server before its
    # deletion does. Bytes that are not here came from the server (it has them).
    return [r["sha256"] for r in rows
            if store.blob_dir is not None and has_blob(store.blob_dir, r["sha256"])]


def missing_local_blobs(store: Store) -> list[str]:
    """Hashes of live attachment rows (an inspection's, a complaint's or an order's photos)
    whose bytes are not on this laptop yet."""
    if store.blob_dir is None:
        return []
    rows = store.query("SELECT sha256 FROM attachments WHERE deleted = 0 UNION "
                       "SELECT sha256 FROM complaint_files WHERE deleted = 0 UNION "
                       "SELECT sha256 FROM order_photos WHERE deleted = 0")
    return [r["sha256"] for r in rows if not has_blob(store.blob_dir, r["sha256"])]


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
