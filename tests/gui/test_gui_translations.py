"""The Thai UI has no untranslated string.

Three checks that fail on their own: (1) every string the sources mark for translation has a
finished Thai translation in resources/translations/fieldapp_th.ts; (2) the committed .qm is
the compiled form of that .ts; (3) walking every widget of the main window, the inspection
editor and the dialogs in Thai finds no English word (catches strings never passed to tr()).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_world import populate  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from fieldapp.gui.app import install_font  # noqa: E402
from fieldapp.gui.i18n import QM_FILE, TS_FILE, install_language, tool  # noqa: E402
from fieldapp.gui.inspection.new_inspection import NewInspectionDialog  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.printing.print_preview import PrintPreviewDialog  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.gui.setup.first_run import FirstRunDialog  # noqa: E402
from fieldapp.gui.setup.settings_dialog import SettingsDialog  # noqa: E402
from fieldapp.gui.signing.sign_dialog import SignDialog  # noqa: E402
from fieldapp.gui.sync.login_dialog import LoginDialog  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.inspections import create_inspection  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# Latin text that is the same in Thai: the product name, file formats, units, form codes.
ALLOWED = {"FieldApp", "PDF", "mg", "L", "GT", "v", "png", "jpg", "jpeg", "webp", "csv", "xlsx",
           "pdf", "https",
           "English",   # the language chooser names each language in itself
           "demo",      # "ข้อมูลตัวอย่าง (demo)": the word inspectors see in the demo itself
           "ND"}        # what Thai lab reports write for not detected, and what is typed
# A Latin word not glued to digits (record numbers such as 2569/7990739B are data).
ENGLISH_WORD = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]+(?![0-9A-Za-z])")


def test_every_marked_string_has_a_thai_translation(tmp_path):
    ts = tmp_path / "fieldapp_th.ts"
    shutil.copy(TS_FILE, ts)
    sources = sorted(str(p) for p in (ROOT / "fieldapp" / "gui").rglob("*.py"))
    sources += sorted(str(p) for p in (ROOT / "ui").glob("*.ui"))
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(ts)],
                   check=True, capture_output=True)
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation.get("type") in ("unfinished", "vanished", "obsolete") \
                or not (translation.text or "").strip():
            missing.append(message.find("source").text)
    assert missing == [], f"untranslated in {TS_FILE.name}: {missing}"


def test_committed_qm_is_built_from_the_ts(tmp_path):
    built = tmp_path / "fieldapp_th.qm"
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(TS_FILE), "-qm", str(built)],
                   check=True)
    assert built.read_bytes() == QM_FILE.read_bytes(), \
        "fieldapp_th.qm is stale: run pyside6-lrelease resources/translations/fieldapp_th.ts"


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(objectName, text) of every string a person can see on or over ``root``."""
    out = []

    def add(widget, text):
        if text:
            out.append((widget.objectName() or type(widget).__name__, text))

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        add(w, w.windowTitle() if w.isWindow() else "")
        add(w, w.toolTip())
        if isinstance(w, QLabel):
            add(w, re.sub(r"<[^>]+>", " ", w.text()))
        elif isinstance(w, QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, w.tabText(i))
        if isinstance(w, (QTableView, QTableWidget)) and w.model() is not None:
            model = w.model()
            for c in range(model.columnCount()):
                add(w, str(model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt
                                            .Orientation.Horizontal) or ""))
    for menu_action in root.findChildren(__import__("PySide6.QtGui").QtGui.QAction):
        add(root, menu_action.text().replace("&", ""))
    return out


# A draft's record number, e.g. 2569/01A2B3C4 (store/inspections.py): the end of its id in
# hex, which is now and then all letters (2569/FABFDFCE), an identifier and not English.
RECORD_NO = re.compile(r"\b\d{4}/[0-9A-F]{8}\b")


def english_in(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, text) for name, text in texts
            if any(word not in ALLOWED for word in ENGLISH_WORD.findall(RECORD_NO.sub(" ", text)))]


def blank_pdf() -> bytes:
    """A two-page PDF with Thai text, made without the app (ReportLab is a dependency)."""
    import io

    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in (1, 2):
        c.drawString(100, 700, f"page {n}")
        c.showPage()
    c.save()
    return out.getvalue()


def test_no_english_in_the_thai_ui(tmp_path, qtbot):
    app = QApplication.instance()
    install_font(app)
    assert install_language(app, "th")
    try:
        store = open_store(tmp_path / "f.db")
        ids = populate(store)
        settings = Settings(tmp_path / "s.ini")
        main = MainWindow(store, settings, tmp_path / "f.db")
        qtbot.addWidget(main.window)
        main.show()
        qtbot.waitUntil(lambda: main.model.rowCount() == 3, timeout=3000)
        main.table.selectRow(0)
        screens = {"main window": main.window}
        row = create_inspection(store, factory_id=ids["factories"][0],
                                template_version_id=ids["template_id"])
        main.open_inspection(row["id"])
        main.editor.checklist.answer("lic.match", result="fail")   # shows add-finding etc.
        main.editor.findings.add("lic.match")
        screens["editor"] = main.editor
        screens["new inspection"] = NewInspectionDialog(store, settings, ids["factories"][0],
                                                        main.window).dialog
        screens["sign"] = SignDialog(store, row["id"], "representative", "", None,
                                     main.window).dialog
        screens["settings"] = SettingsDialog(settings, main.window).dialog
        screens["first run"] = FirstRunDialog(settings, Path("ข้อมูล"), True,
                                              main.window).dialog
        screens["login"] = LoginDialog(store, settings, main.window).dialog
        main.editor.scans.refresh()
        preview = PrintPreviewDialog(blank_pdf(), "แบบฟอร์มเปล่า", "blank.pdf", main.window)
        qtbot.waitUntil(lambda: bool(preview.images), timeout=30000)
        screens["print preview"] = preview.dialog
        main.refresh_demo_banner()
        from fieldapp.gui.sync.rejected_dialog import RejectedDialog
        screens["refused changes"] = RejectedDialog(store, main.window)
        problems = {name: english_in(visible_texts(w)) for name, w in screens.items()}
        assert all(not p for p in problems.values()), problems
        main.model.shutdown()
        store.close()
    finally:
        install_language(app, "en")


def test_message_box_buttons_are_thai(qtbot):
    """Qt ships no Thai for its standard buttons: every question said "&Yes"/"&No" and
    every notice "OK" on a Thai screen. Ours translates them (fieldapp/gui/qt_words.py)."""
    from PySide6.QtWidgets import QMessageBox
    app = QApplication.instance()
    assert install_language(app, "th")
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "t", "q",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                          | QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        texts = sorted(b.text() for b in box.buttons())
        assert texts == sorted(["ใช่", "ไม่ใช่", "ตกลง", "ยกเลิก"]), texts
    finally:
        install_language(app, "en")
