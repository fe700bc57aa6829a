"""Whether this start asks the first-run questions (setup/first_run.py) and loads demo data.

Apart from the dialog because every start asks, and the dialog's module (its Qt widgets and
Designer layout) is needed only on the very first one (issue 16). Never imports Qt.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fieldapp.gui.settings import Settings


class FirstRunChoice(NamedTuple):
    ask: bool          # show the dialog
    demo: bool         # load demo data (when the database is empty)


def first_run_choice(settings: Settings, environ=None) -> FirstRunChoice:
    """What this start does about the first-run questions and demo data."""
    environ = os.environ if environ is None else environ
    forced = environ.get("FIELDAPP_DEMO")
    if forced in ("0", "1"):
        return FirstRunChoice(ask=False, demo=forced == "1")
    if environ.get("FIELDAPP_EXIT_AFTER_SHOW"):
        return FirstRunChoice(ask=False, demo=False)   # start-up benchmark
    return FirstRunChoice(ask=not settings.get("setup/done"), demo=False)
