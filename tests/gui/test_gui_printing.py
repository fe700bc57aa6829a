"""Print preview from the PDF bytes, printing through QPrinter, the blank form, and scans of
the ink-signed paper on a finalized record."""

from __future__ import annotations

import io

import pytest
from PIL import Image

pytest.importorskip("pytestqt")

from gui_world import populate  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QPushButton, QWidget  # noqa: E402

from fieldapp.gui.inspection.inspection_editor import InspectionEditor  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.printing.print_preview import page_count, print_pdf  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.demo_removal import load_marked_demo  # noqa: E402
from fieldapp.store.inspections import (  # noqa: E402
    compute_content_hash,
    create_inspection,
    list_inspections,
)
from fieldapp.store.templates import install_bundled_templates  # noqa: E402


def pdf_printer(path, copies=1):
    from PySide6.QtPrintSupport import QPrinter
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setCopyCount(copies)
    return printer


@pytest.fixture
def editor(store, tmp_path, qtbot):
    ids = populate(store)
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    editor = InspectionEditor(store, Settings(tmp_path / "s.ini"), row["id"])
    qtbot.addWidget(editor)
    return editor


def test_print_button_previews_exactly_the_rendered_pdf(editor, qtbot):
    button = editor.findChild(QPushButton, "printButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()              # rendering on a worker; the UI stays live
    qtbot.waitUntil(lambda: editor.print_export.preview is not None, timeout=60000)
    preview = editor.print_export.preview
    qtbot.waitUntil(lambda: bool(preview.images), timeout=60000)
    pages = page_count(preview.pdf)
    assert len(preview.images) == pages >= 1
    first = preview.dialog.findChild(QLabel, "previewPage_1")
    assert first is not None and not first.pixmap().isNull()
    # The first page is an A4 portrait page of the PDF, not a placeholder.
    assert abs(preview.images[0].height() / preview.images[0].width() - 297 / 210) < 0.01
    width = first.width()
    qtbot.mouseClick(preview.zoom_in, Qt.MouseButton.LeftButton)
    assert first.width() > width
    preview.dialog.close()


def test_printing_draws_every_page_and_each_copy(editor, tmp_path, qtbot):
    from fieldapp.forms.inspection_form import render_inspection_pdf
    pdf = render_inspection_pdf(editor.store, editor.inspection_id)
    pages = page_count(pdf)
    out = tmp_path / "printed.pdf"
    assert print_pdf(pdf_printer(out, copies=2), pdf) == 2 * pages
    assert page_count(out.read_bytes()) == 2 * pages
    # Through the preview: the same job on a worker thread.
    preview = editor.print_export.show_preview(pdf)
    qtbot.waitUntil(lambda: bool(preview.images), timeout=60000)
    out2 = tmp_path / "printed2.pdf"
    sent = []
    preview.printed.connect(sent.append)
    preview.print_on(pdf_printer(out2))
    qtbot.waitUntil(lambda: sent == [pages], timeout=60000)
    assert page_count(out2.read_bytes()) == pages
    assert "%1" not in preview.status.text() and str(pages) in preview.status.text()
    assert "Signed paper" in preview.status.text()          # where the signed scan goes
    # The printed page carries ink where the form has text (not a blank sheet).
    from fieldapp.forms.images import render_pdf_pages
    image = render_pdf_pages(out2.read_bytes(), dpi=30, pages=[0])[0].convert("L")
    assert image.getextrema()[0] < 100


def test_blank_form_from_the_menu_opens_in_the_preview(store, tmp_path, qtbot):
    ids = populate(store)
    main = MainWindow(store, Settings(tmp_path / "s.ini"), store.path)
    qtbot.addWidget(main.window)
    main.print_blank_form(ids["template_id"])
    blank = main.blank_form
    qtbot.waitUntil(lambda: blank.preview is not None and bool(blank.preview.images),
                    timeout=60000)
    assert len(blank.preview.images) == page_count(blank.preview.pdf)
    target = tmp_path / "blank.pdf"
    assert blank.preview.export(str(target))
    assert target.read_bytes() == blank.preview.pdf
    main.model.shutdown()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 560), (240, 240, 230)).save(out, "JPEG")
    return out.getvalue()


def test_scan_of_signed_paper_is_attached_to_a_finalized_record(tmp_path, qtbot):
    db = tmp_path / "demo.db"
    store = open_store(db)
    install_bundled_templates(store)
    load_marked_demo(store, factories=12)
    finalized = list_inspections(store, state="finalized")[0]["id"]
    before = compute_content_hash(store, finalized)
    editor = InspectionEditor(store, Settings(tmp_path / "s.ini"), finalized)
    qtbot.addWidget(editor)
    # Build the whole checklist now: batches left for the event loop would otherwise run
    # after this test closed its store.
    editor.checklist.ensure_built()
    assert not editor.finalize_button.isVisibleTo(editor)       # the read-only view
    assert editor.amend_button.isVisibleTo(editor)
    scans = editor.scans
    assert scans.findChild(QLabel, "noScans").isVisibleTo(scans)
    paper = tmp_path / "signed-paper.jpg"
    paper.write_bytes(jpeg())
    changed = []
    scans.changed.connect(lambda: changed.append(1))
    assert scans.add_files([paper]) == 1
    assert changed == [1]
    rows = scans.scans()
    assert len(rows) == 1 and rows[0]["kind"] == "scan"
    assert rows[0]["caption"] == "signed-paper.jpg"
    tile = scans.findChild(QWidget, f"scan_{rows[0]['id']}")
    assert tile is not None
    assert not scans.findChild(QLabel, "noScans").isVisibleTo(scans)
    assert compute_content_hash(store, finalized) == before   # what was signed is unchanged
    store.close()


def test_thai_digits_setting_reaches_the_printed_form(store, tmp_path):
    import pypdfium2

    from fieldapp.gui.printing.print_export import form_options, render_blank_job
    from fieldapp.gui.workers import TaskContext, TaskSignals
    ids = populate(store)
    settings = Settings(tmp_path / "s.ini")
    texts = {}
    for thai in (False, True):
        settings.set("print/thai_digits", thai)
        pdf = render_blank_job(TaskContext(TaskSignals()), store.path, ids["template_id"],
                               form_options(settings))
        doc = pypdfium2.PdfDocument(pdf)
        texts[thai] = doc[0].get_textpage().get_text_range()
        doc.close()
    assert "๑" in texts[True] and "๑" not in texts[False]
