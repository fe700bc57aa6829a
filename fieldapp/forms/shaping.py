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

Characters Sarabun has no glyph for (✓ and ✗ typed in a note, emoji, other symbols) printed
as empty boxes. ``runs`` cuts a line where such a character stands: a tick or a cross is
drawn as strokes (``MARKS``), an invisible format character (a joiner, a variation selector)
takes no room, and any other character prints as its code, ``[U+1F44D]``: visibly a
character the paper cannot show, and which one. The line's /ActualText still holds the
typed characters, so copying the text gives them back. Sarabun ships with the app; a
fallback font with emoji would be many megabytes (the frozen app must stay small).

Thai stacks marks: an upper vowel and a tone mark over a consonant with an ascender (ฟื้, ปั้)
reach 1.25 em above the baseline, a lower vowel under a consonant with a tail (ฏู, ฎุ) 0.54 em
below it, far beyond the font's nominal ascent and descent (1.068 / 0.232 em in Sarabun).
``ink_extent`` measures those stacks in the font itself, so that line spacing
(fieldapp.forms.paragraph) leaves room for them.
"""

from __future__ import annotations

import unicodedata
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


# Ticks and crosses people type (and the form's own marks): Sarabun has none, so they are
# drawn as strokes, MARK_WIDTH em wide, in the text's colour.
TICKS = frozenset("\u2713\u2714\u2611\U0001F5F8\u2705")     # ✓ ✔ ☑ 🗸 ✅
CROSSES = frozenset("\u2717\u2718\u2612\u274C\u274E\u2715\u2716")   # ✗ ✘ ☒ ❌ ❎ ✕ ✖
MARK_WIDTH = 0.72


@lru_cache(maxsize=8)
def covered(font_name: str) -> frozenset[int] | None:
    """The code points ``font_name`` has a glyph for (its cmap); None for a font that is
    not a TrueType font (ReportLab's standard fonts, never used by the forms)."""
    cmap = getattr(pdfmetrics.getFont(font_name).face, "charToGlyph", None)
    if cmap is None:
        return None
    return frozenset(c for c, glyph in cmap.items() if glyph and c != 0xFFFF)


def _invisible(ch: str) -> bool:
    """A format character that shows nothing of its own: joiners, marks of direction,
    variation selectors (the emoji/text style of the character before), skin tones."""
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F \
        or 0xE0100 <= code <= 0xE01EF or 0x1F3FB <= code <= 0x1F3FF


def substitute(ch: str) -> str:
    """What prints for a character no font of the form has: its code point."""
    return f"[U+{ord(ch):04X}]"


@lru_cache(maxsize=20000)
def runs(text: str, font_name: str) -> tuple[tuple[str, str], ...]:
    """``text`` as the pieces drawn: ("text", s) in the font, ("tick", c) and ("cross", c)
    as strokes; characters the font lacks become their ``substitute`` text and invisible
    ones vanish. Text that the font covers is one run."""
    have = covered(font_name) or frozenset()
    out: list[tuple[str, str]] = []
    for ch in text:
        if ord(ch) in have or ch in "\n\r\t":
            kind, piece = "text", ch
        elif ch in TICKS:
            kind, piece = "tick", ch
        elif ch in CROSSES:
            kind, piece = "cross", ch
        elif _invisible(ch):
            continue
        else:
            kind, piece = "text", substitute(ch)
        if kind == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + piece)
        else:
            out.append((kind, piece))
    return tuple(out)


def _plain_run(text: str, font_name: str) -> bool:
    """True when ``text`` is drawn as it is, one run in the font (nearly every line)."""
    have = covered(font_name)
    return have is None or all(ord(ch) in have for ch in text)


@lru_cache(maxsize=50000)
def shaped_width(text: str, font_name: str, size: float) -> float:
    """Width in points of ``text`` as HarfBuzz lays it out in ``font_name`` at ``size``
    (characters the font lacks as ``runs`` draws them)."""
    if not text:
        return 0.0
    if not _plain_run(text, font_name):
        return sum(_run_width(kind, piece, font_name, size, True)
                   for kind, piece in runs(text, font_name))
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
    if not _plain_run(text, font_name):
        return sum(_run_width(kind, piece, font_name, size, False)
                   for kind, piece in runs(text, font_name))
    return pdfmetrics.stringWidth(text, font_name, size)


def _run_width(kind: str, piece: str, font_name: str, size: float, shaping: bool) -> float:
    if kind != "text":
        return MARK_WIDTH * size
    return text_width(piece, font_name, size, shaping)


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
    if not _plain_run(text, font_name):
        _draw_runs(canvas, x, y, text, font_name, size, shaping, color)
        return width
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


def _draw_runs(canvas, x: float, y: float, text: str, font_name: str, size: float,
               shaping: bool, color) -> None:
    """A line with characters the font lacks (``runs``): its text runs and drawn marks,
    all inside one /ActualText span that gives back the typed line."""
    canvas._code.append(f"/Span <</ActualText {_actual_text(text)}>> BDC")
    for kind, piece in runs(text, font_name):
        if kind == "text":
            obj = canvas.beginText(x, y)
            obj.setFont(font_name, size)
            if color is not None:
                obj.setFillColor(color)
            obj.textOut(_shaped(piece, font_name, size) if shaping else piece)
            canvas.drawText(obj)
        else:
            _draw_mark(canvas, kind, x, y, size, color)
        x += _run_width(kind, piece, font_name, size, shaping)
    canvas._code.append("EMC")


def _draw_mark(canvas, kind: str, x: float, y: float, size: float, color) -> None:
    """A tick or a cross of x-height, drawn with strokes as heavy as the text's."""
    canvas.saveState()
    canvas.setStrokeColor(color if color is not None else canvas._fillColorObj)
    canvas.setLineWidth(size * 0.08)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    u = size  # the strokes in em, as tall as a capital letter (not a Latin x)
    if kind == "tick":
        path = canvas.beginPath()
        path.moveTo(x + 0.10 * u, y + 0.34 * u)
        path.lineTo(x + 0.27 * u, y + 0.04 * u)
        path.lineTo(x + 0.62 * u, y + 0.72 * u)
        canvas.drawPath(path, stroke=1, fill=0)
    else:
        # A ballot cross, its strokes bowed as a pen draws them (two straight strokes
        # read as a Latin X).
        path = canvas.beginPath()
        path.moveTo(x + 0.10 * u, y + 0.02 * u)
        path.curveTo(x + 0.28 * u, y + 0.30 * u, x + 0.42 * u, y + 0.52 * u,
                     x + 0.64 * u, y + 0.72 * u)
        path.moveTo(x + 0.14 * u, y + 0.64 * u)
        path.curveTo(x + 0.30 * u, y + 0.50 * u, x + 0.44 * u, y + 0.26 * u,
                     x + 0.54 * u, y + 0.02 * u)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()
