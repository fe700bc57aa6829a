"""A note field: several lines of wrapped text that grows with what is typed.

A long Thai note in a one-line field showed a third of itself. ``NoteEdit`` keeps the one-line
field's ways where the editor relies on them: ``textEdited`` only for the inspector's own
typing (never for ``setText``, so showing a stored answer is no edit), ``text``/``setText``,
and Tab moving to the next field rather than typing a tab. Enter starts a new line.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFontMetricsF, QTextCursor
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

# Taller than this the note scrolls: the checklist around it must stay in view.
MAX_LINES = 6


class NoteEdit(QPlainTextEdit):
    """Multi-line note. ``textEdited(str)`` as QLineEdit's: typing, pasting, its own undo."""

    textEdited = Signal(str)

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._setting = False
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._changed)
        self.setText(text)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        """Show ``text`` without it counting as typed (no ``textEdited``)."""
        self._setting = True
        try:
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.End)   # as a line edit leaves it
        finally:
            self._setting = False
        self._fit()

    def _changed(self) -> None:
        self._fit()
        if not self._setting:
            self.textEdited.emit(self.toPlainText())

    def lines(self) -> int:
        """Lines the text takes at the field's width (wrapped lines counted)."""
        return max(1, int(self.document().documentLayout().documentSize().height()))

    def _fit(self) -> None:
        shown = min(self.lines(), MAX_LINES)
        # The lines, the document's margin above and below, the frame, and the pixel that
        # QPlainTextEdit keeps spare before it shows a scroll bar (one more for rounding).
        lines = math.ceil(shown * QFontMetricsF(self.font()).lineSpacing())
        height = (lines + 2 * math.ceil(self.document().documentMargin())
                  + 2 * self.frameWidth() + 2)
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()     # a narrower field wraps into more lines

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())
