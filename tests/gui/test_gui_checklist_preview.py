"""File → Preview a checklist file…: an Excel checklist shown as the inspector will see it,
its mistakes listed by sheet, row and column; answers tried in the preview store nothing.

Set FIELDAPP_SCREENSHOTS=DIR to keep PNGs of the preview (Thai and English) to look at."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pytestqt")

from gui_shots import shot  # noqa: E402
from gui_world import populate  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from PySide6.QtCore import QObject, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
)
from xlsform_workbooks import cell, column_of, row_named, to_bytes  # noqa: E402

from fieldapp.core.templates import load_template  # noqa: E402
from fieldapp.gui.app import install_font  # noqa: E402
from fieldapp.gui.i18n import install_language  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.templates import bundled_template_files  # noqa: E402
from fieldapp.xlsform import write_xlsform  # noqa: E402


@pytest.fixture(params=["th", "en"])
def main(request, tmp_path, qtbot):
    language = request.param
    store = open_store(tmp_path / "fieldapp.db")
    populate(store)
    settings = Settings(tmp_path / "settings.ini")
    settings.set("ui/language", language)
    app = QApplication.instance()
    install_font(app)
    assert install_language(app, language)
    window = MainWindow(store, settings, tmp_path / "fieldapp.db")
    qtbot.addWidget(window.window)
    yield window, language
    window.model.shutdown()
    install_language(app, "en")
    store.close()


def _complaint_workbook():
    path = next(p for p in bundled_template_files() if p.stem == "complaint")
    return load_workbook(io.BytesIO(write_xlsform(load_template(path))))


def _add_odour_section(workbook) -> None:
    survey = workbook["survey"]
    rows = [
        ("begin_group", "odour", "กลิ่นรบกวนบริเวณรั้วโรงงาน", "Odour at the boundary", {}),
        ("decimal", "odour.level", "ค่าความเข้มกลิ่นที่รั้วโรงงาน", "Odour at the fence",
         {"limit_max": 2, "unit": "OU", "requires_note_on_fail": "yes"}),
        ("select_one pass_fail_na", "odour.closed", "ปิดคลุมแหล่งกำเนิดกลิ่นแล้ว",
         "Odour source enclosed", {"required": "yes"}),
        ("select_one pass_fail_na", "odour.scrubber", "ระบบบำบัดกลิ่นทำงานระหว่างตรวจ",
         "Odour scrubber running", {"relevant": "${odour.closed} = 'fail'"}),
        ("image", "odour.photo", "ภาพถ่ายแหล่งกำเนิดกลิ่น", "Photo of the odour source", {}),
        ("end_group", None, None, None, {}),
    ]
    start = survey.max_row + 1
    for offset, (kind, name, th, en, extra) in enumerate(rows):
        cell(survey, start + offset, "type").value = kind
        if name:
            cell(survey, start + offset, "name").value = name
            cell(survey, start + offset, "label::Thai (th)").value = th
            cell(survey, start + offset, "label::English (en)").value = en
        for heading, value in extra.items():
            cell(survey, start + offset, heading).value = value




def test_file_menu_offers_the_preview(main):
    window, language = main
    action = window.window.findChild(QObject, "previewChecklistAction")
    expected = "ดูตัวอย่างแบบตรวจจากไฟล์…" if language == "th" else "Preview a checklist file…"
    assert action.text() == expected


def test_preview_shows_the_checklist_and_tries_answers(main, tmp_path, qtbot):
    window, language = main
    workbook = _complaint_workbook()
    _add_odour_section(workbook)
    path = tmp_path / "complaint-odour.xlsx"
    path.write_bytes(to_bytes(workbook))
    dialog = window.preview_checklist_file(path)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 800)
    assert dialog.findChild(QTableWidget, "previewProblems").isHidden()
    summary = dialog.findChild(QLabel, "previewSummary").text()
    assert "complaint-odour.xlsx" in summary and "33" in summary
    view = dialog.view
    assert view.objectName() == "previewChecklist"
    header = view.findChild(QLabel, "section_odour")
    assert "กลิ่นรบกวนบริเวณรั้วโรงงาน" in header.text() or "Odour at the boundary" in \
        header.text()
    scrubber = view.items["odour.scrubber"]
    assert scrubber.isHidden()
    # The author tries an answer: the conditional item appears, as it will on the laptop.
    fail = view.findChild(QPushButton, "result_odour.closed_fail")
    qtbot.mouseClick(fail, Qt.MouseButton.LeftButton)
    assert not scrubber.isHidden()
    # An over-limit reading is recorded and flagged, never refused.
    value = view.findChild(QLineEdit, "value_odour.level")
    qtbot.keyClicks(value, "3.5")
    assert view.answers["odour.level"]["value"] == "3.5"
    assert view.answers["odour.level"]["exceeded"] == 1
    assert not view.findChild(QLabel, "exceeded_odour.level").isHidden()
    # Nothing reached a database: the preview's store is its own, in memory and empty.
    assert not view.findChild(QObject, "addPhoto_odour.photo").isEnabled()
    assert window.store.query("SELECT COUNT(*) AS n FROM answers")[0]["n"] == 0
    view.ensureWidgetVisible(scrubber)
    shot(dialog, "checklist-preview", language)


def test_preview_lists_mistakes_by_cell_and_reads_the_file_again(main, tmp_path, qtbot):
    window, language = main
    workbook = _complaint_workbook()
    survey = workbook["survey"]
    survey.cell(row=1, column=column_of(survey, "relevant"), value="relevent")
    row = row_named(survey, "o.noise_leq")
    cell(survey, row, "limit_max").value = "70 dB"
    path = tmp_path / "complaint-draft.xlsx"
    path.write_bytes(to_bytes(workbook))
    dialog = window.preview_checklist_file(path)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 600)
    table = dialog.findChild(QTableWidget, "previewProblems")
    assert not table.isHidden() and table.rowCount() == 2
    assert dialog.view is None
    cells = {(table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text())
             for r in range(table.rowCount())}
    relevant_letter = survey.cell(row=1, column=column_of(survey, "relevent")).column_letter
    limit_letter = survey.cell(row=1, column=column_of(survey, "limit_max")).column_letter
    assert cells == {("survey", "1", f"{relevant_letter} (relevent)"),
                     ("survey", str(row), f"{limit_letter} (limit_max)")}
    message = table.item(0, 3).text()
    assert ("ไม่รู้จักคอลัมน์" in message) if language == "th" else ("unknown column" in message)
    shot(dialog, "checklist-preview-problems", language)

    # The author fixes both cells in Excel, saves, and reads the file again.
    survey.cell(row=1, column=column_of(survey, "relevent"), value="relevant")
    cell(survey, row, "limit_max").value = 70
    path.write_bytes(to_bytes(workbook))
    qtbot.mouseClick(dialog.findChild(QPushButton, "reloadPreviewButton"),
                     Qt.MouseButton.LeftButton)
    assert table.isHidden() and dialog.view is not None
    assert "o.noise_leq" in dialog.view.items
