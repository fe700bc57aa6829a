"""The status-bar sync indicator (objectName ``syncStatus``).

Shows how many local changes wait to be sent, the last successful sync and the last
problem in words a person understands. ``sync_worker.SyncController`` reports each run
through ``show_state`` and its progress through ``show_busy``; the engine's technical line
is the tooltip.

Counting the waiting changes walks an index of every pending row (a 150,000-row registry
import leaves that many: 12 ms or more), and the editor asks after every answer, so the
count runs on a worker with its own connection; requests while one runs are coalesced into
one more count.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui import workers
from fieldapp.gui.i18n import tr
from fieldapp.store.db import Store, open_store
from fieldapp.store.sync_meta import get_state, pending_count


def _count_pending(_ctx, db_path) -> int:
    """Worker job: the number of local changes waiting to be sent."""
    with open_store(db_path) as store:
        return pending_count(store)


class SyncStatus(QLabel):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.store = store
        self.last_sync: str | None = None
        self.last_error: str | None = self._remembered_error()
        self.count: int | None = None       # None until the first count arrives
        self._counting: workers.Task | None = None
        self._count_again = False
        self._busy = False
        self.refresh()

    def _remembered_error(self) -> str | None:
        """The last run's trouble in words, so a restart still says why nothing was sent
        (the engine keeps its last summary in the database)."""
        import json

        from fieldapp.gui.sync.sync_worker import classify, problem_text
        raw = get_state(self.store, "last_sync")
        try:
            info = json.loads(raw) if raw else None
        except ValueError:
            return None
        if not info or info.get("ok") or not info.get("error"):
            return None
        self.setToolTip(info.get("summary") or "")
        return problem_text(classify(info["error"]))

    def pending(self) -> int:
        return pending_count(self.store)

    @property
    def settled(self) -> bool:
        """No count running: the text is up to date (for tests)."""
        return self._counting is None

    def refresh(self) -> None:
        """Count the waiting changes again (on a worker) and show the result."""
        from fieldapp.store.demo_removal import is_demo
        if self.store.closed:
            return   # the window is closing or its database is being replaced
        if is_demo(self.store):
            # Demo changes are never sent (sync_worker): counting them would mislead.
            self.setText(tr("Demo data — not sent to the office"))
            return
        if self._counting is not None:
            self._count_again = True
            return
        self._counting = workers.Task(_count_pending, self.store.path)
        # Bound methods: Qt drops the connection if this label is deleted first.
        self._counting.signals.finished.connect(self._counted)
        self._counting.signals.failed.connect(self._count_failed)
        workers.start(self._counting, reader=True)

    def _count_failed(self, _message: str) -> None:
        self._counted(None)

    def _counted(self, count: int | None) -> None:
        """A count arrived (None: it failed, which only a broken database does and the
        window reports elsewhere; the last count stays shown)."""
        self._counting = None
        if self.store.closed:
            return
        if self._count_again:      # changes were made while counting: count once more
            self._count_again = False
            self.refresh()
            return
        if count is not None:
            self.count = count
        self._show()

    def _show(self) -> None:
        count = self.count
        if count is None or self._busy:
            return
        if self.last_sync is None:
            # Written by the sync engine (fieldapp.sync.engine) after each successful run.
            self.last_sync = get_state(self.store, "last_success")
        shown = f"{count:,}"
        parts = [tr("%1 changes waiting to sync").replace("%1", shown) if count
                 else tr("Everything is synced")]
        if self.last_sync:
            parts.append(tr("last sync %1").replace("%1", format_datetime(self.last_sync)))
        else:
            parts.append(tr("not synced yet"))
        if self.last_error:
            parts.append(self.last_error)
        self.setText(" · ".join(parts))

    def show_state(self, last_sync: str | None, last_error: str | None,
                   detail: str = "") -> None:
        """For the sync worker: report the outcome of a sync run (``last_sync`` None keeps
        the one shown)."""
        if last_sync:
            self.last_sync = last_sync
        self._busy = False
        self.last_error = last_error
        self.setToolTip(detail)
        self.refresh()

    def show_busy(self, text: str) -> None:
        """A run is going: show its stage instead of the counts (until ``show_state``)."""
        self._busy = True
        self.setText(text)
