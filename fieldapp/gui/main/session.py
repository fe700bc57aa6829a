"""One running app: the UI thread's Store, the main window and the sync controller.

The session owns the Store so that it can be replaced: restoring a backup or removing demo
data must first close every connection to the database (the window's, the search thread's,
the sync worker's), then run on a worker, then open the window again on the new database.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from fieldapp.gui import workers
from fieldapp.gui.i18n import tr
from fieldapp.gui.settings import Settings
from fieldapp.store.db import open_store

if TYPE_CHECKING:
    from fieldapp.gui.main.data_care import StoreSwap

log = logging.getLogger(__name__)
# How long replacing the database waits for cancelled readers: each stops after the photo
# or page in hand (a fraction of a second), and the window does not answer meanwhile.
READERS_WAIT_S = 2.0


class Session(QObject):
    """``Session(settings, db_path).open()`` shows the window; ``swap`` replaces the
    database safely. ``reopened`` is emitted with the new MainWindow after a swap."""

    reopened = Signal(object)

    def __init__(self, settings: Settings, db_path: Path, *, auto_sync: bool = True):
        super().__init__()
        self.settings, self.db_path, self.auto_sync = settings, db_path, auto_sync
        self.store = None
        self.main = None
        self.sync = None
        self.swap_task: workers.Task | None = None

    def open(self):
        """Open the Store and show a main window on it (also after a swap)."""
        from fieldapp.gui.main.main_window import MainWindow
        from fieldapp.gui.sync.sync_worker import SyncController
        self.store = open_store(self.db_path)
        self.main = MainWindow(self.store, self.settings, self.db_path)
        self.sync = SyncController(self.db_path, self.main.sync_status, self.main,
                                   auto=self.auto_sync)
        self.main.attach_sync(self.sync)
        self.main.swapRequested.connect(self.swap)
        self.main.show()
        return self.main

    def close_store(self) -> None:
        """Close every connection this session holds to the database."""
        if self.sync is not None:
            self.sync.stop()
        if self.main is not None:
            self.main.close_editor()
            self.main.model.shutdown()
        if self.store is not None:
            self.store.close()
            self.store = None

    def swap(self, swap: StoreSwap) -> workers.Task | None:
        """Run ``swap`` with the database closed, then reopen the window on the result."""
        from PySide6.QtWidgets import QMessageBox

        from fieldapp.gui.main.data_care import progress_dialog
        if ((self.sync is not None and self.sync.running) or workers.writing()
                or not workers.stop_readers(READERS_WAIT_S)):
            # A worker may hold the database open (sync, backup, demo loading, a PDF):
            # replacing the file under it could split its writes between two databases.
            # Work that only reads to show something (thumbnails, a count) is cancelled
            # instead: it goes with the window anyway.
            QMessageBox.information(self.main.window, "FieldApp",
                                    tr("FieldApp is still working in the background (sync, "
                                       "backup or loading); try again in a moment"))
            return None
        old = self.main
        old.window.setEnabled(False)
        self.close_store()
        progress = progress_dialog(old.window, swap.busy_text)
        self.swap_task = workers.Task(swap.fn, *swap.args)
        self.swap_task.signals.progress.connect(lambda done, total, _m: (
            progress.setMaximum(total), progress.setValue(done)))

        def finished(result) -> None:
            progress.close()
            self._reopen(old)
            QMessageBox.information(self.main.window, "FieldApp", swap.done_text(result))

        def failed(message: str) -> None:
            # Nothing was replaced (both jobs check everything before moving a file):
            # reopen the same database and say why.
            progress.close()
            self._reopen(old)
            QMessageBox.warning(self.main.window, "FieldApp", message)

        self.swap_task.signals.finished.connect(finished)
        self.swap_task.signals.failed.connect(failed)
        workers.start(self.swap_task)
        return self.swap_task

    def _reopen(self, old) -> None:
        self.swap_task = None
        geometry = bytes(old.window.saveGeometry())
        self.settings.set("ui/window_geometry", geometry)
        self.open()
        # The new window is up before the old one closes, so the app does not quit.
        old.window.close()
        old.window.deleteLater()
        start_preparation(self.db_path, self.main, demo=False)
        self.reopened.emit(self.main)

    def shutdown(self) -> None:
        self.close_store()


def prepare_job(ctx, db_path, demo_factories: int, demo: bool = False) -> bool:
    """Worker-thread job at every start: publish the shipped checklist templates this
    database lacks, and when ``demo`` is asked (first run) load demo factories and
    inspections, marked as demo, into an empty database only
    (fieldapp.store.demo_removal). Returns True when demo data was loaded (the window then
    refreshes everything)."""
    from fieldapp.store.db import open_store
    from fieldapp.store.demo_removal import load_marked_demo
    from fieldapp.store.templates import install_bundled_templates
    with open_store(db_path) as store:
        install_bundled_templates(store)
        if not demo:
            return False
        return load_marked_demo(store, demo_factories,
                                progress=lambda done, total: ctx.progress(done, total, ""))


def start_preparation(db_path: Path, window, *, demo: bool,
                      demo_factories: int = 2000) -> workers.Task:
    """Install shipped templates (and demo data when asked) on a worker; the window
    refreshes when data arrived."""
    from PySide6.QtCore import QCoreApplication

    task = workers.Task(prepare_job, db_path, demo_factories, demo)
    task.signals.progress.connect(lambda done, total, _m: window.result_count.setText(
        QCoreApplication.translate("MainWindow", "Loading demo data…")
        + f" {done:,}/{total:,}"))
    task.signals.finished.connect(lambda loaded: loaded and window.data_arrived())
    task.signals.failed.connect(window.show_error)
    workers.start(task)
    return task
