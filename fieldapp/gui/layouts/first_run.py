# Compiled from ui/first_run.ui by `python -m fieldapp.gui.ui_compile`: edit the
# .ui file in Designer and compile again, never this file.
# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_FirstRunDialog(object):
    def setupUi(self, FirstRunDialog):
        if not FirstRunDialog.objectName():
            FirstRunDialog.setObjectName(u"FirstRunDialog")
        FirstRunDialog.resize(680, 560)
        self.firstRunLayout = QVBoxLayout(FirstRunDialog)
        self.firstRunLayout.setObjectName(u"firstRunLayout")
        self.welcomeTitle = QLabel(FirstRunDialog)
        self.welcomeTitle.setObjectName(u"welcomeTitle")

        self.firstRunLayout.addWidget(self.welcomeTitle)

        self.welcomeText = QLabel(FirstRunDialog)
        self.welcomeText.setObjectName(u"welcomeText")
        self.welcomeText.setWordWrap(True)

        self.firstRunLayout.addWidget(self.welcomeText)

        self.aboutYouLabel = QLabel(FirstRunDialog)
        self.aboutYouLabel.setObjectName(u"aboutYouLabel")
        self.aboutYouLabel.setWordWrap(True)

        self.firstRunLayout.addWidget(self.aboutYouLabel)

        self.firstRunForm = QFormLayout()
        self.firstRunForm.setObjectName(u"firstRunForm")
        self.firstRunNameLabel = QLabel(FirstRunDialog)
        self.firstRunNameLabel.setObjectName(u"firstRunNameLabel")

        self.firstRunForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.firstRunNameLabel)

        self.firstRunName = QLineEdit(FirstRunDialog)
        self.firstRunName.setObjectName(u"firstRunName")

        self.firstRunForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.firstRunName)

        self.firstRunPositionLabel = QLabel(FirstRunDialog)
        self.firstRunPositionLabel.setObjectName(u"firstRunPositionLabel")

        self.firstRunForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.firstRunPositionLabel)

        self.firstRunPosition = QLineEdit(FirstRunDialog)
        self.firstRunPosition.setObjectName(u"firstRunPosition")

        self.firstRunForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.firstRunPosition)

        self.firstRunOfficeLabel = QLabel(FirstRunDialog)
        self.firstRunOfficeLabel.setObjectName(u"firstRunOfficeLabel")

        self.firstRunForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.firstRunOfficeLabel)

        self.firstRunOffice = QLineEdit(FirstRunDialog)
        self.firstRunOffice.setObjectName(u"firstRunOffice")

        self.firstRunForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.firstRunOffice)


        self.firstRunLayout.addLayout(self.firstRunForm)

        self.firstRunDemo = QCheckBox(FirstRunDialog)
        self.firstRunDemo.setObjectName(u"firstRunDemo")
        self.firstRunDemo.setChecked(True)

        self.firstRunLayout.addWidget(self.firstRunDemo)

        self.firstRunFolder = QLabel(FirstRunDialog)
        self.firstRunFolder.setObjectName(u"firstRunFolder")
        self.firstRunFolder.setWordWrap(True)
        self.firstRunFolder.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.firstRunLayout.addWidget(self.firstRunFolder)

        self.firstRunStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.firstRunLayout.addItem(self.firstRunStretch)

        self.firstRunButtons = QHBoxLayout()
        self.firstRunButtons.setObjectName(u"firstRunButtons")
        self.firstRunSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.firstRunButtons.addItem(self.firstRunSpacer)

        self.startButton = QPushButton(FirstRunDialog)
        self.startButton.setObjectName(u"startButton")

        self.firstRunButtons.addWidget(self.startButton)


        self.firstRunLayout.addLayout(self.firstRunButtons)


        self.retranslateUi(FirstRunDialog)

        self.startButton.setDefault(True)


        QMetaObject.connectSlotsByName(FirstRunDialog)
    # setupUi

    def retranslateUi(self, FirstRunDialog):
        FirstRunDialog.setWindowTitle(QCoreApplication.translate("FirstRunDialog", u"Welcome to FieldApp", None))
        self.welcomeTitle.setText(QCoreApplication.translate("FirstRunDialog", u"<h2>Welcome to FieldApp</h2>", None))
        self.welcomeText.setText(QCoreApplication.translate("FirstRunDialog", u"FieldApp works without a network. Everything you record in a factory \u2014 answers, photos, signatures \u2014 is saved on this laptop the moment you enter it. When the laptop can reach the office server, FieldApp sends your finalized records and receives the factory registry and checklists by itself; nothing is lost while you are offline.", None))
        self.aboutYouLabel.setText(QCoreApplication.translate("FirstRunDialog", u"About you (printed on the inspection record; you can change it later in Settings):", None))
        self.firstRunNameLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Your name", None))
        self.firstRunPositionLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Position", None))
        self.firstRunOfficeLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Office", None))
        self.firstRunDemo.setText(QCoreApplication.translate("FirstRunDialog", u"Load demo data to practise with (clearly marked as demo; removed in one step from the File menu)", None))
        self.startButton.setText(QCoreApplication.translate("FirstRunDialog", u"Start", None))
    # retranslateUi


def create(parent=None, widget_class=QDialog):
    """A new QDialog (or ``widget_class``, a subclass of it) laid out as
    ui/first_run.ui."""
    widget = widget_class(parent)
    widget._layout = Ui_FirstRunDialog()
    widget._layout.setupUi(widget)
    return widget
