"""Where the GUI's files live: Designer layouts, translations, icons, the Sarabun font.

Works from a source checkout and from a frozen build (PyInstaller puts ``ui/`` and
``resources/`` beside the package's parent, as in the checkout).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget


def project_root() -> Path:
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


UI_DIR = project_root() / "ui"
TRANSLATIONS_DIR = project_root() / "resources" / "translations"
ICONS_DIR = project_root() / "resources" / "icons"


def load_ui(name: str, parent: QWidget | None = None, widget_class: type | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>.ui`` (Designer file), from its compiled layout;
    the top widget is a ``widget_class`` (a subclass of the .ui's top class) when given.

    ``fieldapp/gui/layouts/<name>.py`` is made from the .ui file by
    ``python -m fieldapp.gui.ui_compile`` (a test checks it is fresh): it builds the same
    widgets as QUiLoader did, in well under half the time and without QtUiTools. Child widgets
    are found by objectName (``findChild``). Strings are translated with the .ui class name as
    context, exactly as pyside6-lupdate extracts them.
    """
    import importlib
    try:
        layout = importlib.import_module(f"fieldapp.gui.layouts.{name}")
    except ModuleNotFoundError as exc:
        raise FileNotFoundError(f"layout missing: {name} (ui/{name}.ui not compiled: run "
                                "python -m fieldapp.gui.ui_compile)") from exc
    if widget_class is None:
        return layout.create(parent)
    return layout.create(parent, widget_class)


def sarabun_files() -> list[Path]:
    """The Sarabun font files shipped by the fontpkg-sarabun package."""
    try:
        import fontpkg_sarabun
    except ImportError:
        return []
    folder = Path(fontpkg_sarabun.ROOT) / "files"
    # The weights the window draws with (bold: font-weight 700; italic: rich text). Each
    # registered file costs start-up time, so no weight nobody uses.
    wanted = ("Regular", "Bold", "Italic")
    return [folder / f"Sarabun-{w}.ttf" for w in wanted if (folder / f"Sarabun-{w}.ttf").exists()]
