"""One checklist item in the editor: result buttons, value field, note, photos, problems.

Built in code from the template's Item (the checklist is generated, not designed). Object
names carry the item id so tests and scripts find them: ``item_<id>``, ``result_<id>_pass``,
``value_<id>``, ``note_<id>``, ``exceeded_<id>``, ``addFinding_<id>``, ``photos_<id>``.
The widget never writes the store itself: it emits ``answerEdited`` and the checklist turns
that into an undoable command.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.detection import UNDECIDED
from fieldapp.core.errors import ValidationError
from fieldapp.core.templates import (
    Item,
    is_failed,
    judgement,
    needs_decision,
    normalize_value,
    outside_limits,
)
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.photos import PhotoStrip
from fieldapp.gui.labels import one_language
from fieldapp.gui.note_edit import NoteEdit
from fieldapp.gui.thai_date_edit import ThaiDateEdit

RESULTS = ("pass", "fail", "na", "not_checked")
# Keys 1-4 answer the focused item; on a Thai Kedmanee keyboard the same keys type ๅ / - ภ.
RESULT_KEYS = {"1": "pass", "ๅ": "pass", "2": "fail", "/": "fail", "3": "na", "-": "na",
               "4": "not_checked", "ภ": "not_checked"}
RESULT_COLOURS = {"pass": "#1e8449", "fail": "#c0392b", "na": "#7f8c8d",
                  "not_checked": "#b9770e"}



def result_label(result: str) -> str:
    return {"pass": tr("Pass"), "fail": tr("Fail"), "na": tr("Not applicable"),
            "not_checked": tr("Not checked")}[result]


def _paint_colour(widget: QWidget, colour: str) -> None:
    """Text colour through the palette: style sheets re-polish every widget they touch and
    made a 200-item checklist take seconds to open; palettes cost nothing."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    widget.setPalette(palette)


def _bold(widget: QWidget) -> None:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)


class ResultButton(QPushButton):
    """A large result button; when chosen it is filled with its result's colour."""

    def __init__(self, text: str, result: str, parent: QWidget):
        super().__init__(text, parent)
        self.colour = QColor(RESULT_COLOURS[result])

    def paintEvent(self, event) -> None:
        if not self.isChecked():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour if self.isEnabled() else self.colour.lighter(140))
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text())
        painter.end()


