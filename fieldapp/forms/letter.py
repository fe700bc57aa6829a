"""An official Thai letter (หนังสือภายนอก, ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ) as PDF:
the office's draft of the escalation letter for a corrective order (docs/office-loop.md).

The layout of the regulation's form: space for the Garuda at the top centre; ที่ (the
letter number, its running number left blank to be filled when the letter is sent) at the
top left and the office's name and address at the top right; the date from the page's
centre; เรื่อง, เรียน and อ้างถึง with their text hanging after the label; body paragraphs
with a first-line indent; ขอแสดงความนับถือ and the signature block (space to sign, the
name in brackets, the position) centred on the right half; the office's unit and phone at
the bottom left. Pages after the first carry their number at the top ("- ๒ -").

Text is plain data (``Letter``): the wording is filled in by the server from the office's
settings. Thai is shaped and broken at word boundaries like the printed inspection form
(fieldapp.forms.paragraph); nothing here reads a database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Indenter,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fieldapp.core.thaidate import thai_digits
from fieldapp.forms import fonts
from fieldapp.forms.inspection_form import _render_lock  # one render at a time, process-wide
from fieldapp.forms.page import PAGE_SIZE
from fieldapp.forms.paragraph import TextStyle, ThaiParagraph
from fieldapp.forms.shaping import draw_line
from fieldapp.forms.thai_text import break_lines, visible, warm_up

# The regulation's margins: 3 cm left, 2 cm right; the Garuda (3 cm high) 1.5 cm from the
# top of the first page, whose text begins under it; later pages start under their number.
LEFT, RIGHT, TOP, BOTTOM = 3 * cm, 2 * cm, 2.5 * cm, 2 * cm
WIDTH = PAGE_SIZE[0] - LEFT - RIGHT
GARUDA = 1.5 * cm + 3 * cm - TOP
INDENT = 2.5 * cm                 # a body paragraph's first line
LABEL = 1.6 * cm                  # เรื่อง / เรียน / อ้างถึง column
RIGHT_BLOCK = 8.5 * cm            # the office's name and address at the top right
SIGN_FROM = WIDTH * 0.42          # the closing and signature block sit right of this
SIZE = 16                         # the government's 16 pt


@dataclass(frozen=True)
class Letter:
    """Everything printed, as text. Multi-line fields use ``\\n``; ``paragraphs`` are the
    body, each printed with a first-line indent."""

    number: str                       # ที่ … (prefix; the running number is left blank)
    office_name: str
    office_address: str
    date: str                         # the date as printed (Thai month, Buddhist era)
    subject: str                      # เรื่อง
    to: str                           # เรียน
    reference: str = ""               # อ้างถึง
    paragraphs: list[str] = field(default_factory=list)
    closing: str = "ขอแสดงความนับถือ"
    signer_name: str = ""
    signer_position: str = ""
    contact: str = ""                 # the office's unit, phone (bottom left)
    title: str = "หนังสือ"             # PDF metadata
    thai_digits: bool = False         # page numbers in ๐–๙


LEADING = 22                      # single spacing of 16 pt Sarabun with room for stacked marks


def _style(**extra) -> TextStyle:
    return TextStyle(**{"font": fonts.REGULAR, "size": SIZE, "leading": LEADING, **extra})


class IndentedParagraph(ThaiParagraph):
    """A ThaiParagraph whose first line starts ``indent`` points in (a body paragraph of
    a Thai letter): the first line is broken to the narrower width, the rest to the full
    one; lines stay slices of the text."""

    def __init__(self, text: str, style: TextStyle, indent: float = INDENT, **kw) -> None:
        super().__init__(text, style, **kw)
        self.indent = indent

    def _break(self, width: float) -> list[str]:
        if self.lines is None or self._wrapped_for != width:
            first = break_lines(self.text, self.measure, width - self.indent,
                                segmentation=self.style.segmentation)[:1] or [""]
            rest = self.text[len(first[0]):]
            self.lines = first + break_lines(rest, self.measure, width,
                                             segmentation=self.style.segmentation)
            self._wrapped_for = width
        return self.lines

    def split(self, avail_width, avail_height):
        lines = self._break(avail_width)
        fit = int(avail_height // self.style.line_height())
        if fit <= 0 or fit >= len(lines):
            return [] if fit <= 0 else [self]
        head = IndentedParagraph("".join(lines[:fit]), self.style.but(space_after=0),
                                 self.indent)
        head.lines, head._wrapped_for = lines[:fit], avail_width
        tail = ThaiParagraph("".join(lines[fit:]), self.style.but(space_before=0),
                             _lines=lines[fit:], _width=avail_width)
        return [head, tail]

    def draw(self):
        s = self.style
        baseline = self.height - s.baseline_drop()
        for n, line in enumerate(self.lines or []):
            draw_line(self.canv, self.indent if n == 0 else 0.0, baseline, visible(line),
                      s.font, s.size, shaping=s.shaping)
            baseline -= s.line_height()


def _lines(text: str, style: TextStyle) -> list[Flowable]:
    """One paragraph per line of ``text`` (a name and address keep their line breaks)."""
    return [ThaiParagraph(line, style) for line in (text or "").split("\n")] or \
        [ThaiParagraph("", style)]


def _plain_table(rows, widths) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _labelled(label: str, text: str) -> Table:
    """``label`` and its text hanging after it (continuation lines under the text)."""
    return _plain_table([[ThaiParagraph(label, _style()), _lines(text, _style())]],
                        [LABEL, WIDTH - LABEL])


def story(letter: Letter) -> list[Flowable]:
    """The letter's flowables, first page top to signature and contact."""
    regular = _style()
    head = _plain_table(
        [[ThaiParagraph(letter.number, regular),
          _lines("\n".join(t for t in (letter.office_name, letter.office_address) if t),
                 regular)]],
        [WIDTH - RIGHT_BLOCK, RIGHT_BLOCK])
    out: list[Flowable] = [Spacer(1, GARUDA), head, Spacer(1, 10),
                           Indenter(left=WIDTH / 2), ThaiParagraph(letter.date, regular),
                           Indenter(left=-WIDTH / 2), Spacer(1, 10),
                           _labelled("เรื่อง", letter.subject), Spacer(1, 6),
                           _labelled("เรียน", letter.to)]
    if letter.reference:
        out += [Spacer(1, 6), _labelled("อ้างถึง", letter.reference)]
    out.append(Spacer(1, 6))
    body = [IndentedParagraph(text, _style(space_after=4)) for text in letter.paragraphs]
    centred = _style(align="center")
    signature = _plain_table([["", [
        ThaiParagraph(letter.closing, centred), Spacer(1, 1.5 * cm),
        ThaiParagraph(f"({letter.signer_name or ' ' * 40})", centred),
        *_lines(letter.signer_position, centred)]]], [SIGN_FROM, WIDTH - SIGN_FROM])
    contact = [Spacer(1, 0.8 * cm), *_lines(letter.contact, _style(size=15))] \
        if letter.contact else []
    # The signature never stands alone on a page: the last paragraph goes with it, and the
    # office's unit and phone with them.
    out += [*body[:-1], KeepTogether([*body[-1:], Spacer(1, 10), signature, *contact])]
    return out


