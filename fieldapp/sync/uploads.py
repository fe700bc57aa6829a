"""Attachment bytes from the laptop to the office, before the rows that name them are pushed
(step 1 of a sync, sync/engine.py).

Small photos travel several to a request (one round trip and one commit at the office for a
record's photos); larger ones, and any the office already holds part of, chunk by chunk
from the office's offset, so an interrupted upload resumes where it stopped. A few requests
are in flight at once. Touches no database: it may run on a side thread while the push
runs (sqlite3 connections belong to their thread).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Protocol

from fieldapp.store.blobs import blob_path, read_blob
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncClient, SyncError

CHUNK = 4 * 1024 * 1024
UPLOAD_PARALLEL = 4  # attachment uploads in flight at once
SMALL_BLOB = 1024 * 1024  # attachments up to this size travel several to a request ...
BATCH_BYTES = 4 * 1024 * 1024  # ... up to this many bytes a request

Progress = Callable[[str, int, int], None]


class Counted(Protocol):
    """What ``send`` counts into (the engine's SyncSummary)."""

    uploaded: int


class Uploads:
    def __init__(self, client: Callable[[], SyncClient], blob_dir: Path | None,
                 check: Callable[[], None]):
        self._client = client  # the engine's, read at each use: it may be replaced
        self.blob_dir = blob_dir
        self._check = check  # raises Cancelled when the user cancelled the sync
        self.parallel = UPLOAD_PARALLEL
        self.batches = True  # False once the office turned a batch away (an older office)

    def send(self, wanted: list[dict], summary: Counted, progress: Progress) -> None:
        """Send the bytes the office lacks from this user (``wanted``: its answer to
        ``missing``, each ``{"sha256", "offset"}``), counting them in ``summary.uploaded``
        as they arrive."""
        progress("upload", 0, len(wanted))
        tasks = [(self.batch, shas) for shas in self._groups(wanted)]
        batched = {sha for _, shas in tasks for sha in shas}
        tasks += [(self._one, item) for item in wanted if item["sha256"] not in batched]
        if self.parallel <= 1 or len(tasks) <= 1:
            for task, arg in tasks:
                self._check()
                summary.uploaded += task(arg)
                progress("upload", summary.uploaded, len(wanted))
        else:
            # A few requests in flight at once: one's bytes travel and are hashed while the
            # server commits another. Each upload is independent, resumable and verified,
            # so order does not matter. The first failure stops the ones not started yet
            # (they resume next run from the server's offset); those in flight finish and
            # count, then the failure is raised.
            failure: BaseException | None = None
            with ThreadPoolExecutor(self.parallel, thread_name_prefix="sync-upload") as pool:
                futures = [pool.submit(task, arg) for task, arg in tasks]
                for future in as_completed(futures):
                    if future.cancelled():
                        continue
                    try:
                        sent = future.result()
                    except BaseException as exc:  # noqa: BLE001 - re-raised below
                        if failure is None:
                            failure = exc
                            for other in futures:
                                other.cancel()
                        continue
                    summary.uploaded += sent
                    progress("upload", summary.uploaded, len(wanted))
            if failure is not None:
                raise failure
        progress("upload", len(wanted), len(wanted))

    def unasked(self, hashes: list[str], never_sent: set[str]) -> list[dict] | None:
        """What to send without first asking the office which bytes it lacks (``missing``),
        or None to ask: a day's new photos, each small and all of them one batch, which the
        office cannot hold yet (``never_sent``). Asking costs a round trip every sync with
        photos; guessing wrong costs at most this one batch sent again (the office takes
        bytes it already holds as it takes new ones). Anything larger, partly sent or seen
        before is asked about, so an interrupted upload still resumes where it stopped."""
        if not self.batches or len(hashes) < 2 or len(hashes) > P.MAX_BATCH_PARTS \
                or not never_sent.issuperset(hashes):
            return None
        total = 0
        for sha in hashes:
            try:
                size = blob_path(self.blob_dir, sha).stat().st_size
            except OSError:
                return None
            total += size
            if size > SMALL_BLOB or total > BATCH_BYTES:
                return None
        return [{"sha256": sha, "offset": 0} for sha in hashes]

    def _groups(self, wanted: list[dict]) -> list[list[str]]:
        """The blobs of ``wanted`` to send several to a request: whole (nothing of them on
        the server yet), at most SMALL_BLOB each, up to BATCH_BYTES a request. A group of
        one goes on its own."""
        if not self.batches:
            return []
        groups: list[list[str]] = []
        size = 0
        for item in wanted:
            try:
                n = blob_path(self.blob_dir, item["sha256"]).stat().st_size
            except OSError:
                continue  # read (and reported) by the single upload
            if item["offset"] or n > SMALL_BLOB:
                continue
            if not groups or size + n > BATCH_BYTES or len(groups[-1]) >= P.MAX_BATCH_PARTS:
                groups.append([])
                size = 0
            groups[-1].append(item["sha256"])
            size += n
        return [g for g in groups if len(g) > 1]

    def batch(self, hashes: list[str]) -> int:
        """Send whole blobs in one request; any the office did not complete (damaged on the
        way, or refused) go again on their own, which raises what it cannot get past. An
        office too old for batches gets each on its own. Returns how many were sent."""
        self._check()
        answers = self._client().upload_many([(sha, read_blob(self.blob_dir, sha))
                                           for sha in hashes])
        if answers is None:
            self.batches = False
            answers = [{"sha256": sha, "offset": 0, "complete": False} for sha in hashes]
        for sha, answer in zip(hashes, answers, strict=True):
            if not answer.get("complete"):
                offset = answer.get("offset")
                self.blob(sha, offset if isinstance(offset, int) else 0)
        return len(hashes)

    def _one(self, item: dict) -> int:
        self.blob(item["sha256"], item["offset"])
        return 1

    def blob(self, sha256: str, offset: int = 0) -> None:
        """Send one blob from ``offset`` on; the server's answer says where to go on."""
        data = read_blob(self.blob_dir, sha256)
        restarts = 0
        while True:
            self._check()
            chunk = data[offset:offset + CHUNK]
            answer = self._client().upload_chunk(sha256, offset, len(data), chunk)
            if answer.get("complete"):
                return
            if answer.get("restart"):
                restarts += 1
                if restarts > 2:
                    raise SyncError(f"attachment {sha256[:12]}… keeps arriving damaged",
                                    P.E_HASH_MISMATCH)
            offset = int(answer["offset"])
