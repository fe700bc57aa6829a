"""A signature pad: smooth strokes from mouse, touch or pen; pen pressure sets the width.

The strokes are kept as points (with pressure), drawn as quadratic curves through the
midpoints, and exported as a PNG cropped to the ink with a transparent background — the
image that sits on the signature line of the printed form.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor(16, 32, 96)           # dark blue, like a ballpoint pen
BASE_WIDTH = 2.6                   # pixels at pressure 0.5
EXPORT_SCALE = 2.0                 # export at twice the screen size: sharp on paper
CROP_MARGIN = 6                    # pixels of transparent margin around the ink

Stroke = list[tuple[QPointF, float]]
MIN_EXTENT = 12.0   # pixels the ink must span, across or down, to count as a signature


def _width(pressure: float) -> float:
    # Light touches must still leave a visible line; a hard press about doubles it.
    return BASE_WIDTH * (0.45 + 1.1 * max(0.0, min(1.0, pressure)))


class SignaturePad(QWidget):
    """Draw with mouse, finger or pen. ``png()`` gives the cropped transparent image."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 160)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[Stroke] = []
        self._undone: list[Stroke] = []
        self._current: Stroke | None = None
        self._read_only = False

    def sizeHint(self) -> QSize:
        return QSize(560, 220)

    # -- state -----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """No ink that could be a signature: a tap, or a dot, is none (a single point was
        saved as the inspector's signature, a dot on the signed form)."""
        points = [p for stroke in self._strokes for p, _pressure in stroke]
        if len(points) < 2:
            return True
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        return max(max(xs) - min(xs), max(ys) - min(ys)) < MIN_EXTENT

    def clear(self) -> None:
        if self._strokes:
            self._undone = []
        self._strokes = []
        self._current = None
        self.update()
        self.changed.emit()

    def undo_stroke(self) -> None:
        if self._strokes:
            self._undone.append(self._strokes.pop())
            self.update()
            self.changed.emit()

    def redo_stroke(self) -> None:
        if self._undone:
            self._strokes.append(self._undone.pop())
            self.update()
            self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def add_stroke(self, points: list[tuple[float, float, float]]) -> None:
        """Add a stroke programmatically (x, y, pressure) — used by tests and replays."""
        self._strokes.append([(QPointF(x, y), p) for x, y, p in points])
        self._undone = []
        self.update()
        self.changed.emit()

    # -- input -----------------------------------------------------------------------------

    def _begin(self, pos: QPointF, pressure: float) -> None:
        if self._read_only:
            return
        self._current = [(pos, pressure)]
        self._strokes.append(self._current)
        self._undone = []

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        last = self._current[-1][0]
        # Skip jitter below half a pixel: it only makes the curve wobble.
        if (pos - last).manhattanLength() < 0.5:
            return
        self._current.append((pos, pressure))
        self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.update()
            self.changed.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), 0.5)

    def mouseMoveEvent(self, event) -> None:
        self._extend(event.position(), 0.5)

    def mouseReleaseEvent(self, event) -> None:
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position(), event.pressure())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position(), event.pressure())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()   # do not let Qt synthesise mouse events on top

    def event(self, event) -> bool:
        kind = event.type()
        if kind in (event.Type.TouchBegin, event.Type.TouchUpdate, event.Type.TouchEnd):
            points = event.points()
            if points:
                p = points[0]
                pressure = p.pressure() if p.pressure() > 0 else 0.5
                if kind == event.Type.TouchBegin:
                    self._begin(p.position(), pressure)
                elif kind == event.Type.TouchUpdate:
                    self._extend(p.position(), pressure)
                else:
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        # The signature line, as on the paper form.
        painter.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        y = self.height() * 0.75
        painter.drawLine(QPointF(16, y), QPointF(self.width() - 16, y))
        draw_strokes(painter, self._strokes, 1.0)
        painter.end()

    def ink_rect(self) -> QRectF:
        """The bounding rectangle of the ink in widget coordinates (empty if no ink)."""
        rect = QRectF()
        for stroke in self._strokes:
            for pos, pressure in stroke:
                w = _width(pressure)
                rect = rect.united(QRectF(pos.x() - w, pos.y() - w, 2 * w, 2 * w))
        return rect

    def image(self) -> QImage:
        """The ink on a transparent background, cropped to the ink plus a small margin."""
        rect = self.ink_rect()
        if rect.isEmpty():
            return QImage()
        rect = rect.adjusted(-CROP_MARGIN, -CROP_MARGIN, CROP_MARGIN, CROP_MARGIN)
        size = QSize(int(rect.width() * EXPORT_SCALE) + 1, int(rect.height() * EXPORT_SCALE) + 1)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.scale(EXPORT_SCALE, EXPORT_SCALE)
        painter.translate(-rect.topLeft())
        draw_strokes(painter, self._strokes, 1.0)
        painter.end()
        return image.convertToFormat(QImage.Format.Format_ARGB32)

    def png(self) -> bytes:
        """The cropped transparent PNG (empty bytes when nothing is drawn)."""
        image = self.image()
        if image.isNull():
            return b""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


def draw_strokes(painter: QPainter, strokes: list[Stroke], scale: float) -> None:
    """Quadratic curves through the midpoints of successive points, width by pressure."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for stroke in strokes:
        if not stroke:
            continue
        if len(stroke) == 1:
            pos, pressure = stroke[0]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            r = _width(pressure) / 2
            painter.drawEllipse(pos, r, r)
            continue
        painter.setBrush(Qt.BrushStyle.NoBrush)
        previous_mid = stroke[0][0]
        for (p0, w0), (p1, w1) in zip(stroke, stroke[1:], strict=False):
            mid = (p0 + p1) / 2
            path = QPainterPath(previous_mid)
            path.quadTo(p0, mid)
            pen = QPen(INK, _width((w0 + w1) / 2) * scale, Qt.PenStyle.SolidLine,
                       Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(path)
            previous_mid = mid
        last_pos, last_w = stroke[-1]
        painter.setPen(QPen(INK, _width(last_w) * scale, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawLine(previous_mid, last_pos)
