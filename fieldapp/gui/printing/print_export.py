"""Print and Export PDF buttons (objectNames ``printButton`` / ``exportPdfButton``).

The PDF comes from ``fieldapp.forms.inspection_form.render_inspection_pdf`` (issue 4),
rendered on a worker thread with its own Store. Print opens a preview of that very PDF
(print_preview.py), which prints the same pages onto the chosen printer, so paper matches
the exported file. When the forms module is not
installed the buttons stay disabled with a tooltip saying why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from fieldapp.gui import workers
from fieldapp.gui.i18n import tr
from fieldapp.gui.printing.print_preview import PrintPreviewDialog
from fieldapp.store.db import Store, open_store


def forms_available() -> bool:
    """Whether the printed-form module is installed, without importing it: importing
    ReportLab takes about a second, which belongs on the worker thread, not here."""
    import importlib.util
    try:
        return importlib.util.find_spec("fieldapp.forms.inspection_form") is not None
    except ImportError:
        return False


def _renderer():
    from fieldapp.forms.inspection_form import render_inspection_pdf
    return render_inspection_pdf


def form_options(settings) -> dict:
    """What the printed form takes from the app's settings, as plain data for a worker."""
    if settings is None:
        return {"office_name": "", "office_logo": "", "thai_digits": False}
    return {"office_name": settings.get("office/name"),
            "office_logo": settings.get("office/logo"),
            "thai_digits": settings.get("print/thai_digits")}


def print_settings(options: dict):
    """fieldapp.forms' PrintSettings from ``form_options`` (imported on the worker)."""
    from fieldapp.forms.settings import PrintSettings
    logo = options.get("office_logo")
    return PrintSettings(office_name=options.get("office_name") or PrintSettings.office_name,
                         office_logo=Path(logo) if logo else None,
                         thai_digits=bool(options.get("thai_digits")))


def render_pdf(ctx: workers.TaskContext, db_path: Path, inspection_id: str,
               options: dict) -> bytes:
    """Worker-thread job: the inspection's PDF bytes."""
    render = _renderer()
    settings = print_settings(options)
    ctx.progress(0, 1, "")
    with open_store(db_path) as store:
        data = render(store, inspection_id, settings=settings)
    ctx.progress(1, 1, "")
    return data


def prepare_photos_job(ctx: workers.TaskContext, blob_dir: str, hashes: list[str]) -> int:
    """Worker job: the print copies of these stored photos, into the renderer's cache."""
    from fieldapp.forms.images import print_ready_blob
    from fieldapp.forms.warm import warm_photo
    done = 0
    for sha256 in hashes:
        ctx.check()
        done += warm_photo(print_ready_blob, blob_dir, sha256)
    return done


