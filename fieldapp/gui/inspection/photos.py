"""Per-item photos: add from a file or by drag and drop, thumbnails with captions.

Thumbnails (``thumbnails``) show a photo taken with the phone on its side upright (EXIF
orientation). The original bytes are stored unchanged (content-addressed) as the evidence;
only the display is turned.

A photo chosen or dropped is read, checked, stored and decoded on a worker thread: a 67 MB
JPEG took the window away for 1.9 s (checking 0.7, storing 0.4, its thumbnail 0.8). Only
the row is recorded on the UI thread, through the window's own connection and clock.
Opening a record shows its photos' tiles at once, a placeholder where a thumbnail is not
made yet this session, and fills them in order from a worker (0.8 s of the UI thread for
a 67 MB photo, once a session, before).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
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

from fieldapp.forms.images import photo_preview
from fieldapp.gui import workers
from fieldapp.gui.i18n import ui_language
from fieldapp.gui.inspection import thumbnails
from fieldapp.gui.inspection.thumbnails import THUMB, from_pil
from fieldapp.gui.labels import one_language
from fieldapp.store.blobs import put_blob
from fieldapp.store.db import Store
from fieldapp.store.inspections import attach_stored, remove_attachment, update_attachment

PER_ROW = 6   # tiles of THUMB width side by side: about 800 px, inside a 1366 px screen
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".webp", ".bmp", ".tif", ".tiff"}
# Photo files being added on a worker: the window does not close under them.
_adding: set[workers.Task] = set()


def adding_photos() -> bool:
    """Whether photos chosen or dropped are still being stored."""
    return bool(_adding)


@dataclass
class StoredPhoto:
    """A photo file whose bytes are stored and checked, ready for its row."""

    name: str
    sha256: str
    size: int
    mime: str
    taken_at: str
    thumb: QImage   # remembered by the UI thread, which alone touches the cache


def store_photo_file(blob_dir: Path, path: Path) -> StoredPhoto:
    """Read, check and store the bytes of one photo file, and decode its thumbnail (any
    thread). ValueError with the reason if it cannot be a photo of a record: refused now,
    taken in it would print as an empty box on the signed form, and a finalized record's
    photos cannot be taken out."""
    data = path.read_bytes()
    if not data:
        raise ValueError("ไฟล์ว่างเปล่า แนบไม่ได้ (an attachment cannot be empty)")
    preview = photo_preview(data)   # ValueError with the reason
    sha256 = put_blob(blob_dir, data)
    # From the check's own decode: decoding again with Qt took 0.8 s of a 67 MB photo, and
    # Qt's decoder holds the interpreter's lock, so the window stalled all the same.
    thumb = thumbnails.fit(from_pil(preview))
    return StoredPhoto(path.name, sha256, len(data),
                       mimetypes.guess_type(path.name)[0] or "image/jpeg",
                       datetime.fromtimestamp(path.stat().st_mtime, UTC)
                       .isoformat(timespec="seconds"), thumb)


def _store_photo_files(ctx: workers.TaskContext, blob_dir: Path, paths: list[Path]) -> None:
    """Worker job: each file stored (a StoredPhoto) or refused (its name and reason), handed
    over one by one so each shows as soon as it is ready."""
    for path in paths:
        ctx.check()
        try:
            ctx.partial(store_photo_file(blob_dir, path))
        except Exception as exc:  # noqa: BLE001 - shown with the file's name
            ctx.partial((path.name, str(exc) or type(exc).__name__))


class PhotoTile(QWidget):
    """One photo: thumbnail, caption field, remove button."""

    def __init__(self, strip: PhotoStrip, attachment: dict, thumb: QImage | None):
        super().__init__(strip)
        self.attachment_id = attachment["id"]
        self.sha256 = attachment["sha256"]
        self.setObjectName(f"photo_{attachment['id']}")
        self.image = image = QLabel(self)
        image.setObjectName(f"photoThumb_{attachment['id']}")
        image.setFixedSize(THUMB)
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if thumb is None:
            # Its thumbnail is being made on a worker (PhotoStrip.show_attachments).
            image.setText(self.tr("Loading…"))
            image.setStyleSheet("background: #e6e6e6; color: #555;")
        else:
            self.show_thumbnail(thumb)
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

    def show_thumbnail(self, thumb: QImage) -> None:
        """Its thumbnail in place of the placeholder (empty if the photo cannot be read)."""
        self.image.setStyleSheet("")
        self.image.setText("")
        self.image.setPixmap(QPixmap.fromImage(thumb))


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
        self._thumbs_task: workers.Task | None = None

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
        missing: list[str] = []
        for att in attachments:
            thumb = thumbnails.remembered(att["sha256"])
            if thumb is None and att["sha256"] not in missing:
                missing.append(att["sha256"])
            tile = PhotoTile(self, att, thumb)
            n = len(self.tiles)
            self._grid.addWidget(tile, n // PER_ROW, n % PER_ROW,
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.tiles.append(tile)
        self.set_read_only(self.read_only)
        self._make_thumbnails(missing)

    def _make_thumbnails(self, hashes: list[str]) -> None:
        """Decode the thumbnails not made yet on a worker, filling the tiles in order as each
        arrives. A load started before (the strip rebuilt) is cancelled; one still running
        when the strip is gone (the editor closed) stops at its next photo, and what it
        hands over meanwhile reaches no one (its relay died with the strip)."""
        if self._thumbs_task is not None:
            self._thumbs_task.cancel()
            self._thumbs_task = None
        if not hashes:
            return
        task = workers.Task(thumbnails.decode_stored_photos, self.store.blob_dir, hashes)
        relay = _Relay(self)
        relay.ready.connect(self._thumbnail_ready)
        relay.done.connect(relay.deleteLater)
        task.signals.partial.connect(relay.ready)
        for signal in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            signal.connect(relay.done)
        self.destroyed.connect(task.cancel)
        self._thumbs_task = task
        workers.start(task, reader=True)

    def _thumbnail_ready(self, made: tuple[str, QImage]) -> None:
        sha256, thumb = made
        if not thumb.isNull():
            thumbnails.remember(sha256, thumb)
        for tile in self.tiles:
            if tile.sha256 == sha256:
                tile.show_thumbnail(thumb)

    def add_files(self, paths: list[str | Path]) -> workers.Task:
        """Store the files on a worker, record each photo as it is ready; the button says
        so meanwhile and the window waits for them before it closes."""
        task = workers.Task(_store_photo_files, self.store.blob_dir, list(map(Path, paths)))
        refused: list[tuple[str, str]] = []
        self.add_button.setEnabled(False)
        self.add_button.setText(self.tr("Adding photos…"))

        def ready(photo) -> None:
            if isinstance(photo, tuple):
                refused.append(photo)
            elif self._record(photo, refused):
                self.changed.emit()

        def done() -> None:
            self.add_button.setEnabled(True)
            self.add_button.setText(self.tr("Add photo…"))
            self._tell_refused(refused)
            relay.deleteLater()

        # Rows are recorded by the strip, on the UI thread, through a relay that dies with
        # it (the editor does not close meanwhile: InspectionEditor.may_leave).
        relay = _Relay(self)
        relay.ready.connect(ready)
        relay.done.connect(done)
        task.signals.partial.connect(relay.ready)
        for signal in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            signal.connect(relay.done)
            signal.connect(lambda *_a, t=task: _adding.discard(t))
        _adding.add(task)
        return workers.start(task)

    def _record(self, photo: StoredPhoto, refused: list[tuple[str, str]]) -> int:
        """The row of one stored photo; 1 if recorded, 0 (and why, in ``refused``) if not."""
        thumbnails.remember(photo.sha256, photo.thumb)
        try:
            attach_stored(self.store, self.inspection_id, photo.sha256, photo.size,
                          kind="photo", mime=photo.mime, caption=None, item_id=self.item_id,
                          taken_at=photo.taken_at)
        except Exception as exc:  # noqa: BLE001 - a finalized record, a closed database
            refused.append((photo.name, str(exc)))
            return 0
        return 1

    def _tell_refused(self, refused: list[tuple[str, str]]) -> None:
        if refused:
            QMessageBox.warning(self, self.tr("Photo not added"), "\n".join(
                f"{name}: {one_language(reason, ui_language())}" for name, reason in refused))

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
        if paths and not self.read_only:
            self.add_files(paths)
            event.acceptProposedAction()


class _Relay(QObject):
    """Carries a worker's reports to slots that live as long as its strip (Qt drops a
    signal-to-signal connection with the receiver; a plain function it would still call)."""

    ready = Signal(object)
    done = Signal()


def _image_paths(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls()
            if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES]
