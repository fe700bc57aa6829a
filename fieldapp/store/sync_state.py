"""The laptop's side of sync in SQL: state, and the outbox read in batches for the push.

The pull cursor lives in table ``sync_state``; applying the rows that come from the server
(with the cursor, in one transaction) is in ``sync_apply``. Reading and writing that table,
and the count of unsent changes, are in ``sync_meta`` (what the window reads at start-up,
without this module's imports) and re-exported here. Recording the server's answers is in
``push_answers``; what follows an office restore in ``office_restored``; forgetting rows
that left the inspector's scope in ``left_scope``; re-stamping far-future changes in
``restamp``.
"""

from __future__ import annotations

import orjson

from fieldapp.store.blobs import has_blob
from fieldapp.store.db import Store
from fieldapp.store.field_reports import factory_reports
from fieldapp.store.recreations import recreations
from fieldapp.store.sync_meta import (  # noqa: F401 - re-exported
    CURSOR,
    PUSH_UNANSWERED,
    get_state,
    pending_count,
    set_state,
)
from fieldapp.store.wirejson import dumps, loads


def cursor(store: Store) -> int:
    return int(get_state(store, CURSOR, "0"))


# The history of changes (server/history.py) this laptop's cursor belongs to.
SERVER_EPOCH = "server_epoch"


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
    ``(outbox seq, op_id)`` of each change, for ``push_answers.record_acks``.

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


def rejected_changes(store: Store, limit: int = 200) -> list[dict]:
    """Changes the server refused, newest first, with the reason in words."""
    return store.query("SELECT seq, op_id, table_name, row_id, op, payload, hlc, created_at, "
                       "reason FROM outbox WHERE status = 'rejected' ORDER BY seq DESC LIMIT ?",
                       (limit,))


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


def never_sent_blob_hashes(store: Store) -> set[str]:
    """Bytes named by an attachment row whose creation is still unsent (the pending change
    carries the name): the office has almost surely never had them from this laptop. Only
    an earlier sync cut off between uploading them and pushing their row makes it wrong,
    and then sending them again is the cost (sync/uploads.py keeps that to one request)."""
    return {r["sha256"] for r in store.query(
        "SELECT DISTINCT json_extract(payload, '$.sha256') AS sha256 FROM outbox "
        "WHERE status = 'pending' AND table_name = 'attachments' "
        "AND json_extract(payload, '$.sha256') IS NOT NULL")}


def missing_local_blobs(store: Store) -> list[str]:
    """Hashes of live attachment rows (an inspection's, a complaint's or an order's photos)
    whose bytes are not on this laptop yet."""
    if store.blob_dir is None:
        return []
    rows = store.query("SELECT sha256 FROM attachments WHERE deleted = 0 UNION "
                       "SELECT sha256 FROM complaint_files WHERE deleted = 0 UNION "
                       "SELECT sha256 FROM order_photos WHERE deleted = 0")
    return [r["sha256"] for r in rows if not has_blob(store.blob_dir, r["sha256"])]
