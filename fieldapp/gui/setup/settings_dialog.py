"""The settings dialog (ui/settings_dialog.ui) over the typed Settings wrapper."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QPushButton,
    QWidget,
)

from fieldapp.gui.i18n import tr
from fieldapp.gui.resources import load_ui
from fieldapp.gui.settings import LANGUAGES, Settings

TEXT_FIELDS = {"inspectorName": "inspector/name", "inspectorPosition": "inspector/position",
               "officeName": "office/name", "officeLogo": "office/logo",
               "dataFolder": "data/folder", "serverAddress": "sync/server"}



class SettingsDialog(QObject):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.dialog: QDialog = load_ui("settings_dialog", parent)
        d = self.dialog
        self.fields = {name: d.findChild(QLineEdit, name) for name in TEXT_FIELDS}
        for name, key in TEXT_FIELDS.items():
            self.fields[name].setText(settings.get(key))
        self.thai_digits: QCheckBox = d.findChild(QCheckBox, "thaiDigitsCheck")
        self.thai_digits.setChecked(settings.get("print/thai_digits"))
        self.language: QComboBox = d.findChild(QComboBox, "languageChooser")
        # Each language is named in itself, so a person can find theirs in either UI.
        names = {"th": "ไทย", "en": "English"}
        for code in LANGUAGES:
            self.language.addItem(names[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(settings.get("ui/language")))
        d.findChild(QPushButton, "chooseLogoButton").clicked.connect(self._choose_logo)
        d.findChild(QPushButton, "chooseFolderButton").clicked.connect(self._choose_folder)
        d.findChild(QPushButton, "cancelSettingsButton").clicked.connect(d.reject)
        d.findChild(QPushButton, "saveSettingsButton").clicked.connect(self.save)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.dialog, tr("Office logo"), "",
                                              tr("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.fields["officeLogo"].setText(path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.dialog, tr("Data folder"))
        if path:
            self.fields["dataFolder"].setText(path)

    def save(self) -> None:
        for name, key in TEXT_FIELDS.items():
            self.settings.set(key, self.fields[name].text().strip())
        self.settings.set("ui/language", self.language.currentData())
        self.settings.set("print/thai_digits", self.thai_digits.isChecked())
        self.settings.sync()
        self.dialog.accept()

    def run(self) -> bool:
        return self.dialog.exec() == QDialog.DialogCode.Accepted
