"""The login dialog (ui/login_dialog.ui): server address, user name, password -> token.

The login itself runs on a worker thread through ``fieldapp.sync.account.login``, the same
call as ``fieldapp login``: the token goes to the OS keyring where one works, else to a
file readable only by this user beside the database, and the server address and user name
are remembered in the database. The password is never stored. The address is also kept in
Settings (``sync/server``) so the next login dialog offers it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QPushButton, QWidget

from fieldapp.gui import workers
from fieldapp.gui.i18n import tr
from fieldapp.gui.resources import load_ui
from fieldapp.gui.settings import Settings
from fieldapp.gui.sync.sync_worker import classify
from fieldapp.store.db import Store
from fieldapp.store.sync_meta import get_state


def login_job(ctx: workers.TaskContext, db_path: Path, server: str, user: str,
              password: str, insecure: bool = False) -> dict:
    """Worker job: log in and keep the token; returns the server's answer."""
    from fieldapp.store.db import open_store
    from fieldapp.sync import account
    with open_store(db_path) as store:
        return account.login(store, server, user, password, insecure=insecure)


class LoginDialog(QObject):
    """``run()`` shows the dialog; True after a successful login. ``loggedIn`` carries the
    server's answer (user name, role, provinces)."""

    loggedIn = Signal(dict)

    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.settings = store, settings
        self.task: workers.Task | None = None
        self.dialog: QDialog = load_ui("login_dialog", parent)
        d = self.dialog
        self.server: QLineEdit = d.findChild(QLineEdit, "loginServer")
        self.user: QLineEdit = d.findChild(QLineEdit, "loginUser")
        self.password: QLineEdit = d.findChild(QLineEdit, "loginPassword")
        self.problem: QLabel = d.findChild(QLabel, "loginProblem")
        self.login_button: QPushButton = d.findChild(QPushButton, "loginButton")
        # Shown only for plain http:// to another machine: the inspector must tick it.
        self.insecure: QCheckBox = d.findChild(QCheckBox, "loginInsecure")
        self.insecure.hide()
        self.server.textChanged.connect(self._address_changed)
        self.server.setText(get_state(store, "server_url") or settings.get("sync/server"))
        self.user.setText(get_state(store, "username") or "")
        self.login_button.clicked.connect(self.log_in)
        d.findChild(QPushButton, "cancelLoginButton").clicked.connect(d.reject)
        (self.password if self.user.text() else self.user).setFocus()

    def log_in(self) -> workers.Task | None:
        server, user = self.server.text().strip(), self.user.text().strip()
        password = self.password.text()
        if not server or not user or not password:
            self.problem.setText(tr("Fill in the server address, user name and password"))
            return None
        if "://" not in server:
            self.problem.setText(tr("The server address starts with https://"))
            return None
        from fieldapp.sync.account import sends_in_the_clear
        in_the_clear = sends_in_the_clear(server)
        if in_the_clear and not self.insecure.isChecked():
            self.insecure.setVisible(True)
            self.problem.setText(tr("This address starts with http://, which is not "
                                    "encrypted: your password and this laptop's login would "
                                    "cross the network readable by anyone on it. Use the "
                                    "server's https:// address, or tick the box below only on "
                                    "a network you trust."))
            return None
        self.problem.setText(tr("Logging in…"))
        self.login_button.setEnabled(False)
        self.task = workers.Task(login_job, self.store.path, server, user, password,
                                 in_the_clear)
        self.task.signals.finished.connect(lambda answer: self._done(server, answer))
        self.task.signals.failed.connect(self._failed)
        workers.start(self.task)
        return self.task

    def _address_changed(self) -> None:
        """A new address asks again: the confirmation was for the old one."""
        self.insecure.setChecked(False)
        self.insecure.setVisible(False)

    def _done(self, server: str, answer: dict) -> None:
        self.task = None
        self.login_button.setEnabled(True)
        self.settings.set("sync/server", server.rstrip("/"))
        self.settings.sync()
        self.password.clear()
        self.loggedIn.emit(answer)
        self.dialog.accept()

    def _failed(self, message: str) -> None:
        self.task = None
        self.login_button.setEnabled(True)
        if classify(message) == "unreachable":
            self.problem.setText(tr("Cannot reach the server — check the address and that "
                                    "this laptop is on the office network"))
        else:
            # The server's words (Thai with the English in brackets): wrong password,
            # disabled account, too many attempts.
            self.problem.setText(message)

    def run(self) -> bool:
        return self.dialog.exec() == QDialog.DialogCode.Accepted
