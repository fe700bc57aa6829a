"""Per-item photos: add from a file or by drag and drop, thumbnails with captions.

Thumbnails are decoded with QImageReader's auto-transform, so a photo taken with the phone
on its side shows upright (EXIF orientation). The original bytes are stored unchanged
(content-addressed) as the evidence; only the display is turned.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.forms.images import photo_problem
from fieldapp.gui.i18n import ui_language
from fieldapp.gui.labels import one_language
from fieldapp.store.blobs import read_blob
from fieldapp.store.db import Store
from fieldapp.store.inspections import add_attachment, remove_attachment, update_attachment

THUMB = QSize(120, 90)
PER_ROW = 6   # tiles of THUMB width side by side: about 800 px, inside a 1366 px screen
# A photo is decoded at this many times the thumbnail's longest side, so the smooth scaling
# after it still has pixels to work with.
DECODE_TIMES = 4
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".webp", ".bmp", ".tif", ".tiff"}


def thumbnail(data: bytes, size: QSize = THUMB) -> QPixmap:
    """A thumbnail of image bytes, turned upright by the EXIF orientation."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    stored = reader.size()   # as stored, before the EXIF turn
    longest = DECODE_TIMES * max(size.width(), size.height())
    if stored.isValid() and max(stored.width(), stored.height()) > longest:
        # Decoded small (a JPEG decoder skips most of the work), not whole and then scaled:
        # a 100-megapixel photo whole is past Qt's allocation limit and showed no
        # thumbnail at all, and a 12-megapixel one took ten times as long.
        reader.setScaledSize(stored.scaled(longest, longest, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QPixmap()
    return QPixmap.fromImage(image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))


class PhotoTile(QWidget):
    """One photo: thumbnail, caption field, remove button."""

    def __init__(self, strip: PhotoStrip, attachment: dict, pixmap: QPixmap):
        super().__init__(strip)
        self.attachment_id = attachment["id"]
        self.setObjectName(f"photo_{attachment['id']}")
        image = QLabel(self)
        image.setPixmap(pixmap)
        image.setFixedSize(THUMB)
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLineEdit(attachment.get("caption") or "", self)
        self.caption.setObjectName(f"photoCaption_{attachment['id']}")
        self.caption.setPlaceholderText(self.tr("Caption"))
        self.caption.setFixedWidth(THUMB.width())
        self.remove = QToolButton(self, text="✕", objectName=f"photoRemove_{attachment['id']}")
        self.remove.setToolTip(self.tr("Remove photo"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        top = QHBoxLayout()
        top.addWidget(image)
        top.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        # Saved as it is typed, as an item's note is: a caption kept until the field is
        # left was lost with the laptop's battery.
        self.caption.textEdited.connect(
            lambda text: strip.set_caption(self.attachment_id, text))
        self.remove.clicked.connect(lambda: strip.remove(self.attachment_id))


class PhotoStrip(QWidget):
    """The photos of one item. Accepts image files dropped on it."""

    changed = Signal()

    def __init__(self, store: Store, inspection_id: str, item_id: str | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.inspection_id, self.item_id = store, inspection_id, item_id
        self.setObjectName(f"photos_{item_id}")
        self.setAcceptDrops(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        # The tiles in rows of PER_ROW: in one row, eleven photos made the whole checklist
        # wider than the window and every item scrolled sideways.
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.add_button = QToolButton(self)
        self.add_button.setObjectName(f"addPhoto_{item_id}")
        self.add_button.setText(self.tr("Add photo…"))
        self.add_button.setToolTip(self.tr("Add a photo from a file, or drop image files here"))
        self.add_button.setMinimumHeight(36)
        self.add_button.clicked.connect(self.choose_files)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(self._grid)
        row.addStretch(1)
        self.tiles: list[PhotoTile] = []
        self.read_only = False

    @property
    def count(self) -> int:
        return len(self.tiles)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setVisible(not read_only)
        self.setAcceptDrops(not read_only)
        for tile in self.tiles:
            tile.remove.setVisible(not read_only)
            tile.caption.setReadOnly(read_only)

    def show_attachments(self, attachments: list[dict]) -> None:
        """(Re)build the tiles from attachment rows of this item."""
        for tile in self.tiles:
            tile.deleteLater()
        self.tiles = []
        for att in attachments:
            try:
                data = read_blob(self.store.blob_dir, att["sha256"], verify=False)
            except Exception:
                data = b""
            tile = PhotoTile(self, att, thumbnail(data))
            n = len(self.tiles)
            self._grid.addWidget(tile, n // PER_ROW, n % PER_ROW,
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.tiles.append(tile)
        self.set_read_only(self.read_only)

    def add_files(self, paths: list[str | Path]) -> int:
        """Store each image file as a photo of this item; returns how many were added."""
        added = 0
        for path in map(Path, paths):
            try:
                data = path.read_bytes()
                problem = photo_problem(data) if data else None   # empty: store says so
                if problem:
                    # Refused now: taken in, it would print as an empty box on the signed
                    # form, and a finalized record's photos cannot be taken out.
                    QMessageBox.warning(self, self.tr("Photo not added"),
                                        f"{path.name}: {one_language(problem, ui_language())}")
                    continue
                mime = mimetypes.guess_type(path.name)[0] or "image/jpeg"
                add_attachment(self.store, self.inspection_id, data, kind="photo", mime=mime,
                               caption=None, item_id=self.item_id,
                               taken_at=datetime.fromtimestamp(path.stat().st_mtime, UTC)
                               .isoformat(timespec="seconds"))
                added += 1
            except Exception as exc:
                QMessageBox.warning(self, self.tr("Photo not added"),
                                    f"{path.name}: {one_language(str(exc), ui_language())}")
        if added:
            self.changed.emit()
        return added

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add photos"), "", self.tr("Images (*.jpg *.jpeg *.png *.webp)"))
        if files:
            self.add_files(files)

    def set_caption(self, attachment_id: str, caption: str) -> None:
        update_attachment(self.store, attachment_id, caption=caption.strip() or None)

    def remove(self, attachment_id: str) -> None:
        # Evidence, and not in the undo history: one stray click must not lose it.
        answer = QMessageBox.question(
            self, self.tr("Remove photo"), self.tr("Remove this photo from the record?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        remove_attachment(self.store, attachment_id)
        self.changed.emit()

    # -- drag and drop ---------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if not self.read_only and _image_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = _image_paths(event.mimeData())
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()


def _image_paths(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls()
            if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES]
