# Compiled from ui/login_dialog.ui by `python -m fieldapp.gui.ui_compile`: edit the
# .ui file in Designer and compile again, never this file.
# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'login_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_LoginDialog(object):
    def setupUi(self, LoginDialog):
        if not LoginDialog.objectName():
            LoginDialog.setObjectName(u"LoginDialog")
        LoginDialog.resize(560, 300)
        self.loginLayout = QVBoxLayout(LoginDialog)
        self.loginLayout.setObjectName(u"loginLayout")
        self.loginIntro = QLabel(LoginDialog)
        self.loginIntro.setObjectName(u"loginIntro")
        self.loginIntro.setWordWrap(True)

        self.loginLayout.addWidget(self.loginIntro)

        self.loginForm = QFormLayout()
        self.loginForm.setObjectName(u"loginForm")
        self.loginServerLabel = QLabel(LoginDialog)
        self.loginServerLabel.setObjectName(u"loginServerLabel")

        self.loginForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.loginServerLabel)

        self.loginServer = QLineEdit(LoginDialog)
        self.loginServer.setObjectName(u"loginServer")
        self.loginServer.setPlaceholderText(u"https://")

        self.loginForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.loginServer)

        self.loginUserLabel = QLabel(LoginDialog)
        self.loginUserLabel.setObjectName(u"loginUserLabel")

        self.loginForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.loginUserLabel)

        self.loginUser = QLineEdit(LoginDialog)
        self.loginUser.setObjectName(u"loginUser")

        self.loginForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.loginUser)

        self.loginPasswordLabel = QLabel(LoginDialog)
        self.loginPasswordLabel.setObjectName(u"loginPasswordLabel")

        self.loginForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.loginPasswordLabel)

        self.loginPassword = QLineEdit(LoginDialog)
        self.loginPassword.setObjectName(u"loginPassword")
        self.loginPassword.setEchoMode(QLineEdit.Password)

        self.loginForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.loginPassword)


        self.loginLayout.addLayout(self.loginForm)

        self.loginProblem = QLabel(LoginDialog)
        self.loginProblem.setObjectName(u"loginProblem")
        self.loginProblem.setStyleSheet(u"color: #c0392b;")
        self.loginProblem.setWordWrap(True)

        self.loginLayout.addWidget(self.loginProblem)

        self.loginInsecure = QCheckBox(LoginDialog)
        self.loginInsecure.setObjectName(u"loginInsecure")
        self.loginInsecure.setVisible(False)

        self.loginLayout.addWidget(self.loginInsecure)

        self.loginButtons = QHBoxLayout()
        self.loginButtons.setObjectName(u"loginButtons")
        self.loginSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.loginButtons.addItem(self.loginSpacer)

        self.cancelLoginButton = QPushButton(LoginDialog)
        self.cancelLoginButton.setObjectName(u"cancelLoginButton")

        self.loginButtons.addWidget(self.cancelLoginButton)

        self.loginButton = QPushButton(LoginDialog)
        self.loginButton.setObjectName(u"loginButton")

        self.loginButtons.addWidget(self.loginButton)


        self.loginLayout.addLayout(self.loginButtons)


        self.retranslateUi(LoginDialog)

        self.loginButton.setDefault(True)


        QMetaObject.connectSlotsByName(LoginDialog)
    # setupUi

    def retranslateUi(self, LoginDialog):
        LoginDialog.setWindowTitle(QCoreApplication.translate("LoginDialog", u"Log in to the office server", None))
        self.loginIntro.setText(QCoreApplication.translate("LoginDialog", u"Log in once with the user name and password the office gave you. This laptop then syncs by itself whenever the server can be reached.", None))
        self.loginServerLabel.setText(QCoreApplication.translate("LoginDialog", u"Server address", None))
        self.loginUserLabel.setText(QCoreApplication.translate("LoginDialog", u"User name", None))
        self.loginPasswordLabel.setText(QCoreApplication.translate("LoginDialog", u"Password", None))
        self.loginInsecure.setText(QCoreApplication.translate("LoginDialog", u"Send my password unencrypted anyway (only on a network I trust)", None))
        self.cancelLoginButton.setText(QCoreApplication.translate("LoginDialog", u"Cancel", None))
        self.loginButton.setText(QCoreApplication.translate("LoginDialog", u"Log in", None))
    # retranslateUi


def create(parent=None, widget_class=QDialog):
    """A new QDialog (or ``widget_class``, a subclass of it) laid out as
    ui/login_dialog.ui."""
    widget = widget_class(parent)
    widget._layout = Ui_LoginDialog()
    widget._layout.setupUi(widget)
    return widget
