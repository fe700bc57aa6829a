"""Signing: the dialog that captures one signature (or a representative's refusal).

Layout in ui/sign_dialog.ui; the signature pad is placed into its placeholder. Saving calls
``fieldapp.store.signing.sign`` with the cropped transparent PNG, or ``refuse`` with the
reason and witness.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QPushButton, QWidget

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui.i18n import tr, ui_language
from fieldapp.gui.labels import one_language
from fieldapp.gui.resources import load_ui
from fieldapp.gui.signing.signature_pad import SignaturePad
from fieldapp.store.changes import now_iso
from fieldapp.store.db import Store
from fieldapp.store.signing import refuse, sign


def role_label(role: str) -> str:
    return {"inspector": tr("Inspector (competent official)"),
            "representative": tr("Factory representative"), "witness": tr("Witness")}[role]


class SignDialog(QObject):
    """``SignDialog(store, inspection_id, role, name).run()`` -> True when saved."""

    def __init__(self, store: Store, inspection_id: str, role: str, name: str = "",
                 participant_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.inspection_id, self.role = store, inspection_id, role
        self.participant_id = participant_id
        self.dialog: QDialog = load_ui("sign_dialog", parent)
        d = self.dialog
        self.name: QLineEdit = d.findChild(QLineEdit, "signerName")
        self.name.setText(name)
        d.findChild(QLabel, "signerRole").setText(role_label(role))
        self.time_label: QLabel = d.findChild(QLabel, "signTime")
        self.pad = SignaturePad(d.findChild(QWidget, "padPlaceholder"))
        d.findChild(QWidget, "padPlaceholder").layout().addWidget(self.pad)
        self.refuse_check: QCheckBox = d.findChild(QCheckBox, "refuseCheck")
        self.refusal_panel: QWidget = d.findChild(QWidget, "refusalPanel")
        self.reason: QLineEdit = d.findChild(QLineEdit, "refusalReason")
        self.witness: QLineEdit = d.findChild(QLineEdit, "witnessName")
        self.problem: QLabel = d.findChild(QLabel, "signProblem")
        # Only the factory representative can refuse; an inspector always signs.
        self.refuse_check.setVisible(role == "representative")
        self.refusal_panel.setVisible(False)
        self.refuse_check.toggled.connect(self._refusal_toggled)
        d.findChild(QPushButton, "clearSignatureButton").clicked.connect(self.pad.clear)
        d.findChild(QPushButton, "undoStrokeButton").clicked.connect(self.pad.undo_stroke)
        d.findChild(QPushButton, "redoStrokeButton").clicked.connect(self.pad.redo_stroke)
        d.findChild(QPushButton, "cancelSignButton").clicked.connect(d.reject)
        d.findChild(QPushButton, "confirmSignButton").clicked.connect(self.save)
        self._tick()
        # The clock runs while the dialog is open, and dies with it.
        self._clock = QTimer(d, interval=15000)
        self._clock.timeout.connect(self._tick)
        d.finished.connect(self._clock.stop)
        self._clock.start()
        self.saved: dict | None = None

    def _tick(self) -> None:
        if not shiboken6.isValid(self.time_label):
            # The dialog's Python wrappers were let go before Qt deleted the dialog (a
            # window torn down without closing it): nothing left to update.
            self._clock.stop()
            return
        self.time_label.setText(format_datetime(now_iso()))

    def _refusal_toggled(self, on: bool) -> None:
        self.refusal_panel.setVisible(on)
        self.pad.setEnabled(not on)

    def save(self) -> None:
        """Store the signature or the refusal; on a problem say what is missing, keep input."""
        name = self.name.text().strip()
        if not name:
            self.problem.setText(tr("Type the signer's name"))
            return
        try:
            if self.refuse_check.isChecked():
                if not self.reason.text().strip() or not self.witness.text().strip():
                    self.problem.setText(tr("A refusal needs a reason and a witness"))
                    return
                self.saved = refuse(self.store, self.inspection_id, signer_name=name,
                                    reason=self.reason.text(), witness_name=self.witness.text(),
                                    participant_id=self.participant_id)
            else:
                if self.pad.is_empty():
                    self.problem.setText(tr("Sign in the box first"))
                    return
                self.saved = sign(self.store, self.inspection_id, signer_name=name,
                                  signer_role=self.role, image_png=self.pad.png(),
                                  participant_id=self.participant_id)
        except Exception as exc:
            self.problem.setText(one_language(str(exc), ui_language()))
            return
        self.dialog.accept()

    def run(self) -> bool:
        return self.dialog.exec() == QDialog.DialogCode.Accepted
