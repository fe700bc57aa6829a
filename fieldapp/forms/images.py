"""Pictures for and from the PDF: photos made print-ready, PDF pages made into images.

Photos straight from a phone are 3–12 MB and often stored sideways with an EXIF rotation
flag; in the PDF they are turned upright, scaled to what the page can show at print
resolution, and JPEG-compressed, which keeps a form with a dozen photos to a few MB.
"""

from __future__ import annotations

import io
import threading
import warnings
from functools import lru_cache

from PIL import Image, ImageOps

from fieldapp.core.errors import FieldAppError

# Longest side in pixels: an 8 cm photo at ~190 dpi; plenty for a printed appendix.
PHOTO_MAX_PIXELS = 900
PHOTO_QUALITY = 72
# The most pixels a photo taken into a record may have: a 200-megapixel phone's photo, and
# less than what PIL refuses to decode as a possible decompression bomb.
PHOTO_LIMIT = 200_000_000
UNREADABLE = "ภาพเสียหาย อ่านไม่ได้ (unreadable picture)"


def photo_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be a photo of a record (not a picture, damaged, too large), in
    Thai and English; None if it can. Once a record is finalized its photos stay, and one
    that cannot be read would be printed as an empty box on the signed form."""
    try:
        photo_preview(data)
    except ValueError as exc:
        return str(exc)
    return None


def photo_preview(data: bytes, side: int = 480) -> Image.Image:
    """``data`` checked as ``photo_problem`` checks it, and decoded small (its longest side
    at most ``side``), upright by its EXIF orientation, in RGB: the window's thumbnail comes
    from this one decode. ValueError with the reason if it cannot be a photo of a record."""
    size = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                if im.width * im.height > PHOTO_LIMIT:
                    size = im.size
                else:
                    im.draft(None, (256, 256))   # a JPEG decodes at an eighth: quick
                    im.load()
                    small = (ImageOps.exif_transpose(im) or im).convert("RGB")
                    small.thumbnail((side, side))
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise ValueError("ไฟล์นี้ไม่ใช่ภาพถ่าย หรือภาพเสียหาย (this file is not a picture, or "
                         "the picture is damaged)") from None
    if size is not None:
        raise ValueError(f"ภาพใหญ่เกินไป (the picture has {size[0]} x {size[1]} pixels; at "
                         f"most {PHOTO_LIMIT // 1_000_000} megapixels)")
    return small


@lru_cache(maxsize=1)
def unreadable_jpeg() -> bytes:
    """What the printed form shows for a stored photo that cannot be read: a grey box (its
    caption says why), rather than a record that cannot be printed at all."""
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (225, 225, 225)).save(out, "JPEG", quality=70)
    return out.getvalue()


# A re-print or preview of the same record reuses its photos; small, since keys hold the
# original bytes.
@lru_cache(maxsize=24)
def print_ready_jpeg(data: bytes, max_pixels: int = PHOTO_MAX_PIXELS,
                     quality: int = PHOTO_QUALITY) -> tuple[bytes, int, int]:
    """Upright (EXIF), downscaled, RGB JPEG bytes of a photo, with its pixel size."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while it decodes (never
            # below twice the size wanted): a 12-megapixel phone photo decodes in a fraction
            # of the time. exif_transpose loads the pixels, so this comes first.
            im.draft(None, (2 * max_pixels, 2 * max_pixels))
            # In place: otherwise an upright photo (most are) is copied whole, ~5 ms.
            ImageOps.exif_transpose(im, in_place=True)
            im.thumbnail((max_pixels, max_pixels), Image.Resampling.LANCZOS)
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and
                                                   "transparency" in im.info):
                # Transparent parts on white paper, not black (a PNG logo printed as a
                # black square).
                rgba = im.convert("RGBA")
                im = Image.new("RGB", rgba.size, (255, 255, 255))
                im.paste(rgba, mask=rgba.getchannel("A"))
            elif im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            out = io.BytesIO()
            im.save(out, "JPEG", quality=quality, optimize=True)
            return out.getvalue(), im.width, im.height
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise FieldAppError(f"รูปภาพเสียหาย อ่านไม่ได้ (cannot read image: {exc})") from exc


@lru_cache(maxsize=64)
def _print_ready_blob(blob_dir: str, sha256: str) -> tuple[bytes, int, int]:
    from pathlib import Path

    from fieldapp.store.blobs import read_blob
    return print_ready_jpeg.__wrapped__(read_blob(Path(blob_dir), sha256))


