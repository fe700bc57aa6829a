"""Findings and corrective actions (ข้อบกพร่อง / คำสั่งให้แก้ไข): one card per finding.

Each field saves through ``update_finding`` as it changes (autosave). The deadline is a
Buddhist-era date field that also takes the period an order states (``ภายใน 30 วัน``),
counted from the day of the inspection; a new finding from a failed item takes the item's label, legal
basis, standard order and deadline from the template.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.templates import Template
from fieldapp.core.thaidate import to_local
from fieldapp.gui.i18n import tr
from fieldapp.gui.thai_date_edit import ThaiDateEdit
from fieldapp.store.db import Store
from fieldapp.store.inspections import (
    FINDING_STATUSES,
    add_finding,
    children,
    get_inspection,
    remove_finding,
    update_finding,
)


def status_label(status: str) -> str:
    return {"open": tr("Open"), "in_progress": tr("In progress"), "resolved": tr("Resolved"),
            "cancelled": tr("Cancelled")}[status]


class FindingCard(QFrame):
    """Edits one finding; every field autosaves."""

    removed = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, row: dict, item_label: str, start: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.finding_id = store, row["id"]
        self.setObjectName(f"finding_{row['id']}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(self)
        if item_label:
            form.addRow(tr("Item"), QLabel(item_label, self))
        self.description = QPlainTextEdit(row["description"], self)
        self.description.setObjectName("findingDescription")
        self.description.setFixedHeight(64)
        self.legal_basis = QLineEdit(row.get("legal_basis") or "", self)
        self.legal_basis.setObjectName("findingLegalBasis")
        self.order = QPlainTextEdit(row.get("order_text") or "", self)
        self.order.setObjectName("findingOrder")
        self.order.setFixedHeight(64)
        for text in (self.description, self.order):
            # Tab goes on to the next field, as in every other field of the record: a tab
            # character in a finding's text only misaligns the printed form.
            text.setTabChangesFocus(True)
        self.deadline = ThaiDateEdit(self)
        self.deadline.setObjectName("findingDeadline")
        self.deadline.set_period_start(start)
        self.deadline.edit.setPlaceholderText(tr("e.g. 21/12/2566 or within 30 days"))
        self.deadline.set_value(row.get("deadline"))
        self.status = QComboBox(self)
        self.status.setObjectName("findingStatus")
        for status in FINDING_STATUSES:
            self.status.addItem(status_label(status), status)
        self.status.setCurrentIndex(FINDING_STATUSES.index(row["status"]))
        self.remove_button = QPushButton(tr("Remove finding"), self)
        self.remove_button.setObjectName("removeFindingButton")
        form.addRow(tr("Description"), self.description)
        form.addRow(tr("Legal basis"), self.legal_basis)
        form.addRow(tr("Corrective order"), self.order)
        form.addRow(tr("Deadline"), self.deadline)
        form.addRow(tr("Status"), self.status)
        form.addRow("", self.remove_button)
        self.description.textChanged.connect(
            lambda: self._save(description=self.description.toPlainText()))
        self.legal_basis.textEdited.connect(lambda t: self._save(legal_basis=t or None))
        self.order.textChanged.connect(lambda: self._save(order_text=self.order.toPlainText()
                                                          or None))
        self.deadline.dateChanged.connect(lambda v: self._save(deadline=v))
        self.status.currentIndexChanged.connect(
            lambda _i: self._save(status=self.status.currentData()))
        self.remove_button.clicked.connect(self._remove)

    def _save(self, **fields) -> None:
        if "description" in fields and not fields["description"].strip():
            self.description.setToolTip(tr("A finding needs a description"))
            return   # keep the last good description stored; the field shows what is typed
        try:
            update_finding(self.store, self.finding_id, **fields)
        except Exception as exc:
            self.failed.emit(str(exc))

    def description_text(self, limit: int = 40) -> str:
        text = " ".join(self.description.toPlainText().split())
        return text if len(text) <= limit else text[:limit - 1] + "…"

    def unsaved_deadline(self) -> str | None:
        """The deadline as typed when it is no date (so not stored), else None."""
        return self.deadline.edit.text().strip() if self.deadline.unparsed() else None

    def _remove(self) -> None:
        # A finding carries an order to the factory, and removing it is not in the undo
        # history: asked first.
        answer = QMessageBox.question(
            self, tr("Remove finding"), tr("Remove this finding and its corrective order?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        remove_finding(self.store, self.finding_id)
        self.removed.emit(self.finding_id)

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.description, self.order):
            w.setReadOnly(read_only)
        self.legal_basis.setReadOnly(read_only)
        self.deadline.setEnabled(not read_only)
        self.status.setEnabled(not read_only)
        self.remove_button.setVisible(not read_only)


class FindingsView(QScrollArea):
    """All findings of an inspection. objectName ``findingsView``."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, store: Store, inspection_id: str, template: Template, language: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("findingsView")
        self.setWidgetResizable(True)
        self.store, self.inspection_id, self.template = store, inspection_id, template
        self.language = language
        # The day an order's period ("ภายใน 30 วัน") counts from: the inspection's.
        self.start = to_local(get_inspection(store, inspection_id)["started_at"]).date()
        self.read_only = False
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self.add_button = QPushButton(tr("Add finding"), body)
        self.add_button.setObjectName("addFindingButton")
        self.add_button.clicked.connect(lambda: self.add(None))
        self._layout.addWidget(self.add_button)
        self._layout.addStretch(1)
        self.setWidget(body)
        self.cards: list[FindingCard] = []
        self.reload()

    def reload(self) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for row in children(self.store, "findings", self.inspection_id):
            item = self.template.item(row["item_id"]) if row["item_id"] else None
            card = FindingCard(self.store, row, item.name(self._lang()) if item else "",
                               self.start, self.widget())
            card.removed.connect(lambda _id: (self.reload(), self.changed.emit()))
            card.failed.connect(self.failed)
            card.set_read_only(self.read_only)
            self._layout.insertWidget(self._layout.count() - 1, card)
            self.cards.append(card)

    def _lang(self) -> str:
        return self.language if self.language in ("th", "en") else "th"

    def add(self, item_id: str | None) -> dict:
        """A new finding, pre-filled from the failed item when one is given."""
        item = self.template.item(item_id) if item_id else None
        deadline = None
        if item and item.deadline_days:
            deadline = (self.start + timedelta(days=item.deadline_days)).isoformat()
        row = add_finding(
            self.store, self.inspection_id,
            description=(item.name("th") if item else tr("New finding")),
            item_id=item_id, legal_basis=item.legal_basis if item else None,
            order_text=item.order_text if item else None, deadline=deadline)
        self.reload()
        self.changed.emit()
        # Its description ready to be typed over: the pre-filled words are a start, and
        # typing after them ran on ("...คลองข้อบกพร่องใหม่").
        card = next((c for c in self.cards if c.finding_id == row["id"]), None)
        if card is not None:
            card.description.setFocus()
            card.description.selectAll()
        return row

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setVisible(not read_only)
        for card in self.cards:
            card.set_read_only(read_only)
