"""Where the shipped resources (templates, translations, icons) are, in a checkout and in a
frozen app.

In a source checkout (or an editable install) ``resources/`` sits beside the ``fieldapp``
package. PyInstaller unpacks data files under ``sys._MEIPASS``; the spec in build/ copies the
folder there as ``resources``. Only the path is computed here; nothing is read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import fieldapp


def resources_root() -> Path:
    """The ``resources`` folder of this installation."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_base:
        return Path(frozen_base) / "resources"
    return Path(fieldapp.__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside the resources folder, e.g. ``resource_path("templates")``."""
    return resources_root().joinpath(*parts)
