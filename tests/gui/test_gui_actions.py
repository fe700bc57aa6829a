"""Window actions beyond the journey: settings dialog, export PDF on a worker, registry
import job with progress, the sync-status indicator."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_world import populate  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton  # noqa: E402

from fieldapp.gui import workers  # noqa: E402
from fieldapp.gui.inspection.inspection_editor import InspectionEditor  # noqa: E402
from fieldapp.gui.main.import_dialog import import_job  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.gui.setup.settings_dialog import SettingsDialog  # noqa: E402
from fieldapp.gui.sync.sync_status import SyncStatus  # noqa: E402
from fieldapp.store.inspections import create_inspection, set_answer  # noqa: E402
from fieldapp.store.search import count_factories  # noqa: E402


def test_settings_dialog_saves_what_was_typed(tmp_path, qtbot):
    settings = Settings(tmp_path / "s.ini")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog.dialog)
    d = dialog.dialog
    d.findChild(QLineEdit, "inspectorName").setText("นายสมชาย ใจดี")
    d.findChild(QLineEdit, "inspectorPosition").setText("นักวิชาการอุตสาหกรรมชำนาญการ")
    d.findChild(QLineEdit, "officeName").setText("สำนักงานอุตสาหกรรมจังหวัดนครปฐม")
    d.findChild(QLineEdit, "serverAddress").setText("https://office.example:8765")
    language = d.findChild(QComboBox, "languageChooser")
    language.setCurrentIndex(language.findData("en"))
    qtbot.mouseClick(d.findChild(QPushButton, "saveSettingsButton"), Qt.MouseButton.LeftButton)
    again = Settings(tmp_path / "s.ini")
    assert again.get("inspector/name") == "นายสมชาย ใจดี"
    assert again.get("inspector/position") == "นักวิชาการอุตสาหกรรมชำนาญการ"
    assert again.get("office/name") == "สำนักงานอุตสาหกรรมจังหวัดนครปฐม"
    assert again.get("sync/server") == "https://office.example:8765"
    assert again.get("ui/language") == "en"


def test_export_pdf_runs_on_a_worker(store, tmp_path, qtbot):
    ids = populate(store)
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    editor = InspectionEditor(store, Settings(tmp_path / "s.ini"), row["id"])
    qtbot.addWidget(editor)
    export = editor.findChild(QPushButton, "exportPdfButton")
    assert export.isEnabled(), export.toolTip()
    target = tmp_path / "record.pdf"
    editor.print_export.export_pdf(str(target))
    assert not export.isEnabled()            # one render at a time, UI stays live meanwhile
    qtbot.waitUntil(lambda: target.exists() and export.isEnabled(), timeout=60000)
    assert target.read_bytes()[:5] == b"%PDF-"


def test_the_export_button_asks_where_and_writes_the_pdf(store, tmp_path, qtbot,
                                                        monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    ids = populate(store)
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    editor = InspectionEditor(store, Settings(tmp_path / "s.ini"), row["id"])
    qtbot.addWidget(editor)
    target = tmp_path / "chosen.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    export = editor.findChild(QPushButton, "exportPdfButton")
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and export.isEnabled(), timeout=60000)
    assert target.read_bytes()[:5] == b"%PDF-"


def test_registry_import_job_reports_progress(tmp_path, shared_data):
    db = tmp_path / "f.db"
    progress = []
    signals = workers.TaskSignals()
    signals.progress.connect(lambda done, total, _m: progress.append((done, total)))
    counts = import_job(workers.TaskContext(signals), db,
                        str(shared_data / "diw_factory_data_sample.csv"))
    assert counts == {"imported": 49, "updated": 0, "unchanged": 0, "rejected": 0,
                      "rejected_lines": [], "cancelled": False, "failed": None,
                      "committed": 49, "committed_line": 50, "lines": 50}
    from fieldapp.gui.main.import_dialog import summary_text
    assert summary_text(counts) == "Imported 49, updated 0, unchanged 0, rejected 0"
    damaged = import_job(workers.TaskContext(signals), db,
                         str(shared_data / "diw_factory_data_damaged.csv"))
    assert damaged["rejected"] == len(damaged["rejected_lines"]) > 0
    said = summary_text(damaged, "th").splitlines()
    assert len(said) == 1 + damaged["rejected"]
    line, reason = damaged["rejected_lines"][0]
    assert said[1].startswith(f"Line {line}: ") and "(" not in said[1], said[1]
    assert progress and progress[-1][0] == progress[-1][1]
    from fieldapp.store.db import open_store
    with open_store(db) as store:
        assert count_factories(store, "") == 49


@pytest.mark.parametrize("language", ["en", "th"])
def test_an_unknown_layout_is_explained_in_the_windows_terms(tmp_path, qtbot, language):
    """The refusal of a file in an unknown layout told the GUI user to use ``--map``, a
    command-line flag a window has no place for, in both languages at once."""
    from PySide6.QtWidgets import QApplication

    from fieldapp.gui.i18n import install_language
    from fieldapp.gui.main.import_dialog import ImportRefused
    path = tmp_path / "office.csv"
    path.write_text("เลขทะเบียน,ชื่อโรงงาน,จังหวัด\n10130000125461,โรงงานทดสอบ,ปทุมธานี\n",
                    encoding="utf-8")
    app = QApplication.instance()
    assert install_language(app, language)
    try:
        with pytest.raises(ImportRefused) as refused:
            import_job(workers.TaskContext(workers.TaskSignals()), tmp_path / "f.db",
                       str(path))
    finally:
        install_language(app, "en")
    said = str(refused.value)
    assert "--map" not in said and "เลขทะเบียน" in said and "FID, FNAME, FPROVNAME" in said
    if language == "en":
        assert "Ask the office" in said and "ไม่รู้จัก" not in said
    else:
        assert "สำนักงาน" in said and "Ask the office" not in said


def test_sync_status_counts_waiting_changes(store, qtbot):
    ids = populate(store)
    status = SyncStatus(store)
    qtbot.addWidget(status)
    before = status.pending()
    qtbot.waitUntil(lambda: f"{before:,}" in status.text())
    assert before > 0
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    set_answer(store, row["id"], "ww.log", result="pass")
    status.refresh()
    assert status.pending() == before + 2
    qtbot.waitUntil(lambda: status.settled)
    assert f"{before + 2:,}" in status.text()
    status.show_state("2024-01-05T03:00:00Z", "ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้")
    qtbot.waitUntil(lambda: status.settled)
    assert "5 มกราคม 2567" in status.text()
    assert "ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้" in status.text()
    assert isinstance(status, QLabel) and status.objectName() == "syncStatus"


def test_sync_status_counts_off_the_ui_thread_and_coalesces(store, qtbot, monkeypatch):
    """The editor refreshes the count after every answer: the counting runs on a worker,
    and refreshes asked for while one count runs become one more count, not many."""
    import threading

    from fieldapp.gui.sync import sync_status
    ids = populate(store)
    counted_on, real = [], sync_status._count_pending

    def count(ctx, path):
        counted_on.append(threading.current_thread() is threading.main_thread())
        return real(ctx, path)
    monkeypatch.setattr(sync_status, "_count_pending", count)
    status = SyncStatus(store)
    qtbot.addWidget(status)
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    for result in ("pass", "fail", "na"):
        set_answer(store, row["id"], "ww.log", result=result)
        status.refresh()                    # while the first count may still run
    qtbot.waitUntil(lambda: status.settled)
    assert f"{status.pending():,}" in status.text()
    assert counted_on and not any(counted_on)       # never on the UI thread
    assert len(counted_on) <= 2                     # the first count and one more


def test_first_run_prepares_templates_and_demo_data(tmp_path):
    from fieldapp.gui.main.session import prepare_job
    from fieldapp.store.db import open_store
    from fieldapp.store.demo_removal import is_demo
    from fieldapp.store.inspections import list_inspections
    from fieldapp.store.templates import list_templates
    db = tmp_path / "fresh.db"
    context = workers.TaskContext(workers.TaskSignals())
    assert prepare_job(context, db, 40) is False         # no demo asked: templates only
    with open_store(db) as store:
        assert {t["key"] for t in list_templates(store)} >= {"env-general"}
        assert count_factories(store, "") == 0
    assert prepare_job(context, db, 40, True) is True    # first run chose demo data
    with open_store(db) as store:
        assert count_factories(store, "") == 40
        assert list_inspections(store)
        assert is_demo(store)
    assert prepare_job(context, db, 40, True) is False   # never twice, never over data


QUIT_DURING_WARM_UP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import fieldapp.gui.app as app_module
started = app_module.start_warm_up
def close_window():   # as the inspector quits: the window's close box (File > Quit)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow):
            widget.close()
def at_once(delay_ms=0):
    task = started(0)
    QTimer.singleShot(30, close_window)   # quit while it imports
    return task
app_module.start_warm_up = at_once
from fieldapp.cli import main
sys.argv = ["fieldapp", "--db", sys.argv[1]]
sys.exit(main())
"""


def test_quitting_during_the_warm_up_ends_cleanly(tmp_path):
    """Quitting right after start printed a traceback ("Signal source has been deleted",
    then "can't register atexit after shutdown"): the warm-up still imported on a worker
    while the interpreter shut down. The app now waits for it at quit."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "FIELDAPP_SETTINGS": str(tmp_path / "s.ini"), "FIELDAPP_DEMO": "0"}
    run = subprocess.run([sys.executable, "-c", QUIT_DURING_WARM_UP, str(tmp_path / "f.db")],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "RuntimeError" not in run.stderr, run.stderr
