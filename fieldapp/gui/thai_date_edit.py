"""A date field that shows and accepts Buddhist-era dates (21 ธันวาคม 2566).

Qt has no Buddhist calendar, so the field formats through ``fieldapp.core.thaidate`` and
the pop-up calendar carries its own month/year header in the Buddhist era. Storage stays an
ISO date (``value()``); typing ``21/12/2566`` or ``21 ธ.ค. 66`` works too, and, where a
start day is given (a finding's deadline: the inspection's day), a period, ``ภายใน 30 วัน``.

A date typed in full (a four-digit year, or a period with its unit) is taken as it is typed,
so a record closed by force keeps it; the text is put in the long form only when the field
is left, never under the cursor.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.thaidate import MONTHS, format_date, parse_date, parse_deadline, typed_in_full

# Years (C.E.) a date typed in the window may fall in.
PLAUSIBLE = (1950, 2150)


class BuddhistCalendarPopup(QFrame):
    """A calendar whose header reads ``ธันวาคม 2566`` instead of ``December 2023``."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("buddhistCalendarPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("buddhistCalendar")
        # Qt's own header shows the Gregorian year; ours shows the Buddhist era.
        self.calendar.setNavigationBarVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.previous = QToolButton(self, objectName="calendarPrevious", text="‹")
        self.next = QToolButton(self, objectName="calendarNext", text="›")
        self.header = QLabel(self, objectName="calendarMonthYear")
        self.header.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top = QHBoxLayout()
        top.addWidget(self.previous)
        top.addWidget(self.header, 1)
        top.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.calendar)
        self.previous.clicked.connect(self.calendar.showPreviousMonth)
        self.next.clicked.connect(self.calendar.showNextMonth)
        self.calendar.currentPageChanged.connect(self._update_header)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        self._update_header(self.calendar.yearShown(), self.calendar.monthShown())

    def _update_header(self, year: int, month: int) -> None:
        self.header.setText(f"{MONTHS[month - 1]} {year + 543}")

    def _pick(self, qdate: QDate) -> None:
        self.picked.emit(qdate)
        self.hide()


class ThaiDateEdit(QWidget):
    """Line edit + calendar button. ``value()`` is an ISO date string or None."""

    dateChanged = Signal(object)   # ISO string or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._value: date | None = None
        self._start: date | None = None     # what a typed period counts from; None: no periods
        self.edit = QLineEdit(self)
        self.edit.setObjectName("thaiDateText")
        self.edit.setPlaceholderText(self.tr("e.g. 21/12/2566"))
        self.button = QToolButton(self)
        self.button.setObjectName("thaiDateButton")
        self.button.setText("…")   # an emoji calendar may be missing from the font
        self.button.setToolTip(self.tr("Choose a date"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.popup = BuddhistCalendarPopup(self)
        self.popup.picked.connect(lambda d: self.set_value(date(d.year(), d.month(), d.day()),
                                                           emit=True))
        self.button.clicked.connect(self.show_popup)
        self.edit.editingFinished.connect(self._parse_typed)
        self.edit.textEdited.connect(self._take_typed)

    def value(self) -> str | None:
        return self._value.isoformat() if self._value else None

    def set_period_start(self, start: date | None) -> None:
        """Accept periods (``ภายใน 30 วัน``), counted from ``start``; None: dates only."""
        self._start = start

    def set_value(self, value: date | str | None, emit: bool = False) -> None:
        if isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        changed = value != self._value
        self._value = value
        # Text that already reads as this date stays as typed: the stored value comes back
        # here while the inspector is still typing, and the cursor must not jump.
        if value is None or self._read(self.edit.text()) != value:
            self.edit.setText(format_date(value) if value else "")
        self.edit.setStyleSheet("")
        self.edit.setToolTip("")
        if emit and changed:
            self.dateChanged.emit(self.value())

    def unparsed(self) -> bool:
        """Whether the field shows typing that is not its value (no date, or one not taken
        yet: ``1/1/25`` until the field is left), so the value is the one before."""
        shown = self.edit.text().strip()
        return bool(shown) and self._read(shown) != self._value

    def _read(self, text: str) -> date | None:
        """The date ``text`` means, or None (empty, no date, or no plausible year)."""
        text = text.strip()
        if not text:
            return None
        try:
            typed = (parse_deadline(text, self._start) if self._start is not None
                     else parse_date(text))
        except ValueError:
            return None
        # 1/1/9999 is a slip of the keyboard, not a date of an inspection.
        return typed if PLAUSIBLE[0] <= typed.year <= PLAUSIBLE[1] else None

    def show_popup(self) -> None:
        start = self._value or date.today()
        self.popup.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()

    def _take_typed(self, text: str) -> None:
        """As typed: a date in full is stored at once (an app killed before the field is
        left keeps it), the text left as it is under the cursor."""
        typed = self._read(text)
        if typed is not None and typed_in_full(text):
            self.set_value(typed, emit=True)

    def _parse_typed(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self.set_value(None, emit=True)
            return
        typed = self._read(text)
        if typed is None:
            # Keep what was typed so nothing is lost; mark it and say why.
            self.edit.setStyleSheet("border: 2px solid #c0392b;")
            self.edit.setToolTip(self.tr("Not a date. Type e.g. 21/12/2566")
                                 if self._start is None else
                                 self.tr("Not a date. Type e.g. 21/12/2566 or within 30 days"))
            return
        self.set_value(typed, emit=True)
        self.edit.setText(format_date(typed))    # left: shown in the long form
