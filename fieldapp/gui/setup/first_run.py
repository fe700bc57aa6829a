"""The first start (ui/first_run.ui): welcome, the inspector's name, position and office,
and the offer of demo data.

Shown once, before the main window, when the settings have no ``setup/done`` mark.
Environment ``FIELDAPP_DEMO`` skips it for scripted and developer starts: ``1`` loads demo
data into an empty database, ``0`` starts empty (see ``first_run_choice.py``, which decides
whether to show it). Demo data is
offered only when the database is empty, and is preselected so that a first look at the
app is one key press away.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QPushButton, QWidget

from fieldapp.gui.i18n import tr
from fieldapp.gui.resources import load_ui
from fieldapp.gui.settings import Settings

FIELDS = {"firstRunName": "inspector/name", "firstRunPosition": "inspector/position",
          "firstRunOffice": "office/name"}


class FirstRunDialog(QObject):
    """``run()`` shows the dialog and stores the answers; returns whether to load demo."""

    def __init__(self, settings: Settings, data_folder: Path, offer_demo: bool,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.dialog: QDialog = load_ui("first_run", parent)
        d = self.dialog
        self.fields = {name: d.findChild(QLineEdit, name) for name in FIELDS}
        for name, key in FIELDS.items():
            self.fields[name].setText(settings.get(key))
        self.demo: QCheckBox = d.findChild(QCheckBox, "firstRunDemo")
        self.demo.setVisible(offer_demo)
        self.demo.setChecked(offer_demo)
        d.findChild(QLabel, "firstRunFolder").setText(
            tr("Your data is kept in: %1").replace("%1", str(data_folder)))
        d.findChild(QPushButton, "startButton").clicked.connect(self.accept)
        self.fields["firstRunName"].setFocus()

    def accept(self) -> None:
        for name, key in FIELDS.items():
            self.settings.set(key, self.fields[name].text().strip())
        self.settings.set("setup/done", True)
        self.settings.sync()
        self.dialog.accept()

    def run(self) -> bool:
        """Show the dialog; closing it without answering still starts the app (asked again
        next time). Returns True when demo data should be loaded."""
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return False      # closed without answering: no demo, asked again next start
        return self.demo.isChecked() and not self.demo.isHidden()
