"""A print-ready JPEG placed on the page as it is: the PDF carries its bytes unchanged.

Why not ReportLab's ``Image`` flowable: it embeds a JPEG unchanged too, but first decodes it
to raw RGB and hashes those pixels, only to name the image inside the PDF. For a record with
a dozen photos that was ~60 ms of a ~260 ms render, on the way to the first page of Print
on the spot (issue 16). Here the name is a hash of the JPEG bytes, and nothing is decoded.
"""

from __future__ import annotations

import hashlib
import io

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
    """JPEG ``data`` drawn ``width`` x ``height`` points (its proportions are the caller's)."""

    def __init__(self, data: bytes, width: float, height: float):
        super().__init__()
        self.source = _JpegSource(data)
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        self.canv.drawImage(self.source, 0, 0, self.drawWidth, self.drawHeight)
