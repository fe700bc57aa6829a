"""The signatures tab: who has signed (image, name, role, time) or refused, and "Sign…".

A signature binds to the record's content hash at that moment, so a change after signing
shows here as "changed after signing — sign again" (fieldapp.store.signing checks it too).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui.i18n import tr
from fieldapp.gui.signing.sign_dialog import SignDialog, role_label
from fieldapp.store.blobs import read_blob
from fieldapp.store.db import Store
from fieldapp.store.inspections import children, compute_content_hash

ROLES = ("inspector", "representative")
BUTTON_NAMES = {"inspector": "signInspectorButton", "representative": "signRepresentativeButton"}


class SignaturesPanel(QWidget):
    """One block per signer role, side by side as on the printed form."""

    changed = Signal()

    def __init__(self, store: Store, inspection_id: str, default_inspector: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signaturesPanel")
        self.store, self.inspection_id = store, inspection_id
        self.default_inspector = default_inspector
        self.read_only = False
        layout = QGridLayout(self)
        self.blocks: dict[str, dict] = {}
        for column, role in enumerate(ROLES):
            frame = QFrame(self)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(frame)
            title = QLabel(role_label(role), frame)
            title.setStyleSheet("font-weight: 700;")
            image = QLabel(frame)
            image.setObjectName(f"signatureImage_{role}")
            image.setMinimumSize(QSize(280, 110))
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setStyleSheet("border-bottom: 1px dashed #888;")
            info = QLabel(frame)
            info.setObjectName(f"signatureInfo_{role}")
            info.setWordWrap(True)
            button = QPushButton(tr("Sign…"), frame)
            button.setObjectName(BUTTON_NAMES[role])
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _c=False, r=role: self.sign(r))
            for w in (title, image, info, button):
                box.addWidget(w)
            box.addStretch(1)
            layout.addWidget(frame, 0, column)
            self.blocks[role] = {"image": image, "info": info, "button": button}
        self.refresh()

    def _participant(self, role: str) -> dict | None:
        people = [p for p in children(self.store, "participants", self.inspection_id)
                  if p["role"] == role]
        return people[0] if people else None

    def sign(self, role: str) -> bool:
        person = self._participant(role)
        name = person["name"] if person else (self.default_inspector if role == "inspector"
                                              else "")
        dialog = SignDialog(self.store, self.inspection_id, role, name,
                            person["id"] if person else None, self.window())
        self._open_dialog = dialog      # reachable for tests while it runs
        saved = dialog.run()
        dialog._clock.stop()
        dialog.dialog.deleteLater()
        dialog.deleteLater()
        if saved:
            self.refresh()
            self.changed.emit()
        return saved

    def refresh(self) -> None:
        current = compute_content_hash(self.store, self.inspection_id)
        signatures = {s["signer_role"]: s
                      for s in children(self.store, "signatures", self.inspection_id)}
        attachments = {a["id"]: a for a in children(self.store, "attachments",
                                                    self.inspection_id)}
        for role, block in self.blocks.items():
            sig = signatures.get(role)
            block["image"].clear()
            if sig is None:
                block["info"].setText(tr("Not signed yet"))
            elif sig["refused"]:
                block["info"].setText(
                    tr("%1 refused to sign. Reason: %2. Witness: %3. %4")
                    .replace("%1", sig["signer_name"]).replace("%2", sig["refusal_reason"])
                    .replace("%3", sig["witness_name"])
                    .replace("%4", format_datetime(sig["signed_at"])))
            else:
                att = attachments.get(sig["attachment_id"])
                if att is not None:
                    pixmap = QPixmap()
                    pixmap.loadFromData(read_blob(self.store.blob_dir, att["sha256"]))
                    block["image"].setPixmap(pixmap.scaled(
                        QSize(280, 110), Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation))
                block["info"].setText(f"{sig['signer_name']} · {format_datetime(sig['signed_at'])}")
            if sig is not None and sig["content_hash"] != current:
                block["info"].setText(block["info"].text() + "\n"
                                      + tr("The record changed after signing: sign again"))
            block["button"].setVisible(not self.read_only)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.refresh()
