"""Start-up stays lean: what the first window imports, and in which order.

PySide6's import hook reads the source of every module imported after PySide6 itself, so the
window's non-Qt modules are imported first (fieldapp/gui/preload.py). These tests start the
real window in a child process and fail when that arrangement decays.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    import json, os, sys
    from fieldapp.gui.preload import preload
    preload()
    assert not any(m.startswith("PySide6") for m in sys.modules), "preload imported Qt"
    import PySide6.QtWidgets                 # with what PySide6 itself imports
    before_qt = set(sys.modules)
    from fieldapp.gui import app
    import argparse
    os.environ["FIELDAPP_EXIT_AFTER_SHOW"] = "1"
    app.run_app(argparse.Namespace(db=sys.argv[1]))
    late = sorted(m for m in set(sys.modules) - before_qt
                  if not m.startswith(("PySide6", "shiboken", "fieldapp.gui")))
    print("LATE " + json.dumps(late))
""")



def _start(tmp_path) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "FIELDAPP_SETTINGS": str(tmp_path / "s.ini"), "FIELDAPP_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "f.db")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "interactive-at" in out.stdout
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("LATE "))
    return json.loads(line[5:])


def test_the_window_imports_no_non_qt_module_after_pyside6(tmp_path):
    # Twice: the second start reads what the first one saved (the window's geometry), as
    # every start but the very first does. Pickle was once imported that way (settings.py).
    for start in ("first", "second"):
        late = _start(tmp_path)
        assert late == [], (f"{late} are imported after PySide6 on the way to the {start} "
                            "window: add them to fieldapp/gui/preload.py STARTUP_MODULES, or "
                            "import them later, when they are needed")


# The window started without the preload: which preloaded modules it never imports.
UNNEEDED = textwrap.dedent("""
    import argparse, json, os, sys
    from fieldapp.gui import app
    from fieldapp.gui.preload import STARTUP_MODULES
    os.environ["FIELDAPP_EXIT_AFTER_SHOW"] = "1"
    app.run_app(argparse.Namespace(db=sys.argv[1]))
    print("UNNEEDED " + json.dumps([m for m in STARTUP_MODULES if m not in sys.modules]))
""")


def test_the_preload_holds_only_what_the_window_imports(tmp_path):
    # A preloaded module the window does not need costs its import at every start.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "FIELDAPP_SETTINGS": str(tmp_path / "s.ini"), "FIELDAPP_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", UNNEEDED, str(tmp_path / "f.db")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("UNNEEDED "))
    assert json.loads(line[9:]) == [], "remove these from fieldapp/gui/preload.py"


def test_the_preload_itself_imports_no_qt():
    out = subprocess.run([sys.executable, "-c",
                          "import sys; from fieldapp.gui.preload import preload; preload(); "
                          "print(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
