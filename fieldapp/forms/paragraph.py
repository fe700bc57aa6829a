"""ThaiParagraph: a ReportLab flowable that breaks lines only at Thai word boundaries.

ReportLab's own Paragraph breaks at spaces (or anywhere, in CJK mode); Thai has no spaces
between words, so this flowable takes its break opportunities from fieldapp.forms.thai_text
and draws each line shaped (fieldapp.forms.shaping). One font per paragraph keeps it small;
forms compose bold labels and values as separate paragraphs or table cells.

It splits across frames and pages between lines, so long notes flow on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.platypus import Flowable

from fieldapp.forms import fonts
from fieldapp.forms.shaping import draw_line, ink_extent, text_width
from fieldapp.forms.thai_text import break_lines, visible

# Ink-free space between the lowest mark of one line and the highest of the next; each line
# box has half of it above its tallest stack and half below its deepest vowel, so the first
# and last lines keep clear of a cell's rules too. 1 pt is 4 px at 300 dpi.
LINE_GAP = 1.0


@dataclass(frozen=True)
class TextStyle:
    """How a paragraph looks. ``shaping`` and ``segmentation`` exist to measure what Thai
    correctness costs (tests/bench/bench_print.py); forms always keep both on. ``leading``
    (baseline to baseline) is left to ``line_height`` unless a test sets it."""

    font: str = fonts.REGULAR
    size: float = 16.0
    leading: float | None = None
    align: str = "left"
    color: object = colors.black
    space_before: float = 0.0
    space_after: float = 0.0
    shaping: bool = True
    segmentation: bool = True

    def but(self, **changes) -> TextStyle:
        return replace(self, **changes)

    def line_height(self) -> float:
        """Baseline to baseline: the font's tallest Thai stack above the baseline plus its
        deepest lower vowel below it (measured in the font, fieldapp.forms.shaping), plus
        LINE_GAP. Every line's ink then fits in its own box, whatever the text."""
        if self.leading is not None:
            return self.leading
        top, bottom = ink_extent(self.font)
        return (top - bottom) * self.size + LINE_GAP

    def baseline_drop(self) -> float:
        """From the top of a line box down to its baseline: the ink box centred in the line."""
        top, bottom = ink_extent(self.font)
        return top * self.size + (self.line_height() - (top - bottom) * self.size) / 2


class ThaiParagraph(Flowable):
    """A paragraph of Thai, Latin and digits, wrapped at word boundaries."""

    def __init__(self, text: str, style: TextStyle, *, keep: tuple[tuple[int, int], ...] = (),
                 _lines: list[str] | None = None, _width: float | None = None) -> None:
        super().__init__()
        self.text = "" if text is None else str(text)
        self.style = style
        self.keep = keep   # spans that break only when wider than a line (thai_text)
        self.lines = _lines
        self._wrapped_for = _width
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    def measure(self, text: str) -> float:
        s = self.style
        return text_width(text, s.font, s.size, s.shaping)

    def _break(self, width: float) -> list[str]:
        if self.lines is None or self._wrapped_for != width:
            self.lines = break_lines(self.text, self.measure, width,
                                     segmentation=self.style.segmentation,
                                     keep=self.keep) or [""]
            self._wrapped_for = width
        return self.lines

    def wrap(self, avail_width, avail_height):
        lines = self._break(avail_width)
        self.width = avail_width
        self.height = len(lines) * self.style.line_height()
        return avail_width, self.height

    def minWidth(self):  # noqa: N802 - ReportLab's name
        words = self.text.split() or [""]
        return max(self.measure(w) for w in words[:50])

    def split(self, avail_width, avail_height):
        lines = self._break(avail_width)
        fit = int(avail_height // self.style.line_height())
        if fit <= 0 or len(lines) < 2:
            return []
        # Asked to split although its lines fit (its spacing does not): the last line goes
        # on. A split is always two parts (a table cell split across pages relies on it).
        fit = min(fit, len(lines) - 1)
        first, rest = lines[:fit], lines[fit:]
        head = ThaiParagraph("".join(first), self.style.but(space_after=0),
                             _lines=first, _width=avail_width)
        tail = ThaiParagraph("".join(rest), self.style.but(space_before=0),
                             _lines=rest, _width=avail_width)
        return [head, tail]

    def draw(self):
        s = self.style
        canvas = self.canv
        baseline = self.height - s.baseline_drop()
        leading = s.line_height()
        anchor = {"center": self.width / 2, "right": self.width}.get(s.align, 0.0)
        for line in self.lines or []:
            shown = visible(line)
            draw_line(canvas, anchor, baseline, shown, s.font, s.size, shaping=s.shaping,
                      align=s.align, color=s.color)
            baseline -= leading

    def __repr__(self) -> str:
        return f"ThaiParagraph({self.text[:30]!r})"
