"""Measuring and drawing one line of text with HarfBuzz shaping.

Thai needs shaping: Sarabun lowers a tone mark over a short consonant, narrows it after an
upper vowel, shifts marks off the tail of ป and ฝ, and ligates Nikhahit with a tone mark. The
glyphs HarfBuzz picks are positioned with ReportLab's shaped-string support.

Shaped glyphs such as ``uni0E48.small`` have no character of their own, so ReportLab gives
them private-use code points and a text extractor would copy garbage. Each drawn line is
therefore wrapped in a PDF ``/ActualText`` span carrying the line's real characters: pdftotext
(poppler), PDFium (Chrome, pypdfium2) and Acrobat copy exactly the text that was typed.

Widths and shaped strings are cached by (font, size, text): a form repeats the same labels,
marks and units hundreds of times.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr


@lru_cache(maxsize=4)
def _hb_font(font_name: str):
    import uharfbuzz
    font = pdfmetrics.getFont(font_name)
    hb_font = uharfbuzz.Font(font.hbFace)
    upem = hb_font.face.upem
    return hb_font, upem


@lru_cache(maxsize=50000)
def shaped_width(text: str, font_name: str, size: float) -> float:
    """Width in points of ``text`` as HarfBuzz lays it out in ``font_name`` at ``size``."""
    if not text:
        return 0.0
    import uharfbuzz
    hb_font, upem = _hb_font(font_name)
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
    return sum(p.x_advance for p in buf.glyph_positions) * size / upem


@lru_cache(maxsize=50000)
def plain_width(text: str, font_name: str, size: float) -> float:
    """Width without shaping (each character's advance): the benchmark floor."""
    return pdfmetrics.stringWidth(text, font_name, size)


def text_width(text: str, font_name: str, size: float, shaping: bool = True) -> float:
    return shaped_width(text, font_name, size) if shaping else plain_width(text, font_name, size)


@lru_cache(maxsize=20000)
def _shaped(text: str, font_name: str, size: float):
    return shapeStr(text, font_name, size)


def _actual_text(text: str) -> str:
    """A PDF hex string (UTF-16BE with BOM) for /ActualText."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def draw_line(canvas, x: float, y: float, text: str, font_name: str, size: float, *,
              shaping: bool = True, align: str = "left", color=None) -> float:
    """Draw one line with its baseline at ``y``; ``x`` is the left edge, the centre or the
    right edge for ``align`` left, center or right. Returns the drawn width."""
    if not text:
        return 0.0
    width = text_width(text, font_name, size, shaping)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    obj = canvas.beginText(x, y)
    obj.setFont(font_name, size)
    if color is not None:
        obj.setFillColor(color)
    if shaping:
        # Marked content inside the text object: extractors take these characters instead of
        # reverse-mapping the glyphs (see the module docstring).
        obj._code.append(f"/Span <</ActualText {_actual_text(text)}>> BDC")
        obj.textOut(_shaped(text, font_name, size))
        obj._code.append("EMC")
    else:
        obj.textOut(text)
    canvas.drawText(obj)
    return width
