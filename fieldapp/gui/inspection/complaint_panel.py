"""The complaint behind a complaint inspection, read-only: when it was received, how, what
about, where, and the photos sent with it.

Nothing about who complained is shown because nothing about them is on the laptop: the
complainant's name and contact stay on the office's server (PDPA, docs/office-loop.md).
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from fieldapp.core.thaidate import format_date
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.followup_view import blob_thumbnails
from fieldapp.gui.labels import problem_label
from fieldapp.store.db import Store


def channel_label(channel: str | None) -> str:
    return {"public": tr("The public"), "network": tr("Environmental-industry network"),
            "line": tr("LINE (Traffy Fondue)"), "gate_qr": tr("QR code at the factory gate"),
            "damrongdham": tr("Damrongdham centre"), "letter": tr("Letter"),
            "phone": tr("Telephone"), "walk_in": tr("In person"),
            "other": tr("Other")}.get(channel or "", channel or "")


class ComplaintPanel(QScrollArea):
    """objectName ``complaintPanel``."""

    def __init__(self, store: Store, complaint: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("complaintPanel")
        self.setWidgetResizable(True)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        rows = [
            (tr("Received"), format_date(complaint["received_on"])
             if complaint.get("received_on") else ""),
            (tr("Channel"), channel_label(complaint.get("channel"))),
            (tr("About"), ", ".join(problem_label(p) for p in complaint["problem_types"])),
            (tr("Place"), complaint.get("place_name") or ""),
            (tr("Reply due"), format_date(complaint["due_on"])
             if complaint.get("due_on") else ""),
        ]
        table = "".join(
            f"<tr><td style='color:#555;padding-right:14px'>{html.escape(k)}</td>"
            f"<td>{html.escape(v)}</td></tr>" for k, v in rows if v)
        description = html.escape(complaint.get("description") or "").replace("\n", "<br>")
        title, reported = tr("The complaint"), tr("What was reported")
        self.summary = QLabel(
            f"<h3>{html.escape(title)}</h3><table>{table}</table>"
            f"<p><b>{html.escape(reported)}</b><br>{description}</p>", body)
        self.summary.setObjectName("complaintSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        images = [f for f in complaint["files"] if (f.get("mime") or "").startswith("image/")]
        if images:
            heading = tr("Photos sent with the complaint")
            layout.addWidget(QLabel(f"<b>{html.escape(heading)}</b>", body))
            layout.addWidget(blob_thumbnails(store, images, body))
        note = QLabel(tr("Who complained is kept at the office and never appears on this "
                         "laptop or on the printed form."), body)
        note.setWordWrap(True)
        note.setStyleSheet("color: #777;")
        layout.addWidget(note)
        layout.addStretch(1)
        self.setWidget(body)
