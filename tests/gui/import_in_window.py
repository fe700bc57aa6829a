"""A registry import run in the window as an inspector runs it, for the tests of what the
window says after one (test_gui_import_failed.py, test_gui_import_stopped.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from fieldapp.gui.i18n import install_language
from fieldapp.gui.main.import_dialog import ImportDialog


def import_in_window(qtbot, monkeypatch, sample: Path, db: Path, language: str,
                     meanwhile: Callable[[QWidget], None] | None = None) -> tuple[str, str, str]:
    """Import ``sample`` into ``db`` through the window in ``language`` (``sample`` picked
    in the file dialog); ``meanwhile(window)`` runs just before the import starts. Returns
    the one message the window showed: (``"information"`` or ``"warning"``, title, text)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(sample), "")))
    said = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(
            lambda _parent, title, text, *a, kind=kind, **k: said.append((kind, title, text))))
    window = QWidget()
    qtbot.addWidget(window)
    app = QApplication.instance()
    assert install_language(app, language)
    try:
        if meanwhile is not None:
            meanwhile(window)
        ImportDialog(db, window, language).run()     # returns when the dialog closes
        qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    finally:
        install_language(app, "en")
    assert len(said) == 1, said
    return said[0]