class ItemWidget(QFrame):
    """The editor of one item. ``answerEdited(item_id, fields, merge_key)``."""

    answerEdited = Signal(str, dict, str)
    addFindingRequested = Signal(str)
    moveRequested = Signal(str, int)        # item id, +1 next / -1 previous
    photosChanged = Signal(str)

    def __init__(self, item: Item, language: str, photos: PhotoStrip,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.language = language
        self.answer: dict = {}
        self._updating = False
        self._unsaved: str | None = None   # typed value text that is no value (not stored)
        self.setObjectName(f"item_{item.id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        title = QLabel(f"{item.number}  {item.label.get(language) or item.label['th']}"
                       + ("  *" if item.required else ""), self)
        title.setObjectName(f"label_{item.id}")
        title.setWordWrap(True)
        _bold(title)
        outer.addWidget(title)
        if item.legal_basis:
            english = language == "en" and item.legal_basis_en
            basis = QLabel(item.legal_basis_en if english else item.legal_basis, self)
            _paint_colour(basis, "#555")
            basis.setWordWrap(True)
            outer.addWidget(basis)

        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)   # a second click on the chosen result clears it
        row = QHBoxLayout()
        for n, result in enumerate(RESULTS, start=1):
            button = ResultButton(f"{result_label(result)}  ({n})", result, self)
            button.setObjectName(f"result_{item.id}_{result}")
            button.setCheckable(True)
            button.setMinimumHeight(40)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # focus stays on the item
            button.clicked.connect(lambda _c=False, r=result: self._result_clicked(r))
            self.group.addButton(button)
            self.buttons[result] = button
            row.addWidget(button)
        # Value items use the buttons only for "not applicable" / "not checked".
        if item.type != "result":
            self.buttons["pass"].hide()
            self.buttons["fail"].hide()
        outer.addLayout(row)

        self.value_edit: QWidget | None = None
        self.exceeded = QLabel(self)
        self.exceeded.setObjectName(f"exceeded_{item.id}")
        _paint_colour(self.exceeded, "#c0392b")
        _bold(self.exceeded)
        self.exceeded.hide()
        self._build_value_editor(outer)

        grid = QGridLayout()
        self.note = NoteEdit("", self)
        self.note.setObjectName(f"note_{item.id}")
        self.note.setPlaceholderText(tr("Note"))
        self.note.textEdited.connect(
            lambda text: self._edit({"note": text or None}, f"note:{item.id}"))
        grid.addWidget(self.note, 0, 0, 1, 2)
        outer.addLayout(grid)
        self.photos = photos
        self.photos.changed.connect(lambda: self.photosChanged.emit(item.id))
        outer.addWidget(self.photos)

        bottom = QHBoxLayout()
        self.problem = QLabel(self)
        self.problem.setObjectName(f"problem_{item.id}")
        _paint_colour(self.problem, "#c0392b")
        self.problem.setWordWrap(True)
        bottom.addWidget(self.problem, 1)
        self.add_finding = QPushButton(tr("Add finding"), self)
        self.add_finding.setObjectName(f"addFinding_{item.id}")
        self.add_finding.hide()
        self.add_finding.clicked.connect(lambda: self.addFindingRequested.emit(item.id))
        bottom.addWidget(self.add_finding)
        outer.addLayout(bottom)

    # -- value editors by answer type ------------------------------------------------------

    def _build_value_editor(self, outer: QVBoxLayout) -> None:
        item, kind = self.item, self.item.type
        row = QHBoxLayout()
        name = f"value_{item.id}"
        if kind in ("number", "text", "gps"):
            edit = QLineEdit(self)
            if kind == "gps":
                edit.setPlaceholderText(tr("latitude, longitude (e.g. 13.7563, 100.5018)"))
            edit.textEdited.connect(lambda text: self._typed_value(text))
            row.addWidget(edit, 1)
            if kind == "number":
                if item.limit_text():
                    # What a lab report may say is taken as it says it (core/detection.py).
                    edit.setPlaceholderText(tr("e.g. 12.5, <2 (below detection) or ND"))
                if item.unit:
                    row.addWidget(QLabel(item.unit, self))
                if item.limit_text():
                    limit = QLabel(tr("limit %1").replace("%1", item.limit_text()), self)
                    limit.setObjectName(f"limit_{item.id}")
                    _paint_colour(limit, "#555")
                    row.addWidget(limit)
                row.addWidget(self.exceeded)
        elif kind == "choice":
            edit = QComboBox(self)
            edit.addItem("", None)
            for choice in item.choices:
                edit.addItem(choice.label.get(self.language) or choice.label["th"], choice.id)
            edit.currentIndexChanged.connect(
                lambda _i: self._edit({"value": edit.currentData()}, None))
            row.addWidget(edit, 1)
        elif kind == "multi_choice":
            edit = QWidget(self)
            # In a grid, not one row: six choices in a row made the item 1,300 px wide and
            # the whole checklist scroll sideways, every item clipped.
            grid = QGridLayout(edit)
            grid.setContentsMargins(0, 0, 0, 0)
            labels = [c.label.get(self.language) or c.label["th"] for c in item.choices]
            longest = max((len(text) for text in labels), default=0)
            columns = 1 if longest > 40 else 2 if longest > 18 else 3
            self._checks = []
            for n, (choice, text) in enumerate(zip(item.choices, labels, strict=True)):
                check = QCheckBox(text, edit)
                check.setObjectName(f"choice_{item.id}_{choice.id}")
                check.toggled.connect(lambda _on: self._multi_changed())
                self._checks.append((choice.id, check))
                grid.addWidget(check, n // columns, n % columns)
            row.addWidget(edit, 1)
        elif kind == "date":
            edit = ThaiDateEdit(self)
            edit.dateChanged.connect(lambda value: self._edit({"value": value}, None))
            row.addWidget(edit, 1)
        elif kind == "document":
            edit = QWidget(self)
            box = QHBoxLayout(edit)
            box.setContentsMargins(0, 0, 0, 0)
            self._doc_number = QLineEdit(edit, objectName=f"docNumber_{item.id}")
            self._doc_number.setPlaceholderText(tr("Document number"))
            self._doc_date = ThaiDateEdit(edit)
            self._doc_date.setObjectName(f"docDate_{item.id}")
            box.addWidget(self._doc_number, 1)
            box.addWidget(self._doc_date, 1)
            self._doc_number.textEdited.connect(lambda _t: self._document_changed())
            self._doc_date.dateChanged.connect(lambda _v: self._document_changed())
            row.addWidget(edit, 1)
        else:       # result and photo items have no typed value
            return
        edit.setObjectName(name)
        self.value_edit = edit
        outer.addLayout(row)

    def _typed_value(self, text: str) -> None:
        try:
            normalize_value(self.item, text)
        except ValidationError as exc:
            # Keep the typed text on screen, say what is wrong, store nothing yet.
            self._unsaved = text
            self.problem.setText(one_language(str(exc), self.language))
            self.exceeded.hide()
            return
        self._unsaved = None
        self._edit({"value": text or None}, f"value:{self.item.id}")

    def unsaved_typing(self) -> str | None:
        """Text typed into the value or date that is no value, so not stored (shown in red);
        None when what is on screen is what is stored."""
        if self._unsaved:
            return self._unsaved
        for date_field in (self.value_edit, getattr(self, "_doc_date", None)):
            if isinstance(date_field, ThaiDateEdit) and date_field.unparsed():
                return date_field.edit.text().strip()
        return None

    def _multi_changed(self) -> None:
        chosen = [cid for cid, check in self._checks if check.isChecked()]
        self._edit({"value": chosen or None}, None)

    def _document_changed(self) -> None:
        doc = {"number": self._doc_number.text().strip() or None, "date": self._doc_date.value()}
        self._edit({"value": doc if any(doc.values()) else None}, f"doc:{self.item.id}")

    # -- answering -------------------------------------------------------------------------

    def _result_clicked(self, result: str) -> None:
        new = None if self.answer.get("result") == result else result
        self._edit({"result": new}, None)
        if new is not None:
            self.moveRequested.emit(self.item.id, +1)

    def set_result(self, result: str | None) -> None:
        """Answer as a click would (keyboard shortcut, tests)."""
        if self.buttons[result].isHidden() if result else False:
            return
        self._result_clicked(result) if result else self._edit({"result": None}, None)

    def _edit(self, fields: dict, merge_key: str | None) -> None:
        if self._updating:
            return
        self.answerEdited.emit(self.item.id, fields, merge_key or "")

    def keyPressEvent(self, event) -> None:
        text = event.text()
        if text in RESULT_KEYS and not self.buttons[RESULT_KEYS[text]].isHidden():
            self._result_clicked(RESULT_KEYS[text])
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.moveRequested.emit(self.item.id, +1)
            return
        if event.key() == Qt.Key.Key_Up:
            self.moveRequested.emit(self.item.id, -1)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.hasFocus():   # where the keyboard is: answer keys act on this item
            painter = QPainter(self)
            painter.setPen(QPen(QColor("#2e86c1"), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
            painter.end()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.update()

    # -- showing ---------------------------------------------------------------------------

    def show_answer(self, answer: dict | None, photo_count: int) -> None:
        """Bring the widgets in line with the stored answer (after a save, undo or load)."""
        self.answer = dict(answer or {})
        self._updating = True
        try:
            result = self.answer.get("result")
            for name, button in self.buttons.items():
                button.setChecked(name == result)
            self._show_value(self.answer.get("value"))
            note = self.answer.get("note") or ""
            if self.note.text() != note:
                self.note.setText(note)
        finally:
            self._updating = False
        side = outside_limits(self.item, self.answer.get("value"))
        undecided = judgement(self.item, self.answer.get("value")) == UNDECIDED
        if side:
            self.exceeded.setText(tr("Below the legal minimum") if side == "below"
                                  else tr("Over the legal limit"))
        elif undecided:
            self.exceeded.setText(tr("Cannot be judged: the detection limit is above the "
                                     "legal limit"))
        _paint_colour(self.exceeded, "#8a5a00" if undecided and not side else "#c0392b")
        self.exceeded.setVisible(bool(side) or undecided)
        if self.item.type == "number":
            # Pass and fail are the inspector's decision on a value that cannot be judged
            # by itself ("<30" against ≤ 20); any other measured value judges itself.
            decides = undecided or self.answer.get("result") in ("pass", "fail")
            self.buttons["pass"].setVisible(decides)
            self.buttons["fail"].setVisible(decides)
        failed = is_failed(self.item, self.answer)
        self.add_finding.setVisible(failed and not self.note.isReadOnly())
        self.problem.setText(self._problems(failed, photo_count))

    def _show_value(self, value: str | None) -> None:
        edit, kind = self.value_edit, self.item.type
        if edit is None:
            return
        if kind in ("number", "text", "gps"):
            shown = edit.text()
            # Do not overwrite "7.50" typed by the user with the stored "7.50" equivalent.
            try:
                same = normalize_value(self.item, shown) == value
            except ValidationError:
                same = False
            if not same:
                edit.setText(_gps_text(value) if kind == "gps" else (value or ""))
                self._unsaved = None   # what is on screen is what is stored again
        elif kind == "choice":
            edit.setCurrentIndex(max(0, edit.findData(value)))
        elif kind == "multi_choice":
            chosen = set(json.loads(value)) if value else set()
            for cid, check in self._checks:
                check.setChecked(cid in chosen)
        elif kind == "date":
            edit.set_value(value)
        elif kind == "document":
            doc = json.loads(value) if value else {}
            if self._doc_number.text().strip() != (doc.get("number") or ""):
                self._doc_number.setText(doc.get("number") or "")
            self._doc_date.set_value(doc.get("date"))

    def _problems(self, failed: bool, photos: int) -> str:
        problems = []
        if needs_decision(self.item, self.answer):
            problems.append(tr("Choose pass or fail: the value alone cannot be judged"))
        if failed and self.item.on_fail.get("note") and not (self.answer.get("note") or ""):
            problems.append(tr("A failed item needs a note"))
        if failed and self.item.on_fail.get("photo") and photos < 1:
            problems.append(tr("A failed item needs a photo"))
        return " · ".join(problems)

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        if self.value_edit is not None:
            self.value_edit.setEnabled(not read_only)
        self.photos.set_read_only(read_only)
        if read_only:
            self.add_finding.hide()


def _gps_text(value: str | None) -> str:
    if not value:
        return ""
    point = json.loads(value)
    return f"{point['lat']}, {point['lng']}"
