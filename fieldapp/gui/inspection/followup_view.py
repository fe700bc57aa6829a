"""The follow-up page of a follow-up inspection: one card per corrective order it checks.

Each card shows what the earlier inspection found, the order given, its legal basis and
deadline and the earlier photos (from the blob store, downloaded by sync), and takes the
follow-up's finding: corrected / partly / not corrected, a note and new photos. Every change
is stored at once as the answer ``order:<id>`` (store/office_loop.record_followup) and the
photos as attachments of that item (the checklist's photo strip).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.office_words import FOLLOWUP_RESULTS
from fieldapp.core.thaidate import format_date
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.photos import PhotoStrip
from fieldapp.gui.inspection.thumbnails import thumbnail
from fieldapp.gui.labels import followup_label, one_language
from fieldapp.gui.note_edit import NoteEdit
from fieldapp.store import office_loop
from fieldapp.store.blobs import read_blob
from fieldapp.store.db import Store
from fieldapp.store.inspections import children

RESULT_COLOURS = {"corrected": "#1e7e34", "partly": "#b8860b", "not_corrected": "#c0392b"}


def blob_thumbnails(store: Store, rows: list[dict], parent: QWidget) -> QWidget:
    """A row of thumbnails (with captions) of stored blobs: photos the office sent. A blob
    not downloaded yet shows as a grey box saying so."""
    box = QWidget(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for row in rows:
        tile = QVBoxLayout()
        image = QLabel(box)
        image.setObjectName(f"earlierPhoto_{row['id']}")
        image.setFixedSize(120, 90)
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        try:
            pixmap = thumbnail(read_blob(store.blob_dir, row["sha256"], verify=False))
        except Exception:
            pixmap = None
        if pixmap is not None and not pixmap.isNull():
            image.setPixmap(pixmap)
        else:
            image.setText(tr("Not downloaded yet"))
            image.setWordWrap(True)
            image.setStyleSheet("background: #eee; color: #777;")
        tile.addWidget(image)
        caption = QLabel(row.get("caption") or "", box)
        caption.setWordWrap(True)
        caption.setFixedWidth(120)
        caption.setStyleSheet("color: #555; font-size: 11pt;")
        tile.addWidget(caption)
        layout.addLayout(tile)
    layout.addStretch(1)
    return box


class OrderCard(QFrame):
    """One order: what was ordered, and this follow-up's finding on it."""

    def __init__(self, view: FollowUpView, number: int, order: dict):
        super().__init__(view)
        self.view, self.order_id = view, order["id"]
        self.setObjectName(f"orderCard_{order['id']}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#orderCard_{order['id']} {{ border: 1px solid #c8ccd2; "
                           "border-radius: 6px; background: #fcfcfd; }")
        layout = QVBoxLayout(self)
        word = tr("Order")
        title = QLabel(f"<b>{word} {number}</b> · {_e(order.get('order_text') or '')}", self)
        title.setWordWrap(True)
        layout.addWidget(title)

        facts = QGridLayout()
        facts.setColumnStretch(1, 1)
        rows = [(tr("Earlier finding"), order.get("finding")),
                (tr("Order given"), order.get("order_text")),
                (tr("Legal basis"), order.get("legal_basis")),
                (tr("Deadline"), format_date(order["deadline"]) if order.get("deadline")
                 else None)]
        for r, (label, value) in enumerate(rows):
            name = QLabel(label, self)
            name.setStyleSheet("color: #555;")
            name.setAlignment(Qt.AlignmentFlag.AlignTop)
            text = QLabel(value or "–", self)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addWidget(name, r, 0)
            facts.addWidget(text, r, 1)
        layout.addLayout(facts)
        if order.get("photos"):
            layout.addWidget(QLabel(tr("Photos from the earlier inspection"), self))
            layout.addWidget(blob_thumbnails(view.store, order["photos"], self))
        if not order.get("order_text"):
            missing = QLabel(tr("This order has not reached this laptop yet: sync to see "
                                "what was ordered."), self)
            missing.setStyleSheet("color: #c0392b;")
            missing.setWordWrap(True)
            layout.addWidget(missing)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #ddd;")
        layout.addWidget(line)
        heading = tr("Follow-up finding")
        layout.addWidget(QLabel(f"<b>{heading}</b>", self))
        choices = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for result in FOLLOWUP_RESULTS:
            radio = QRadioButton(followup_label(result), self)
            radio.setObjectName(f"result_{result}_{order['id']}")
            radio.setStyleSheet(f"QRadioButton:checked {{ color: {RESULT_COLOURS[result]}; "
                                "font-weight: 700; }")
            radio.setMinimumHeight(32)
            self.group.addButton(radio)
            self.radios[result] = radio
            choices.addWidget(radio)
        choices.addStretch(1)
        layout.addLayout(choices)
        if order.get("result"):
            self.radios[order["result"]].setChecked(True)
        self.note = NoteEdit((order.get("answer") or {}).get("note") or "", self)
        self.note.setObjectName(f"followupNote_{order['id']}")
        self.note.setPlaceholderText(tr("What was found: what was done, what is still missing"))
        layout.addWidget(self.note)
        self.photos = PhotoStrip(view.store, view.inspection_id, order["item_id"], self)
        layout.addWidget(self.photos)
        self.group.buttonClicked.connect(lambda _b: self.save())
        self.note.textEdited.connect(lambda _t: self.save())   # as typed, as a note is
        self.photos.changed.connect(view.refresh_photos)
        self.photos.changed.connect(view.changed)

    def result(self) -> str | None:
        return next((r for r, radio in self.radios.items() if radio.isChecked()), None)

    def save(self) -> None:
        if self.view.read_only:
            return
        try:
            office_loop.record_followup(self.view.store, self.view.inspection_id,
                                        self.order_id, self.result(), self.note.text())
        except Exception as exc:
            self.view.failed.emit(one_language(str(exc), self.view.language))
            return
        self.view.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        for radio in self.radios.values():
            radio.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        self.photos.set_read_only(read_only)


