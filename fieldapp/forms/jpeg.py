"""A print-ready JPEG placed on the page as it is: the PDF carries its bytes unchanged.

Why not ReportLab's ``Image`` flowable: it embeds a JPEG unchanged too, but first decodes it
to raw RGB and hashes those pixels, only to name the image inside the PDF. For a record with
a dozen photos that was ~60 ms of a ~260 ms render, on the way to the first page of Print
on the spot (issue 16). Here the name is a hash of the JPEG bytes, and nothing is decoded.

The bytes may also be a function that gives them when the page is drawn: a record's photos
are then still being made print-ready while its first pages are typeset.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

from reportlab.platypus import Flowable


class _JpegSource:
    """What ``Canvas.drawImage`` takes for a JPEG besides a file name: ``jpeg_fh()`` hands
    ReportLab the bytes to embed (DCTDecode), ``str()`` is what it names the image by, so
    the same photo drawn twice is stored once."""

    def __init__(self, data: bytes):
        self.data = data
        self.name = "jpeg-" + hashlib.sha256(data).hexdigest()

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self.data)

    def __str__(self) -> str:
        return self.name


class JpegImage(Flowable):
    """JPEG ``data`` drawn ``width`` x ``height`` points (its proportions are the caller's);
    ``data`` may be a function returning the bytes, called when the image is drawn."""

    def __init__(self, data: bytes | Callable[[], bytes], width: float, height: float):
        super().__init__()
        self.data = data
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        data = self.data if isinstance(self.data, bytes) else self.data()
        self.canv.drawImage(_JpegSource(data), 0, 0, self.drawWidth, self.drawHeight)
