# Compiled from ui/settings_dialog.ui by `python -m fieldapp.gui.ui_compile`: edit the
# .ui file in Designer and compile again, never this file.
# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(620, 380)
        self.settingsLayout = QVBoxLayout(SettingsDialog)
        self.settingsLayout.setObjectName(u"settingsLayout")
        self.settingsForm = QFormLayout()
        self.settingsForm.setObjectName(u"settingsForm")
        self.inspectorNameLabel = QLabel(SettingsDialog)
        self.inspectorNameLabel.setObjectName(u"inspectorNameLabel")

        self.settingsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.inspectorNameLabel)

        self.inspectorName = QLineEdit(SettingsDialog)
        self.inspectorName.setObjectName(u"inspectorName")

        self.settingsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.inspectorName)

        self.inspectorPositionLabel = QLabel(SettingsDialog)
        self.inspectorPositionLabel.setObjectName(u"inspectorPositionLabel")

        self.settingsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.inspectorPositionLabel)

        self.inspectorPosition = QLineEdit(SettingsDialog)
        self.inspectorPosition.setObjectName(u"inspectorPosition")

        self.settingsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.inspectorPosition)

        self.officeNameLabel = QLabel(SettingsDialog)
        self.officeNameLabel.setObjectName(u"officeNameLabel")

        self.settingsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.officeNameLabel)

        self.officeName = QLineEdit(SettingsDialog)
        self.officeName.setObjectName(u"officeName")

        self.settingsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.officeName)

        self.officeLogoLabel = QLabel(SettingsDialog)
        self.officeLogoLabel.setObjectName(u"officeLogoLabel")

        self.settingsForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.officeLogoLabel)

        self.logoRow = QHBoxLayout()
        self.logoRow.setObjectName(u"logoRow")
        self.officeLogo = QLineEdit(SettingsDialog)
        self.officeLogo.setObjectName(u"officeLogo")

        self.logoRow.addWidget(self.officeLogo)

        self.chooseLogoButton = QPushButton(SettingsDialog)
        self.chooseLogoButton.setObjectName(u"chooseLogoButton")

        self.logoRow.addWidget(self.chooseLogoButton)


        self.settingsForm.setLayout(3, QFormLayout.ItemRole.FieldRole, self.logoRow)

        self.languageLabel = QLabel(SettingsDialog)
        self.languageLabel.setObjectName(u"languageLabel")

        self.settingsForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.languageLabel)

        self.languageChooser = QComboBox(SettingsDialog)
        self.languageChooser.setObjectName(u"languageChooser")

        self.settingsForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.languageChooser)

        self.dataFolderLabel = QLabel(SettingsDialog)
        self.dataFolderLabel.setObjectName(u"dataFolderLabel")

        self.settingsForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.dataFolderLabel)

        self.folderRow = QHBoxLayout()
        self.folderRow.setObjectName(u"folderRow")
        self.dataFolder = QLineEdit(SettingsDialog)
        self.dataFolder.setObjectName(u"dataFolder")

        self.folderRow.addWidget(self.dataFolder)

        self.chooseFolderButton = QPushButton(SettingsDialog)
        self.chooseFolderButton.setObjectName(u"chooseFolderButton")

        self.folderRow.addWidget(self.chooseFolderButton)


        self.settingsForm.setLayout(5, QFormLayout.ItemRole.FieldRole, self.folderRow)

        self.serverAddressLabel = QLabel(SettingsDialog)
        self.serverAddressLabel.setObjectName(u"serverAddressLabel")

        self.settingsForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.serverAddressLabel)

        self.serverAddress = QLineEdit(SettingsDialog)
        self.serverAddress.setObjectName(u"serverAddress")
        self.serverAddress.setPlaceholderText(u"https://")

        self.settingsForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.serverAddress)

        self.thaiDigitsCheck = QCheckBox(SettingsDialog)
        self.thaiDigitsCheck.setObjectName(u"thaiDigitsCheck")

        self.settingsForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.thaiDigitsCheck)


        self.settingsLayout.addLayout(self.settingsForm)

        self.settingsNote = QLabel(SettingsDialog)
        self.settingsNote.setObjectName(u"settingsNote")
        self.settingsNote.setWordWrap(True)

        self.settingsLayout.addWidget(self.settingsNote)

        self.settingsButtons = QHBoxLayout()
        self.settingsButtons.setObjectName(u"settingsButtons")
        self.settingsSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.settingsButtons.addItem(self.settingsSpacer)

        self.cancelSettingsButton = QPushButton(SettingsDialog)
        self.cancelSettingsButton.setObjectName(u"cancelSettingsButton")

        self.settingsButtons.addWidget(self.cancelSettingsButton)

        self.saveSettingsButton = QPushButton(SettingsDialog)
        self.saveSettingsButton.setObjectName(u"saveSettingsButton")

        self.settingsButtons.addWidget(self.saveSettingsButton)


        self.settingsLayout.addLayout(self.settingsButtons)


        self.retranslateUi(SettingsDialog)

        self.saveSettingsButton.setDefault(True)


        QMetaObject.connectSlotsByName(SettingsDialog)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
        self.inspectorNameLabel.setText(QCoreApplication.translate("SettingsDialog", u"Inspector name", None))
        self.inspectorPositionLabel.setText(QCoreApplication.translate("SettingsDialog", u"Position", None))
        self.officeNameLabel.setText(QCoreApplication.translate("SettingsDialog", u"Office name", None))
        self.officeLogoLabel.setText(QCoreApplication.translate("SettingsDialog", u"Office logo", None))
        self.chooseLogoButton.setText(QCoreApplication.translate("SettingsDialog", u"Choose\u2026", None))
        self.languageLabel.setText(QCoreApplication.translate("SettingsDialog", u"Language", None))
        self.dataFolderLabel.setText(QCoreApplication.translate("SettingsDialog", u"Data folder", None))
        self.chooseFolderButton.setText(QCoreApplication.translate("SettingsDialog", u"Choose\u2026", None))
        self.serverAddressLabel.setText(QCoreApplication.translate("SettingsDialog", u"Server address", None))
        self.thaiDigitsCheck.setText(QCoreApplication.translate("SettingsDialog", u"Print dates and numbers in Thai digits (\u0e50\u2013\u0e59)", None))
        self.settingsNote.setText(QCoreApplication.translate("SettingsDialog", u"A new language or data folder takes effect when FieldApp starts again.", None))
        self.cancelSettingsButton.setText(QCoreApplication.translate("SettingsDialog", u"Cancel", None))
        self.saveSettingsButton.setText(QCoreApplication.translate("SettingsDialog", u"Save", None))
    # retranslateUi


def create(parent=None, widget_class=QDialog):
    """A new QDialog (or ``widget_class``, a subclass of it) laid out as
    ui/settings_dialog.ui."""
    widget = widget_class(parent)
    widget._layout = Ui_SettingsDialog()
    widget._layout.setupUi(widget)
    return widget
