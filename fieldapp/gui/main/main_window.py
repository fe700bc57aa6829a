"""The main window: factory search, factory detail, inspections by state, the office's
lists (returned to me, my plan: main/office_lists.py), the editor page.

Layout from ui/main_window.ui; behaviour here. The window holds the UI thread's Store for
quick single-row reads and writes; searches run on the factory model's own thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
)

from fieldapp.core.thaidate import format_date, format_datetime
from fieldapp.gui import ops
from fieldapp.gui.i18n import tr
from fieldapp.gui.labels import kind_label
from fieldapp.gui.main.factory_detail import factory_html
from fieldapp.gui.main.factory_model import STATUSES, FactoryTableModel, status_label
from fieldapp.gui.main.office_lists import OfficeLists
from fieldapp.gui.resources import load_ui
from fieldapp.gui.settings import Settings
from fieldapp.gui.sync.sync_status import SyncStatus
from fieldapp.store.db import Store

SEARCH_PAUSE_MS = 120   # typing pause before the search runs



class MainWindowFrame(QMainWindow):
    """The .ui's QMainWindow, telling its controller when it is being closed.

    Why not an event filter: a Python event filter on the window wraps every event the window
    gets (a dozen kinds before the first paint) in a Python object, and makes PySide6 create
    each event class, a few milliseconds of every start (issue 16)."""

    closing = Signal()
    # Set by the controller: returns False to keep the window open (typing not saved).
    may_close = None

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.may_close is not None and not self.may_close():
            event.ignore()
            return
        self.closing.emit()
        super().closeEvent(event)


def state_label(state: str) -> str:
    return {"draft": tr("Drafts"), "finalized": tr("Finalized"),
            "unsynced": tr("Waiting to sync")}[state]


class MainWindow(QObject):
    """Controller of the main window (``self.window`` is the QMainWindow from the .ui).
    ``swapRequested`` passes on data_care's requests to replace the database (Session)."""

    swapRequested = Signal(object)

    def __init__(self, store: Store, settings: Settings, db_path: Path):
        super().__init__()
        self.store = store
        self.settings = settings
        self.db_path = db_path
        self.window: QMainWindow = load_ui("main_window", widget_class=MainWindowFrame)
        self.window.closing.connect(self._window_closing)
        self.window.may_close = lambda: self.editor is None or self.editor.may_leave()
        # Owned by the window: timers and the model die with it, not after it.
        self.setParent(self.window)
        w = self.window
        self.search: QLineEdit = w.findChild(QLineEdit, "factorySearch")
        self.province: QComboBox = w.findChild(QComboBox, "provinceFilter")
        self.status: QComboBox = w.findChild(QComboBox, "statusFilter")
        self.table: QTableView = w.findChild(QTableView, "factoryTable")
        self.detail: QTextBrowser = w.findChild(QTextBrowser, "factoryDetail")
        self.past: QListWidget = w.findChild(QListWidget, "factoryInspections")
        self.new_button: QPushButton = w.findChild(QPushButton, "newInspectionButton")
        self.result_count: QLabel = w.findChild(QLabel, "resultCount")
        self.pages: QStackedWidget = w.findChild(QStackedWidget, "pages")
        self.tabs: QTabWidget = w.findChild(QTabWidget, "mainTabs")
        self.state_filter: QComboBox = w.findChild(QComboBox, "inspectionStateFilter")
        self.inspection_list: QTableWidget = w.findChild(QTableWidget, "inspectionList")
        self.open_button: QPushButton = w.findChild(QPushButton, "openInspectionButton")
        self.editor = None
        self._factory_id: str | None = None

        self.sync_status = SyncStatus(store, w)
        w.statusBar().addPermanentWidget(self.sync_status)

        self.model = FactoryTableModel(db_path, self)
        self.table.setModel(self.model)
        self._fit_factory_columns(w)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)   # Tab reaches the buttons beside it
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._focus_table)
        self.model.searchFinished.connect(self._show_count)
        self.table.selectionModel().currentRowChanged.connect(self._factory_selected)
        # Enter (activated) or a double click on a factory starts an inspection of it.
        self.table.activated.connect(lambda _i: self.new_inspection())
        self.new_button.clicked.connect(self.new_inspection)
        self.past.itemActivated.connect(lambda it: self.open_inspection(it.data(Qt.UserRole)))
        self.state_filter.currentIndexChanged.connect(lambda _i: self.refresh_inspections())
        # The inspections list is read when its tab is shown, not at start-up.
        self.tabs.currentChanged.connect(lambda _i: self.refresh_inspections())
        self.inspection_list.itemSelectionChanged.connect(
            lambda: self.open_button.setEnabled(bool(self.inspection_list.selectedItems())))
        self.inspection_list.itemDoubleClicked.connect(lambda _i: self._open_selected())
        self.open_button.clicked.connect(self._open_selected)
        w.findChild(QObject, "quitAction").triggered.connect(w.close)
        w.findChild(QObject, "settingsAction").triggered.connect(self.open_settings)
        w.findChild(QObject, "importRegistryAction").triggered.connect(self.import_registry)
        w.findChild(QObject, "printBlankFormAction").triggered.connect(
            lambda: self.print_blank_form())
        w.findChild(QObject, "previewChecklistAction").triggered.connect(
            lambda: self.preview_checklist_file())
        self._data_care = None   # made when first used (data_care): not needed to start
        w.findChild(QObject, "backupAction").triggered.connect(lambda: self.data_care.backup())
        w.findChild(QObject, "restoreAction").triggered.connect(
            lambda: self.data_care.restore())
        w.findChild(QObject, "removeDemoAction").triggered.connect(
            lambda: self.data_care.remove_demo())
        w.findChild(QPushButton, "removeDemoButton").clicked.connect(
            lambda: self.data_care.remove_demo())
        self.sync = None
        self.sync_now_action = w.findChild(QObject, "syncNowAction")
        self.login_action = w.findChild(QObject, "loginAction")
        self.sync_now_action.setEnabled(False)     # until a SyncController is attached
        self.login_action.setEnabled(False)
        self.blank_form = None
        w.findChild(QObject, "rejectedAction").triggered.connect(self.show_rejected)

        self.office = OfficeLists(store, settings, w)
        self.office.openInspection.connect(self.open_inspection)
        self.office.planNeedsFactory.connect(self._choose_factory_for)
        self._pending_plan: dict | None = None   # a complaint plan waiting for its factory

        self._fill_filters()
        self.inspection_list.setColumnCount(5)
        self.inspection_list.setHorizontalHeaderLabels(
            [tr("Factory"), tr("Type"), tr("Started"), tr("State"), tr("Record no.")])
        self.inspection_list.horizontalHeader().setStretchLastSection(True)
        self.inspection_list.setColumnWidth(0, 360)
        self.inspection_list.setColumnWidth(2, 220)
        self.inspection_list.verticalHeader().setVisible(False)
        self.run_search()
        self._list_inspections()    # the sync status started its own count when made
        self.office.refresh()
        self.refresh_demo_banner()
        self.search.setFocus()

    # -- search ----------------------------------------------------------------------------


    def _fit_factory_columns(self, w: QMainWindow) -> None:
        """The factory list without sideways scrolling on a 1366 px laptop screen (it
        needed 1,040 px and had half the window): the table takes three fifths beside the
        detail, the ID columns are as wide as an ID, and the location, which the detail
        shows whole, takes what is left, elided."""
        splitter: QSplitter = w.findChild(QSplitter, "factorySplitter")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])   # in that proportion, whatever the window's width
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        digits = self.table.fontMetrics().horizontalAdvance("0" * 14) + 24
        for column, width in enumerate((280, digits, digits, 0, 120)):
            if width:
                self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
    def _fill_filters(self) -> None:
        self.province.blockSignals(True)
        self.province.clear()
        self.province.addItem(tr("All provinces"), None)
        for name in ops.provinces(self.store):
            self.province.addItem(name, name)
        self.province.blockSignals(False)
        if self.status.count() == 0:
            self.status.addItem(tr("Any status"), None)
            for status in STATUSES:
                self.status.addItem(status_label(status), status)
            # Every factory by default: registry files often leave the status empty, and a
            # default that hides them shows an empty registry after an import.
            self.status.setCurrentIndex(0)
            self.province.currentIndexChanged.connect(lambda _i: self.run_search())
            self.status.currentIndexChanged.connect(lambda _i: self.run_search())
            # Quietly: the first item would "change" the filter and count and read again.
            self.state_filter.blockSignals(True)
            for state in ops.INSPECTION_STATES:
                self.state_filter.addItem(state_label(state), state)
            self.state_filter.blockSignals(False)

    @property
    def data_care(self):
        """Backup, restore and demo removal (data_care.DataCare), made on first use: its
        module and dialogs are not needed for the window's first paint."""
        if self._data_care is None:
            from fieldapp.gui.main.data_care import DataCare
            self._data_care = DataCare(self.db_path, self.window)
            self._data_care.swapRequested.connect(self.swapRequested)
        return self._data_care

    def data_arrived(self) -> None:
        """Demo data, an import or a sync landed: refresh filters, results and lists."""
        self._fill_filters()
        self.run_search()
        self.refresh_inspections()
        self.office.refresh()
        self.refresh_demo_banner()

    def refresh_demo_banner(self) -> None:
        """The yellow "demo data" band and its menu item, while the database is demo."""
        from fieldapp.store.demo_removal import is_demo
        demo = is_demo(self.store)
        self.window.findChild(QObject, "demoBanner").setVisible(demo)
        self.window.findChild(QObject, "removeDemoAction").setEnabled(demo)

    def show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.warning(self.window, "FieldApp", message)

    def run_search(self) -> None:
        self._timer.stop()
        self.model.search(self.search.text(), province=self.province.currentData(),
                          status=self.status.currentData())

    def _show_count(self, total: int) -> None:
        if total < 0:
            self.result_count.setText(tr("Search failed; try other words"))
        else:
            self.result_count.setText(tr("%1 factories found").replace("%1", f"{total:,}"))
        if total > 0 and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _focus_table(self) -> None:
        self.table.setFocus()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _factory_selected(self, current, _previous) -> None:
        if not current.isValid():
            self._factory_id = None
            self.new_button.setEnabled(False)
            return
        self._factory_id = self.model.row(current.row())["id"]
        self.new_button.setEnabled(True)
        self.show_factory(self._factory_id)

    def show_factory(self, factory_id: str) -> None:
        detail = ops.factory_detail(self.store, factory_id)
        self.detail.setHtml(factory_html(detail["factory"]))
        self.past.clear()
        for row in detail["inspections"]:
            text = (f"{format_date(row['started_at'])} · {kind_label(row['kind'])} · "
                    f"{state_label(row['state'])}")
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, row["id"])
            self.past.addItem(item)
        if not detail["inspections"]:
            self.past.addItem(QListWidgetItem(tr("No inspections yet")))

    # -- inspections -----------------------------------------------------------------------

    def refresh_inspections(self) -> None:
        """Count the changes waiting to sync again, and read the inspections tab if shown."""
        self.sync_status.refresh()
        self._list_inspections()

    def _list_inspections(self) -> None:
        if self.tabs.currentWidget() is not self.tabs.widget(1):
            return   # read when the tab is shown
        state = self.state_filter.currentData() or "draft"
        rows = ops.inspections_in_state(self.store, state)
        self.inspection_list.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (row.get("factory_name") or "", kind_label(row["kind"]),
                      format_datetime(row["started_at"]), state_label(row["state"]),
                      row.get("record_no") or "")
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.UserRole, row["id"])
                self.inspection_list.setItem(r, c, item)

    def _open_selected(self) -> None:
        items = self.inspection_list.selectedItems()
        if items:
            self.open_inspection(items[0].data(Qt.UserRole))

    def new_inspection(self) -> None:
        if not self._factory_id:
            return
        from fieldapp.gui.inspection.new_inspection import NewInspectionDialog
        plan = self._pending_plan
        dialog = NewInspectionDialog(self.store, self.settings, self._factory_id, self.window,
                                     preset=plan)
        created = dialog.run()
        # Dialogs are children of the window: delete them, or they pile up until quit.
        dialog.dialog.deleteLater()
        dialog.deleteLater()
        if created:
            if plan is not None:
                from fieldapp.store.office_loop import link_plan
                self._pending_plan = None
                try:
                    link_plan(self.store, plan["id"], dialog.inspection_id)
                except Exception as exc:   # the plan was closed meanwhile: keep the record
                    self.show_error(str(exc))
            self.open_inspection(dialog.inspection_id)

    def _choose_factory_for(self, plan: dict) -> None:
        """A complaint plan about a place not in the registry: search for it among the
        factories; the next new inspection is preset for the plan and starts it."""
        self._pending_plan = plan
        self.tabs.setCurrentWidget(self.window.findChild(QObject, "factoriesTab"))
        if plan.get("place"):
            self.search.setText(plan["place"])
        self.search.setFocus()

    def open_inspection(self, inspection_id: str | None) -> None:
        if not inspection_id:
            return
        from fieldapp.gui.inspection.inspection_editor import InspectionEditor
        self.close_editor()
        self.editor = InspectionEditor(self.store, self.settings, inspection_id, self.pages)
        self.editor.closed.connect(self.close_editor)
        self.editor.openOther.connect(self.open_inspection)
        self.editor.changed.connect(self.sync_status.refresh)
        if self.sync is not None:
            self.editor.finalized.connect(lambda _id: self.sync.soon())
        self.pages.addWidget(self.editor)
        self.pages.setCurrentWidget(self.editor)

    def close_editor(self) -> None:
        if self.editor is not None:
            self.pages.setCurrentIndex(0)
            self.pages.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
            self.refresh_inspections()
            self.office.refresh()
            if self._factory_id:
                self.show_factory(self._factory_id)

    # -- menus -----------------------------------------------------------------------------

    def open_settings(self) -> None:
        from fieldapp.gui.setup.settings_dialog import SettingsDialog
        dialog = SettingsDialog(self.settings, self.window)
        dialog.run()
        dialog.dialog.deleteLater()
        dialog.deleteLater()

    def import_registry(self) -> None:
        from fieldapp.gui.main.import_dialog import ImportDialog
        ImportDialog(self.db_path, self.window, self.settings.get("ui/language")).run()
        self.data_arrived()

    def print_blank_form(self, template_version_id: str | None = None):
        """File → Print a blank form… (print_export.BlankForm)."""
        from fieldapp.gui.printing.print_export import BlankForm
        if self.blank_form is None:
            self.blank_form = BlankForm(self.store, self.settings, self.db_path, self.window)
            self.blank_form.failed.connect(self.show_error)
        return self.blank_form.run(template_version_id)

    def preview_checklist_file(self, path: str | Path | None = None):
        """File → Preview a checklist file…: an Excel checklist as inspectors will see it,
        with its mistakes (gui/inspection/checklist_preview.py). Not modal, so the author
        can keep it open beside Excel and read the file again after each save."""
        if path is None:
            from PySide6.QtWidgets import QFileDialog
            path, _filter = QFileDialog.getOpenFileName(
                self.window, tr("Preview a checklist file"), str(Path.home()),
                tr("Excel checklists (*.xlsx)"))
            if not path:
                return None
        from fieldapp.gui.inspection.checklist_preview import ChecklistPreviewDialog
        dialog = ChecklistPreviewDialog(path, self.settings.get("ui/language"), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- sync ------------------------------------------------------------------------------

    def attach_sync(self, controller) -> None:
        """Wire the session's SyncController: Sync menu, finalize hook, status bar."""
        self.sync = controller
        self.sync_now_action.setEnabled(True)
        self.login_action.setEnabled(True)
        self.sync_now_action.triggered.connect(lambda: controller.sync(automatic=False))
        self.login_action.triggered.connect(self.log_in)
        controller.loginNeeded.connect(self.log_in)
        controller.finished.connect(self._synced)

    def _synced(self, outcome) -> None:
        if outcome.pulled:
            self.data_arrived()
        else:
            self.sync_status.refresh()

    def show_rejected(self) -> None:
        from fieldapp.gui.sync.rejected_dialog import RejectedDialog
        dialog = RejectedDialog(self.store, self.window)
        dialog.exec()
        dialog.deleteLater()

    def log_in(self) -> bool:
        from fieldapp.gui.sync.login_dialog import LoginDialog
        dialog = LoginDialog(self.store, self.settings, self.window)
        if self.sync is not None:
            dialog.loggedIn.connect(lambda _a: self.sync.sync(automatic=False))
        ok = dialog.run()
        dialog.dialog.deleteLater()
        dialog.deleteLater()
        return ok

    # -- lifetime --------------------------------------------------------------------------

    def show(self) -> None:
        geometry = self.settings.get("ui/window_geometry")
        if geometry:
            self.window.restoreGeometry(geometry)
        self.window.show()

    def _window_closing(self) -> None:
        self.settings.set("ui/window_geometry", bytes(self.window.saveGeometry()))
        self._timer.stop()
        self.model.shutdown()

