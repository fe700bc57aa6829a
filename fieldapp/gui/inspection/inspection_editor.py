"""The inspection page: checklist, findings, signatures; undo/redo; finalize and amend.

No Save button: every change is stored as it is made. After finalizing the page turns
read-only and offers "Amend", which opens a linked amendment draft.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.thaidate import format_date, format_datetime, to_local
from fieldapp.gui import ops
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.checklist import ChecklistView
from fieldapp.gui.inspection.findings import FindingsView
from fieldapp.gui.inspection.photos import adding_photos
from fieldapp.gui.inspection.scans import ScansView
from fieldapp.gui.labels import one_language
from fieldapp.gui.printing.print_export import PrintExport
from fieldapp.gui.settings import Settings
from fieldapp.gui.signing.signatures_panel import SignaturesPanel
from fieldapp.store.db import Store
from fieldapp.store.inspections import children
from fieldapp.store.office_loop import amended_record, amendment_refusal, complaint_of
from fieldapp.store.signing import amend, finalize, finalize_check, missing_signatures


class InspectionEditor(QWidget):
    """Edits (or shows, when finalized) one inspection. objectName ``inspectionEditor``."""

    closed = Signal()
    openOther = Signal(str)      # e.g. the amendment draft just created
    changed = Signal()
    finalized = Signal(str)      # a record was locked: the sync worker sends it soon

    def __init__(self, store: Store, settings: Settings, inspection_id: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inspectionEditor")
        self.store, self.settings, self.inspection_id = store, settings, inspection_id
        self.language = settings.get("ui/language")
        opened = ops.open_inspection(store, inspection_id)
        self.template = opened.template
        self.undo_stack = QUndoStack(self)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.back_button = self._button(bar, "backButton", tr("← Back to list"))
        self.title = QLabel(self)
        self.title.setObjectName("inspectionTitle")
        self.title.setWordWrap(True)
        bar.addWidget(self.title, 1)
        self.undo_button = self._button(bar, "undoButton", tr("Undo"))
        self.redo_button = self._button(bar, "redoButton", tr("Redo"))
        self.print_export = PrintExport(store, inspection_id, self)
        bar.addWidget(self.print_export.print_button)
        bar.addWidget(self.print_export.export_button)
        self.amend_button = self._button(bar, "amendButton", tr("Amend"))
        self.finalize_button = self._button(bar, "finalizeButton", tr("Finalize"))
        self.finalize_button.setStyleSheet("font-weight: 700;")
        layout.addLayout(bar)

        self.returned = QLabel(self)
        self.returned.setObjectName("amendmentReturnComment")
        self.returned.setWordWrap(True)
        self.returned.setStyleSheet("background: #fff8e1; padding: 8px; border-radius: 4px;")
        self.returned.hide()
        layout.addWidget(self.returned)

        self.problems = QListWidget(self)
        self.problems.setObjectName("finalizeProblems")
        self.problems.setMaximumHeight(140)
        self.problems.setStyleSheet("color: #c0392b;")
        self.problems.hide()
        # A click on a problem goes to its item: with 25 of them in a short list, finding
        # each item by hand was the slow part of finishing a record.
        self.problems.itemClicked.connect(self._go_to_problem)
        self.problems.itemActivated.connect(self._go_to_problem)
        layout.addWidget(self.problems)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("editorTabs")
        self.checklist = ChecklistView(store, inspection_id, self.template, self.language,
                                       self.undo_stack, self)
        self.findings = FindingsView(store, inspection_id, self.template, self.language, self)
        default_name = settings.get("inspector/name")
        self.signatures = SignaturesPanel(store, inspection_id, default_name, self)
        self.tabs.addTab(self.checklist, tr("Checklist"))
        self.tabs.addTab(self.findings, tr("Findings and orders"))
        self.tabs.addTab(self.signatures, tr("Signatures"))
        self.scans = ScansView(store, inspection_id, self)
        self.tabs.addTab(self.scans, tr("Signed paper"))
        self.followup = None
        self._add_office_tabs(opened.bundle["inspection"]["kind"])
        layout.addWidget(self.tabs, 1)

        self.back_button.clicked.connect(self._back)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        self.finalize_button.clicked.connect(self.try_finalize)
        self.amend_button.clicked.connect(self.make_amendment)
        self.checklist.addFindingRequested.connect(self.add_finding_from_item)
        for view in (self.checklist, self.findings, self.signatures):
            view.changed.connect(self._changed)
        self.scans.changed.connect(self.changed)
        for view in (self.checklist, self.findings):
            view.failed.connect(self.show_error)
        self.apply_state()
        self.checklist.focus_first()

    def _add_office_tabs(self, kind: str) -> None:
        """A follow-up opens on its orders, a complaint inspection shows its complaint."""
        if kind == "follow_up":
            from fieldapp.gui.inspection.followup_view import FollowUpView
            self.followup = FollowUpView(self.store, self.inspection_id, self.language, self)
            self.followup.changed.connect(self._changed)
            self.followup.failed.connect(self.show_error)
            self.tabs.insertTab(0, self.followup, tr("Orders followed up"))
            self.tabs.setCurrentIndex(0)
        elif kind == "complaint":
            complaint = complaint_of(self.store, self.inspection_id)
            if complaint is not None:
                from fieldapp.gui.inspection.complaint_panel import ComplaintPanel
                self.tabs.insertTab(0, ComplaintPanel(self.store, complaint, self),
                                    tr("The complaint"))
                self.tabs.setCurrentIndex(0)

    def _button(self, bar: QHBoxLayout, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setMinimumHeight(38)
        bar.addWidget(button)
        return button

    # -- state -----------------------------------------------------------------------------

    def apply_state(self) -> None:
        """Show the header and switch between editable draft and read-only record."""
        opened = ops.open_inspection(self.store, self.inspection_id)
        row = opened.bundle["inspection"]
        self.started_at = row["started_at"]
        finalized = self.read_only = opened.finalized
        state = tr("Finalized") if finalized else tr("Draft")
        original = amended_record(self.store, row)
        amends = ""
        if original is not None:
            # Which record it corrects, and why the office sent it back: the inspector
            # had to go back to the list to read the comment.
            amends = (tr(" · amends record %1").replace("%1", str(original["record_no"]))
                      if original["record_no"] else tr(" · amends an earlier record"))
        comment = (original or {}).get("comment")
        self.returned.setVisible(bool(comment) and not opened.finalized)
        if comment:
            self.returned.setText(tr("Returned by the office: %1").replace("%1", comment))
        record = tr("Record")
        self.title.setText(f"<b>{opened.factory.get('name', '')}</b><br>"
                           f"{record} {row.get('record_no') or ''} · "
                           f"{format_datetime(row['started_at'])} · {state}{amends}")
        self.checklist.set_read_only(finalized)
        self.findings.set_read_only(finalized)
        self.signatures.set_read_only(finalized)
        if self.followup is not None:
            self.followup.set_read_only(finalized)
        # An approved record is locked until the office reopens it (the server says so too).
        refusal = amendment_refusal(self.store, self.inspection_id) if finalized else None
        self.amend_button.setEnabled(refusal is None)
        self.amend_button.setToolTip(one_language(refusal, self.language) if refusal else "")
        self.finalize_button.setVisible(not finalized)
        self.amend_button.setVisible(finalized)
        self.undo_button.setVisible(not finalized)
        self.redo_button.setVisible(not finalized)
        if finalized:
            self.undo_stack.clear()
        self.print_export.refresh()

    def _changed(self) -> None:
        if self.problems.isVisible():
            self._show_problems(finalize_check(self.store, self.inspection_id))
        self.signatures.refresh()
        self.changed.emit()

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, tr("Not saved"), message)

    # -- actions ---------------------------------------------------------------------------

    def add_finding_from_item(self, item_id: str) -> None:
        self.findings.add(item_id)
        self.tabs.setCurrentWidget(self.findings)

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.clear()
        lang = 0 if self.language == "th" else 1
        for problem in problems:
            # Store messages read "Thai (English)"; show the half in the UI's language.
            line = QListWidgetItem(one_language(problem, "th" if lang == 0 else "en"))
            line.setData(Qt.ItemDataRole.UserRole, self._item_of(problem))
            self.problems.addItem(line)
        self.problems.setVisible(bool(problems))

    def _item_of(self, problem: str) -> str | None:
        """The checklist item a problem is about (its messages begin with the item's name or
        ``ข้อ <number>:``), to go to it when the problem is clicked; None for others."""
        for item in self.template.items.values():
            if problem.startswith((item.name("th"), f"ข้อ {item.number}:")):
                return item.id
        return None

    def _go_to_problem(self, line: QListWidgetItem) -> None:
        item_id = line.data(Qt.ItemDataRole.UserRole)
        if item_id:
            self.tabs.setCurrentWidget(self.checklist)
            self.checklist.show_item(item_id)

    def try_finalize(self) -> bool:
        if self._photos_on_their_way():
            # Locked now, they would be refused as they arrive: not part of what is signed.
            return False
        # Typing left on screen that is no value (the field says so in red) was never
        # stored: finalizing would sign the value before it, which the inspector no longer
        # sees. It is corrected or cleared first.
        typing = self.unsaved_typing()
        # Checked once without signatures (it hashes the record): complete but for them,
        # with nobody signed on screen, the record may be locked for signing in ink (part
        # signed on screen and part in ink would be two papers of one record).
        unsigned = typing + finalize_check(self.store, self.inspection_id,
                                           require_signatures=False)
        signatures = children(self.store, "signatures", self.inspection_id)
        problems = unsigned + missing_signatures(signatures)
        in_ink = False
        early = self._early_deadlines()
        if problems and not unsigned and not signatures:
            # Nobody signed on screen and nothing else is missing: the form is printed and
            # signed in ink (DESIGN §1), which needs the record locked first; the scan of
            # the signed paper is attached afterwards ("Signed paper").
            answer = QMessageBox.question(
                self, tr("Finalize"),
                early + tr("Nobody has signed on screen. Lock this record unsigned, to print "
                           "the form and have it signed in ink? After finalizing it cannot "
                           "be changed; attach a scan of the signed paper under “Signed "
                           "paper”."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            in_ink = answer == QMessageBox.StandardButton.Yes
        if problems and not in_ink:
            self._show_problems(problems)
            return False
        if not in_ink and QMessageBox.question(
                self, tr("Finalize"), early + tr("Lock this record? After finalizing it "
                                                 "cannot be changed; corrections become an "
                                                 "amendment."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        try:
            finalize(self.store, self.inspection_id, require_signatures=not in_ink)
        except Exception as exc:
            self.show_error(str(exc))
            return False
        self._show_problems([])
        self.apply_state()
        if in_ink:
            self.tabs.setCurrentWidget(self.scans)
        self.changed.emit()
        self.finalized.emit(self.inspection_id)
        return True

    def _early_deadlines(self) -> str:
        """A warning, for the question that locks the record, naming the findings whose
        deadline is before the inspection's day (a year typed wrong, 2560 for 2570): such a
        deadline is legal to record, but an order overdue the day it is given is a slip
        the inspector should see before signing; "" when there is none."""
        day = to_local(self.started_at).date().isoformat()
        early = [f"“{card.description_text()}” ({format_date(deadline)})"
                 for card in self.findings.cards
                 if (deadline := card.deadline.value()) and deadline < day]
        if not early:
            return ""
        return tr("The deadline of these findings is before the day of the inspection: "
                  "%1.").replace("%1", "; ".join(early)) + "\n\n"

    def unsaved_typing(self) -> list[str]:
        """Typing on screen that is no value (shown in red), so not stored: in an item's
        value or date, or in a finding's deadline. Each stored value is the one before it,
        which the inspector no longer sees."""
        problems = [
            f"ข้อ {w.item.number}: พิมพ์ไว้ว่า “{typed}” ซึ่งยังไม่ได้บันทึก แก้ไขหรือลบออกก่อน "
            f"(item {w.item.number}: “{typed}” is typed but is not a value, so it is not "
            f"saved — correct it or clear it first)"
            for w in self.checklist.items.values() if (typed := w.unsaved_typing())]
        problems += [
            f"ข้อบกพร่อง “{card.description_text()}”: กำหนดแล้วเสร็จพิมพ์ไว้ว่า “{typed}” ซึ่งไม่ใช่"
            f"วันที่ จึงยังไม่ได้บันทึก แก้ไขหรือลบออกก่อน (finding “{card.description_text()}”: "
            f"the deadline “{typed}” is not a date, so it is not saved — correct it or clear "
            f"it first)"
            for card in self.findings.cards if (typed := card.unsaved_deadline())]
        return problems

    def may_leave(self) -> bool:
        """Whether the inspector may leave this record now: asked when typing on screen
        would be lost (the stored value is the one before it, and the record could be
        finalized later with it, unseen)."""
        if self._photos_on_their_way():
            # Their rows are recorded on this thread as each is stored: leaving now would
            # drop the photos still on their way.
            return False
        if self.read_only or not (problems := self.unsaved_typing()):
            return True
        self._show_problems(problems)
        answer = QMessageBox.question(
            self, tr("Typing not saved"),
            tr("Some typing is not a value and was not saved (listed in red). Leave anyway? "
               "What is typed there will be lost; the value stored before it stays."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _photos_on_their_way(self) -> bool:
        """Whether photos chosen or dropped are still being stored (said if so)."""
        if not adding_photos():
            return False
        QMessageBox.information(self, tr("Adding photos"),
                                tr("Photos are still being added to this record; "
                                   "wait a moment, then try again."))
        return True

    def _back(self) -> None:
        if self.may_leave():
            self.closed.emit()

    def make_amendment(self) -> None:
        try:
            new = amend(self.store, self.inspection_id,
                        created_by=self.settings.get("inspector/name") or None)
        except Exception as exc:
            QMessageBox.warning(self, tr("No amendment made"), one_language(str(exc),
                                                                            self.language))
            self.apply_state()
            return
        self.openOther.emit(new["id"])
