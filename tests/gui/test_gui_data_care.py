"""First run, demo banner and removal, backup and restore from the menu, portable settings.

The session closes every Store, runs the job on a worker and reopens the window; message
boxes are recorded instead of shown."""

from __future__ import annotations

import zipfile

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QCheckBox, QFrame, QLineEdit, QMessageBox, QPushButton  # noqa: E402

from fieldapp.gui.main.session import Session  # noqa: E402
from fieldapp.gui.settings import Settings, settings_file  # noqa: E402
from fieldapp.gui.setup.first_run import FirstRunDialog  # noqa: E402
from fieldapp.gui.setup.first_run_choice import first_run_choice  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.demo_removal import is_demo, load_marked_demo  # noqa: E402
from fieldapp.store.inspections import create_inspection, list_inspections  # noqa: E402
from fieldapp.store.templates import install_bundled_templates, latest_published  # noqa: E402


@pytest.fixture
def said(monkeypatch):
    """Message boxes: answered Yes, and their text recorded."""
    messages = []

    def record(kind):
        def box(_parent, _title, text, *a, **k):
            messages.append((kind, text))
            return QMessageBox.StandardButton.Yes
        return box

    for kind in ("information", "warning", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return messages


def demo_database(folder, factories=15):
    db = folder / "fieldapp.db"
    with open_store(db) as store:
        install_bundled_templates(store)
        load_marked_demo(store, factories=factories)
    return db


@pytest.fixture
def session(tmp_path, qtbot):
    made = []

    def start(db):
        s = Session(Settings(tmp_path / "s.ini"), db, auto_sync=False)
        s.open()
        made.append(s)
        return s

    yield start
    for s in made:      # windows replaced by a swap are deleted by the session itself
        s.shutdown()
        s.main.window.close()
        s.main.window.deleteLater()


def wait_reopened(qtbot, session):
    windows = []
    session.reopened.connect(windows.append)
    qtbot.waitUntil(lambda: bool(windows), timeout=60000)
    return windows[0]


def test_demo_banner_and_remove_demo_data_in_one_action(tmp_path, qtbot, session, said):
    db = demo_database(tmp_path)
    s = session(db)
    banner = s.main.window.findChild(QFrame, "demoBanner")
    assert banner.isVisibleTo(s.main.window)
    assert s.main.window.findChild(QPushButton, "removeDemoButton") is not None
    qtbot.mouseClick(s.main.window.findChild(QPushButton, "removeDemoButton"),
                     Qt.MouseButton.LeftButton)
    main = wait_reopened(qtbot, s)
    assert ("question", said[0][1]) in said and "copy" in said[0][1]
    assert said[-1][0] == "information" and "demo-removed-" in said[-1][1]
    assert not main.window.findChild(QFrame, "demoBanner") \
        .isVisibleTo(main.window)
    assert not is_demo(s.store) and list_inspections(s.store) == []
    kept = list(tmp_path.glob("demo-removed-*/fieldapp.db"))
    assert len(kept) == 1
    with open_store(kept[0]) as old:
        assert is_demo(old) and list_inspections(old)


def test_remove_demo_refuses_when_real_work_exists(tmp_path, qtbot, session, said):
    db = demo_database(tmp_path)
    with open_store(db) as store:
        factory = store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        real = create_inspection(store, factory_id=factory,
                                 template_version_id=latest_published(store, "env-general")
                                 .version_id)
    s = session(db)
    s.main.data_care.remove_demo(confirm=False)
    main = wait_reopened(qtbot, s)
    assert said[-1][0] == "warning" and "nothing was removed" in said[-1][1]
    assert main.store is s.store and is_demo(s.store)
    assert real["id"] in [r["id"] for r in list_inspections(s.store)]
    assert not list(tmp_path.glob("demo-removed-*"))


def test_backup_then_restore_from_the_menu(tmp_path, qtbot, session, said):
    db = demo_database(tmp_path / "data")
    s = session(db)
    target = tmp_path / "backup.zip"
    done = []
    s.main.data_care.backedUp.connect(done.append)
    task = s.main.data_care.backup(str(target))
    assert task is not None
    qtbot.waitUntil(lambda: bool(done), timeout=60000)
    assert zipfile.ZipFile(target).read("manifest.json")
    before = {r["id"] for r in list_inspections(s.store)}
    assert done[0]["inspections"] == len(before)
    assert "Backup saved" in said[-1][1]
    # Work done after the backup ...
    factory = s.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
    later = create_inspection(s.store, factory_id=factory,
                              template_version_id=latest_published(s.store, "env-general")
                              .version_id)
    # ... is replaced by the backup's state, and the replaced database is kept beside it.
    s.main.data_care.restore(str(target), confirm=False)
    main = wait_reopened(qtbot, s)
    assert "Restored" in said[-1][1]
    after = {r["id"] for r in list_inspections(main.store)}
    assert after == before and later["id"] not in after
    kept = list((tmp_path / "data").glob("fieldapp.db.before-restore-*"))
    assert len(kept) == 1


def test_restore_of_a_file_that_is_not_a_backup_is_refused_in_words(tmp_path, qtbot,
                                                                     session, said):
    db = demo_database(tmp_path)
    s = session(db)
    bad = tmp_path / "holiday-photos.zip"
    bad.write_bytes(b"not a zip")
    s.main.data_care.restore(str(bad), confirm=False)
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert said[-1][0] == "warning" and "not a FieldApp backup" in said[-1][1]
    assert s.main.store is s.store and list_inspections(s.store)   # nothing happened


def test_first_run_dialog_stores_answers_and_offers_demo(tmp_path, qtbot):
    settings = Settings(tmp_path / "s.ini")
    assert first_run_choice(settings, {}).ask
    assert first_run_choice(settings, {"FIELDAPP_DEMO": "1"}).demo
    assert not first_run_choice(settings, {"FIELDAPP_DEMO": "0"}).ask
    dialog = FirstRunDialog(settings, tmp_path, offer_demo=True)
    qtbot.addWidget(dialog.dialog)
    d = dialog.dialog
    assert d.findChild(QCheckBox, "firstRunDemo").isChecked()    # preselected
    d.findChild(QLineEdit, "firstRunName").setText("นางสาวอรทัย ตรวจดี")
    d.findChild(QLineEdit, "firstRunPosition").setText("นักวิชาการอุตสาหกรรมปฏิบัติการ")
    d.findChild(QLineEdit, "firstRunOffice").setText("สำนักงานอุตสาหกรรมจังหวัดนครปฐม")
    qtbot.mouseClick(d.findChild(QPushButton, "startButton"), Qt.MouseButton.LeftButton)
    assert d.result() == 1
    again = Settings(tmp_path / "s.ini")
    assert again.get("inspector/name") == "นางสาวอรทัย ตรวจดี"
    assert again.get("office/name") == "สำนักงานอุตสาหกรรมจังหวัดนครปฐม"
    assert again.get("setup/done") is True
    assert not first_run_choice(again, {}).ask
    # A developer's first look: Enter alone starts with the preselected demo data.
    quick = FirstRunDialog(Settings(tmp_path / "v.ini"), tmp_path, offer_demo=True)
    qtbot.addWidget(quick.dialog)
    quick.dialog.show()
    qtbot.keyClick(quick.dialog.findChild(QLineEdit, "firstRunName"), Qt.Key.Key_Return)
    assert quick.dialog.result() == 1 and quick.demo.isChecked()
    # Closed without answering (Esc): nothing loaded, asked again next time.
    closing = FirstRunDialog(Settings(tmp_path / "u.ini"), tmp_path, offer_demo=True)
    qtbot.addWidget(closing.dialog)
    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, closing.dialog.reject)
    assert closing.run() is False
    assert first_run_choice(Settings(tmp_path / "u.ini"), {}).ask
    # A database that already holds data is not offered demo data.
    other = FirstRunDialog(Settings(tmp_path / "t.ini"), tmp_path, offer_demo=False)
    qtbot.addWidget(other.dialog)
    assert other.dialog.findChild(QCheckBox, "firstRunDemo").isHidden()


