"""Screenshots from window tests (FIELDAPP_SCREENSHOTS=DIR), to look at by eye.

A window counts its waiting changes on a worker (gui/sync/sync_status.py). A grab taken as
the count arrives showed the status bar cut to its first characters ("4"): the label held
its new text but not yet the width the status bar's next layout gives it. So a shot waits
for the counts and lets layouts settle first, as a user's eye would.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from fieldapp.gui.sync.sync_status import SyncStatus

SHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")


def settle(ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shot(widget, name: str, language: str) -> None:
    """Save ``widget`` as ``name-language.png`` in FIELDAPP_SCREENSHOTS, if it is set."""
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    window = widget.window()
    deadline = time.monotonic() + 5
    while any(not s.text() for s in window.findChildren(SyncStatus)) \
            and time.monotonic() < deadline:
        settle()
    settle()
    QApplication.processEvents()
    widget.grab().save(os.path.join(SHOTS, f"{name}-{language}.png"))
