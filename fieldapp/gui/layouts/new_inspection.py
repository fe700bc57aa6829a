# Compiled from ui/new_inspection.ui by `python -m fieldapp.gui.ui_compile`: edit the
# .ui file in Designer and compile again, never this file.
# ruff: noqa
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_inspection.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QTableWidget, QTimeEdit, QVBoxLayout, QWidget

class Ui_NewInspectionDialog(object):
    def setupUi(self, NewInspectionDialog):
        if not NewInspectionDialog.objectName():
            NewInspectionDialog.setObjectName(u"NewInspectionDialog")
        NewInspectionDialog.resize(760, 620)
        self.newLayout = QVBoxLayout(NewInspectionDialog)
        self.newLayout.setObjectName(u"newLayout")
        self.factoryName = QLabel(NewInspectionDialog)
        self.factoryName.setObjectName(u"factoryName")
        self.factoryName.setWordWrap(True)

        self.newLayout.addWidget(self.factoryName)

        self.newForm = QFormLayout()
        self.newForm.setObjectName(u"newForm")
        self.templateLabel = QLabel(NewInspectionDialog)
        self.templateLabel.setObjectName(u"templateLabel")

        self.newForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.templateLabel)

        self.templateChooser = QComboBox(NewInspectionDialog)
        self.templateChooser.setObjectName(u"templateChooser")

        self.newForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.templateChooser)

        self.kindLabel = QLabel(NewInspectionDialog)
        self.kindLabel.setObjectName(u"kindLabel")

        self.newForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kindChooser = QComboBox(NewInspectionDialog)
        self.kindChooser.setObjectName(u"kindChooser")

        self.newForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.kindChooser)

        self.startLabel = QLabel(NewInspectionDialog)
        self.startLabel.setObjectName(u"startLabel")

        self.newForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.startLabel)

        self.startRow = QHBoxLayout()
        self.startRow.setObjectName(u"startRow")
        self.startDatePlaceholder = QWidget(NewInspectionDialog)
        self.startDatePlaceholder.setObjectName(u"startDatePlaceholder")
        self.startDateLayout = QHBoxLayout(self.startDatePlaceholder)
        self.startDateLayout.setObjectName(u"startDateLayout")
        self.startDateLayout.setContentsMargins(0, 0, 0, 0)

        self.startRow.addWidget(self.startDatePlaceholder)

        self.startTime = QTimeEdit(NewInspectionDialog)
        self.startTime.setObjectName(u"startTime")
        self.startTime.setDisplayFormat(u"HH:mm")

        self.startRow.addWidget(self.startTime)


        self.newForm.setLayout(2, QFormLayout.ItemRole.FieldRole, self.startRow)

        self.purposeLabel = QLabel(NewInspectionDialog)
        self.purposeLabel.setObjectName(u"purposeLabel")

        self.newForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.purposeLabel)

        self.purposeEdit = QLineEdit(NewInspectionDialog)
        self.purposeEdit.setObjectName(u"purposeEdit")

        self.newForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.purposeEdit)


        self.newLayout.addLayout(self.newForm)

        self.inspectorsLabel = QLabel(NewInspectionDialog)
        self.inspectorsLabel.setObjectName(u"inspectorsLabel")

        self.newLayout.addWidget(self.inspectorsLabel)

        self.inspectorsTable = QTableWidget(NewInspectionDialog)
        self.inspectorsTable.setObjectName(u"inspectorsTable")

        self.newLayout.addWidget(self.inspectorsTable)

        self.addInspectorButton = QPushButton(NewInspectionDialog)
        self.addInspectorButton.setObjectName(u"addInspectorButton")

        self.newLayout.addWidget(self.addInspectorButton)

        self.representativesLabel = QLabel(NewInspectionDialog)
        self.representativesLabel.setObjectName(u"representativesLabel")

        self.newLayout.addWidget(self.representativesLabel)

        self.representativesTable = QTableWidget(NewInspectionDialog)
        self.representativesTable.setObjectName(u"representativesTable")

        self.newLayout.addWidget(self.representativesTable)

        self.addRepresentativeButton = QPushButton(NewInspectionDialog)
        self.addRepresentativeButton.setObjectName(u"addRepresentativeButton")

        self.newLayout.addWidget(self.addRepresentativeButton)

        self.newProblem = QLabel(NewInspectionDialog)
        self.newProblem.setObjectName(u"newProblem")
        self.newProblem.setStyleSheet(u"color: #c0392b;")

        self.newLayout.addWidget(self.newProblem)

        self.newButtons = QHBoxLayout()
        self.newButtons.setObjectName(u"newButtons")
        self.newSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.newButtons.addItem(self.newSpacer)

        self.cancelNewButton = QPushButton(NewInspectionDialog)
        self.cancelNewButton.setObjectName(u"cancelNewButton")

        self.newButtons.addWidget(self.cancelNewButton)

        self.startInspectionButton = QPushButton(NewInspectionDialog)
        self.startInspectionButton.setObjectName(u"startInspectionButton")

        self.newButtons.addWidget(self.startInspectionButton)


        self.newLayout.addLayout(self.newButtons)


        self.retranslateUi(NewInspectionDialog)

        self.startInspectionButton.setDefault(True)


        QMetaObject.connectSlotsByName(NewInspectionDialog)
    # setupUi

    def retranslateUi(self, NewInspectionDialog):
        NewInspectionDialog.setWindowTitle(QCoreApplication.translate("NewInspectionDialog", u"New inspection", None))
        self.factoryName.setText("")
        self.templateLabel.setText(QCoreApplication.translate("NewInspectionDialog", u"Checklist", None))
        self.kindLabel.setText(QCoreApplication.translate("NewInspectionDialog", u"Inspection type", None))
        self.startLabel.setText(QCoreApplication.translate("NewInspectionDialog", u"Date and time", None))
        self.purposeLabel.setText(QCoreApplication.translate("NewInspectionDialog", u"Purpose", None))
        self.inspectorsLabel.setText(QCoreApplication.translate("NewInspectionDialog", u"Inspectors", None))
        self.addInspectorButton.setText(QCoreApplication.translate("NewInspectionDialog", u"Add inspector", None))
        self.representativesLabel.setText(QCoreApplication.translate("NewInspectionDialog", u"Factory representatives", None))
        self.addRepresentativeButton.setText(QCoreApplication.translate("NewInspectionDialog", u"Add representative", None))
        self.newProblem.setText("")
        self.cancelNewButton.setText(QCoreApplication.translate("NewInspectionDialog", u"Cancel", None))
        self.startInspectionButton.setText(QCoreApplication.translate("NewInspectionDialog", u"Start inspection", None))
    # retranslateUi


def create(parent=None, widget_class=QDialog):
    """A new QDialog (or ``widget_class``, a subclass of it) laid out as
    ui/new_inspection.ui."""
    widget = widget_class(parent)
    widget._layout = Ui_NewInspectionDialog()
    widget._layout.setupUi(widget)
    return widget
