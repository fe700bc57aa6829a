"""The status-bar sync indicator (objectName ``syncStatus``).

Shows how many local changes wait to be sent, the last successful sync and the last
problem in words a person understands. ``sync_worker.SyncController`` reports each run
through ``show_state`` and its progress through ``show_busy``; the engine's technical line
is the tooltip.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui.i18n import tr
from fieldapp.store.db import Store
from fieldapp.store.sync_state import get_state, pending_count


class SyncStatus(QLabel):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.store = store
        self.last_sync: str | None = None
        self.last_error: str | None = self._remembered_error()
        self.refresh()

    def _remembered_error(self) -> str | None:
        """The last run's trouble in words, so a restart still says why nothing was sent
        (the engine keeps its last summary in the database)."""
        import json

        from fieldapp.gui.sync_worker import classify, problem_text
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

    def refresh(self) -> None:
        from fieldapp.store.demo_removal import is_demo
        if is_demo(self.store):
            # Demo changes are never sent (sync_worker): counting them would mislead.
            self.setText(tr("Demo data — not sent to the office"))
            return
        count = self.pending()
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
        self.last_error = last_error
        self.setToolTip(detail)
        self.refresh()

    def show_busy(self, text: str) -> None:
        """A run is going: show its stage instead of the counts."""
        self.setText(text)
