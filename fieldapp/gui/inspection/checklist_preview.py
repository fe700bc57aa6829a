"""File → Preview a checklist file…: an Excel checklist (XLSForm) shown as the inspector
will see it, with every mistake listed at its sheet, row and column.

A provincial author checks a draft offline, before sending it to the office. The preview is a
real checklist view: answers can be tried out (conditional items appear and hide, an
over-limit reading is flagged) but live only in memory; nothing is written to the database,
photos cannot be added, and no template is installed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import ValidationError
from fieldapp.core.templates import is_exceeded, normalize_value, parse_template
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.answer_commands import answer_fields
from fieldapp.gui.inspection.checklist import ChecklistView
from fieldapp.store.db import Store
from fieldapp.xlsform import SheetProblem, parse_workbook

PREVIEW_INSPECTION = "preview"   # no such inspection exists: nothing can be stored under it


class PreviewChecklist(ChecklistView):
    """A ChecklistView whose answers stay in memory (normalised exactly as the store would)."""

    def __init__(self, template, language: str, parent: QWidget | None = None):
        # An empty in-memory database: the view reads answers and photos from it (none).
        self._scratch = Store(":memory:")
        super().__init__(self._scratch, PREVIEW_INSPECTION, template, language,
                         QUndoStack(parent), parent)
        self.setObjectName("previewChecklist")
        self.ensure_built()
        for widget in self.items.values():
            widget.photos.add_button.setEnabled(False)
            widget.photos.add_button.setToolTip(tr("Photos cannot be added in a preview"))
            widget.add_finding.setEnabled(False)
            widget.add_finding.setToolTip(tr("Findings cannot be added in a preview"))

    def _edited(self, item_id: str, fields: dict, merge_key: str) -> None:
        item = self.items[item_id].item
        row = {**answer_fields(self.answers.get(item_id)), **fields}
        try:
            row["value"] = normalize_value(item, row["value"])
        except ValidationError as exc:
            self.failed.emit(str(exc))
            return
        exceeded = is_exceeded(item, row["value"])
        row["exceeded"] = None if exceeded is None else int(exceeded)
        self._applied(item_id, row)

    def close_scratch(self) -> None:
        self._scratch.close()


class ChecklistPreviewDialog(QDialog):
    """objectName ``checklistPreviewDialog``: the file's summary, its problems (table
    ``previewProblems``) and the checklist (``previewChecklist``); ``reloadPreviewButton``
    reads the file again after the author saved it in Excel."""

    def __init__(self, path: str | Path, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistPreviewDialog")
        self.setWindowTitle(tr("Preview a checklist file"))
        self.resize(1000, 760)
        self.path, self.language = Path(path), language
        self.view: PreviewChecklist | None = None
        self.problems: list[SheetProblem] = []

        layout = QVBoxLayout(self)
        self.summary = QLabel(self, objectName="previewSummary", wordWrap=True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("previewProblems")
        self.table.setHorizontalHeaderLabels([tr("Sheet"), tr("Row"), tr("Column"),
                                              tr("Problem")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((90, 60, 190)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.splitter.addWidget(self.table)
        layout.addWidget(self.splitter, 1)
        self.message = QLabel(self, objectName="previewMessage", wordWrap=True)
        self.message.setStyleSheet("color: #a00;")
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        reload_button = QPushButton(tr("Read the file again"), self)
        reload_button.setObjectName("reloadPreviewButton")
        buttons.addButton(reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        close_button = QPushButton(tr("Close"), self)
        close_button.setObjectName("closePreviewButton")
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        reload_button.clicked.connect(self.load)
        buttons.rejected.connect(self.reject)
        # Wrapped messages need the column's real width before rows can take their height.
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        """Read the workbook again and show what it holds now."""
        self.message.hide()
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self._show(None, [SheetProblem(None, None, None, None,
                                           f"อ่านไฟล์ไม่ได้ ({exc.strerror})",
                                           f"cannot read the file ({exc.strerror})")])
            return
        document, problems = parse_workbook(data)
        self._show(parse_template(document, str(self.path)) if document else None, problems)

    def _show(self, template, problems: list[SheetProblem]) -> None:
        self.problems = problems
        name = self.path.name
        if template is not None:
            title = template.title.get(self.language) or template.title["th"]
            self.summary.setText(
                tr("%1: %2, version %3, %4 items — no problems found")
                .replace("%1", name).replace("%2", title)
                .replace("%3", str(template.version)).replace("%4", str(len(template.items))))
        else:
            self.summary.setText(tr("%1: %2 problems; fix them in Excel, save, then read the "
                                    "file again").replace("%1", name)
                                 .replace("%2", str(len(problems))))
        self._fill_table(problems)
        if self.view is not None:
            self.view.close_scratch()
            self.view.setParent(None)
            self.view.deleteLater()
            self.view = None
        if template is not None:
            self.view = PreviewChecklist(template, self.language, self)
            self.view.failed.connect(self._failed)
            self.splitter.addWidget(self.view)

    def _fill_table(self, problems: list[SheetProblem]) -> None:
        self.table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            shown, other = (problem.message_en, problem.message_th) if self.language == "en" \
                else (problem.message_th, problem.message_en)
            column = problem.column or ""
            if problem.heading:
                column = f"{column} ({problem.heading})" if column else problem.heading
            cells = (problem.sheet or "", "" if problem.row is None else str(problem.row),
                     column, shown)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setToolTip(other)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(problems))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def _failed(self, message: str) -> None:
        # Store-style messages read "Thai (English)": show the half in the UI's language.
        thai, _sep, english = message.partition(" (")
        self.message.setText(english.rstrip(")") if self.language == "en" and english
                             else thai)
        self.message.show()

    def done(self, result: int) -> None:
        if self.view is not None:
            self.view.close_scratch()
        super().done(result)
