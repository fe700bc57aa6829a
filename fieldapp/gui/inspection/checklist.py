"""The checklist editor: generated from the template, sections with progress, autosave.

Every edit becomes an AnswerCommand on the editor's QUndoStack; pushing it writes the answer
through the store at once (autosave, no Save button) and the widgets are refreshed from the
stored row. Conditional items show and hide as answers change (core.templates.is_visible).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from fieldapp.core.templates import Template, is_visible
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.answer_commands import AnswerCommand, answer_fields
from fieldapp.gui.inspection.item_widget import ItemWidget, _paint_colour
from fieldapp.gui.inspection.photos import PhotoStrip
from fieldapp.store.db import Store
from fieldapp.store.inspections import answers_by_item, children

FIRST_BATCH = 12   # about a screenful
LATER_BATCH = 8    # per event-loop turn: keeps the window responsive while it fills in


class ChecklistView(QScrollArea):
    """All sections and items of one inspection. objectName ``checklistView``."""

    changed = Signal()                 # something was stored
    addFindingRequested = Signal(str)  # item id
    failed = Signal(str)               # a store error, in words

    def __init__(self, store: Store, inspection_id: str, template: Template, language: str,
                 undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checklistView")
        self.setWidgetResizable(True)
        self.store, self.inspection_id, self.template = store, inspection_id, template
        self.undo_stack = undo_stack
        self.language = language
        self.read_only = False
        self.answers: dict[str, dict] = answers_by_item(store, inspection_id)
        self.photo_rows: dict[str, list[dict]] = {}
        self._load_photos()

        body = QWidget(self)
        body.setObjectName("checklistBody")
        self._layout = QVBoxLayout(body)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.items: dict[str, ItemWidget] = {}
        self.order: list[str] = [i.id for s in template.sections for i in s.items]
        self.progress: dict[str, QLabel] = {}
        self.setWidget(body)
        # Widgets are built a batch at a time: the first screenful at once, the rest on later
        # turns of the event loop, so a 200-item checklist opens at once and stays responsive.
        self._to_build = iter([(s, i) for s in template.sections for i in ([None] + list(s.items))])
        self._build(FIRST_BATCH)
        self._update_progress()
        if not self.fully_built:
            QTimer.singleShot(0, self, self._build_more)

    @property
    def fully_built(self) -> bool:
        return len(self.items) == len(self.order)

    def _build_more(self) -> None:
        self._build(LATER_BATCH)
        self._update_progress()
        if not self.fully_built:
            QTimer.singleShot(0, self, self._build_more)

    def ensure_built(self) -> None:
        """Build every remaining item now (programmatic access, finalize, tests)."""
        if not self.fully_built:
            self._build(len(self.order))
            self._update_progress()

    def _build(self, count: int) -> None:
        body, built = self.widget(), 0
        for section, item in self._to_build:
            if item is None:
                self._add_section_header(body, section)
                continue
            strip = PhotoStrip(self.store, self.inspection_id, item.id)
            widget = ItemWidget(item, self.language, strip, body)
            widget.answerEdited.connect(self._edited)
            widget.moveRequested.connect(self.move_focus)
            widget.addFindingRequested.connect(self.addFindingRequested)
            widget.photosChanged.connect(self._photos_changed)
            photos = self.photo_rows.get(item.id, [])
            if photos:
                strip.show_attachments(photos)
            widget.show_answer(self.answers.get(item.id), len(photos))
            widget.setVisible(is_visible(item, self.answers))
            if self.read_only:
                widget.set_read_only(True)
            self.items[item.id] = widget
            self._layout.insertWidget(self._layout.count() - 1, widget)
            built += 1
            if built >= count:
                return

    def _add_section_header(self, body: QWidget, section) -> None:
        header = QLabel(body)
        header.setObjectName(f"section_{section.id}")
        font = header.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        header.setFont(font)
        header.setContentsMargins(0, 10, 0, 0)
        title = section.title.get(self.language) or section.title["th"]
        header.setText(f"{section.number}. {title}")
        progress = QLabel(body)
        progress.setObjectName(f"sectionProgress_{section.id}")
        _paint_colour(progress, "#555")
        self.progress[section.id] = progress
        self._layout.insertWidget(self._layout.count() - 1, header)
        self._layout.insertWidget(self._layout.count() - 1, progress)

    # -- editing ---------------------------------------------------------------------------

    def _edited(self, item_id: str, fields: dict, merge_key: str) -> None:
        if self.read_only:
            return
        before = answer_fields(self.answers.get(item_id))
        after = {**before, **fields}
        widget = self.items[item_id]
        label = widget.item.name(self.language if self.language in ("th", "en") else "th")
        command = AnswerCommand(self.store, self.inspection_id, item_id, before, after,
                                self._applied, tr("answer %1").replace("%1", label),
                                merge_key or None)
        try:
            self.undo_stack.push(command)
        except Exception as exc:   # the store refused: say so, keep what is on screen
            self.failed.emit(str(exc))

    def answer(self, item_id: str, **fields) -> None:
        """Programmatic answer, exactly as a user edit (undoable, autosaved)."""
        self.ensure_built()
        self._edited(item_id, fields, "")

    def _applied(self, item_id: str, row: dict) -> None:
        self.answers[item_id] = row
        self.items[item_id].show_answer(row, len(self.photo_rows.get(item_id, [])))
        self._update_visibility()
        self._update_progress()
        self.changed.emit()

    def _load_photos(self) -> None:
        self.photo_rows = {}
        for att in children(self.store, "attachments", self.inspection_id):
            if att["kind"] == "photo" and att["item_id"]:
                self.photo_rows.setdefault(att["item_id"], []).append(att)

    def _photos_changed(self, item_id: str) -> None:
        self._load_photos()
        widget = self.items[item_id]
        widget.photos.show_attachments(self.photo_rows.get(item_id, []))
        widget.show_answer(self.answers.get(item_id), len(self.photo_rows.get(item_id, [])))
        self._update_progress()
        self.changed.emit()

    # -- showing ---------------------------------------------------------------------------

    def _update_visibility(self) -> None:
        for widget in list(self.items.values()):
            widget.setVisible(is_visible(widget.item, self.answers))

    def _update_progress(self) -> None:
        for section in self.template.sections:
            if section.id not in self.progress:
                continue
            visible = [i for i in section.items if is_visible(i, self.answers)]
            required = [i for i in visible if i.required]
            done = [i for i in required if _answered(i, self.answers.get(i.id),
                                                     len(self.photo_rows.get(i.id, [])))]
            self.progress[section.id].setText(
                tr("Answered %1 of %2 required").replace("%1", str(len(done)))
                .replace("%2", str(len(required))))

    def move_focus(self, item_id: str, step: int) -> None:
        """Focus the next (or previous) visible item and scroll to it."""
        index = self.order.index(item_id)
        self.ensure_built()
        while 0 <= index + step < len(self.order):
            index += step
            widget = self.items[self.order[index]]
            if not widget.isHidden():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                # After the layout settles (a conditional item may just have appeared).
                QTimer.singleShot(0, widget, lambda w=widget: self.ensureWidgetVisible(w, 40, 80))
                return

    def show_item(self, item_id: str) -> None:
        """Scroll to an item and give it the focus (a finalize problem clicked)."""
        self.ensure_built()
        widget = self.items.get(item_id)
        if widget is None or widget.isHidden():
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, widget, lambda: self.ensureWidgetVisible(widget, 40, 80))

    def focus_first(self) -> None:
        if self.order:
            first = self.items[self.order[0]]
            first.setFocus()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only   # items built later read it too
        for widget in self.items.values():
            widget.set_read_only(read_only)


def _answered(item, answer: dict | None, photos: int) -> bool:
    answer = answer or {}
    if answer.get("result") is not None:
        return True
    if item.type == "photo":
        return photos > 0
    return answer.get("value") is not None