class FollowUpView(QScrollArea):
    """The cards of a follow-up inspection. objectName ``followUpView``."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, store: Store, inspection_id: str, language: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("followUpView")
        self.store, self.inspection_id, self.language = store, inspection_id, language
        self.read_only = False
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.body = QVBoxLayout(body)
        intro = QLabel(tr("Check each order the office named for this follow-up and record "
                          "what you found. Every order needs a finding before finalizing."),
                       body)
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        self.cards: dict[str, OrderCard] = {}
        orders = office_loop.orders_of(store, inspection_id)
        for number, order in enumerate(orders, start=1):
            card = OrderCard(self, number, order)
            self.cards[order["id"]] = card
            self.body.addWidget(card)
        if not orders:
            none = QLabel(tr("This follow-up names no orders (it was not started from a plan "
                             "of the office); use the checklist."), body)
            none.setWordWrap(True)
            self.body.addWidget(none)
        self.body.addStretch(1)
        self.setWidget(body)
        self.refresh_photos()

    def refresh_photos(self) -> None:
        by_item: dict[str, list[dict]] = {}
        for att in children(self.store, "attachments", self.inspection_id):
            if att["kind"] == "photo" and att["item_id"]:
                by_item.setdefault(att["item_id"], []).append(att)
        for card in self.cards.values():
            card.photos.show_attachments(by_item.get(card.photos.item_id, []))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for card in self.cards.values():
            card.set_read_only(read_only)

    def record(self, order_id: str, result: str, note: str | None = None) -> None:
        """What a click on a result and typing a note do (for tests and shortcuts)."""
        card = self.cards[order_id]
        if note is not None:
            card.note.setText(note)
        card.radios[result].click()


def _e(text: str) -> str:
    import html
    return html.escape(text)
