"""One sync of a laptop with the office server: upload, push, pull, download.

The order matters for the invariants:
1. upload the bytes of attachments that have unsent rows (sync/uploads.py), so the server
   never acknowledges an attachment row whose bytes it lacks;
2. push the outbox in batches (the server answers each operation; rejected ones stay visible);
3. pull pages after the cursor (first sync: one compressed snapshot), each page applied with
   its cursor in one local transaction;
4. download the bytes of attachments that arrived without them.
A failure anywhere stops the run with a SyncError; everything already acknowledged or applied
is kept, and the next run continues from there.

For the GUI: ``SyncEngine(store, url, token_provider).run(progress=cb, cancel=event)`` on a
worker thread; ``progress(stage, done, total)``; ``pending_count``/``last_sync`` for the
status bar.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass, field

from fieldapp.core.errors import FieldAppError
from fieldapp.store import (
    field_reports,
    office_copies,
    office_restored,
    own_rows,
    push_answers,
    recreations,
    sync_apply,
    sync_state,
)
from fieldapp.store.blobs import put_blob
from fieldapp.store.changes import now_iso
from fieldapp.store.db import Store
from fieldapp.store.demo_removal import is_demo
from fieldapp.sync import clock_check
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncClient, SyncError
from fieldapp.sync.snapshot import ReadAhead, apply_snapshot
from fieldapp.sync.uploads import Uploads

Progress = Callable[[str, int, int], None]
PUSH_BATCH = 5000  # operations per push request (the server takes up to P.MAX_PUSH_OPS)
SEND_ROUNDS = 3  # upload+push rounds per sync, for photos taken while it runs
DEMO_REFUSED = ("ฐานข้อมูลนี้มีข้อมูลตัวอย่าง จึงไม่ส่งไปยังสำนักงาน (this database holds demo "
                "data, which is never sent to the office) — remove the demo data first")


@dataclass
class SyncSummary:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    uploaded: int = 0
    downloaded: int = 0
    skipped: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False
    resent: int = 0  # changes sent again: the office had lost them (restored from a backup)
    # Photos and files this laptop lacks that the office does not hold yet either (their
    # laptop has not sent them): asked for again next sync.
    awaited: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled

    def line(self) -> str:
        """The one summary line the command prints and the status bar shows."""
        text = (f"ส่ง {self.pushed} รายการ, รับ {self.pulled}, อัปโหลดไฟล์ {self.uploaded}, "
                f"ดาวน์โหลด {self.downloaded}")
        if self.resent:
            text += f", ส่งซ้ำ {self.resent} รายการที่สำนักงานทำหายเพราะกู้คืนจากข้อมูลสำรอง"
        text += (f" (pushed {self.pushed}, pulled {self.pulled}, "
                 f"uploaded {self.uploaded}, downloaded {self.downloaded}")
        if self.rejected:
            text += f", rejected {self.rejected} — see `fieldapp sync --rejected`"
        if self.skipped:
            text += f", {self.skipped} server rows not applied here (see the log)"
        if self.awaited:
            text += (f", {self.awaited} files not on the server yet (sent by another laptop "
                     f"later; fetched next sync)")
        if self.resent:
            text += (f", {self.resent} changes sent again: the office had lost them "
                     f"(restored from an older backup)")
        text += ")"
        if self.cancelled:
            text += " — cancelled; the rest syncs next time"
        if self.errors:
            text += " — " + "; ".join(self.errors)
        return text


class Cancelled(Exception):
    pass


class SyncEngine:
    """Syncs one local store with one server. ``token_provider()`` returns the token."""

    def __init__(self, store: Store, server_url: str, token_provider: Callable[[], str | None],
                 *, client: SyncClient | None = None, verify: bool | str = True):
        self.store = store
        self.client = client or SyncClient(server_url, verify=verify)
        self.token_provider = token_provider
        self.uploads = Uploads(lambda: self.client, store.blob_dir, self._check)
        self._cancel: threading.Event | None = None
        # Op ids the office refused in this run (resend_acknowledged).
        self._refused_now: set[str] = set()

    def run(self, progress: Progress | None = None,
            cancel: threading.Event | None = None) -> SyncSummary:
        """Sync once. Never raises for network or server trouble: the summary says it."""
        summary = SyncSummary()
        self._refused_now = set()
        progress = progress or (lambda stage, done, total: None)
        self._cancel = cancel
        start = self.client.requests
        self.client.token = self.token_provider()
        self.client.clock_ahead_ms = None  # measured afresh: the date may have been set right
        if is_demo(self.store):
            # Synthetic factories and inspections must never reach the office's registry.
            summary.errors.append(DEMO_REFUSED)
            return summary
        try:
            self.send(summary, progress)
            if not self.pull(summary, progress):
                # The office lost changes it had acknowledged: they are pending again.
                self.send(summary, progress)
                self.pull(summary, progress)
            self.download(summary, progress)
        except Cancelled:
            summary.cancelled = True
        except FieldAppError as exc:
            summary.errors.append(str(exc))
        summary.requests = self.client.requests - start
        self._remember(summary)
        # A first sync leaves the search index to build (store/search_index.py): now, once
        # the sync's own writes are done, not while they still need the write lock.
        self.store.build_search_index()
        return summary

    def send(self, summary: SyncSummary, progress: Progress) -> None:
        """Upload attachment bytes and push the outbox (steps 1 and 2).

        The bytes to upload are listed once, at the start of a round. A photo taken while
        the round runs is not among them, so its row is not pushed in that round (the
        server must never hold an attachment row without its bytes): another round uploads
        and pushes it, up to SEND_ROUNDS rounds; what is left goes next time.
        """
        if sync_state.get_state(self.store, office_copies.GIVE_BACK):
            self.give_back()
        for _ in range(SEND_ROUNDS):
            if not self._send_round(summary, progress,
                                    sync_state.pending_blob_hashes(self.store)):
                return

    def _send_round(self, summary: SyncSummary, progress: Progress,
                    hashes: list[str]) -> bool:
        """One upload and push; True if the push stopped before a photo taken meanwhile."""
        sent = set(hashes)
        # Which bytes the office lacks, asked first and here: its answer also tells the
        # office's time, which the push must know before it sends anything
        # (clock_check.before_push would otherwise ask for it in a request of its own).
        wanted = self.client.missing(hashes) if hashes and self.store.blob_dir else None
        if self.uploads.parallel <= 1:
            uploaded: Future = Future()
            try:
                self.upload(summary, progress, wanted)
                uploaded.set_result(None)
            except Cancelled:
                raise
            except Exception as exc:  # noqa: BLE001 - raised by push, or below
                # As on a side thread: the changes before the first photo row still go.
                uploaded.set_exception(exc)
            stopped = self.push(summary, progress, uploaded, blobs_sent=sent)
            uploaded.result()  # the failure, if push did not reach a photo row to raise it
            return stopped
        # Photos travel while the changes before the first attachment row are pushed;
        # push() waits for them before sending any attachment row.
        with ThreadPoolExecutor(1, thread_name_prefix="sync-upload-all") as side:
            uploads = side.submit(self.upload, summary, progress, wanted)
            try:
                stopped = self.push(summary, progress, uploads, blobs_sent=sent)
            finally:
                wait([uploads])
            uploads.result()  # its failure, if push did not already raise it
        return stopped

    def give_back(self) -> None:
        """After the office was restored from a backup: give back the rows of its own
        tables it sealed for this laptop (store/office_copies.py), before any change of the
        outbox, which may change them. The office takes only what it sealed; a copy older
        than what it holds changes nothing. Answers go to the log, not to the outbox.

        Once a sync: a copy the office refused for now (its complaint not back yet) is sent
        again next sync, not in a loop here; the mark is cleared when none is left."""
        clock_check.before_push(self.store, self.client)
        ops = office_copies.copies_to_give_back(self.store, self.store.clock.now())
        cursor = sync_state.cursor(self.store)
        epoch = sync_state.get_state(self.store, sync_state.SERVER_EPOCH)
        for start in range(0, len(ops), office_copies.BATCH):
            self._check()
            batch = ops[start:start + office_copies.BATCH]
            acks = self.client.push_encoded(self.client.push_body(batch, cursor, epoch))
            office_copies.answered(self.store, batch, acks)
        if not office_copies.left_to_give_back(self.store):
            sync_state.set_state(self.store, office_copies.GIVE_BACK, None)

    def _check(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled

    # -- steps ------------------------------------------------------------------------------

    def upload(self, summary: SyncSummary, progress: Progress,
               wanted: list[dict] | None) -> None:
        """Send the bytes the office lacks: ``wanted``, its answer to ``missing`` (None when
        there was nothing to ask about). Touches no database: it may run on a side thread
        (sqlite3 connections belong to their thread)."""
        if wanted is not None and self.store.blob_dir is not None:
            self.uploads.send(wanted, summary, progress)

    def push(self, summary: SyncSummary, progress: Progress,
             uploads: Future | None = None, blobs_sent: set[str] | None = None) -> bool:
        """Send the outbox in batches, ONE request at a time and in outbox order (the server
        applies a batch as a whole, and order matters: answers before their finalize).

        Pipelined: while batch N is on the wire and being applied, this thread records the
        answers to batch N-1, then reads and encodes batch N+1. The next request
        leaves only after the previous answer arrived, so order is kept; a failed request
        stops the run with every earlier answer already recorded.

        ``uploads`` (attachment bytes still being sent): batches stop before the first
        attachment row until it is done, so the server never gets an attachment row whose
        bytes it lacks; an upload failure is raised before any attachment row is sent.
        ``blobs_sent`` (the bytes that upload covers): the push ends before an attachment
        row whose bytes are not among them; returns True if it ended there.
        """
        total = sync_state.pending_count(self.store)
        if not total:
            return False
        clock_check.before_push(self.store, self.client)
        done = 0
        cursor = sync_state.cursor(self.store)
        waiting = [uploads]
        # After a run that ended with answers unrecorded, every finalize carries its signed
        # record: the office may hold a draft that the outbox says it never got.
        unsure = sync_state.push_unsure(self.store, starting=True)
        # Factories imported here travel before the first change that refers to them
        # (store/field_reports.py); they have no outbox entry, so their answers are not
        # recorded there.
        reported: dict[str, str] = {}
        # After the office was restored from a backup: inspections the office made travel
        # before the first change that refers to them (store/recreations.py).
        recreated: dict[str, str] | None = \
            {} if sync_state.get_state(self.store, recreations.RECREATE) else None
        signing = {"columns": P.COLUMNS, "children": P.CHILD_TABLES,
                   "unsent": sync_state.unsent_inspections(self.store, unsure),
                   "reported": reported, "recreated": recreated}

        if uploads is not None and total <= PUSH_BATCH:
            # Every change fits in one request: it waits for the photos and goes once,
            # instead of the changes before the first photo row going on their own while
            # the photos travel (a day's sync: one request and one office transaction
            # fewer; the overlap saved only what the office takes for a hundred changes).
            wait([uploads])

        def next_batch(after: int) -> tuple[list[dict], list[tuple[int, str]], int]:
            pending = waiting[0]
            if pending is not None and pending.done() and pending.exception() is None:
                waiting[0] = pending = None
            # An upload that failed stops the push at the first photo row (below), so the
            # changes before it still reach the office.
            batch = sync_state.pending_batch(
                self.store, after, PUSH_BATCH,
                stop_before_table="attachments" if pending is not None else None,
                blobs_sent=blobs_sent, **signing)
            if not batch[0] and pending is not None:
                pending.result()  # at an attachment row: its bytes must be there first
                waiting[0] = None
                batch = sync_state.pending_batch(self.store, after, PUSH_BATCH,
                                                 blobs_sent=blobs_sent, **signing)
            return batch

        # The answers to the last request, not yet recorded: they are written while the next
        # request travels and is applied (the server would otherwise wait for it), and in
        # any case before push() returns or raises. Recording them later than the next
        # send changes nothing on the server; after a crash in between, the next sync
        # pushes them again and records the server's "duplicate" answers with the first
        # outcome.
        answered: list[tuple[list[dict], list[tuple[int, str]]]] = []

        def record() -> None:
            nonlocal done
            acks, sent_keys = answered.pop()
            if reported:
                acks = field_reports.without_reports(acks, reported)
            if recreated:
                acks = recreations.without_recreations(acks, recreated)
            # Refused before a restore of the office was noticed: sent again after it.
            refused = [a for a in acks if office_restored.resend_if_restored(a)]
            self._refused_now.update(a["op_id"] for a in refused)
            # Refused for lacking a row the office lost that this laptop still has to give
            # back (its complaint not back yet): pending again under a new op id, to follow
            # the copy at a later sync, as long as the copy has tries left
            # (office_copies.awaiting_give_back). Neither taken nor refused for good.
            lacking = [a["op_id"] for a in refused
                       if str(a.get("reason") or "").startswith(P.NO_ROW)]
            try:
                with self.store.transaction():
                    acked, rejected = push_answers.record_acks(self.store, acks, sent_keys,
                                                               P.COLUMNS)
                    waiting = office_restored.rearm(
                        self.store, office_copies.awaiting_give_back(self.store, lacking))
            except sqlite3.Error as exc:
                # Said in the summary, not raised past run(): the transaction rolled back,
                # the changes stay pending and the next sync asks the server again.
                raise SyncError(f"the server's answers could not be recorded on this laptop "
                                f"({exc}); nothing was lost, the changes are sent again next "
                                f"sync", "local") from exc
            if acked + rejected == 0:
                raise SyncError("the server answered none of the pushed changes")
            own_rows.note(self.store, sync_state.get_state(self.store, sync_state.SERVER_EPOCH),
                          [a["seq"] for a in acks if a.get("exact") is True
                           and a.get("outcome") == "applied" and type(a.get("seq")) is int])
            summary.pushed += acked
            summary.rejected += rejected - waiting
            done += len(sent_keys)

        ops, keys, last = next_batch(0)
        epoch = sync_state.get_state(self.store, sync_state.SERVER_EPOCH)
        body = self.client.push_body(ops, cursor, epoch)
        with ThreadPoolExecutor(1, thread_name_prefix="sync-push") as wire:
            try:
                while ops:
                    self._check()
                    progress("push", done, total)
                    in_flight = wire.submit(self.client.push_encoded, body)
                    sent_keys = keys
                    failure: BaseException | None = None
                    try:
                        if answered:
                            record()
                        ops, keys, last = next_batch(last)
                    except BaseException as exc:  # noqa: BLE001 - raised after the answers
                        failure, ops = exc, []
                    answered.append((in_flight.result(), sent_keys))
                    if failure is not None:
                        raise failure
                    body = self.client.push_body(ops, cursor, epoch) if ops else b""
            finally:
                if answered:
                    record()
        sync_state.push_unsure(self.store, starting=False)  # every answer is recorded
        if recreated is not None and not sync_state.pending_count(self.store):
            sync_state.set_state(self.store, recreations.RECREATE, None)  # all sent again
        progress("push", done, total)
        # Changes left after the last batch: stopped before a photo taken meanwhile (or
        # made while pushing); the caller decides whether to go round again.
        return bool(sync_state.pending_after(self.store, last, 1)[0])

    def pull(self, summary: SyncSummary, progress: Progress) -> bool:
        """Apply the server's changes page by page. False (and nothing applied) if the
        server no longer holds the newest change it acknowledged to this laptop (restored
        from an older backup): every acknowledged change is then pending again
        (``office_restored.resend_acknowledged``) and the caller sends and pulls again."""
        clock_check.note_office_time(self.store, self.client)  # before adopting its clocks
        cursor = sync_state.cursor(self.store)
        if cursor == 0 and not sync_state.get_state(self.store, "bootstrapped"):
            in_use = sync_state.get_state(self.store, "last_success") is not None
            cursor = self.bootstrap(summary, progress, in_use=in_use)
        known = office_restored.last_acknowledged(self.store)
        ours = sync_state.get_state(self.store, sync_state.SERVER_EPOCH)
        rescoped = False
        while True:
            self._check()
            page = self.client.pull(cursor, known=known, epoch=ours, own=own_rows.for_pull(
                self.store, ours, cursor, P.MAX_OWN_RANGES))
            epoch = page.get("epoch")
            if (known is not None and page.get("known") is False) or (
                    ours is not None and epoch is not None and epoch != ours):
                # The server lost changes (server/history.py): send them again, pull anew.
                resent, unrefused = office_restored.resend_acknowledged(
                    self.store, epoch, self._refused_now)
                summary.resent += resent
                summary.rejected -= unrefused   # pending again: not refused after all
                return False
            if ours is None and epoch is not None:
                sync_state.set_state(self.store, sync_state.SERVER_EPOCH, epoch)
                ours = epoch
            known = None  # asked on the first page only
            scope = sync_state.get_state(self.store, "scope")
            if page.get("rescope"):
                # The office pruned notes of rows that left this inspector's scope that our
                # cursor had not reached (server/scope_exits.py): a new snapshot drops
                # every office row it no longer lists. Its cursor is past what was pruned;
                # asked again all the same, the run stops instead of going round.
                if rescoped:
                    raise SyncError("the office asked for a new snapshot twice in one sync; "
                                    "nothing was lost, the next sync tries again")
                rescoped = True
                cursor = self.bootstrap(summary, progress, in_use=True)
                continue
            if page.get("scope") is not None and scope is not None and page["scope"] != scope:
                # Provinces were granted: rows older than our cursor became visible to us.
                cursor = self.bootstrap(summary, progress, in_use=True)
                continue
            counts = sync_apply.apply_rows(self.store, page["changes"], P.COLUMNS,
                                           page["cursor"])
            summary.pulled += counts["applied"]
            summary.skipped += counts["skipped"]
            cursor = page["cursor"]
            own_rows.passed(self.store, cursor)
            progress("pull", len(page["changes"]), 0)
            if not page["more"]:
                return True

    def bootstrap(self, summary: SyncSummary, progress: Progress, in_use: bool = False) -> int:
        """Apply the compressed snapshot of everything visible, in one local transaction
        with the new cursor and scope (see sync/snapshot.py); returns the new cursor.

        A first sync applies rows while they stream in: the laptop has nothing of its own
        yet. A new snapshot on a laptop ``in_use`` (provinces granted) is downloaded whole
        first, as before streaming: applying holds the local write lock, and an inspection
        being saved must not wait for bytes trickling in over a slow link."""
        progress("snapshot", 0, 1)
        if in_use:
            with closing(self.client.snapshot_lines()) as batches:
                lines = list(batches)
            counts, cursor = apply_snapshot(self.store, lines, self._check, progress)
        else:
            # Read the stream on a thread while this one writes (snapshot.ReadAhead).
            with closing(ReadAhead(self.client.snapshot_lines())) as batches:
                counts, cursor = apply_snapshot(self.store, batches, self._check, progress)
        summary.pulled += counts["applied"]
        summary.skipped += counts["skipped"]
        return cursor

    def download(self, summary: SyncSummary, progress: Progress) -> None:
        wanted = sync_state.missing_local_blobs(self.store)
        for n, sha in enumerate(wanted):
            self._check()
            progress("download", n, len(wanted))
            try:
                data = self.client.download(sha)
            except SyncError as exc:
                if exc.code == P.E_NOT_FOUND:
                    summary.awaited += 1   # not uploaded yet by its laptop: next sync
                    continue
                raise
            if hashlib.sha256(data).hexdigest() != sha:
                raise SyncError(f"attachment {sha[:12]}… arrived damaged; will retry")
            put_blob(self.store.blob_dir, data)
            summary.downloaded += 1

    def _remember(self, summary: SyncSummary) -> None:
        info = {"at": now_iso(), "ok": summary.ok, "summary": summary.line(),
                "error": "; ".join(summary.errors) or None}
        try:
            sync_state.set_state(self.store, "last_sync", json.dumps(info, ensure_ascii=False))
            if summary.ok:
                sync_state.set_state(self.store, "last_success", info["at"])
        except Exception:  # noqa: BLE001 - remembering must not hide the sync's own result
            pass


def pending_count(store: Store) -> int:
    """Local changes waiting to be sent (status bar)."""
    return sync_state.pending_count(store)


def last_sync(store: Store) -> dict | None:
    """``{"at", "ok", "summary", "error"}`` of the last run, and ``last_success``."""
    raw = sync_state.get_state(store, "last_sync")
    if raw is None:
        return None
    info = json.loads(raw)
    info["last_success"] = sync_state.get_state(store, "last_success")
    return info
