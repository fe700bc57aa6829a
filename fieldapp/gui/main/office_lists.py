"""The main window's two lists from the office: "returned to me" (records a supervisor sent
back with a comment) and "my plan" (inspections the office planned for this inspector).

Both read store/office_loop.py and are refreshed after every sync; their counts are on the
tab labels so the inspector sees them without opening the tabs. Opening a plan starts its
inspection straight away; "Amend" on a returned record opens the amendment flow.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from fieldapp.core.thaidate import format_date
from fieldapp.gui.i18n import tr
from fieldapp.gui.labels import kind_label, one_language
from fieldapp.gui.settings import Settings
from fieldapp.store import office_loop
from fieldapp.store.db import Store

OVERDUE = QColor("#c0392b")


def plan_status_label(status: str) -> str:
    return {"planned": tr("Planned"), "started": tr("Started")}.get(status, status)


class OfficeLists(QObject):
    """Controller of the "returned to me" and "my plan" tabs of the main window.

    ``openInspection(id)``: show that inspection's editor. ``planNeedsFactory(plan)``: a
    complaint plan about a place not in the registry; the window lets the inspector choose
    the factory and opens the new-inspection dialog preset for the plan.
    """

    openInspection = Signal(str)
    planNeedsFactory = Signal(dict)

    def __init__(self, store: Store, settings: Settings, window: QMainWindow):
        super().__init__(window)
        self.store, self.settings, self.window = store, settings, window
        self.tabs: QTabWidget = window.findChild(QTabWidget, "mainTabs")
        self.returned_tab: QWidget = window.findChild(QWidget, "returnedTab")
        self.plan_tab: QWidget = window.findChild(QWidget, "planTab")
        self.returned: QTableWidget = window.findChild(QTableWidget, "returnedList")
        self.comment: QLabel = window.findChild(QLabel, "returnedComment")
        self.amend_button: QPushButton = window.findChild(QPushButton, "amendReturnedButton")
        self.plans: QTableWidget = window.findChild(QTableWidget, "planList")
        self.start_button: QPushButton = window.findChild(QPushButton, "startPlanButton")
        self.returned_rows: list[dict] = []
        self.plan_rows: list[dict] = []

        _columns(self.returned, [tr("Factory"), tr("Record no."), tr("Inspected"),
                                 tr("Returned on"), tr("Reviewer"), tr("Comment")],
                 (260, 130, 170, 170, 120))
        _columns(self.plans, [tr("Planned for"), tr("Factory or place"), tr("Type"),
                              tr("Checklist"), tr("Note"), tr("Status")],
                 (200, 280, 160, 240, 220))
        self.comment.setStyleSheet("background: #fff8e1; padding: 8px; border-radius: 4px;")
        self.comment.hide()

        self.returned.itemSelectionChanged.connect(self._returned_selected)
        self.returned.itemDoubleClicked.connect(lambda _i: self.amend_selected())
        self.amend_button.clicked.connect(self.amend_selected)
        self.plans.itemSelectionChanged.connect(
            lambda: self.start_button.setEnabled(self._selected(self.plans) is not None))
        self.plans.itemDoubleClicked.connect(lambda _i: self.start_selected())
        self.start_button.clicked.connect(self.start_selected)

    @property
    def language(self) -> str:
        return self.settings.get("ui/language")

    def _names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.settings.get("inspector/name"),) if n)

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read both lists again (after a sync, a finalize, closing an editor)."""
        self.returned_rows = office_loop.returned_to_me(self.store, self._names())
        self.plan_rows = office_loop.my_plan(self.store)
        self._fill_returned()
        self._fill_plans()
        self.tabs.setTabText(self.tabs.indexOf(self.returned_tab),
                             _counted(tr("Returned to me"), len(self.returned_rows)))
        self.tabs.setTabText(self.tabs.indexOf(self.plan_tab),
                             _counted(tr("My plan"), len(self.plan_rows)))

    def _fill_returned(self) -> None:
        table = self.returned
        table.setRowCount(len(self.returned_rows))
        for r, row in enumerate(self.returned_rows):
            comment = row.get("comment") or tr("(no comment)")
            if row.get("draft_amendment_id"):
                comment = f"{comment}\n" + tr("An amendment is in progress.")
            values = (row.get("factory_name") or "", row.get("record_no") or "",
                      format_date(row["started_at"]) if row.get("started_at") else "",
                      format_date(row["reviewed_at"]) if row.get("reviewed_at") else "",
                      row.get("reviewer") or "", comment)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r)
                if c == 5:
                    item.setToolTip(row.get("comment") or "")
                table.setItem(r, c, item)
        table.resizeRowsToContents()
        self._returned_selected()

    def _fill_plans(self) -> None:
        table = self.plans
        table.setRowCount(len(self.plan_rows))
        for r, row in enumerate(self.plan_rows):
            day = format_date(row["planned_on"])
            if row["overdue"]:
                day = f"{day} · " + tr("overdue")
            place = row["place"] or tr("(place not given)")
            if not row.get("factory_id"):
                place = f"{place} · " + tr("not in the registry")
            values = (day, place, kind_label(row["kind"]),
                      row.get("template_title") or row["template_key"],
                      row.get("note") or "", plan_status_label(row["status"]))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, r)
                if c == 0 and row["overdue"]:
                    item.setForeground(OVERDUE)
                table.setItem(r, c, item)
        table.resizeRowsToContents()
        self.start_button.setEnabled(self._selected(self.plans) is not None)

    @staticmethod
    def _selected(table: QTableWidget) -> int | None:
        items = table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _returned_selected(self) -> None:
        index = self._selected(self.returned)
        row = self.returned_rows[index] if index is not None else None
        self.amend_button.setEnabled(row is not None)
        if row is None:
            self.comment.hide()
            return
        self.amend_button.setText(tr("Open the amendment") if row.get("draft_amendment_id")
                                  else tr("Amend"))
        who = row.get("reviewer") or ""
        said = tr("Comment from")
        self.comment.setText(f"<b>{said} {_html(who)}:</b><br>"
                             f"{_html(row.get('comment') or tr('(no comment)'))}")
        self.comment.show()

    # -- actions ---------------------------------------------------------------------------

    def amend_selected(self) -> str | None:
        """Open the amendment of the selected returned record (made now if none is in
        progress); returns its id."""
        index = self._selected(self.returned)
        if index is None:
            return None
        row = self.returned_rows[index]
        amendment = row.get("draft_amendment_id")
        if not amendment:
            from PySide6.QtWidgets import QMessageBox

            from fieldapp.store.signing import amend
            try:
                amendment = amend(self.store, row["id"],
                                  created_by=self.settings.get("inspector/name") or None)["id"]
            except Exception as exc:
                QMessageBox.warning(self.window, tr("No amendment made"),
                                    one_language(str(exc), self.language))
                return None
        self.openInspection.emit(amendment)
        return amendment

    def start_selected(self) -> str | None:
        """Start (or reopen) the inspection of the selected plan; returns its id."""
        index = self._selected(self.plans)
        if index is None:
            return None
        plan = self.plan_rows[index]
        from PySide6.QtWidgets import QMessageBox  # only to say why not; not at start-up
        try:
            row = office_loop.start_from_plan(
                self.store, plan["id"], created_by=self.settings.get("inspector/name") or None,
                inspector_name=self.settings.get("inspector/name") or None,
                inspector_position=self.settings.get("inspector/position") or None)
        except office_loop.NoFactoryError:
            QMessageBox.information(
                self.window, tr("Choose the factory"),
                tr("This complaint is about a place that is not in the factory registry. "
                   "Choose the factory in the Factories tab (search for it by name or "
                   "address), then press New inspection: the checklist and type of this "
                   "plan are set for you."))
            self.planNeedsFactory.emit(plan)
            return None
        except Exception as exc:
            QMessageBox.warning(self.window, tr("The inspection was not started"),
                                one_language(str(exc), self.language))
            return None
        self.refresh()
        self.openInspection.emit(row["id"])
        return row["id"]


def _columns(table: QTableWidget, headers: list[str], widths: tuple[int, ...]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)


def _counted(label: str, count: int) -> str:
    return f"{label} ({count})" if count else label


def _html(text: str) -> str:
    import html
    return html.escape(text).replace("\n", "<br>")
