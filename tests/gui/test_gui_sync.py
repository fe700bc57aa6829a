"""Sync in the window against a real server on 127.0.0.1: the login dialog, Sync now, the
automatic run, the status bar's words when the server is away, and demo data kept home."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

pytest.importorskip("pytestqt")

from gui_world import populate  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton  # noqa: E402
from server_fixtures import (  # noqa: E402
    FACTORIES,
    PASSWORD,
    add_users,
    free_port,
    live_server,
    make_app,
    seed_factories,
)

from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.gui.sync.login_dialog import LoginDialog  # noqa: E402
from fieldapp.gui.sync.sync_status import SyncStatus  # noqa: E402
from fieldapp.gui.sync.sync_worker import SyncController, classify  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.demo_removal import load_marked_demo  # noqa: E402
from fieldapp.store.inspections import create_inspection, set_answer  # noqa: E402
from fieldapp.store.sync_state import get_state, pending_count, set_state  # noqa: E402
from fieldapp.store.templates import install_bundled_templates, latest_published  # noqa: E402
from fieldapp.sync.client import clock_ahead_text  # noqa: E402


@pytest.fixture
def office(server_db, monkeypatch):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    # No desktop keyring under test: the token goes to the 0600 file, as on a bare laptop.
    monkeypatch.setattr("fieldapp.sync.tokens._keyring", lambda: None)
    return make_app(server_db)


def run(qtbot, controller, automatic=False):
    outcomes = []
    controller.finished.connect(outcomes.append)
    assert controller.sync(automatic=automatic) is not None
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60000)
    return outcomes[0]


def log_in(qtbot, store, settings, url, password=PASSWORD):
    dialog = LoginDialog(store, settings)
    qtbot.addWidget(dialog.dialog)
    d = dialog.dialog
    d.findChild(QLineEdit, "loginServer").setText(url)
    d.findChild(QLineEdit, "loginUser").setText("anong")
    d.findChild(QLineEdit, "loginPassword").setText(password)
    qtbot.mouseClick(d.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    return dialog


def test_login_then_sync_now_sends_and_receives(office, tmp_path, qtbot):
    store = open_store(tmp_path / "laptop.db")
    install_bundled_templates(store)
    settings = Settings(tmp_path / "s.ini")
    status = SyncStatus(store)
    qtbot.addWidget(status)
    with live_server(office) as url:
        dialog = log_in(qtbot, store, settings, url, password="wrong password")
        problem = dialog.dialog.findChild(QLabel, "loginProblem")
        qtbot.waitUntil(lambda: dialog.task is None and "…" not in problem.text(),
                        timeout=30000)
        assert "password" in problem.text().lower() and not dialog.dialog.result()
        dialog = log_in(qtbot, store, settings, url)
        qtbot.waitUntil(lambda: dialog.dialog.result() == 1, timeout=30000)
        assert get_state(store, "server_url") == url and settings.get("sync/server") == url
        assert (tmp_path / "sync-token.json").exists()
        assert "wrong" not in (tmp_path / "sync-token.json").read_text()

        controller = SyncController(store.path, status, auto=False)
        outcome = run(qtbot, controller)        # first sync: the province's registry
        assert outcome.ran and outcome.ok and outcome.problem is None, outcome.detail
        assert outcome.pulled >= 2
        factory = store.query("SELECT id FROM factories ORDER BY fid LIMIT 1")[0]["id"]
        template = latest_published(store, "env-general")
        row = create_inspection(store, factory_id=factory,
                                template_version_id=template.version_id)
        set_answer(store, row["id"], "lic.operator_match", result="pass")
        assert pending_count(store) > 0
        outcome = run(qtbot, controller, automatic=True)   # reachable: the automatic run goes
        assert outcome.ran and outcome.ok and outcome.problem is None, outcome.detail
        assert outcome.pushed > 0 and pending_count(store) == 0
        qtbot.waitUntil(lambda: status.settled)      # the count runs on a worker
        assert "Everything is synced" in status.text() and "last sync" in status.text()
        assert status.last_error is None
        controller.stop()
    store.close()


def test_refused_changes_are_counted_and_kept(office, tmp_path, qtbot):
    store = open_store(tmp_path / "laptop.db")
    populate(store)      # factories of provinces this inspector was not granted
    status = SyncStatus(store)
    qtbot.addWidget(status)
    with live_server(office) as url:
        dialog = log_in(qtbot, store, Settings(tmp_path / "s.ini"), url)
        qtbot.waitUntil(lambda: dialog.dialog.result() == 1, timeout=30000)
        outcome = run(qtbot, SyncController(store.path, status, auto=False))
    assert outcome.problem == "rejected" and outcome.rejected > 0
    qtbot.waitUntil(lambda: status.settled)
    assert f"refused {outcome.rejected} changes" in status.text()
    assert "kept on this laptop" in status.text()
    from fieldapp.gui.sync.rejected_dialog import RejectedDialog
    dialog = RejectedDialog(store)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.objectName() == "rejectedChanges" and table.rowCount() == outcome.rejected
    kinds = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert "Factory" in kinds                       # factories outside the granted province
    assert all(table.item(r, 2).text() for r in range(table.rowCount()))   # with a reason
    store.close()


def test_a_laptop_clock_far_ahead_is_said_in_words_and_nothing_is_lost(office, tmp_path,
                                                                        qtbot, monkeypatch):
    store = open_store(tmp_path / "laptop.db")
    install_bundled_templates(store)
    status = SyncStatus(store)
    qtbot.addWidget(status)
    with live_server(office) as url:
        dialog = log_in(qtbot, store, Settings(tmp_path / "s.ini"), url)
        qtbot.waitUntil(lambda: dialog.dialog.result() == 1, timeout=30000)
        controller = SyncController(store.path, status, auto=False)
        assert run(qtbot, controller).ok
        factory = store.query("SELECT id FROM factories ORDER BY fid LIMIT 1")[0]["id"]
        create_inspection(store, factory_id=factory,
                          template_version_id=latest_published(store, "env-general").version_id)
        waiting = pending_count(store)
        # the laptop's date is set two days ahead: what its sync client says it is
        real = time.time_ns
        monkeypatch.setattr("fieldapp.sync.client.time", SimpleNamespace(
            time_ns=lambda: real() + 2 * 86_400 * 10**9, sleep=time.sleep))
        outcome = run(qtbot, controller)
        controller.stop()
    assert outcome.problem == "clock", outcome.detail
    assert "นาฬิกา" in outcome.detail and "2 days ahead" in outcome.detail
    qtbot.waitUntil(lambda: status.settled)
    assert "clock is ahead of the office server" in status.text()
    assert pending_count(store) == waiting
    store.close()


def test_server_away_is_said_in_words_and_nothing_is_lost(office, tmp_path, qtbot):
    store = open_store(tmp_path / "laptop.db")
    ids = populate(store)
    status = SyncStatus(store)
    qtbot.addWidget(status)
    with live_server(office) as url:
        dialog = log_in(qtbot, store, Settings(tmp_path / "s.ini"), url)
        qtbot.waitUntil(lambda: dialog.dialog.result() == 1, timeout=30000)
    # The office server is gone now (same address, nobody listening): point at a dead port
    # too, to cover both a stopped server and a wrong address.
    for dead in (url, f"http://127.0.0.1:{free_port()}"):
        set_state(store, "server_url", dead)
        row = create_inspection(store, factory_id=ids["factories"][1],
                                template_version_id=ids["template_id"])
        waiting = pending_count(store)
        controller = SyncController(store.path, status, auto=False)
        outcome = run(qtbot, controller, automatic=True)
        assert not outcome.ran and outcome.problem == "unreachable"
        qtbot.waitUntil(lambda: status.settled)
        assert "Cannot reach the server" in status.text()
        assert "will sync later" in status.text()
        assert pending_count(store) == waiting and row["id"]
        controller.stop()
    store.close()


def test_not_logged_in_and_demo_data_are_explained(tmp_path, qtbot):
    store = open_store(tmp_path / "laptop.db")
    status = SyncStatus(store)
    qtbot.addWidget(status)
    controller = SyncController(store.path, status, auto=False)
    asked = []
    controller.loginNeeded.connect(lambda: asked.append(1))
    outcome = run(qtbot, controller)
    assert outcome.problem == "not_logged_in" and asked == [1]
    qtbot.waitUntil(lambda: status.settled)
    assert "log in" in status.text()
    load_marked_demo(store, factories=5)
    set_state(store, "server_url", "http://127.0.0.1:9")
    set_state(store, "username", "anong")
    outcome = run(qtbot, SyncController(store.path, status, auto=False))
    assert outcome.problem == "demo" and not outcome.ran
    assert "not sent to the office" in status.text()
    store.close()


def test_finalize_schedules_a_sync_soon(tmp_path, qtbot):
    from fieldapp.gui.main.main_window import MainWindow
    store = open_store(tmp_path / "laptop.db")
    ids = populate(store)
    main = MainWindow(store, Settings(tmp_path / "s.ini"), store.path)
    qtbot.addWidget(main.window)
    controller = SyncController(store.path, main.sync_status, main, auto=False)
    main.attach_sync(controller)
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    main.open_inspection(row["id"])
    assert not controller.soon_timer.isActive()
    main.editor.finalized.emit(row["id"])
    assert controller.soon_timer.isActive() and controller.soon_timer.interval() <= 5000
    controller.stop()
    main.model.shutdown()
    store.close()


@pytest.mark.parametrize("line,kind", [
    ("ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ (server unreachable) — changes are kept", "unreachable"),
    ("ต้องเข้าสู่ระบบก่อน (log in first: token revoked)", "auth"),
    ("please update FieldApp: protocol 1 is no longer served", "update"),
    ("เซิร์ฟเวอร์ปฏิเสธ (server refused): too large", "other"),
    (clock_ahead_text(3 * 86_400_000), "clock"),
])
def test_engine_lines_are_classified_for_people(line, kind):
    assert classify(line) == kind


def test_after_a_restart_the_last_trouble_is_still_said_in_words(tmp_path, qtbot):
    import json
    store = open_store(tmp_path / "laptop.db")
    set_state(store, "last_sync", json.dumps({
        "at": "2026-11-25T02:00:00Z", "ok": False, "summary": "…",
        "error": "ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ (server unreachable) — changes are kept"}))
    status = SyncStatus(store)
    qtbot.addWidget(status)
    qtbot.waitUntil(lambda: "Cannot reach the server" in status.text())
    set_state(store, "last_sync", json.dumps({"at": "x", "ok": True, "summary": "",
                                              "error": None}))
    again = SyncStatus(store)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.settled and bool(again.text()))
    assert "Cannot reach" not in again.text()
    store.close()


def test_plain_http_to_another_machine_needs_a_ticked_box(tmp_path, qtbot, monkeypatch):
    """The dialog warns and waits for the inspector's explicit choice; nothing is sent to
    192.0.2.1 here (the login job is replaced, the decision is the dialog's)."""
    from PySide6.QtWidgets import QCheckBox
    calls = []

    def fake_job(ctx, db_path, server, user, password, insecure=False):
        calls.append((server, insecure))
        return {"username": user, "role": "inspector", "provinces": []}
    monkeypatch.setattr("fieldapp.gui.sync.login_dialog.login_job", fake_job)
    store = open_store(tmp_path / "laptop.db")
    dialog = log_in(qtbot, store, Settings(tmp_path / "s.ini"), "http://192.0.2.1:8765")
    box = dialog.dialog.findChild(QCheckBox, "loginInsecure")
    problem = dialog.dialog.findChild(QLabel, "loginProblem")
    assert dialog.task is None and calls == []
    assert "not encrypted" in problem.text() and not box.isHidden()
    box.setChecked(True)
    qtbot.mouseClick(dialog.dialog.findChild(QPushButton, "loginButton"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.dialog.result() == 1, timeout=30000)
    assert calls == [("http://192.0.2.1:8765", True)]
    # Another address asks again.
    dialog.server.setText("http://192.0.2.2")
    assert not box.isChecked() and box.isHidden()
    store.close()


def test_a_certificate_problem_is_not_called_unreachable():
    from fieldapp.sync.client import CERTIFICATE
    assert classify(CERTIFICATE.format(reason="self-signed certificate")) == "certificate"


def test_a_saved_plain_http_address_asks_for_a_new_login(tmp_path, qtbot):
    store = open_store(tmp_path / "laptop.db")
    status = SyncStatus(store)
    qtbot.addWidget(status)
    set_state(store, "server_url", "http://192.0.2.1:8765")   # saved before logins checked
    set_state(store, "username", "anong")
    for automatic in (True, False):
        outcome = run(qtbot, SyncController(store.path, status, auto=False), automatic)
        assert not outcome.ran and outcome.problem == "auth" and "http://" in outcome.detail
    store.close()
