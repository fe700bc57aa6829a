"""Print preview and printing of a rendered form, from the PDF bytes themselves.

The preview shows the pages of exactly the PDF that will be printed or exported: they are
rasterised from the bytes with PDFium (``fieldapp.forms.images.render_pdf_pages``; the
PySide6 wheels here carry no QtPdf). Printing draws the same pages, rendered at the
printer's resolution (capped at ``PRINT_DPI``), onto a QPrinter with QPainter. Both
rasterising and painting run on a worker thread (QPainter may paint on a QPrinter outside
the GUI thread); only the printer dialog itself is on the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.gui import workers
from fieldapp.gui.i18n import tr

PREVIEW_DPI = 110     # sharp enough at 100-200 % zoom on a laptop screen
PRINT_DPI = 300       # what a laser printer resolves; 1200 dpi pages would take ~400 MB
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def pil_to_qimage(image) -> QImage:
    """A PIL image as a QImage that owns its pixels (safe to hand across threads)."""
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    q = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return q.copy()


def page_count(pdf: bytes) -> int:
    import pypdfium2
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pages_job(ctx: workers.TaskContext, pdf: bytes, dpi: float) -> list[QImage]:
    """Worker job: every page of ``pdf`` as a QImage at ``dpi``, with progress per page.
    Each page is also handed over as ``(number, image)`` the moment it is ready, so the
    preview shows page 1 while the rest are drawn (issue 16: a 36-page record took ~0.25 s
    more before anything showed)."""
    import pypdfium2
    doc = pypdfium2.PdfDocument(pdf)
    try:
        total = len(doc)
        images = []
        for n in range(total):
            ctx.check()
            ctx.progress(n, total, "")
            image = pil_to_qimage(doc[n].render(scale=dpi / 72).to_pil())
            images.append(image)
            ctx.partial((n, image))
    finally:
        doc.close()
    ctx.progress(total, total, "")
    return images


def print_pdf(printer, pdf: bytes, ctx: workers.TaskContext | None = None) -> int:
    """Draw every page of ``pdf`` on ``printer``; returns the number of sheets printed.

    Each page is rendered at the printer's resolution (at most PRINT_DPI) and scaled to the
    whole paper, keeping its proportions: the PDF already holds the government margins, so
    the printer's own margins are not added again. When the printer cannot make copies by
    itself (a PDF file, some drivers) the copies are printed here, collated.
    """
    from PySide6.QtPrintSupport import QPrinter

    from fieldapp.forms.images import render_pdf_pages
    printer.setFullPage(True)
    copies = max(1, printer.copyCount())
    if printer.supportsMultipleCopies():
        copies = 1    # the printer (CUPS, Windows spooler) repeats the job itself
    dpi = min(PRINT_DPI, printer.resolution())
    total = page_count(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError(tr("The printer could not be opened"))
    sheets = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for copy in range(copies):
            for n in range(total):
                if ctx is not None:
                    ctx.check()
                    ctx.progress(copy * total + n, copies * total, "")
                if sheets:
                    printer.newPage()
                image = pil_to_qimage(render_pdf_pages(pdf, dpi=dpi, pages=[n])[0])
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                size = QSizeF(image.size()).scaled(paper.size(),
                                                   Qt.AspectRatioMode.KeepAspectRatio)
                # The painter scales while drawing: the page image keeps its own resolution
                # (a copy scaled to a 1200 dpi device would take half a gigabyte per page).
                painter.drawImage(QRectF(paper.topLeft(), size), image)
                sheets += 1
    finally:
        painter.end()
    return sheets


def print_job(ctx: workers.TaskContext, printer, pdf: bytes) -> int:
    return print_pdf(printer, pdf, ctx)


class PrintPreviewDialog(QObject):
    """The preview window (objectName ``printPreviewDialog``): pages, zoom, print, export.

    ``pdf`` is the document; ``title`` heads the window; ``default_name`` is offered when
    exporting. ``printed`` is emitted after the pages went to the printer.
    """

    printed = Signal(int)

    def __init__(self, pdf: bytes, title: str, default_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.pdf, self.default_name = pdf, default_name
        self.images: list[QImage] = []
        self.zoom = 1.0
        self.task: workers.Task | None = None
        self.print_task: workers.Task | None = None
        self.printer = None
        d = self.dialog = QDialog(parent)
        d.setObjectName("printPreviewDialog")
        d.setWindowTitle(title)
        d.resize(900, 1000)
        layout = QVBoxLayout(d)
        bar = QHBoxLayout()
        self.status = QLabel(tr("Preparing the pages…"), d)
        self.status.setObjectName("previewStatus")
        bar.addWidget(self.status, 1)
        self.zoom_out = self._button(bar, "zoomOutButton", tr("Zoom out"))
        self.zoom_label = QLabel(d)
        self.zoom_label.setObjectName("previewZoom")
        bar.addWidget(self.zoom_label)
        self.zoom_in = self._button(bar, "zoomInButton", tr("Zoom in"))
        self.print_button = self._button(bar, "previewPrintButton", tr("Print…"))
        self.export_button = self._button(bar, "previewExportButton", tr("Export PDF…"))
        self.close_button = self._button(bar, "closePreviewButton", tr("Close"))
        layout.addLayout(bar)
        self.scroll = QScrollArea(d)
        self.scroll.setObjectName("previewPages")
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_widget = QWidget()
        self.pages_widget.setStyleSheet("background: #7f8c8d;")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setSpacing(16)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setWidget(self.pages_widget)
        layout.addWidget(self.scroll, 1)

        self.zoom_in.clicked.connect(lambda: self.step_zoom(+1))
        self.zoom_out.clicked.connect(lambda: self.step_zoom(-1))
        self.print_button.clicked.connect(self.choose_printer_and_print)
        self.export_button.clicked.connect(lambda: self.export())
        self.close_button.clicked.connect(d.reject)
        self.page_labels: list[QLabel] = []
        self._set_busy(True)
        self._show_zoom()
        self.start_render()

    def _button(self, bar: QHBoxLayout, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self.dialog)
        button.setObjectName(name)
        button.setMinimumHeight(36)
        bar.addWidget(button)
        return button

    def _set_busy(self, busy: bool) -> None:
        for b in (self.print_button, self.zoom_in, self.zoom_out):
            b.setEnabled(not busy)

    # -- pages -----------------------------------------------------------------------------

    def start_render(self) -> None:
        ratio = self.dialog.devicePixelRatioF() or 1.0
        self.task = workers.Task(render_pages_job, self.pdf, PREVIEW_DPI * ratio)
        self.task.signals.progress.connect(
            lambda done, total, _m: self.status.setText(
                tr("Preparing page %1 of %2…").replace("%1", str(done + 1))
                .replace("%2", str(total))))
        self.task.signals.partial.connect(self._page_arrived)
        self.task.signals.finished.connect(self._pages_ready)
        self.task.signals.failed.connect(self._failed)
        workers.start(self.task, reader=True)

    def _page_label(self, n: int) -> QLabel:
        while len(self.page_labels) <= n:
            label = QLabel(self.pages_widget)
            label.setObjectName(f"previewPage_{len(self.page_labels) + 1}")
            label.setStyleSheet("background: white;")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        return self.page_labels[n]

    def _page_arrived(self, page: tuple[int, QImage]) -> None:
        """One page is drawn: show it now, at the current zoom (zooming waits for all)."""
        n, image = page
        self._set_pixmap(self._page_label(n), image)

    def _pages_ready(self, images: list[QImage]) -> None:
        self.task = None
        self.images = images
        for n, image in enumerate(images):
            label = self._page_label(n)
            if label.pixmap().isNull():     # its partial signal has not been handled
                self._set_pixmap(label, image)
        self._show_zoom()
        self.status.setText(tr("%1 pages").replace("%1", str(len(images))))
        self._set_busy(False)

    def _failed(self, message: str) -> None:
        self.task = None
        self.status.setText(tr("The preview could not be made"))
        QMessageBox.warning(self.dialog, tr("The preview could not be made"), message)

    def step_zoom(self, direction: int) -> None:
        steps = list(ZOOM_STEPS)
        i = min(range(len(steps)), key=lambda k: abs(steps[k] - self.zoom))
        self.zoom = steps[max(0, min(len(steps) - 1, i + direction))]
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        for label, image in zip(self.page_labels, self.images, strict=True):
            self._set_pixmap(label, image)
        self._show_zoom()

    def _set_pixmap(self, label: QLabel, image: QImage) -> None:
        ratio = self.dialog.devicePixelRatioF() or 1.0
        if self.zoom == 1.0:
            pixmap = QPixmap.fromImage(image)       # drawn at the preview's size already
        else:
            pixmap = QPixmap.fromImage(image.scaledToWidth(
                int(image.width() * self.zoom), Qt.TransformationMode.SmoothTransformation))
        pixmap.setDevicePixelRatio(ratio)
        label.setPixmap(pixmap)
        label.setFixedSize(pixmap.deviceIndependentSize().toSize())

    def _show_zoom(self) -> None:
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")
        self.zoom_in.setEnabled(bool(self.images) and self.zoom < ZOOM_STEPS[-1])
        self.zoom_out.setEnabled(bool(self.images) and self.zoom > ZOOM_STEPS[0])

    # -- print and export ------------------------------------------------------------------

    def choose_printer_and_print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self.printer.setDocName(self.default_name)
        chooser = QPrintDialog(self.printer, self.dialog)
        chooser.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_on(self.printer)

    def print_on(self, printer) -> workers.Task:
        """Send the pages to ``printer`` (already configured) on a worker thread."""
        self.print_button.setEnabled(False)
        self.status.setText(tr("Printing…"))
        self.print_task = workers.Task(print_job, printer, self.pdf)
        self.print_task.signals.progress.connect(
            lambda done, total, _m: self.status.setText(
                tr("Printing page %1 of %2…").replace("%1", str(done + 1))
                .replace("%2", str(total))))
        self.print_task.signals.finished.connect(self._printed)
        self.print_task.signals.failed.connect(self._print_failed)
        workers.start(self.print_task)
        return self.print_task

    def _printed(self, sheets: int) -> None:
        self.print_task = None
        self.print_button.setEnabled(True)
        self.status.setText(tr("Sent %1 pages to the printer").replace("%1", str(sheets)))
        self.printed.emit(sheets)

    def _print_failed(self, message: str) -> None:
        self.print_task = None
        self.print_button.setEnabled(True)
        self.status.setText(tr("Printing failed"))
        QMessageBox.warning(self.dialog, tr("Printing failed"), message)

    def export(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.dialog, tr("Export PDF"),
                                                  self.default_name, tr("PDF files (*.pdf)"))
        if not path:
            return False
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as exc:
            QMessageBox.warning(self.dialog, tr("Export PDF"),
                                tr("The file could not be written: %1").replace("%1", str(exc)))
            return False
        self.status.setText(tr("Saved %1").replace("%1", Path(path).name))
        return True

    def run(self) -> None:
        self.dialog.exec()
