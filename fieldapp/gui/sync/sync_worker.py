"""Background sync: automatic when the office server is reachable, and "Sync now".

``SyncController`` runs ``fieldapp.sync`` on a worker thread (its own Store, as every
worker): a few seconds after start, every ``AUTO_SYNC_MINUTES``, shortly after each
finalize, and when the inspector asks. An automatic run first asks the server's health
endpoint once, without retries, so an offline laptop costs one failed connection and
nothing else. Results reach the status bar (``SyncStatus``) in words a person understands;
the technical line goes to the log and the indicator's tooltip.

Demo data is never sent to the office: while the database holds demo data
(fieldapp.store.demo_removal), sync does not run and the status bar says why.
The sync package (httpx) is imported on the worker, never on the start-up path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from fieldapp.gui import workers
from fieldapp.gui.i18n import tr

log = logging.getLogger(__name__)

AUTO_SYNC_MINUTES = 5
FIRST_SYNC_SECONDS = 5
AFTER_FINALIZE_SECONDS = 2


@dataclass
class SyncOutcome:
    """What one run did, as plain data for the UI thread."""
    ran: bool                     # False: skipped (not logged in, demo data, offline)
    ok: bool = False
    problem: str | None = None    # "unreachable" | "not_logged_in" | "auth" | "update" |
                                  # "certificate" | "clock" | "demo" | "rejected" | "other"
    detail: str = ""              # the engine's own line, for the log and the tooltip
    last_success: str | None = None
    pushed: int = 0
    pulled: int = 0
    rejected: int = 0


def classify(message: str) -> str:
    """Which kind of trouble an engine error line describes (its words are stable: see
    fieldapp.sync.client UNREACHABLE and the server's error messages)."""
    lower = message.lower()
    if "certificate could not be verified" in lower:
        return "certificate"
    if "นาฬิกา" in message or "clock" in lower:   # sync/client.py clock_ahead_text
        return "clock"
    if "unreachable" in lower or "ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้" in message:
        return "unreachable"
    if "update" in lower:
        return "update"
    if "log in" in lower or "logged in" in lower or "token" in lower \
            or "เข้าสู่ระบบ" in message:
        return "auth"
    return "other"


def problem_text(problem: str | None, rejected: int = 0) -> str | None:
    """The status-bar words for a problem (translated)."""
    if problem is None:
        return None
    return {
        "unreachable": tr("Cannot reach the server — your data is all here and will sync "
                          "later"),
        "not_logged_in": tr("Not connected to the office server yet — log in from the Sync "
                            "menu"),
        "auth": tr("The server did not accept this laptop's login — log in again from the "
                   "Sync menu; your data is all here"),
        "certificate": tr("The server's certificate is not trusted by this laptop, so "
                          "nothing was sent — ask the office for its certificate; your data "
                          "is all here"),
        "update": tr("The office server needs a newer FieldApp — ask the office for the "
                     "update; your data is all here"),
        "clock": tr("This laptop's clock is ahead of the office server's — set its date and "
                    "time right; your changes are kept and will be sent"),
        "demo": tr("Demo data is not sent to the office — remove the demo data to start "
                   "syncing"),
        "rejected": tr("The server refused %1 changes; they are kept on this laptop")
        .replace("%1", str(rejected)),
        "other": tr("Sync stopped before the end — it will try again; your data is all "
                    "here"),
    }[problem]


def sync_job(ctx: workers.TaskContext, db_path: Path, automatic: bool) -> SyncOutcome:
    """Worker job: one sync of the database at ``db_path`` with the saved server."""
    from fieldapp.store.db import open_store
    from fieldapp.store.demo_removal import is_demo
    from fieldapp.store.sync_meta import get_state
    from fieldapp.sync import account
    from fieldapp.sync.client import SyncClient, SyncError

    with open_store(db_path) as store:
        if is_demo(store):
            return SyncOutcome(ran=False, problem="demo")
        saved = account.connection(store)
        if saved is None:
            return SyncOutcome(ran=False, problem="not_logged_in")
        if account.unconfirmed_http(store):   # log in again, confirming or with https
            return SyncOutcome(ran=False, problem="auth", detail=account.HTTP_NOT_CONFIRMED,
                               last_success=get_state(store, "last_success"))
        if automatic:
            probe = SyncClient(saved["server_url"], retries=0, timeout=5,
                               verify=account.verify_setting(saved["ca_bundle"]))
            try:
                probe.health()
            except SyncError as exc:
                return SyncOutcome(ran=False, detail=str(exc),
                                   problem="certificate" if classify(str(exc)) == "certificate"
                                   else "unreachable",
                                   last_success=get_state(store, "last_success"))
            finally:
                probe.close()
        engine = account.engine_for(store)
        stages = {"upload": tr("sending files"), "push": tr("sending changes"),
                  "pull": tr("receiving"), "snapshot": tr("receiving the registry"),
                  "download": tr("receiving files")}

        def progress(stage: str, done: int, total: int) -> None:
            ctx.progress(done, total, stages.get(stage, stage))

        try:
            summary = engine.run(progress=progress, cancel=ctx._cancel)
        finally:
            engine.client.close()
        outcome = SyncOutcome(ran=True, ok=summary.ok, detail=summary.line(),
                              last_success=get_state(store, "last_success"),
                              pushed=summary.pushed, pulled=summary.pulled,
                              rejected=summary.rejected)
        if summary.errors:
            outcome.problem = classify("; ".join(summary.errors))
        elif summary.rejected:
            outcome.problem = "rejected"
        return outcome


class SyncController(QObject):
    """Schedules sync runs and reports them to the status bar.

    ``status`` is the SyncStatus widget. ``finished`` carries the SyncOutcome, e.g. for
    the window to refresh its lists after data arrived.
    """

    finished = Signal(object)
    loginNeeded = Signal()

    def __init__(self, db_path: Path, status, parent: QObject | None = None,
                 *, auto: bool = True):
        super().__init__(parent)
        self.db_path, self.status = db_path, status
        self.task: workers.Task | None = None
        self._again: bool | None = None     # a request that came while a run was going
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_SYNC_MINUTES * 60_000)
        self.timer.timeout.connect(lambda: self.sync(automatic=True))
        self.soon_timer = QTimer(self, singleShot=True)
        self.soon_timer.timeout.connect(lambda: self.sync(automatic=True))
        if auto:
            self.timer.start()
            self.soon_timer.start(FIRST_SYNC_SECONDS * 1000)

    def soon(self, seconds: int = AFTER_FINALIZE_SECONDS) -> None:
        """Sync in a moment (after a finalize: the record should reach the office)."""
        self.soon_timer.start(seconds * 1000)

    @property
    def running(self) -> bool:
        return self.task is not None

    def sync(self, automatic: bool = False) -> workers.Task | None:
        """Start a run now, unless one is going (then one more run follows it)."""
        if self.task is not None:
            self._again = automatic if self._again is None else (self._again and automatic)
            return None
        self.task = workers.Task(sync_job, self.db_path, automatic)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(lambda outcome: self._done(outcome, automatic))
        self.task.signals.failed.connect(self._failed)
        self.task.signals.cancelled.connect(self._cancelled)
        if not automatic:
            self.status.show_busy(tr("Syncing…"))
        workers.start(self.task)
        return self.task

    def _progress(self, done: int, total: int, stage: str) -> None:
        counted = f" {done:,}/{total:,}" if total else ""
        self.status.show_busy(tr("Syncing: %1").replace("%1", stage) + counted)

    def _done(self, outcome: SyncOutcome, automatic: bool) -> None:
        self.task = None
        if outcome.detail:
            log.info("sync: %s", outcome.detail)
        quiet = automatic and outcome.problem == "not_logged_in"
        message = None if quiet else problem_text(outcome.problem, outcome.rejected)
        self.status.show_state(outcome.last_success, message, detail=outcome.detail)
        if outcome.problem == "not_logged_in" and not automatic:
            self.loginNeeded.emit()
        self.finished.emit(outcome)
        self._follow_up()

    def _failed(self, message: str) -> None:
        self.task = None
        self.status.show_state(None, problem_text("other"), detail=message)
        self._follow_up()

    def _cancelled(self) -> None:
        self.task = None
        self.status.show_state(None, None)

    def _follow_up(self) -> None:
        if self._again is not None:
            again, self._again = self._again, None
            self.sync(automatic=again)

    def stop(self) -> None:
        """At quit: no new runs; a running one stops at its next safe point."""
        self.timer.stop()
        self.soon_timer.stop()
        if self.task is not None:
            self.task.cancel()
