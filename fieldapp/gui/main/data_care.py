"""Everyday care of the local data from the File menu: back up, restore, remove demo data.

Backup runs on a worker with progress while the app keeps working (SQLite's online backup
API gives a consistent snapshot). Restore and demo removal replace the database, so they
ask first and then hand a ``StoreSwap`` to the session (``session.Session.swap``), which
closes every Store, runs the job on a worker and reopens the window on the result. Errors
are shown in words (the store's messages are Thai with the English in brackets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui import workers
from fieldapp.gui.i18n import tr, ui_language
from fieldapp.gui.labels import one_language


def backup_job(ctx: workers.TaskContext, db_path: Path, target: str) -> dict:
    from fieldapp.store.backup import backup
    from fieldapp.store.db import open_store
    with open_store(db_path) as store:
        return backup(store, target, progress=lambda done, total: ctx.progress(done, total))


def manifest_job(ctx: workers.TaskContext, source: str) -> dict:
    from fieldapp.store.backup import read_manifest
    return read_manifest(source)


def restore_job(ctx: workers.TaskContext, source: str, db_path: Path) -> dict:
    from fieldapp.store.backup import restore
    return restore(source, db_path, progress=lambda done, total: ctx.progress(done, total))


def remove_demo_job(ctx: workers.TaskContext, db_path: Path) -> str:
    from fieldapp.store.demo_removal import remove_demo
    return str(remove_demo(db_path))


@dataclass
class StoreSwap:
    """A job that replaces the database: run with every Store closed, then reopen."""
    fn: Callable
    args: tuple
    busy_text: str
    done_text: Callable[[object], str]


def progress_dialog(parent: QWidget, text: str) -> QProgressDialog:
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setObjectName("dataCareProgress")
    dialog.setWindowTitle("FieldApp")
    dialog.setCancelButton(None)     # neither backup nor restore is safe to stop half-way
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    return dialog


class DataCare(QObject):
    """The File menu's backup, restore and remove-demo actions of one main window."""

    swapRequested = Signal(object)     # a StoreSwap for the session
    backedUp = Signal(dict)

    def __init__(self, db_path: Path, parent_widget: QWidget):
        super().__init__(parent_widget)
        self.db_path, self.parent_widget = db_path, parent_widget
        self.task: workers.Task | None = None

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent_widget, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _warn(self, title: str, message: str) -> None:
        # Store and backup messages read "Thai (English)": the UI's language only.
        QMessageBox.warning(self.parent_widget, title, one_language(message, ui_language()))

    # -- backup ----------------------------------------------------------------------------

    def backup(self, target: str | None = None) -> workers.Task | None:
        if target is None:
            suggested = f"fieldapp-backup-{date.today().isoformat()}.zip"
            target, _ = QFileDialog.getSaveFileName(self.parent_widget, tr("Back up data"),
                                                    suggested, tr("Backup files (*.zip)"))
        if not target:
            return None
        progress = progress_dialog(self.parent_widget, tr("Backing up…"))
        self.task = workers.Task(backup_job, self.db_path, target)
        self.task.signals.progress.connect(lambda done, total, _m: (
            progress.setMaximum(total), progress.setValue(done)))

        def finished(manifest: dict) -> None:
            progress.close()
            self.task = None
            self.backedUp.emit(manifest)
            QMessageBox.information(
                self.parent_widget, tr("Back up data"),
                tr("Backup saved: %1 inspections and %2 attachments in %3")
                .replace("%1", str(manifest["inspections"]))
                .replace("%2", str(manifest["attachments"]))
                .replace("%3", Path(target).name))

        def failed(message: str) -> None:
            progress.close()
            self.task = None
            self._warn(tr("The backup was not made"), message)

        self.task.signals.finished.connect(finished)
        self.task.signals.failed.connect(failed)
        workers.start(self.task)
        return self.task

    # -- restore ---------------------------------------------------------------------------

    def restore(self, source: str | None = None, confirm: bool = True) -> None:
        """Check the file (on a worker), ask, then request the swap."""
        if source is None:
            source, _ = QFileDialog.getOpenFileName(self.parent_widget,
                                                    tr("Restore from a backup"), "",
                                                    tr("Backup files (*.zip)"))
        if not source:
            return
        self.task = workers.Task(manifest_job, source)
        self.task.signals.finished.connect(lambda m: self._confirm_restore(source, m, confirm))
        self.task.signals.failed.connect(lambda message: (
            setattr(self, "task", None), self._warn(tr("Restore from a backup"), message)))
        workers.start(self.task)

    def _confirm_restore(self, source: str, manifest: dict, confirm: bool) -> None:
        self.task = None
        text = (tr("Replace the data on this laptop with the backup of %1 (%2 inspections)? "
                   "The current data is kept beside it as a copy.")
                .replace("%1", format_datetime(manifest["created_at"]))
                .replace("%2", str(manifest["inspections"])))
        if confirm and not self._ask(tr("Restore from a backup"), text):
            return
        self.swapRequested.emit(StoreSwap(
            restore_job, (source, self.db_path), tr("Restoring…"),
            lambda m: tr("Restored the backup of %1").replace(
                "%1", format_datetime(m["created_at"]))))

    # -- demo data -------------------------------------------------------------------------

    def remove_demo(self, confirm: bool = True) -> None:
        text = tr("Remove the demo factories and inspections and start with an empty "
                  "database? A copy is kept in the data folder.")
        if confirm and not self._ask(tr("Remove demo data"), text):
            return
        self.swapRequested.emit(StoreSwap(
            remove_demo_job, (self.db_path,), tr("Removing demo data…"),
            lambda folder: tr("Demo data removed. A copy is kept in %1").replace(
                "%1", str(folder))))
