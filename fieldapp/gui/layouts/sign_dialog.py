# Compiled from ui/sign_dialog.ui by `python -m fieldapp.gui.ui_compile`: edit the
# .ui file in Designer and compile again, never this file.
# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sign_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

class Ui_SignDialog(object):
    def setupUi(self, SignDialog):
        if not SignDialog.objectName():
            SignDialog.setObjectName(u"SignDialog")
        SignDialog.resize(760, 520)
        self.signLayout = QVBoxLayout(SignDialog)
        self.signLayout.setObjectName(u"signLayout")
        self.signerForm = QFormLayout()
        self.signerForm.setObjectName(u"signerForm")
        self.signerNameLabel = QLabel(SignDialog)
        self.signerNameLabel.setObjectName(u"signerNameLabel")

        self.signerForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.signerNameLabel)

        self.signerName = QLineEdit(SignDialog)
        self.signerName.setObjectName(u"signerName")

        self.signerForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.signerName)

        self.signerRoleLabel = QLabel(SignDialog)
        self.signerRoleLabel.setObjectName(u"signerRoleLabel")

        self.signerForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.signerRoleLabel)

        self.signerRole = QLabel(SignDialog)
        self.signerRole.setObjectName(u"signerRole")

        self.signerForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.signerRole)

        self.signTimeLabel = QLabel(SignDialog)
        self.signTimeLabel.setObjectName(u"signTimeLabel")

        self.signerForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.signTimeLabel)

        self.signTime = QLabel(SignDialog)
        self.signTime.setObjectName(u"signTime")

        self.signerForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.signTime)


        self.signLayout.addLayout(self.signerForm)

        self.padPlaceholder = QWidget(SignDialog)
        self.padPlaceholder.setObjectName(u"padPlaceholder")
        self.padLayout = QVBoxLayout(self.padPlaceholder)
        self.padLayout.setObjectName(u"padLayout")
        self.padLayout.setContentsMargins(0, 0, 0, 0)

        self.signLayout.addWidget(self.padPlaceholder)

        self.padButtons = QHBoxLayout()
        self.padButtons.setObjectName(u"padButtons")
        self.clearSignatureButton = QPushButton(SignDialog)
        self.clearSignatureButton.setObjectName(u"clearSignatureButton")

        self.padButtons.addWidget(self.clearSignatureButton)

        self.undoStrokeButton = QPushButton(SignDialog)
        self.undoStrokeButton.setObjectName(u"undoStrokeButton")

        self.padButtons.addWidget(self.undoStrokeButton)

        self.redoStrokeButton = QPushButton(SignDialog)
        self.redoStrokeButton.setObjectName(u"redoStrokeButton")

        self.padButtons.addWidget(self.redoStrokeButton)

        self.padSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.padButtons.addItem(self.padSpacer)


        self.signLayout.addLayout(self.padButtons)

        self.refuseCheck = QCheckBox(SignDialog)
        self.refuseCheck.setObjectName(u"refuseCheck")

        self.signLayout.addWidget(self.refuseCheck)

        self.refusalPanel = QWidget(SignDialog)
        self.refusalPanel.setObjectName(u"refusalPanel")
        self.refusalForm = QFormLayout(self.refusalPanel)
        self.refusalForm.setObjectName(u"refusalForm")
        self.refusalForm.setContentsMargins(0, 0, 0, 0)
        self.refusalReasonLabel = QLabel(self.refusalPanel)
        self.refusalReasonLabel.setObjectName(u"refusalReasonLabel")

        self.refusalForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.refusalReasonLabel)

        self.refusalReason = QLineEdit(self.refusalPanel)
        self.refusalReason.setObjectName(u"refusalReason")

        self.refusalForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.refusalReason)

        self.witnessNameLabel = QLabel(self.refusalPanel)
        self.witnessNameLabel.setObjectName(u"witnessNameLabel")

        self.refusalForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.witnessNameLabel)

        self.witnessName = QLineEdit(self.refusalPanel)
        self.witnessName.setObjectName(u"witnessName")

        self.refusalForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.witnessName)


        self.signLayout.addWidget(self.refusalPanel)

        self.signProblem = QLabel(SignDialog)
        self.signProblem.setObjectName(u"signProblem")
        self.signProblem.setStyleSheet(u"color: #c0392b;")

        self.signLayout.addWidget(self.signProblem)

        self.signButtonRow = QHBoxLayout()
        self.signButtonRow.setObjectName(u"signButtonRow")
        self.signSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.signButtonRow.addItem(self.signSpacer)

        self.cancelSignButton = QPushButton(SignDialog)
        self.cancelSignButton.setObjectName(u"cancelSignButton")

        self.signButtonRow.addWidget(self.cancelSignButton)

        self.confirmSignButton = QPushButton(SignDialog)
        self.confirmSignButton.setObjectName(u"confirmSignButton")

        self.signButtonRow.addWidget(self.confirmSignButton)


        self.signLayout.addLayout(self.signButtonRow)


        self.retranslateUi(SignDialog)

        self.confirmSignButton.setDefault(True)


        QMetaObject.connectSlotsByName(SignDialog)
    # setupUi

    def retranslateUi(self, SignDialog):
        SignDialog.setWindowTitle(QCoreApplication.translate("SignDialog", u"Sign the inspection record", None))
        self.signerNameLabel.setText(QCoreApplication.translate("SignDialog", u"Name", None))
        self.signerRoleLabel.setText(QCoreApplication.translate("SignDialog", u"Role", None))
        self.signerRole.setText("")
        self.signTimeLabel.setText(QCoreApplication.translate("SignDialog", u"Time", None))
        self.signTime.setText("")
        self.clearSignatureButton.setText(QCoreApplication.translate("SignDialog", u"Clear", None))
        self.undoStrokeButton.setText(QCoreApplication.translate("SignDialog", u"Undo stroke", None))
        self.redoStrokeButton.setText(QCoreApplication.translate("SignDialog", u"Redo stroke", None))
        self.refuseCheck.setText(QCoreApplication.translate("SignDialog", u"The factory representative refused to sign", None))
        self.refusalReasonLabel.setText(QCoreApplication.translate("SignDialog", u"Reason", None))
        self.witnessNameLabel.setText(QCoreApplication.translate("SignDialog", u"Witness", None))
        self.signProblem.setText("")
        self.cancelSignButton.setText(QCoreApplication.translate("SignDialog", u"Cancel", None))
        self.confirmSignButton.setText(QCoreApplication.translate("SignDialog", u"Save signature", None))
    # retranslateUi


def create(parent=None, widget_class=QDialog):
    """A new QDialog (or ``widget_class``, a subclass of it) laid out as
    ui/sign_dialog.ui."""
    widget = widget_class(parent)
    widget._layout = Ui_SignDialog()
    widget._layout.setupUi(widget)
    return widget
