"""Thai stacks need room: on the printed page no line's ink may touch the next line's ink,
and no text may touch a table rule.

Checked on pixels, the way a reader sees the paper: tables are rendered at 300 dpi (PDFium)
with the lines of text drawn alternately red and blue, so the ink of each line is known by
its colour. Two lines collide when a red pixel touches (8-neighbourhood) a blue one or when
the two colours mix in one pixel; text touches a rule when a coloured pixel touches a pixel
of a long grey run (a horizontal or vertical rule of the grid)."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Table
from test_forms_builders import LONG_NOTE, synthetic_template

from fieldapp.forms import blocks, fonts, paragraph
from fieldapp.forms.images import render_pdf_pages

DPI = 300
RULE_RUN = 100  # px: a grey run at least this long is a rule, never part of a glyph
RED, BLUE = colors.HexColor("#e00000"), colors.HexColor("#0000e0")

# Tall stacks (upper vowel + tone mark over a consonant with an ascender) and deep ones
# (lower vowels under ฎ ฏ ญ ฐ ฤ), several to a line so that every line has both.
WORST = ("ฟื้นฟูปั้นฎุ ปี๊บฏูกุ้ง ที่ญูฐู ฝั่งฤๅปิ๋ว ฎุมฟื้น ฏูปั้น กุ้งฎุ ปี๊ฏู "
         "ญูที่ ฝั่งฐู ฟื้ฏูฟื้ฎุ ปั้ญูปี๊ฏู")


@pytest.fixture
def coloured_lines(monkeypatch):
    """Paragraph lines drawn in alternating red and blue (the layout is unchanged)."""
    real = paragraph.draw_line
    cycle = itertools.cycle((RED, BLUE))

    def draw(canvas, x, y, text, *args, color=None, **kwargs):
        return real(canvas, x, y, text, *args, color=next(cycle), **kwargs)

    monkeypatch.setattr(paragraph, "draw_line", draw)


def render(flowables) -> list[Image.Image]:
    fonts.register_fonts()
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=3 * cm, rightMargin=2 * cm,
                      topMargin=2.5 * cm, bottomMargin=2 * cm).build(flowables)
    return [page.convert("RGB") for page in render_pdf_pages(out.getvalue(), dpi=DPI)]


def _mask(img: Image.Image, test) -> Image.Image:
    return img.point(lambda v: 255 if test(v) else 0)


def _and(*masks: Image.Image) -> Image.Image:
    out = masks[0]
    for m in masks[1:]:
        out = ImageChops.darker(out, m)
    return out


def _grow(mask: Image.Image) -> Image.Image:
    return mask.filter(ImageFilter.MaxFilter(3))


def _long_runs(mask: Image.Image) -> Image.Image:
    """Pixels of ``mask`` in horizontal runs of at least RULE_RUN pixels."""
    out = Image.new("L", mask.size, 0)
    draw = ImageDraw.Draw(out)
    data, width = mask.tobytes(), mask.width
    run = re.compile(rb"\xff{%d,}" % RULE_RUN)
    for y in range(mask.height):
        for m in run.finditer(data, y * width, (y + 1) * width):
            draw.line([(m.start() - y * width, y), (m.end() - 1 - y * width, y)], fill=255)
    return out


def inks(page: Image.Image) -> dict[str, Image.Image]:
    r, g, b = page.split()
    strong = {"rg": _mask(ImageChops.subtract(r, g), lambda v: v > 80),
              "bg": _mask(ImageChops.subtract(b, g), lambda v: v > 80),
              "rb": _mask(ImageChops.subtract(r, b), lambda v: v > 80),
              "br": _mask(ImageChops.subtract(b, r), lambda v: v > 80)}
    red = _and(strong["rg"], strong["rb"])
    blue = _and(strong["bg"], strong["br"])
    # Red and blue ink in the same pixel: purple, far from grey and from both pure colours.
    mixed = _and(_mask(ImageChops.subtract(r, g), lambda v: v > 50),
                 _mask(ImageChops.subtract(b, g), lambda v: v > 50))
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b),
                                 ImageChops.darker(ImageChops.darker(r, g), b))
    grey = _and(_mask(spread, lambda v: v < 30), _mask(r, lambda v: v < 200))
    rules = ImageChops.lighter(
        _long_runs(grey), _long_runs(grey.transpose(Image.Transpose.TRANSPOSE))
        .transpose(Image.Transpose.TRANSPOSE))
    return {"red": red, "blue": blue, "mixed": mixed, "rules": rules,
            "text": ImageChops.lighter(ImageChops.lighter(red, blue), mixed)}


def collisions(pages: list[Image.Image]) -> dict[str, list]:
    """Where lines touch each other and where text touches a rule: boxes in pixels."""
    found: dict[str, list] = {"lines": [], "rules": []}
    for n, page in enumerate(pages):
        ink = inks(page)
        assert ink["rules"].getbbox(), "the grid must be found"
        assert ink["red"].getbbox() and ink["blue"].getbbox(), "both line colours drawn"
        touching = ImageChops.lighter(_and(_grow(ink["red"]), ink["blue"]), ink["mixed"])
        if touching.getbbox():
            found["lines"].append((n, touching.getbbox()))
        on_rule = _and(_grow(ink["rules"]), ink["text"])
        if on_rule.getbbox():
            found["rules"].append((n, on_rule.getbbox()))
    return found


def worst_case_table(ts: blocks.Typesetter) -> Table:
    """Cells as the forms make them, at every size the forms use in tables, full of the
    tallest and deepest stacks, several lines each."""
    rows = [[ts.para(text, size, bold=bold) for text in
             ("ฟื้นฟู ปั้นฎุ", WORST, "ปี๊บฏูกุ้ง ที่ญูฐู ฝั่งฤๅปิ๋ว ฎุมฟื้น ฏูปั้น",
              "กุ้งฎุ ปี๊ฏู ญูที่ ฝั่งฐู ฟื้ฏูฟื้ฎุ ปั้ญูปี๊ฏู", "ดูหมายเหตุด้านล่าง")]
            for size, bold in ((11, False), (12, False), (12, True), (13, False),
                               (14, False), (14, True))]
    table = Table(rows, colWidths=blocks.CHECK_COLUMNS)
    table.setStyle(blocks._grid())
    return table


def test_worst_case_stacks_never_touch_the_next_line_or_a_rule(coloured_lines):
    pages = render([worst_case_table(blocks.Typesetter())])
    assert collisions(pages) == {"lines": [], "rules": []}


def test_real_checklist_cells_leave_room_for_stacks(coloured_lines):
    """The checklist as printed (headings, labels, legal basis, "ดูหมายเหตุด้านล่าง" and the
    long note rows), on its first two pages."""
    template = synthetic_template(12)
    answers = {item.id: {"result": "fail", "note": LONG_NOTE}
               for n, item in enumerate(template.items.values()) if n % 4 == 1}
    ts = blocks.Typesetter()
    pages = render(blocks.checklist(ts, template, answers))[:2]
    assert collisions(pages) == {"lines": [], "rules": []}


def test_the_check_sees_lines_set_too_close(coloured_lines):
    """Lines one font size apart, in a cell whose text starts at the rule: both caught."""
    style = blocks.Typesetter().style(14).but(leading=14)
    table = Table([[paragraph.ThaiParagraph(WORST, style)]], colWidths=[6 * cm])
    table.setStyle(blocks._grid([("TOPPADDING", (0, 0), (-1, -1), -4)]))
    found = collisions(render([table]))
    assert found["lines"] and found["rules"]
