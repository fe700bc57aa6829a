"""The modules the first window needs that do not use Qt, imported *before* PySide6.

Why: once PySide6 is loaded, its ``__feature__`` import hook reads the source of every newly
imported module (to see whether it uses PySide6), about a millisecond each on an inspector's
laptop. Imported beforehand, these modules cost only their own import. ``fieldapp`` (cli.py)
imports this module first on the way to the window. tests/gui/test_gui_startup_imports.py fails
when the start-up path begins to import a non-Qt module that is missing here.

This module itself must never import Qt.
"""

from __future__ import annotations

import importlib

STARTUP_MODULES = (
    # standard library used directly by the window's modules
    "argparse", "dataclasses", "datetime", "json", "logging", "os",
    "threading", "traceback",
    # third-party, non-Qt
    "fontpkg_sarabun", "platformdirs",
    # the store and core layers the main window, the search model and the status bar use
    "fieldapp.core.thaidate",
    "fieldapp.store.db",
    "fieldapp.store.factories",
    "fieldapp.store.search",
    "fieldapp.store.sync_meta",
    "fieldapp.core.office_words",
    "fieldapp.store.changes",
    "fieldapp.store.office_loop",
    "fieldapp.store.demo_removal",
    "fieldapp.store.paths",
    # the GUI's own Qt-free modules on the way to the window
    "fieldapp.gui.setup.first_run_choice",
)


def preload() -> None:
    for name in STARTUP_MODULES:
        importlib.import_module(name)
