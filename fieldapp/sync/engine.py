"""One sync of a laptop with the office server: upload, push, pull, download.

The order matters for the invariants:
1. upload the bytes of attachments that have unsent rows (sync/uploads.py), so the server
   never acknowledges an attachment row whose bytes it lacks;
2. push the outbox in batches (the server answers each operation; rejected ones stay visible);
3. pull pages after the cursor (first sync: one compressed snapshot), each page applied with
   its cursor in one local transaction;
4. download the bytes of attachments that arrived without them.
A failure anywhere stops the run with a SyncError; everything already acknowledged or applied
is kept, and the next run continues from there. A clock far ahead stops only steps 1-2.

For the GUI: ``SyncEngine(store, url, token_provider).run(progress=cb, cancel=event)`` on a
worker thread; ``progress(stage, done, total)``; ``pending_count``/``last_sync`` for the
status bar. The summary a run returns is in sync/summary.py; the pipelined push of step 2
in sync/push.py.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass

from fieldapp.core.errors import FieldAppError
from fieldapp.store import (
    office_copies,
    office_restored,
    own_rows,
    sync_apply,
    sync_state,
)
from fieldapp.store.blobs import put_blob
from fieldapp.store.changes import now_iso
from fieldapp.store.db import Store
from fieldapp.store.demo_removal import is_demo
from fieldapp.sync import clock_check
from fieldapp.sync import protocol as P
from fieldapp.sync.client import ClockAhead, SyncClient, SyncError
from fieldapp.sync.push import PUSH_BATCH, OutboxPush
from fieldapp.sync.snapshot import ReadAhead, apply_snapshot
from fieldapp.sync.summary import Progress, SyncSummary
from fieldapp.sync.uploads import Uploads

SEND_ROUNDS = 3  # upload+push rounds per sync, for photos taken while it runs
DEMO_REFUSED = ("ฐานข้อมูลนี้มีข้อมูลตัวอย่าง จึงไม่ส่งไปยังสำนักงาน (this database holds demo "
                "data, which is never sent to the office) — remove the demo data first")


@dataclass(frozen=True)
class _Page:
    """A pull page a push brought back, and the cursor it follows."""

    page: dict
    cursor: int


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
        # The first pull page the last push of this run brought back (SyncEngine.push).
        self._page: _Page | None = None

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
        ahead = False
        try:
            try:
                self.send(summary, progress)
            except ClockAhead as exc:
                # Nothing of this laptop's can go while its date is wrong (it waits, and is
                # stamped again once the date is right), but what the office holds for it
                # still comes: approvals, plans, orders, the registry.
                ahead = True
                summary.errors.append(str(exc))   # said even if the pull fails too
            if not self.pull(summary, progress, self._page) and not ahead:
                # The office lost changes it had acknowledged: they are pending again.
                self.send(summary, progress)
                self.pull(summary, progress, self._page)
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
        self._page = None
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
        wanted = self._wanted(hashes)
        # Changes that fit one request wait for the photos before they go (sync/push.py), so
        # a side thread for the photos would overlap nothing: a day's sync uploads them here.
        if self.uploads.parallel <= 1 or wanted is None \
                or sync_state.pending_count(self.store) <= PUSH_BATCH:
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

    def _wanted(self, hashes: list[str]) -> list[dict] | None:
        """The bytes to upload this round (None: none). A day's few new photos go without
        asking (Uploads.unasked): one round trip fewer. Otherwise the office is asked which
        it lacks, first and here: its answer also tells the office's time, which the push
        must know before it sends anything (clock_check.before_push would otherwise ask for
        it in a request of its own; the photos' own answer tells it when nothing is asked)."""
        if not hashes or not self.store.blob_dir:
            return None
        guess = self.uploads.unasked(hashes, sync_state.never_sent_blob_hashes(self.store))
        return guess if guess is not None else self.client.missing(hashes)

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
        """Send the outbox in batches, ONE request at a time and in outbox order, pipelined
        (sync/push.py). ``uploads``: attachment bytes still being sent; ``blobs_sent``:
        the bytes that upload covers. True if the push ended before an attachment row
        whose bytes were not among them (a photo taken meanwhile)."""
        outbox = OutboxPush(self.store, self.client, summary, self._check, self._refused_now)
        stopped = outbox.run(progress, uploads, blobs_sent, self._pull_request)
        if outbox.sent:  # a page brought by an earlier push is out of date now
            self._page = _Page(outbox.page, sync_state.cursor(self.store)) \
                if outbox.page is not None else None
        return stopped

    def _pull_request(self) -> dict | None:
        """What a push asks of the first pull page it brings back (the office answers the
        push, then that page: a day's sync is one request fewer). Not on a laptop that has
        not taken its first snapshot yet: its pull starts with one."""
        cursor = sync_state.cursor(self.store)
        if cursor == 0 and not sync_state.get_state(self.store, "bootstrapped"):
            return None
        epoch = sync_state.get_state(self.store, sync_state.SERVER_EPOCH)
        return self.client.pull_request(
            known=office_restored.last_acknowledged(self.store),
            own=own_rows.for_pull(self.store, epoch, cursor, P.MAX_OWN_RANGES))

    def pull(self, summary: SyncSummary, progress: Progress,
             first: _Page | None = None) -> bool:
        """Apply the server's changes page by page. False (and nothing applied) if the
        server no longer holds the newest change it acknowledged to this laptop (restored
        from an older backup): every acknowledged change is then pending again
        (``office_restored.resend_acknowledged``) and the caller sends and pulls again.
        ``first``: the first page, brought by the last push (``_pull_request``), used in
        place of the first request when it starts at this laptop's cursor."""
        clock_check.note_office_time(self.store, self.client)  # before adopting its clocks
        cursor = sync_state.cursor(self.store)
        if cursor == 0 and not sync_state.get_state(self.store, "bootstrapped"):
            in_use = sync_state.get_state(self.store, "last_success") is not None
            cursor = self.bootstrap(summary, progress, in_use=in_use)
        known = office_restored.last_acknowledged(self.store)
        ours = sync_state.get_state(self.store, sync_state.SERVER_EPOCH)
        rescoped = False
        brought = first.page if first is not None and first.cursor == cursor else None
        while True:
            self._check()
            if brought is not None:
                page, brought = brought, None
            else:
                page = self.client.pull(cursor, known=known, epoch=ours,
                                        own=own_rows.for_pull(self.store, ours, cursor,
                                                              P.MAX_OWN_RANGES))
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
            with self.store.transaction():   # the page, its cursor and the own ranges
                counts = sync_apply.apply_rows(self.store, page["changes"], P.COLUMNS,
                                               page["cursor"])
                own_rows.passed(self.store, page["cursor"])
            summary.pulled += counts["applied"]
            summary.skipped += counts["skipped"]
            cursor = page["cursor"]
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
            with self.store.transaction():
                sync_state.set_state(self.store, "last_sync",
                                     json.dumps(info, ensure_ascii=False))
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
