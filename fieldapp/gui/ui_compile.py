"""Designer layouts compiled to Python: ``ui/<name>.ui`` -> ``fieldapp/gui/layouts/<name>.py``.

Why: building the main window from its .ui file at run time (QUiLoader: import QtUiTools,
parse the XML, create every widget by class name) took ~20 ms of a ~190 ms start; the
compiled layout builds the same widgets in ~8 ms (issue 16). The .ui files stay the source:
edit them in Designer, then run

    python -m fieldapp.gui.ui_compile

which runs ``pyside6-uic`` on each, keeps only the Qt names the layout uses (every other
imported class would be created by PySide6 at import, for nothing) and adds
``create(parent, widget_class)``, which ``fieldapp.gui.resources.load_ui`` calls. tests/gui/test_gui_layouts_fresh.py fails when
a compiled layout no longer matches its .ui file.

Translations are unchanged: the compiled code calls ``QCoreApplication.translate`` with the
.ui class name as context, exactly as QUiLoader did and pyside6-lupdate extracts them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from fieldapp.gui.i18n import tool
from fieldapp.gui.resources import UI_DIR

LAYOUTS_DIR = Path(__file__).resolve().parent / "layouts"
_IMPORT = re.compile(r"from PySide6\.(\w+) import \(([^)]*)\)\n")
_TOP = re.compile(r'<widget class="(\w+)" name="(\w+)">')
_VERSION_LINE = re.compile(r"^## Created by: .*\n", re.MULTILINE)


def compiled_source(ui_file: Path) -> str:
    """The Python module for ``ui_file``: uic's code, trimmed imports, ``create(parent)``."""
    generated = subprocess.run([tool("pyside6-uic"), str(ui_file)], check=True,
                               capture_output=True, text=True).stdout
    # The PySide6 version that wrote the file is not part of what the layout is.
    generated = _VERSION_LINE.sub("", generated)
    base, name = _TOP.search(ui_file.read_text(encoding="utf-8")).groups()
    head, body = generated.split("class Ui_", 1)
    used = set(re.findall(r"\b(Q\w+|Qt)\b", body)) | {base}

    def trim(match: re.Match) -> str:
        names = [n.strip() for n in match.group(2).split(",") if n.strip()]
        if match.group(1) == "QtWidgets" and base not in names:
            names.append(base)
        keep = sorted(n for n in names if n in used)
        return f"from PySide6.{match.group(1)} import {', '.join(keep)}\n" if keep else ""

    head = _IMPORT.sub(trim, head)
    header = (f"# Compiled from ui/{ui_file.name} by `python -m fieldapp.gui.ui_compile`: edit the\n"
              "# .ui file in Designer and compile again, never this file.\n# ruff: noqa\n")
    return (header + head + "class Ui_" + body.rstrip() + "\n\n\n"
            f"def create(parent=None, widget_class={base}):\n"
            f"    \"\"\"A new {base} (or ``widget_class``, a subclass of it) laid out as\n"
            f"    ui/{ui_file.name}.\"\"\"\n"
            f"    widget = widget_class(parent)\n"
            f"    widget._layout = Ui_{name}()\n"
            f"    widget._layout.setupUi(widget)\n"
            f"    return widget\n")


def compile_all(out_dir: Path = LAYOUTS_DIR) -> list[Path]:
    """Compile every ui/*.ui into ``out_dir``; returns the files written."""
    out_dir.mkdir(exist_ok=True)
    init = out_dir / "__init__.py"
    if not init.exists():
        init.write_text('"""Compiled Designer layouts (see fieldapp/gui/ui_compile.py)."""\n')
    written = []
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        target = out_dir / f"{ui_file.stem}.py"
        target.write_text(compiled_source(ui_file), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(path)
    sys.exit(0)
