"""Words the screens show for the store's codes (an inspection's kind).

Its own module because the main window and the new-inspection dialog both show them, and
the main window opens that dialog: neither may import the other for a word.
"""

from __future__ import annotations

from fieldapp.gui.i18n import tr


def kind_label(kind: str) -> str:
    return {"routine": tr("Routine"), "complaint": tr("Complaint"),
            "follow_up": tr("Follow-up")}.get(kind, kind)
