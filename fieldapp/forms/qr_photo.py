"""Reading the verification QR code from a phone photo or a scan of a printed page.

The code on the paper is small (1.7 cm, about 47 modules: a third of a millimetre each), and
real photos are not test images: turned sideways by the camera's EXIF tag, 12 to 50
megapixels, taken at an angle, a little out of focus, under a lamp that leaves half the page
in shadow, JPEG-compressed by a messaging app. One attempt with the decoder's defaults misses
many of them, so the reader tries a short list of preprocessed versions of the picture,
cheapest and likeliest first, until one decodes or the time budget is spent.

The file comes from a stranger (the office console's upload), so opening it is guarded:
only JPEG and PNG, a bound on the pixels a header may claim (a "decompression bomb" is a few
kilobytes that claim gigapixels), large JPEGs decoded at a reduced scale straight from the
compressed data, and every failure an error a person can act on.
"""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Callable, Iterator
from typing import TypeVar

from PIL import Image, ImageChops, ImageFilter, ImageOps

from fieldapp.core.errors import FieldAppError

T = TypeVar("T")

FORMATS = ("JPEG", "PNG")
# A JPEG is decoded at 1/2, 1/4 or 1/8 scale straight from its DCT data, so even a 100 MP
# header costs little; a PNG has no such shortcut and is decoded whole.
MAX_JPEG_PIXELS = 150_000_000
MAX_PNG_PIXELS = 36_000_000     # an A4 page scanned at 600 dpi is 35 MP
WORK_SIDE = 4000                # the long side the reader works at (3-4 px per QR module)
DEFAULT_BUDGET_S = 8.0

_ORIENTATION = 0x0112
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