_in_flight: dict[tuple[str, str], threading.Lock] = {}
_in_flight_guard = threading.Lock()


def print_ready_blob(blob_dir: str, sha256: str) -> tuple[bytes, int, int]:
    """``print_ready_jpeg`` of a stored photo, remembered by its hash: a second Print of the
    record (or one after the editor prepared its photos, gui/printing/print_export.py) skips
    reading, verifying, decoding and scaling it, and the cache holds only the small print
    copies.

    A photo being prepared by another thread is waited for, not prepared twice: Print
    pressed while the editor is still preparing the record's photos used to scale the same
    photos again on the render's threads, each ~60 ms (issue 16)."""
    key = (blob_dir, sha256)
    with _in_flight_guard:
        lock = _in_flight.setdefault(key, threading.Lock())
    try:
        with lock:
            return _print_ready_blob(blob_dir, sha256)
    finally:
        with _in_flight_guard:
            if _in_flight.get(key) is lock and not lock.locked():
                del _in_flight[key]


print_ready_blob.cache_info = _print_ready_blob.cache_info   # as lru_cache's, for tests
print_ready_blob.cache_clear = _print_ready_blob.cache_clear


# EXIF orientations that turn the picture a quarter: width and height swap when upright.
_QUARTER_TURNS = {5, 6, 7, 8}


def photo_size(source) -> tuple[int, int]:
    """A photo's upright width and height from its header alone (no pixels decoded), for
    laying out the page while its print copy is still being made: the print copy has the
    same proportions. ``source`` is a path or a binary file."""
    try:
        with Image.open(source) as im:
            width, height = im.size
            if im.getexif().get(0x0112, 1) in _QUARTER_TURNS:
                width, height = height, width
            return width, height
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise FieldAppError(f"รูปภาพเสียหาย อ่านไม่ได้ (cannot read image: {exc})") from exc


def signature_png(data: bytes) -> tuple[bytes, int, int]:
    """A signature image as PNG with transparency kept (ink on the dotted line)."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail((800, 300))
            out = io.BytesIO()
            im.save(out, "PNG", optimize=True)
            return out.getvalue(), im.width, im.height
    except (OSError, ValueError) as exc:
        raise FieldAppError(f"ภาพลายมือชื่อเสียหาย (cannot read signature image: {exc})") \
            from exc


# PDFium is not thread-safe, and neither is pypdfium2: the office server reads uploaded PDFs
# on worker threads, so every use of it in fieldapp.forms holds this lock.
PDFIUM = threading.RLock()


def render_pdf_pages(pdf: bytes | str, *, dpi: float = 96, pages: list[int] | None = None):
    """PDF pages as PIL images (for print preview without QtPdf, and for tests).

    ``pages`` are 0-based page numbers; all pages when omitted. Uses PDFium (pypdfium2).
    """
    import pypdfium2

    with PDFIUM:
        doc = pypdfium2.PdfDocument(pdf)
        try:
            numbers = range(len(doc)) if pages is None else pages
            return [doc[i].render(scale=dpi / 72).to_pil() for i in numbers]
        finally:
            doc.close()


def render_pdf_pages_bounded(pdf: bytes | str, *, dpi: float, max_pages: int,
                             max_side: int):
    """The first ``max_pages`` pages, one at a time, each at ``dpi`` but never more than
    ``max_side`` pixels on its long side: a PDF from a stranger may claim a page of
    200 x 200 inches, and rendering it whole would take gigabytes. Raises FieldAppError
    for a file PDFium cannot open."""
    import pypdfium2

    from fieldapp.core.errors import FieldAppError

    with PDFIUM:
        try:
            doc = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as exc:
            raise FieldAppError(f"อ่านไฟล์ PDF ไม่ได้ (not a readable PDF: {exc})") from exc
        try:
            count = len(doc)
        except pypdfium2.PdfiumError:
            count = 0
    try:
        for number in range(min(count, max_pages)):
            with PDFIUM:
                try:
                    page = doc[number]
                    width, height = page.get_size()
                    scale = min(dpi / 72, max_side / max(width, height, 1))
                    image = page.render(scale=max(scale, 0.01), grayscale=True).to_pil()
                except pypdfium2.PdfiumError:
                    continue
            yield image
    finally:
        with PDFIUM:
            doc.close()
