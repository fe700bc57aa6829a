"""The compiled Designer layouts (fieldapp/gui/layouts) match their ui/*.ui files.

The window builds its widgets from the compiled modules (faster than QUiLoader, issue 16), so
a .ui file edited in Designer without compiling again would silently not show. The fix is
``python -m fieldapp.gui.ui_compile``.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from fieldapp.gui.resources import UI_DIR, load_ui  # noqa: E402
from fieldapp.gui.ui_compile import LAYOUTS_DIR, compiled_source  # noqa: E402

UI_FILES = sorted(UI_DIR.glob("*.ui"))


def test_every_ui_file_has_a_compiled_layout():
    compiled = {p.stem for p in LAYOUTS_DIR.glob("*.py")} - {"__init__"}
    assert compiled == {p.stem for p in UI_FILES}, \
        "run python -m fieldapp.gui.ui_compile (a layout is missing or left over)"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.stem)
def test_compiled_layout_is_fresh(ui_file):
    committed = (LAYOUTS_DIR / f"{ui_file.stem}.py").read_text(encoding="utf-8")
    assert committed == compiled_source(ui_file), \
        f"fieldapp/gui/layouts/{ui_file.stem}.py is stale: run python -m fieldapp.gui.ui_compile"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.stem)
def test_layout_builds_every_named_widget_of_the_ui_file(ui_file):
    """Every objectName in the .ui file is found on the built widget (what findChild needs)."""
    import re
    QApplication.instance() or QApplication([])
    widget = load_ui(ui_file.stem)
    try:
        text = ui_file.read_text(encoding="utf-8")
        top = re.search(r'<widget class="\w+" name="(\w+)">', text).group(1)
        names = set(re.findall(r'<(?:widget|action|layout) class="\w+" name="(\w+)"', text))
        names |= set(re.findall(r'<action name="(\w+)"', text))
        found = {w.objectName() for w in widget.findChildren(QWidget)}
        from PySide6.QtCore import QObject
        found |= {o.objectName() for o in widget.findChildren(QObject)}
        assert widget.objectName() == top
        assert names - {top} <= found
    finally:
        widget.deleteLater()