class PrintExport(QObject):
    def __init__(self, store: Store, inspection_id: str, parent: QWidget):
        super().__init__(parent)
        self.store, self.inspection_id, self.parent_widget = store, inspection_id, parent
        self.print_button = QPushButton(tr("Print…"), parent)
        self.print_button.setObjectName("printButton")
        self.export_button = QPushButton(tr("Export PDF…"), parent)
        self.export_button.setObjectName("exportPdfButton")
        for b in (self.print_button, self.export_button):
            b.setMinimumHeight(38)
        self.print_button.clicked.connect(self.print_form)
        # Not connected straight to export_pdf: clicked passes its checked flag (False),
        # which export_pdf took for "no path chosen" and did nothing.
        self.export_button.clicked.connect(lambda: self.export_pdf())
        self.task: workers.Task | None = None
        self.preview: PrintPreviewDialog | None = None
        self.photos_task: workers.Task | None = None
        self.prepare_photos()

    def prepare_photos(self) -> workers.Task | None:
        """Make the print copies of the record's photos on a worker while the inspector is
        at the record, so that Print does not start by scaling a dozen camera photos."""
        if not forms_available():
            return None
        rows = self.store.query("SELECT sha256 FROM attachments WHERE inspection_id = ? "
                                "AND kind = 'photo' AND deleted = 0 AND mime LIKE 'image/%'",
                                (self.inspection_id,))
        if not rows:
            return None
        self.photos_task = workers.Task(prepare_photos_job, str(self.store.blob_dir),
                                        [r["sha256"] for r in rows])
        # A reader: it only fills the renderer's memory, and stops between photos.
        workers.start(self.photos_task, reader=True)
        return self.photos_task

    def refresh(self) -> None:
        available = forms_available()
        for b in (self.print_button, self.export_button):
            b.setEnabled(available and self.task is None)
            b.setToolTip("" if available else tr("The printed form is not available in "
                                                 "this version"))

    def _start(self, done) -> None:
        options = form_options(getattr(self.parent_widget, "settings", None))
        self.task = workers.Task(render_pdf, self.store.path, self.inspection_id, options)
        self.task.signals.finished.connect(lambda data: (self._finished(), done(data)))
        self.task.signals.failed.connect(lambda msg: (self._finished(), QMessageBox.warning(
            self.parent_widget, tr("The form could not be made"), msg)))
        self.refresh()
        workers.start(self.task)

    def _finished(self) -> None:
        self.task = None
        self.refresh()

    def export_pdf(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.parent_widget, tr("Export PDF"),
                                                  "inspection.pdf", tr("PDF files (*.pdf)"))
        if not path:
            return
        self._start(lambda data: Path(path).write_bytes(data))

    def print_form(self) -> None:
        """Render on a worker, then show the preview, from which the inspector prints."""
        self._start(self.show_preview)

    def show_preview(self, data: bytes) -> PrintPreviewDialog:
        preview = PrintPreviewDialog(data, tr("Print preview"), "inspection.pdf",
                                     self.parent_widget)
        self.preview = preview
        preview.dialog.setModal(True)
        preview.dialog.finished.connect(lambda _r: preview.dialog.deleteLater())
        # Paper signed in ink belongs with the record: say where its scan goes.
        preview.printed.connect(lambda _n: preview.status.setText(
            preview.status.text() + " — " + tr("once the paper is signed, attach its scan "
                                               "in the Signed paper tab")))
        preview.dialog.show()
        return preview


def render_blank_job(ctx: workers.TaskContext, db_path: Path, template_version_id: str,
                     options: dict) -> bytes:
    """Worker-thread job: a blank form of a template, to fill in by hand."""
    from fieldapp.forms.inspection_form import render_blank_form
    from fieldapp.store.templates import get_template
    with open_store(db_path) as store:
        template = get_template(store, template_version_id)
    return render_blank_form(template, settings=print_settings(options))


class BlankForm(QObject):
    """File → Print a blank form…: choose a template (latest published versions), render
    its blank form on a worker, show it in the print preview (``self.preview``)."""

    failed = Signal(str)

    def __init__(self, store: Store, settings, db_path: Path, window: QWidget):
        super().__init__(window)
        self.store, self.settings, self.db_path, self.window = store, settings, db_path, window
        self.task: workers.Task | None = None
        self.preview: PrintPreviewDialog | None = None

    def run(self, template_version_id: str | None = None) -> workers.Task | None:
        if template_version_id is None:
            template_version_id = self._choose()
            if template_version_id is None:
                return None
        self.task = workers.Task(render_blank_job, self.db_path, template_version_id,
                                 form_options(self.settings))
        self.task.signals.finished.connect(self._show)
        self.task.signals.failed.connect(self.failed)
        workers.start(self.task)
        return self.task

    def _choose(self) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        from fieldapp.gui import ops
        templates = ops.latest_published_templates(self.store)
        if not templates:
            return None
        language = self.settings.get("ui/language")
        titles = [ops.template_title(t, language) for t in templates]
        title, ok = QInputDialog.getItem(self.window, tr("Print a blank form"),
                                         tr("Checklist"), titles, 0, False)
        return templates[titles.index(title)]["id"] if ok else None

    def _show(self, pdf: bytes) -> None:
        self.task = None
        preview = PrintPreviewDialog(pdf, tr("Blank form"), "blank-form.pdf", self.window)
        self.preview = preview
        preview.dialog.finished.connect(lambda _r: preview.dialog.deleteLater())
        preview.dialog.show()
