"""Photo thumbnails: decoded small and upright, kept once a session, made off the UI thread.

A thumbnail comes from Pillow's reduced JPEG decode (``photo_preview``: a 67 MB photo in
a fraction of the time, and Pillow lets go of the interpreter's lock while it decodes, so
the window keeps moving), else from QImageReader at a reduced size. Either way it is turned
upright by the EXIF orientation; the stored bytes are never changed.

The cache (``_THUMBS``) is read and written by the UI thread only: a worker hands its
thumbnails over (``decode_stored_photos`` through ``TaskContext.partial``), and the UI
thread remembers them. Opening a record never decodes a full-size photo on the UI thread.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap

from fieldapp.forms.images import photo_preview
from fieldapp.gui import workers
from fieldapp.store.blobs import read_blob

THUMB = QSize(120, 90)
# A photo is decoded at this many times the thumbnail's longest side, so the smooth scaling
# after it still has pixels to work with.
DECODE_TIMES = 4
# Thumbnails decoded this session, by the photo's SHA-256: ~43 kB each at THUMB.
THUMBS_KEPT = 300
_THUMBS: OrderedDict[str, QImage] = OrderedDict()


def thumbnail(data: bytes, size: QSize = THUMB) -> QPixmap:
    """A thumbnail of image bytes, turned upright by the EXIF orientation (UI thread)."""
    return QPixmap.fromImage(thumbnail_image(data, size))


def thumbnail_image(data: bytes, size: QSize = THUMB) -> QImage:
    """``thumbnail`` as a QImage, which a worker thread may make (a QPixmap it may not)."""
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
        return QImage()
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def from_pil(image) -> QImage:
    """An RGB PIL image as a QImage that owns its pixels."""
    raw = image.tobytes("raw", "RGB")
    return QImage(raw, image.width, image.height, 3 * image.width,
                  QImage.Format.Format_RGB888).copy()


def fit(image: QImage) -> QImage:
    return image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def decode_photo(data: bytes) -> QImage:
    """The thumbnail of photo bytes, for a worker: Pillow's quick reduced decode, else Qt's
    (a picture Pillow refuses, such as one over its size limit). Null if neither reads it."""
    try:
        return fit(from_pil(photo_preview(data, DECODE_TIMES * THUMB.width())))
    except ValueError:
        return thumbnail_image(data)


def decode_stored_photos(ctx: workers.TaskContext, blob_dir: Path,
                         hashes: list[str]) -> None:
    """Worker job: each stored photo's thumbnail handed over as ``(sha256, QImage)`` as soon
    as it is made, in the order asked; stops between photos when cancelled."""
    for sha256 in hashes:
        ctx.check()
        try:
            data = read_blob(blob_dir, sha256, verify=False)
        except Exception:  # noqa: BLE001 - a missing file shows as an empty tile
            data = b""
        ctx.partial((sha256, decode_photo(data) if data else QImage()))


def remember(sha256: str, image: QImage) -> None:
    """Keep a thumbnail for this session (UI thread only)."""
    _THUMBS[sha256] = image
    _THUMBS.move_to_end(sha256)
    while len(_THUMBS) > THUMBS_KEPT:
        _THUMBS.popitem(last=False)


def remembered(sha256: str) -> QImage | None:
    """The thumbnail made earlier this session, or None (UI thread only)."""
    image = _THUMBS.get(sha256)
    if image is not None:
        _THUMBS.move_to_end(sha256)
    return image
