"""Changes the office server refused (Sync menu), with the server's reason.

A refused change is never discarded: it stays on the laptop (fieldapp.store.sync_state keeps
it in the outbox as "rejected") and this list says what it was and why, so the inspector can
ask the office or correct it with an amendment. Read-only; no Qt outside fieldapp/gui.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui.i18n import tr
from fieldapp.store.db import Store
from fieldapp.store.sync_state import rejected_changes


def record_label(table: str) -> str:
    """What kind of record a change was about, in the UI's language."""
    return {"inspections": tr("Inspection"), "answers": tr("Answer"),
            "findings": tr("Finding"), "participants": tr("Participant"),
            "signatures": tr("Signature"), "attachments": tr("Photo or file"),
            "factories": tr("Factory"), "template_versions": tr("Checklist template")}.get(table, table)


class RejectedDialog(QDialog):
    """objectName ``rejectedChangesDialog``; the table is ``rejectedChanges``."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rejectedChangesDialog")
        self.setWindowTitle(tr("Changes the server refused"))
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        rows = rejected_changes(store)
        intro = QLabel(tr("These changes stay on this laptop; nothing was deleted. Ask the "
                          "office about them, or correct the record with an amendment.")
                       if rows else tr("The server has not refused any change."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("rejectedChanges")
        self.table.setHorizontalHeaderLabels([tr("When"), tr("Kind of record"), tr("Reason")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column in (0, 1):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate((format_datetime(row["created_at"]),
                                      record_label(row["table_name"]),
                                      row.get("reason") or "")):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(tr("Close"), self)
        close.setObjectName("closeRejectedButton")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
