"""The office's monthly report as an A4 PDF: titled tables of counts with Thai headers over
their English gloss, typeset like the printed inspection record (Sarabun, HarfBuzz shaping,
Thai word breaking, Buddhist-era dates, the record's margins, "หน้า x/y" on every page).

It prints tables it is given (``ReportTable``: plain data the office server fills from its
counts, fieldapp/server/loop/monthly_tables.py) and knows nothing of where the numbers come
from. Nothing here reads a database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
)

from fieldapp.core.numbers import grouped
from fieldapp.forms import blocks, fonts
from fieldapp.forms.inspection_form import _finish, _render_lock
from fieldapp.forms.page import (
    BOTTOM,
    FOOTER_SIZE,
    LEFT,
    PAGE_SIZE,
    RIGHT,
    TEXT_WIDTH,
    TOP,
    FormCanvas,
)
from fieldapp.forms.shaping import draw_line
from fieldapp.forms.thai_text import warm_up


@dataclass(frozen=True)
class Label:
    """A label of the report: Thai, and its English gloss."""

    th: str
    en: str


@dataclass
class Row:
    label: Label
    values: list[int | None]
    style: str = "item"      # "group" (a heading row, no numbers), "item", "total"


@dataclass
class ReportTable:
    key: str
    title: Label
    columns: list[Label]      # the first names the label column
    rows: list[Row]
    groups: list[tuple[Label, int]] = field(default_factory=list)  # spanning header, width


@dataclass
class ReportDocument:
    """What one report prints: title lines, tables (each kept whole when it fits on a page)
    and numbered notes on portrait pages, then ``wide`` tables (one row per person, many
    columns) on landscape pages."""

    title: str
    lines: list[str]
    tables: list[ReportTable]
    notes: list[Label]
    wide: list[ReportTable] = field(default_factory=list)
    footer: str = ""
    thai_digits: bool = False


HEAD = colors.HexColor("#dce6f2")
GROUP = colors.HexColor("#f2f2f2")
TOTAL = colors.HexColor("#eaf1e4")
ENGLISH = colors.HexColor("#404040")
LABEL_SHARE = {2: 0.72, 4: 0.40}   # the label column's share of the width, by column count
NARROW_LABEL = 4.0 * cm            # a wide table (per inspector): names only
WIDE_PAGE = landscape(PAGE_SIZE)
WIDE_TEXT = WIDE_PAGE[0] - LEFT - RIGHT


class ReportCanvas(FormCanvas):
    """The form's canvas (footers stamped when the page count is known) with the report's
    footer: its title on the left, "หน้า x/y" on the right. No QR code: a report is not a
    signed record."""

    def _stamp(self, number: int, total: int) -> None:
        info = self.footer
        ts = blocks.Typesetter(thai_digits=info.get("thai_digits", False))
        right = self._pagesize[0] - RIGHT    # portrait or landscape, as this page is
        self.saveState()
        self.setStrokeColor(colors.grey)
        self.setLineWidth(0.4)
        self.line(LEFT, BOTTOM - 0.15 * cm, right, BOTTOM - 0.15 * cm)
        self.restoreState()
        y = BOTTOM - 0.6 * cm
        draw_line(self, right, y, ts.digits(f"หน้า {number}/{total}"), fonts.BOLD,
                  FOOTER_SIZE + 1, align="right")
        draw_line(self, LEFT, y, info.get("text", ""), fonts.REGULAR, FOOTER_SIZE)


def _widths(table: ReportTable, width: float) -> list[float]:
    count = len(table.columns)
    first = width * LABEL_SHARE[count] if count in LABEL_SHARE else NARROW_LABEL
    return [first] + [(width - first) / (count - 1)] * (count - 1)


def _header_cell(ts: blocks.Typesetter, label: Label, wide: bool) -> list:
    if not label.th:
        return []
    size = 12 if wide else 10.5
    cell = [ts.para(label.th, size, bold=True, align="center")]
    if label.en and label.en != label.th:
        cell.append(ts.para(label.en, size - 2.5, align="center", color=ENGLISH))
    return cell


def _table(ts: blocks.Typesetter, table: ReportTable, width: float = TEXT_WIDTH) -> list:
    widths = _widths(table, width)
    wide = len(table.columns) <= 4
    size = 14 if wide else 13
    data, styles = [], [("BACKGROUND", (0, 0), (-1, 0), HEAD)]
    if table.groups:
        row, col = [], 0
        for label, span in table.groups:
            row += [_header_cell(ts, label, wide)] + [""] * (span - 1)
            if span > 1:
                styles.append(("SPAN", (col, 0), (col + span - 1, 0)))
            col += span
        data.append(row)
        styles.append(("BACKGROUND", (0, 1), (-1, 1), HEAD))
    data.append([_header_cell(ts, c, wide) for c in table.columns])
    heads = len(data)
    for r in table.rows:
        n = len(data)
        bold = r.style in ("group", "total")
        label = r.label.th if r.label.th == r.label.en else f"{r.label.th} ({r.label.en})"
        if r.style == "item" and table.key == "inspections":
            styles.append(("LEFTPADDING", (0, n), (0, n), 14))   # under its group row
        cells = [ts.para(label, size, bold=bold)]
        cells += [ts.para("" if v is None else grouped(v), size, bold=bold, align="right")
                  for v in r.values]
        data.append(cells)
        if r.style == "group":
            styles.append(("BACKGROUND", (0, n), (-1, n), GROUP))
        elif r.style == "total":
            styles.append(("BACKGROUND", (0, n), (-1, n), TOTAL))
    grid = Table(data, colWidths=widths, repeatRows=heads)
    grid.setStyle(blocks._grid(styles + [("VALIGN", (0, 0), (-1, heads - 1), "MIDDLE")]))
    title = ts.para(f"{table.title.th} ({table.title.en})", 16, bold=True, space_before=8,
                    space_after=3)
    # Whole on one page when it fits (a report table is short), its title with it.
    return [KeepTogether([title, grid])]


def _story(doc: ReportDocument) -> list:
    ts = blocks.Typesetter(thai_digits=doc.thai_digits)
    story: list = [ts.para(doc.title, 18, bold=True, align="center")]
    story += [ts.para(line, 14, align="center") for line in doc.lines]
    story.append(Spacer(1, 6))
    for table in doc.tables:
        story += _table(ts, table)
    if doc.notes:
        story += [CondPageBreak(4 * cm), ts.para("หมายเหตุ (Notes)", 14, bold=True,
                                                  space_before=10, space_after=2)]
        story += [ts.para(f"{n}. {note.th} ({note.en})", 12, space_after=2)
                  for n, note in enumerate(doc.notes, start=1)]
    if doc.wide:
        story += [NextPageTemplate("wide"), PageBreak()]
        for table in doc.wide:
            story += _table(ts, table, WIDE_TEXT)
    return story


def render_report_pdf(doc: ReportDocument, out: str | Path | None = None) -> bytes:
    """The report's PDF bytes (also written to ``out``, through a ``.part`` file)."""
    fonts.register_fonts()
    warm_up()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=LEFT,
        rightMargin=PAGE_SIZE[0] - LEFT - TEXT_WIDTH, topMargin=TOP, bottomMargin=BOTTOM,
        title=doc.title, subject=" ".join(doc.lines[:1]), author="FieldApp",
        creator="FieldApp", lang="th-TH")
    frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, PAGE_SIZE[1] - TOP - BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    wide = Frame(LEFT, BOTTOM, WIDE_TEXT, WIDE_PAGE[1] - TOP - BOTTOM, id="wide",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="report", frames=[frame], pagesize=PAGE_SIZE),
                               PageTemplate(id="wide", frames=[wide], pagesize=WIDE_PAGE)])
    canvas = type("BoundReportCanvas", (ReportCanvas,),
                  {"footer": {"text": doc.footer, "thai_digits": doc.thai_digits}})
    with _render_lock:
        template.build(_story(doc), canvasmaker=canvas)
    return _finish(buffer, out)
