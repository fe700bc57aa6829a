"""The new-inspection dialog: template (latest published version), type, date and time,
purpose, inspectors and factory representatives. Layout in ui/new_inspection.ui.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QWidget,
)

from fieldapp.core.thaidate import BANGKOK
from fieldapp.gui import ops
from fieldapp.gui.i18n import tr
from fieldapp.gui.labels import kind_label
from fieldapp.gui.resources import load_ui
from fieldapp.gui.settings import Settings
from fieldapp.gui.thai_date_edit import ThaiDateEdit
from fieldapp.store.db import Store
from fieldapp.store.inspections import KINDS, add_participant, create_inspection


class NewInspectionDialog(QObject):
    """``run()`` -> True when an inspection was created (its id in ``inspection_id``)."""

    def __init__(self, store: Store, settings: Settings, factory_id: str,
                 parent: QWidget | None = None, preset: dict | None = None):
        super().__init__(parent)
        self.store, self.settings, self.factory_id = store, settings, factory_id
        self.inspection_id: str | None = None
        self.dialog: QDialog = load_ui("new_inspection", parent)
        d = self.dialog
        factory = ops.factory_detail(store, factory_id)["factory"]
        d.findChild(QLabel, "factoryName").setText(
            f"<b>{factory.get('name', '')}</b> · {factory.get('fid', '')}")
        self.template: QComboBox = d.findChild(QComboBox, "templateChooser")
        english = settings.get("ui/language") == "en"
        self._template_kinds: dict[str, str] = {}
        template_keys: dict[str, str] = {}
        skipped: list[str] = []
        for t in ops.latest_published_templates(store, skipped):
            self.template.addItem(f"{t['title_en'] if english else t['title']} "
                                  f"({t['form_code']} v{t['version']})", t["id"])
            self._template_kinds[t["id"]] = t["kind"]
            template_keys[t["key"]] = t["id"]
        self.kind: QComboBox = d.findChild(QComboBox, "kindChooser")
        for kind in KINDS:
            self.kind.addItem(kind_label(kind), kind)
        # The type and the checklist follow each other until the user picks one by hand;
        # a hand-picked one is never changed by the program (``activated`` is user-only).
        self._picked = {"kind": False, "template": False}
        self.kind.activated.connect(lambda _i: self._picked_by_hand("kind"))
        self.template.activated.connect(lambda _i: self._picked_by_hand("template"))
        self._follow_kind()
        if preset:   # a plan of the office (office_lists): its type and checklist
            self._preset(preset, template_keys.get(preset.get("template_key") or ""))
        now = datetime.now(BANGKOK)
        self.date = ThaiDateEdit(d.findChild(QWidget, "startDatePlaceholder"))
        self.date.setObjectName("startDate")
        self.date.set_value(now.date())
        d.findChild(QWidget, "startDatePlaceholder").layout().addWidget(self.date)
        self.time: QTimeEdit = d.findChild(QTimeEdit, "startTime")
        self.time.setTime(QTime(now.hour, now.minute))
        # Made here, the date came last in the Tab order, after the tables: never reached
        # by keyboard. It goes between the type and the time, as on screen.
        QWidget.setTabOrder(self.kind, self.date.edit)
        QWidget.setTabOrder(self.date.edit, self.date.button)
        QWidget.setTabOrder(self.date.button, self.time)
        self.purpose: QLineEdit = d.findChild(QLineEdit, "purposeEdit")
        if preset:
            from fieldapp.store.office_loop import plan_purpose
            self.purpose.setText(plan_purpose(store, preset) or "")
        self.inspectors: QTableWidget = d.findChild(QTableWidget, "inspectorsTable")
        self.representatives: QTableWidget = d.findChild(QTableWidget, "representativesTable")
        for table in (self.inspectors, self.representatives):
            table.setTabKeyNavigation(False)   # Tab leaves the table; arrows move in it
        self._setup_table(self.inspectors, [tr("Name"), tr("Position")])
        self._setup_table(self.representatives, [tr("Name"), tr("Position"), tr("Phone")])
        self.add_row(self.inspectors, [settings.get("inspector/name"),
                                       settings.get("inspector/position")])
        self.add_row(self.representatives, [])
        d.findChild(QPushButton, "addInspectorButton").clicked.connect(
            lambda: self.add_row(self.inspectors, []))
        d.findChild(QPushButton, "addRepresentativeButton").clicked.connect(
            lambda: self.add_row(self.representatives, []))
        d.findChild(QPushButton, "cancelNewButton").clicked.connect(d.reject)
        d.findChild(QPushButton, "startInspectionButton").clicked.connect(self.create)
        self.problem: QLabel = d.findChild(QLabel, "newProblem")
        if skipped:   # a version that arrived damaged: say so, offer the others
            self.problem.setText(tr("Some checklist templates could not be read and are not "
                                    "offered; sync again or ask the office.") + "\n"
                                 + "\n".join(skipped))

    def _preset(self, plan: dict, template_id: str | None) -> None:
        if self.kind.findData(plan.get("kind")) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(plan["kind"]))
            self._picked["kind"] = True
        if template_id and self.template.findData(template_id) >= 0:
            self.template.setCurrentIndex(self.template.findData(template_id))
            self._picked["template"] = True
        else:
            self._follow_kind()

    def _picked_by_hand(self, which: str) -> None:
        self._picked[which] = True
        if which == "kind":
            self._follow_kind()
        elif not self._picked["kind"]:
            # A complaint checklist chosen by hand means a complaint inspection.
            kind = self._template_kinds.get(self.template.currentData())
            if self.kind.findData(kind) >= 0:
                self.kind.setCurrentIndex(self.kind.findData(kind))

    def _follow_kind(self) -> None:
        """Choose the first checklist made for the chosen type, unless one was picked."""
        if self._picked["template"]:
            return
        for index in range(self.template.count()):
            if self._template_kinds.get(self.template.itemData(index)) == \
                    self.kind.currentData():
                self.template.setCurrentIndex(index)
                return

    @staticmethod
    def _setup_table(table: QTableWidget, headers: list[str]) -> None:
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)

    @staticmethod
    def add_row(table: QTableWidget, values: list[str]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for column in range(table.columnCount()):
            text = values[column] if column < len(values) else ""
            table.setItem(row, column, QTableWidgetItem(text or ""))

    @staticmethod
    def _people(table: QTableWidget) -> list[list[str]]:
        out = []
        for row in range(table.rowCount()):
            cells = [(table.item(row, c).text().strip() if table.item(row, c) else "")
                     for c in range(table.columnCount())]
            if cells[0]:
                out.append(cells)
        return out

    def started_at(self) -> str:
        """The chosen Bangkok date and time as a UTC instant (how the store keeps it)."""
        day = datetime.fromisoformat(self.date.value() or datetime.now(BANGKOK).date()
                                     .isoformat())
        t = self.time.time()
        local = day.replace(hour=t.hour(), minute=t.minute(), tzinfo=BANGKOK)
        return local.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def create(self) -> None:
        template_id = self.template.currentData()
        if not template_id:
            self.problem.setText(tr("No checklist template is installed"))
            return
        inspectors = self._people(self.inspectors)
        if not inspectors:
            self.problem.setText(tr("Name at least one inspector"))
            return
        with self.store.transaction():
            row = create_inspection(
                self.store, factory_id=self.factory_id, template_version_id=template_id,
                kind=self.kind.currentData(), started_at=self.started_at(),
                purpose=self.purpose.text().strip() or None,
                created_by=self.settings.get("inspector/name") or inspectors[0][0])
            for name, position in inspectors:
                add_participant(self.store, row["id"], role="inspector", name=name,
                                position=position or None)
            for name, position, phone in self._people(self.representatives):
                add_participant(self.store, row["id"], role="representative", name=name,
                                position=position or None, phone=phone or None)
        self.inspection_id = row["id"]
        self.dialog.accept()

    def run(self) -> bool:
        return self.dialog.exec() == QDialog.DialogCode.Accepted
