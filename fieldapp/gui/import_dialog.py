"""Registry import with progress and cancel, on a worker thread with its own Store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from fieldapp.gui import workers
from fieldapp.gui.i18n import tr


def import_job(ctx: workers.TaskContext, db_path: Path, file: str) -> str:
    from fieldapp.store import registry_import
    from fieldapp.store.db import open_store

    with open_store(db_path) as store:
        # Cancelling between batches is safe: batches already committed stay.
        report = registry_import.import_factories(
            store, file, progress=lambda done, total: ctx.progress(done, total, ""),
            cancelled=lambda: ctx.cancelled)
    return report.summary()


class ImportDialog(QObject):
    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path, self.parent_widget = db_path, parent

    def run(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self.parent_widget, tr("Import factory registry"), "",
            tr("Registry files (*.csv *.xlsx)"))
        if not file:
            return
        progress = QProgressDialog(tr("Importing factories…"), tr("Cancel"), 0, 0,
                                   self.parent_widget)
        progress.setObjectName("importProgress")
        task = workers.Task(import_job, self.db_path, file)
        task.signals.progress.connect(lambda d, t, _m: (progress.setMaximum(t),
                                                        progress.setValue(d)))
        task.signals.finished.connect(lambda summary: (progress.close(), QMessageBox.information(
            self.parent_widget, tr("Import finished"), summary)))
        task.signals.failed.connect(lambda msg: (progress.close(), QMessageBox.warning(
            self.parent_widget, tr("Import failed"), msg)))
        task.signals.cancelled.connect(progress.close)
        progress.canceled.connect(task.cancel)
        workers.start(task)
        progress.exec()