class PhotoError(FieldAppError):
    """The upload is not a picture this reader can open: ``kind`` is "not_image", "damaged"
    or "too_many_pixels", the message says why in Thai and English."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


NOT_AN_IMAGE = ("ไฟล์นี้ไม่ใช่รูปภาพ JPEG หรือ PNG (not a JPEG or PNG picture)")
DAMAGED = ("รูปภาพเสียหายหรือส่งมาไม่ครบ ลองส่งใหม่อีกครั้ง (the picture is damaged or "
           "incomplete: send it again)")
TOO_MANY_PIXELS = ("รูปภาพมีขนาดใหญ่เกินไป ({pixels:,} พิกเซล) (the picture claims "
                   "{pixels:,} pixels, more than {limit:,} accepted)")


def open_photo(data: bytes, *, work_side: int = WORK_SIDE) -> Image.Image:
    """The picture in ``data`` as an upright greyscale image no larger than ``work_side``
    on its long side. Raises PhotoError for anything that is not a sound JPEG or PNG."""
    try:
        with warnings.catch_warnings():
            # Our own limits below are the stricter ones; Pillow's warning is only noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        # Pillow's own limit (far above ours) caught it before we could read the size.
        raise PhotoError("too_many_pixels", TOO_MANY_PIXELS.format(
            pixels=2 * (Image.MAX_IMAGE_PIXELS or 0), limit=MAX_PNG_PIXELS)) from None
    except Image.UnidentifiedImageError:
        if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
            raise PhotoError("damaged", DAMAGED) from None  # the right kind, but broken
        raise PhotoError("not_image", NOT_AN_IMAGE) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise PhotoError("damaged", DAMAGED) from None
    width, height = image.size
    limit = MAX_JPEG_PIXELS if image.format == "JPEG" else MAX_PNG_PIXELS
    if width * height > limit or width < 1 or height < 1:
        raise PhotoError("too_many_pixels",
                         TOO_MANY_PIXELS.format(pixels=width * height, limit=limit))
    orientation = _orientation(image)
    try:
        if image.format == "JPEG" and max(width, height) > work_side:
            scale = work_side / max(width, height)
            image.draft("L", (max(1, int(width * scale)), max(1, int(height * scale))))
        image.load()
        gray = image.convert("L") if image.mode != "L" else image
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise PhotoError("damaged", DAMAGED) from None
    if orientation in _TRANSPOSE:
        gray = gray.transpose(_TRANSPOSE[orientation])
    if max(gray.size) > work_side:
        gray.thumbnail((work_side, work_side), Image.Resampling.BOX)
    return gray


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block only loses the rotation hint
        return 1


def find_code(image: Image.Image, accept: Callable[[str], T | None], *,
              deadline: float | None = None, budget_s: float = DEFAULT_BUDGET_S) -> T | None:
    """The first QR code in ``image`` that ``accept`` turns into something (the
    verification payload: fieldapp.forms.verification.read_photo_payload), trying the
    preprocessed versions of the picture until ``deadline`` (time.monotonic) or
    ``budget_s`` from now; None when none reads."""
    import zxingcpp

    deadline = deadline if deadline is not None else time.monotonic() + budget_s
    gray = image if image.mode == "L" else image.convert("L")
    binarizers = (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram)
    first = True
    for _name, make in variants(gray):
        if not first and time.monotonic() > deadline:
            return None
        first = False
        candidate = make()
        for binarizer in binarizers:
            for code in zxingcpp.read_barcodes(candidate, formats=zxingcpp.BarcodeFormat.QRCode,
                                               binarizer=binarizer):
                found = accept(code.text)
                if found is not None:
                    return found
            if time.monotonic() > deadline:
                return None
    return None


def variants(gray: Image.Image) -> Iterator[tuple[str, Callable[[], Image.Image]]]:
    """Preprocessed versions of ``gray``, likeliest to decode first; each made only when
    its turn comes (a clean scan never pays for the rest)."""
    yield "as is", lambda: gray
    # The code sits in the page's bottom right corner: that corner enlarged gives each
    # module more pixels than the whole photo does (a module is often 2-3 pixels).
    yield "corner enlarged", _corner(lambda: gray, "bottom right")
    stretched = _cached(lambda: ImageOps.autocontrast(gray, cutoff=1))
    flattened = _cached(lambda: _flatten(gray))
    yield "contrast stretched", stretched
    yield "lighting flattened", flattened
    # Which corner holds the code depends on how the page was held. A soft photo (out of
    # focus, shaken) needs the edges of its modules restored: a strong unsharp mask on the
    # enlarged corner, then speckles removed.
    for corner in CORNERS:
        yield f"{corner} enlarged, sharpened", _sharpened(_corner(stretched, corner), 4, 400)
        yield f"{corner} enlarged, lighting flattened", _corner(flattened, corner)
    # Speckles removed before enlarging (a median filter is slow on many pixels).
    for corner in CORNERS:
        yield f"{corner} denoised, enlarged 3x, sharpened", _sharpened(
            _corner(lambda: gray, corner, factor=3, before=_median), 6, 400)


CORNERS = ("bottom right", "top left", "bottom left", "top right")


def _cached(make: Callable[[], Image.Image]) -> Callable[[], Image.Image]:
    box: list[Image.Image] = []

    def get() -> Image.Image:
        if not box:
            box.append(make())
        return box[0]
    return get


def _flatten(gray: Image.Image) -> Image.Image:
    """Ink relative to the paper around it: removes shadows and uneven light (a local
    background estimate subtracted, then stretched)."""
    radius = max(8, max(gray.size) // 60)
    small = gray.reduce(4) if min(gray.size) > 400 else gray
    background = small.filter(ImageFilter.MaxFilter(5)).filter(
        ImageFilter.GaussianBlur(radius / (4 if small is not gray else 1)))
    if small is not gray:
        background = background.resize(gray.size, Image.Resampling.BILINEAR)
    ink = ImageChops.subtract(background, gray)
    return ImageOps.autocontrast(ImageOps.invert(ink), cutoff=1)


def _corner(source: Callable[[], Image.Image], corner: str, factor: int = 2,
            before: Callable[[Image.Image], Image.Image] | None = None
            ) -> Callable[[], Image.Image]:
    """A corner of the picture (a bit under half of each side), passed through ``before``
    and enlarged ``factor`` times when that keeps it within one and a half times the
    working size (the time is the budget's)."""
    def make() -> Image.Image:
        img = source()
        w, h = img.size
        cw, ch = int(w * 0.45), int(h * 0.45)
        left = w - cw if "right" in corner else 0
        top = h - ch if "bottom" in corner else 0
        crop = img.crop((left, top, left + cw, top + ch))
        if before is not None:
            crop = before(crop)
        k = factor
        while k > 1 and max(cw, ch) * k > 1.5 * WORK_SIDE:
            k -= 1
        if k == 1:
            return crop
        return crop.resize((cw * k, ch * k), Image.Resampling.BICUBIC)
    return make


def _median(image: Image.Image) -> Image.Image:
    return image.filter(ImageFilter.MedianFilter(3))


def _sharpened(source: Callable[[], Image.Image], radius: float,
               percent: int) -> Callable[[], Image.Image]:
    return lambda: ImageOps.autocontrast(source().filter(
        ImageFilter.UnsharpMask(radius=radius, percent=percent, threshold=0)), cutoff=1)