class _LetterCanvas(Canvas):
    """Pages begin in Sarabun (no unused Helvetica named on every page)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initialFontName", fonts.REGULAR)
        kwargs.setdefault("initialFontSize", SIZE)
        super().__init__(*args, **kwargs)


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as A4 PDF bytes."""
    fonts.register_fonts()
    warm_up()
    digits = thai_digits if letter.thai_digits else str

    def page_number(canvas, doc):
        # Pages after the first: their number, centred over the text at the top ("- ๒ -").
        if doc.page > 1:
            draw_line(canvas, LEFT + WIDTH / 2, PAGE_SIZE[1] - 1.5 * cm,
                      f"- {digits(str(doc.page))} -", fonts.REGULAR, SIZE, align="center")

    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=PAGE_SIZE, leftMargin=LEFT, rightMargin=RIGHT,
                          topMargin=TOP, bottomMargin=BOTTOM, title=letter.title,
                          subject=letter.subject, author=letter.office_name,
                          creator="FieldApp", lang="th-TH")
    # No frame padding: the margins are the regulation's, to the point.
    frame = Frame(LEFT, BOTTOM, WIDTH, PAGE_SIZE[1] - TOP - BOTTOM, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="letter")
    doc.addPageTemplates([PageTemplate(id="letter", frames=[frame], onPage=page_number)])
    with _render_lock:
        doc.build(story(letter), canvasmaker=_LetterCanvas)
    return buffer.getvalue()
