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

Thai stacks marks: an upper vowel and a tone mark over a consonant with an ascender (ฟื้, ปั้)
reach 1.25 em above the baseline, a lower vowel under a consonant with a tail (ฏู, ฎุ) 0.54 em
below it, far beyond the font's nominal ascent and descent (1.068 / 0.232 em in Sarabun).
``ink_extent`` measures those stacks in the font itself, so that line spacing
(fieldapp.forms.paragraph) leaves room for them.
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


# Every Thai stack a line can hold: each consonant with each upper vowel (or none) and each
# tone mark (or none); with Thanthakhat alone or over SARA I (ศักดิ์); with Maitaikhu or
# Nikhahit (which take no tone mark); with a tone mark and SARA AM; with each lower vowel;
# and printable ASCII.
_CONSONANTS = [chr(c) for c in range(0x0E01, 0x0E2F)]
_UPPER = ("", "\u0E31", "\u0E34", "\u0E35", "\u0E36", "\u0E37")
_TONES = ("", "\u0E48", "\u0E49", "\u0E4A", "\u0E4B")
_LOWER = ("\u0E38", "\u0E39", "\u0E3A")
STACKS = tuple(
    [c + u + t for c in _CONSONANTS for u in _UPPER for t in _TONES]
    + [c + m for c in _CONSONANTS for m in ("\u0E4C", "\u0E34\u0E4C", "\u0E47", "\u0E4D")]
    + [c + t + "\u0E33" for c in _CONSONANTS for t in _TONES]
    + [c + lower for c in _CONSONANTS for lower in _LOWER]
    + [chr(c) for c in range(0x21, 0x7F)])


@lru_cache(maxsize=8)
def ink_extent(font_name: str) -> tuple[float, float]:
    """(top, bottom) of the ink of every stack in ``STACKS`` as HarfBuzz shapes it in
    ``font_name``, in em from the baseline (bottom is negative): the glyphs' real bounding
    boxes at their shaped positions, so lowered and shifted marks count as drawn."""
    import uharfbuzz
    hb_font, upem = _hb_font(font_name)
    buf = uharfbuzz.Buffer()
    buf.add_str(" ".join(STACKS))  # one shaping call; spaces keep the clusters apart
    buf.guess_segment_properties()
    uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
    top = bottom = 0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        box = hb_font.get_glyph_extents(info.codepoint)
        if box is None or not box.height:
            continue
        glyph_top = pos.y_offset + box.y_bearing  # extents grow downwards from y_bearing
        top, bottom = max(top, glyph_top), min(bottom, glyph_top + box.height)
    return top / upem, bottom / upem


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
