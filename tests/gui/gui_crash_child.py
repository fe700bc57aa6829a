"""Child process for the GUI crash test: opens the real window on a database, opens an
inspection and answers items by clicking their result buttons, printing each answer after
the click returned (i.e. after autosave said it was done). The parent SIGKILLs it midway.

Usage: python gui_crash_child.py DB SETTINGS INSPECTION_ID
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402

from fieldapp.gui.app import make_application  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402

RESULTS = ("pass", "fail", "na", "not_checked")


def main() -> None:
    db, settings_path, inspection_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = make_application()
    store = open_store(db)
    window = MainWindow(store, Settings(settings_path), db)
    window.show()
    window.open_inspection(inspection_id)
    checklist = window.editor.checklist
    items = [i for i in checklist.order if checklist.items[i].item.type == "result"]
    step = {"n": 0}

    def answer_next() -> None:
        n = step["n"]
        item_id = items[n % len(items)]
        result = RESULTS[(n // len(items)) % 2 * 2]   # pass on the 1st round, na on the 2nd
        button = checklist.findChild(QPushButton, f"result_{item_id}_{result}")
        if not checklist.items[item_id].isHidden():
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            stored = checklist.answers.get(item_id, {}).get("result")
            print(f"ANSWERED {item_id} {stored}", flush=True)
        step["n"] += 1
        QTimer.singleShot(1, answer_next)

    print("READY", flush=True)
    QTimer.singleShot(0, answer_next)
    app.exec()


if __name__ == "__main__":
    main()
