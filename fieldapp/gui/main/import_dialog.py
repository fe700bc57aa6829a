"""Registry import with progress and cancel, on a worker thread with its own Store."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from fieldapp.core.errors import FieldAppError
from fieldapp.gui import workers
from fieldapp.gui.i18n import tr
from fieldapp.gui.labels import one_language

log = logging.getLogger(__name__)


def import_job(ctx: workers.TaskContext, db_path: Path, file: str) -> dict:
    from fieldapp.store import registry_import
    from fieldapp.store.db import open_store
    from fieldapp.store.registry_files import ImportFileError

    # Filled as it goes, so that an import that fails part-way still says what it left.
    report = registry_import.ImportReport()
    failed = None
    with open_store(db_path) as store:
        # Cancelling between batches is safe: batches already committed stay.
        try:
            registry_import.import_factories(
                store, file, progress=lambda done, total: ctx.progress(done, total, ""),
                cancelled=lambda: ctx.cancelled, report=report)
        except registry_import.UnknownLayoutError as exc:
            # The store's message says to use the command line's --map, which a window
            # has no way to give: say what the inspector can do instead.
            raise ImportRefused(layout_advice(exc.columns, exc.needed)) from exc
        except Exception as exc:
            if isinstance(exc, ImportFileError) and not report.committed:
                raise   # the file as a whole, refused before any row was written
            # A full disk, a batch the database refused, a file unreadable half way: each
            # batch is one transaction, so what committed before it is exact; say it.
            log.error("registry import failed part-way", exc_info=True)
            failed = failure_of(exc)
    return {"imported": report.imported, "updated": report.updated,
            "unchanged": report.unchanged + report.kept, "rejected": len(report.rejected),
            # Which lines, and why: a count alone left the inspector to guess.
            "rejected_lines": [(r.line, r.reason.message)
                               for r in report.rejected[:REJECTS_SHOWN]],
            # Cancelled or failed: it stopped between batches, so what the database holds
            # is exact.
            "cancelled": report.cancelled, "failed": failed, "committed": report.committed,
            "committed_line": report.committed_line, "lines": report.lines}


def failure_of(exc: Exception) -> tuple[str, str]:
    """Why an import failed, as (kind, detail); the window words it in its own language
    (``failure_text``) on the UI thread."""
    if (isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc)  # SQLITE_FULL
            or isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return "disk_full", str(exc)
    if isinstance(exc, sqlite3.Error):
        return "database", str(exc)
    if isinstance(exc, OSError):   # the database's own I/O errors come as sqlite3's
        return "file", f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    if isinstance(exc, FieldAppError):
        return "said", str(exc)
    return "other", f"{type(exc).__name__}: {exc}"


def failure_text(failed: tuple[str, str], language: str = "en") -> str:
    """The reason an import failed, in the UI's language (no "Thai (English)" halves)."""
    kind, detail = failed
    if kind == "disk_full":
        return tr("the disk is full; make room on it first")
    if kind == "database":
        return tr("the database refused the rows (%1)").replace("%1", detail)
    if kind == "file":
        return tr("the file could not be read (%1)").replace("%1", detail)
    if kind == "said":
        return one_language(detail, language)
    return tr("an unexpected error (%1)").replace("%1", detail)


REJECTS_SHOWN = 20


class ImportRefused(Exception):
    """The file cannot be imported, said in the UI's language (no "Thai (English)" halves)."""


def layout_advice(columns: list[str], needed: list[str]) -> str:
    """What to do with a file whose columns are no registry layout, in the UI's language."""
    shown = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
    return (tr("This file is not a factory registry in a layout FieldApp knows: its columns "
               "are %1. Ask the office for the registry file as DIW publishes it "
               "(Factory_Data, with at least the columns %2) and import that file.")
            .replace("%1", shown or "-").replace("%2", ", ".join(needed)))


def summary_text(counts: dict, language: str = "en") -> str:
    """The import's result in the UI's language: the counts, then each rejected line (the
    first REJECTS_SHOWN) with its reason."""
    text = (tr("Imported %1, updated %2, unchanged %3, rejected %4")
            .replace("%1", f"{counts['imported']:,}").replace("%2", f"{counts['updated']:,}")
            .replace("%3", f"{counts['unchanged']:,}").replace("%4", f"{counts['rejected']:,}"))
    lines = [tr("Line %1: %2").replace("%1", str(line))
             .replace("%2", one_language(reason, language))
             for line, reason in counts.get("rejected_lines", ())]
    if counts["rejected"] > len(lines):
        lines.append(tr("… and %1 more").replace("%1", f"{counts['rejected'] - len(lines):,}"))
    return "\n".join([text, *lines])


def stopped_text(counts: dict, language: str = "en") -> str:
    """What an import that did not reach the end of its file left, in the UI's language:
    that it was stopped (cancelled) or why it failed, then the facts the command line says
    after a stop (commands/registry.py), then the counts and rejected lines so far."""
    failed = counts.get("failed")
    if counts["committed"]:
        if failed:
            said = tr("The import failed: %1.").replace("%1", failure_text(failed, language))
        else:
            said = tr("The import was stopped.")
        said += " " + (tr("%1 rows are in the database: every good row up to line %2 of %3, "
                          "none after it. Import the same file again to finish: rows already "
                          "in stay as they are, none is added twice.")
                       .replace("%1", f"{counts['committed']:,}")
                       .replace("%2", f"{counts['committed_line']:,}")
                       .replace("%3", f"{counts['lines']:,}"))
    else:
        if failed:
            said = (tr("The import failed before any row was saved: %1.")
                    .replace("%1", failure_text(failed, language)))
        else:
            said = tr("The import was stopped before any row was saved.")
        said += " " + tr("Import the same file again to load it.")
    return "\n\n".join([said, summary_text(counts, language)])


class ImportDialog(QObject):
    def __init__(self, db_path: Path, parent: QWidget | None = None, language: str = "th"):
        super().__init__(parent)
        self.db_path, self.parent_widget, self.language = db_path, parent, language

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
        task.signals.finished.connect(lambda counts: (progress.close(), self.tell(counts)))
        task.signals.failed.connect(lambda msg: (progress.close(), QMessageBox.warning(
            self.parent_widget, tr("Import failed"), one_language(msg, self.language))))
        task.signals.cancelled.connect(progress.close)
        progress.canceled.connect(task.cancel)
        workers.start(task)
        progress.exec()

    def tell(self, counts: dict) -> None:
        """The outcome where a finished import shows it; a cancelled or failed one says what
        it left."""
        if counts.get("failed"):
            QMessageBox.warning(self.parent_widget, tr("Import failed"),
                                stopped_text(counts, self.language))
        elif counts.get("cancelled"):
            QMessageBox.information(self.parent_widget, tr("Import stopped"),
                                    stopped_text(counts, self.language))
        else:
            QMessageBox.information(self.parent_widget, tr("Import finished"),
                                    summary_text(counts, self.language))
