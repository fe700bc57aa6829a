"""Autosave under a crash: the app answers items, is SIGKILLed, and every answer it had
reported as done is there when the app starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_world import populate  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402

from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.inspections import answers_by_item, create_inspection  # noqa: E402

CHILD = Path(__file__).with_name("gui_crash_child.py")
NEXT = {"pass": "na", "na": "pass"}   # an item's next answer in gui_crash_child


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [3, 11, 40])
def test_answers_survive_sigkill(tmp_path, qtbot, kill_after):
    db = tmp_path / "fieldapp.db"
    with open_store(db) as store:
        ids = populate(store)
        inspection_id = create_inspection(store, factory_id=ids["factories"][0],
                                          template_version_id=ids["template_id"])["id"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(tmp_path / "s.ini"),
                              inspection_id], stdout=subprocess.PIPE, text=True, env=env)
    reported: dict[str, str] = {}      # the last result the app reported per item
    answers = 0
    deadline = time.monotonic() + 60
    try:
        assert child.stdout.readline().strip() == "READY"
        while answers < kill_after:
            line = child.stdout.readline()
            assert line, "the app stopped before it was killed"
            _word, item_id, result = line.split()
            reported[item_id] = result
            answers += 1
            assert time.monotonic() < deadline, "the app answered too slowly"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    # Answers the app reported before the kill landed, still in the pipe: it went on
    # answering while this test read, and on a busy machine it is a few ahead.
    for line in child.stdout.read().splitlines():
        _word, item_id, result = line.split()
        reported[item_id] = result

    # Restart: the database is sound and every reported answer is stored and shown; one
    # item may hold its next answer (pass, then na: gui_crash_child), stored by the click
    # the kill interrupted before it was reported.
    store = open_store(db)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = answers_by_item(store, inspection_id)
    ahead = [i for i, result in reported.items() if stored[i]["result"] != result]
    assert len(ahead) <= 1, ahead
    assert all(stored[i]["result"] == NEXT[reported[i]] for i in ahead), ahead
    window = MainWindow(store, Settings(tmp_path / "s.ini"), db)
    window.open_inspection(inspection_id)
    for item_id in reported:
        shown = stored[item_id]["result"]
        assert window.editor.findChild(QPushButton, f"result_{item_id}_{shown}").isChecked()
    window.window.close()
    window.window.deleteLater()
    qtbot.wait(10)
    store.close()
