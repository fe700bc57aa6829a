"""The window must not wear away ``None``.

PySide6 6.12 lost one reference to ``None`` on every Qt call that returns nothing (setText,
setVisible, setFocus). Before Python 3.12 ``None`` is an ordinary object: after some 150
edits in the checklist its count reached zero and the window aborted ("none_dealloc"), every
few minutes of an inspector's work. pyproject.toml keeps such a PySide6 off those Pythons;
this checks whatever is installed."""

from __future__ import annotations

import gc
import sys

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QLabel  # noqa: E402


def test_qt_calls_that_return_nothing_keep_none_alive(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    label.show()
    calls = 2000
    gc.collect()
    before = sys.getrefcount(None)
    for n in range(calls):
        label.setText(str(n))
        label.setVisible(bool(n % 2))
    gc.collect()
    lost = before - sys.getrefcount(None)
    assert lost < calls // 10, f"{lost} references to None lost over {calls} Qt calls"