def test_settings_live_in_the_data_folder_when_it_is_overridden(tmp_path, monkeypatch):
    monkeypatch.delenv("FIELDAPP_SETTINGS", raising=False)
    monkeypatch.delenv("FIELDAPP_HOME", raising=False)
    assert settings_file() is None                 # the platform's usual place
    monkeypatch.setenv("FIELDAPP_HOME", str(tmp_path / "usb"))
    assert settings_file() == tmp_path / "usb" / "settings.ini"
    settings = Settings(settings_file())
    settings.set("inspector/name", "ผู้ตรวจ")
    settings.sync()
    assert (tmp_path / "usb" / "settings.ini").exists()
    monkeypatch.setenv("FIELDAPP_SETTINGS", str(tmp_path / "x.ini"))
    assert settings_file() == tmp_path / "x.ini"


def test_database_is_not_replaced_while_a_worker_may_hold_it(tmp_path, qtbot, session, said):
    import threading

    from fieldapp.gui import workers
    db = demo_database(tmp_path)
    s = session(db)
    release = threading.Event()
    busy = workers.start(workers.Task(lambda ctx: release.wait(30)))
    s.main.data_care.remove_demo(confirm=False)
    assert said[-1][0] == "information" and "background" in said[-1][1]
    assert db.exists() and s.store is not None and is_demo(s.store)   # nothing closed/moved
    release.set()
    qtbot.waitUntil(lambda: busy.done.is_set(), timeout=5000)
    s.main.data_care.remove_demo(confirm=False)
    wait_reopened(qtbot, s)
    assert not is_demo(s.store)
