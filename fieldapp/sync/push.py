"""Step 2 of a sync (sync/engine.py): the outbox sent to the office in batches, pipelined.

ONE request at a time and in outbox order (the server applies a batch as a whole, and order
matters: answers before their finalize); the answers are recorded in the outbox
(store/push_answers.py) while the next request travels. Never sends an attachment row whose
bytes the office may lack, and never touches the pull cursor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from fieldapp.store import (
    field_reports,
    office_copies,
    office_restored,
    own_rows,
    push_answers,
    recreations,
    sync_state,
)
from fieldapp.store.db import Store
from fieldapp.sync import clock_check
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncClient, SyncError
from fieldapp.sync.summary import Progress, SyncSummary

PUSH_BATCH = 5000  # operations per push request (the server takes up to P.MAX_PUSH_OPS)


class _Inline:
    """An executor that runs what it is given at once, on the caller's thread: the push
    loop's pipelining, when there is nothing to pipeline."""

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def submit(self, fn: Callable, *args) -> Future:
        done: Future = Future()
        try:
            done.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - the caller reads it from the future
            done.set_exception(exc)
        return done


class OutboxPush:
    """One push of the outbox, counted into ``summary``.

    Pipelined: while batch N is on the wire and being applied, this thread records the
    answers to batch N-1, then reads and encodes batch N+1. The next request
    leaves only after the previous answer arrived, so order is kept; a failed request
    stops the run with every earlier answer already recorded.

    ``check()`` raises when the sync is cancelled. ``refused_now`` (the engine's, for this
    sync run) collects the op ids the office refused that go again if this sync finds the
    office restored (``office_restored.resend_if_restored``).
    """

    def __init__(self, store: Store, client: SyncClient, summary: SyncSummary,
                 check: Callable[[], None], refused_now: set[str]):
        self.store = store
        self.client = client
        self.summary = summary
        self._check = check
        self._refused_now = refused_now
        self.done = 0
        # The answers to the last request, not yet recorded: they are written while the next
        # request travels and is applied (the server would otherwise wait for it), and in
        # any case before run() returns or raises. Recording them later than the next
        # send changes nothing on the server; after a crash in between, the next sync
        # pushes them again and records the server's "duplicate" answers with the first
        # outcome.
        self.answered: list[tuple[list[dict], list[tuple[int, str]]]] = []
        # The first pull page the last request's answer carried (run's ``pull``), or None.
        self.page: dict | None = None
        self.sent = 0  # push requests answered

    def run(self, progress: Progress, uploads: Future | None = None,
            blobs_sent: set[str] | None = None,
            pull: Callable[[], dict | None] | None = None) -> bool:
        """Send the outbox; True if it ended before an attachment row whose bytes were not
        sent (the caller decides whether to go round again).

        ``uploads`` (attachment bytes still being sent): batches stop before the first
        attachment row until it is done, so the server never gets an attachment row whose
        bytes it lacks; an upload failure is raised before any attachment row is sent.
        ``blobs_sent`` (the bytes that upload covers): the push ends before an attachment
        row whose bytes are not among them; returns True if it ended there.
        ``pull``: makes what a batch that holds the whole outbox asks of the office's first
        pull page (``SyncClient.pull_request``; None: ask for none), called only then. The
        page answered is ``self.page``, kept only while no later request went (a page from
        before a later push may hold rows that push changed).
        """
        total = sync_state.pending_count(self.store)
        if not total:
            return False
        if uploads is not None and total <= PUSH_BATCH:
            # Every change fits in one request: it waits for the photos and goes once,
            # instead of the changes before the first photo row going on their own while
            # the photos travel (a day's sync: one request and one office transaction
            # fewer; the overlap saved only what the office takes for a hundred changes).
            # Waited for first: the photos' answer tells the office's time, which
            # before_push would otherwise ask for when nothing was asked before them.
            wait([uploads])
        clock_check.before_push(self.store, self.client)
        cursor = sync_state.cursor(self.store)
        self.waiting = uploads
        self.blobs_sent = blobs_sent
        # After a run that ended with answers unrecorded, every finalize carries its signed
        # record: the office may hold a draft that the outbox says it never got.
        unsure = sync_state.push_unsure(self.store, starting=True)
        # Factories imported here travel before the first change that refers to them
        # (store/field_reports.py); they have no outbox entry, so their answers are not
        # recorded there.
        self.reported: dict[str, str] = {}
        # After the office was restored from a backup: inspections the office made travel
        # before the first change that refers to them (store/recreations.py).
        self.recreated: dict[str, str] | None = \
            {} if sync_state.get_state(self.store, recreations.RECREATE) else None
        self.signing = {"columns": P.COLUMNS, "children": P.CHILD_TABLES,
                        "unsent": sync_state.unsent_inspections(self.store, unsure),
                        "reported": self.reported, "recreated": self.recreated}

        answered = self.answered
        ops, keys, last = self._next_batch(0)
        epoch = sync_state.get_state(self.store, sync_state.SERVER_EPOCH)
        # Not asked when more than one request goes (the pull follows the last one), or
        # when rows that are not the outbox's travel with it (factories imported here,
        # inspections the office made): the office would count them among this laptop's
        # own exact rows, which the laptop does not (their copies must come back to it).
        alone = not sync_state.pending_after(self.store, last, 1)[0]
        whole = pull is not None and not (self.reported or self.recreated) and alone
        body = self.client.push_body(ops, cursor, epoch, pull() if whole else None)
        # A lone request (a day's sync) goes from this thread: a thread of its own would
        # overlap nothing with it, and cost its start and hand-overs.
        with ThreadPoolExecutor(1, thread_name_prefix="sync-push") if not alone \
                else _Inline() as wire:
            try:
                while ops:
                    self._check()
                    progress("push", self.done, total)
                    in_flight = wire.submit(self.client.push_answer, body)
                    sent_keys = keys
                    failure: BaseException | None = None
                    try:
                        if answered:
                            self._record()
                        ops, keys, last = self._next_batch(last)
                        # Encoded while the request before it is applied, too.
                        body = self.client.push_body(ops, cursor, epoch) if ops else b""
                    except BaseException as exc:  # noqa: BLE001 - raised after the answers
                        failure, ops = exc, []
                    answer = in_flight.result()
                    page = answer.get("page")
                    self.page = page if isinstance(page, dict) else None
                    self.sent += 1
                    answered.append((answer["acks"], sent_keys))
                    if failure is not None:
                        raise failure
            finally:
                if answered:
                    self._record()
        sync_state.push_unsure(self.store, starting=False)  # every answer is recorded
        if self.recreated is not None and not sync_state.pending_count(self.store):
            sync_state.set_state(self.store, recreations.RECREATE, None)  # all sent again
        progress("push", self.done, total)
        # Changes left after the last batch: stopped before a photo taken meanwhile (or
        # made while pushing); the caller decides whether to go round again.
        return bool(sync_state.pending_after(self.store, last, 1)[0])

    def _next_batch(self, after: int) -> tuple[list[dict], list[tuple[int, str]], int]:
        pending = self.waiting
        if pending is not None and pending.done() and pending.exception() is None:
            self.waiting = pending = None
        # An upload that failed stops the push at the first photo row (below), so the
        # changes before it still reach the office.
        batch = sync_state.pending_batch(
            self.store, after, PUSH_BATCH,
            stop_before_table="attachments" if pending is not None else None,
            blobs_sent=self.blobs_sent, **self.signing)
        if not batch[0] and pending is not None:
            pending.result()  # at an attachment row: its bytes must be there first
            self.waiting = None
            batch = sync_state.pending_batch(self.store, after, PUSH_BATCH,
                                             blobs_sent=self.blobs_sent, **self.signing)
        return batch

    def _record(self) -> None:
        acks, sent_keys = self.answered.pop()
        if self.reported:
            acks = field_reports.without_reports(acks, self.reported)
        if self.recreated:
            acks = recreations.without_recreations(acks, self.recreated)
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
                rearmed = office_restored.rearm(
                    self.store, office_copies.awaiting_give_back(self.store, lacking))
                # With the answers, not after them: one wait for the disk fewer a sync.
                own_rows.note(self.store,
                              sync_state.get_state(self.store, sync_state.SERVER_EPOCH),
                              P.exact_seqs(acks))
        except sqlite3.Error as exc:
            # Said in the summary, not raised past SyncEngine.run(): the transaction rolled
            # back, the changes stay pending and the next sync asks the server again.
            raise SyncError(f"the server's answers could not be recorded on this laptop "
                            f"({exc}); nothing was lost, the changes are sent again next "
                            f"sync", "local") from exc
        if acked + rejected == 0:
            raise SyncError("the server answered none of the pushed changes")
        self.summary.pushed += acked
        self.summary.rejected += rejected - rearmed
        self.done += len(sent_keys)
