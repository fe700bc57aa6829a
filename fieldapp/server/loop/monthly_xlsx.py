"""The monthly report as an Excel workbook (openpyxl): a summary sheet and a sheet per
inspector, laid out from ``monthly_tables`` so that it says what the PDF and the console say.

Formatted to be printed as it is: Sarabun, title rows, Thai headers over their English gloss,
bold shaded headers, thin borders, numbers right-aligned, frozen headers, A4 landscape fitted
to the page width.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fieldapp.server.loop import monthly_tables as T
from fieldapp.server.loop.monthly import MonthlyReport

FONT = "Sarabun"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F2")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="EAF1E4")
NUMBER = "#,##0"


def _titles(sheet: Worksheet, report: MonthlyReport, subtitle: str) -> int:
    """The three title rows and a blank one; returns the next free row."""
    lines = [(T.title(report), 16, True), (T.province_line(report), 13, True),
             (f"{subtitle} — {T.generated_line(report)}", 11, False)]
    for row, (text, size, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text)
        cell.font = Font(name=FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal="left", vertical="center")
        sheet.row_dimensions[row].height = size * 2
    return len(lines) + 2


def _head_cell(sheet: Worksheet, row: int, col: int, text: str, *, english: bool = False,
               fill: PatternFill = HEAD_FILL) -> None:
    cell = sheet.cell(row, col, text)
    cell.font = Font(name=FONT, size=9 if english else 11, bold=not english,
                     italic=english, color="404040" if english else "000000")
    cell.fill = fill
    cell.border = BOX
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _table(sheet: Worksheet, table: T.ReportTable, top: int, left: int = 1) -> int:
    """One table from (top, left): its title, group headers, Thai and English header rows,
    the rows. Returns the row after it."""
    title = sheet.cell(top, left, f"{table.title.th} ({table.title.en})")
    title.font = Font(name=FONT, size=12, bold=True)
    row = top + 1
    if table.groups:
        col = left
        for label, span in table.groups:
            for c in range(col, col + span):
                _head_cell(sheet, row, c, "")
            text = f"{label.th}\n{label.en}" if label.th else ""
            _head_cell(sheet, row, col, text)
            if span > 1:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row,
                                  end_column=col + span - 1)
            col += span
        sheet.row_dimensions[row].height = 34
        row += 1
    for offset, label in enumerate(table.columns):
        _head_cell(sheet, row, left + offset, label.th)
        _head_cell(sheet, row + 1, left + offset, label.en, english=True)
    # Two lines of Thai in a narrow column (ตรวจติดตาม / ผลการแก้ไข), and of English.
    sheet.row_dimensions[row].height = 36
    sheet.row_dimensions[row + 1].height = 26
    row += 2
    for r in table.rows:
        group, total = r.style == "group", r.style == "total"
        label = sheet.cell(row, left, r.label.th if r.label.th == r.label.en
                           else f"{r.label.th} ({r.label.en})")
        indent = 0 if group or total or table.key != "inspections" else 2
        label.alignment = Alignment(horizontal="left", vertical="center", indent=indent,
                                    wrap_text=True)
        cells = [label]
        for offset, value in enumerate(r.values, start=1):
            cell = sheet.cell(row, left + offset, value)
            cell.number_format = NUMBER
            cell.alignment = Alignment(horizontal="right", vertical="center")
            cells.append(cell)
        for cell in cells:
            cell.border = BOX
            cell.font = Font(name=FONT, size=11, bold=group or total)
            if group:
                cell.fill = GROUP_FILL
            elif total:
                cell.fill = TOTAL_FILL
        row += 1
    return row


def _footnotes(sheet: Worksheet, report: MonthlyReport, row: int) -> int:
    sheet.cell(row, 1, "หมายเหตุ (Notes)").font = Font(name=FONT, size=11, bold=True)
    row += 1
    for n, note in enumerate(T.footnotes(report), start=1):
        cell = sheet.cell(row, 1, f"{n}. {note.th} ({note.en})")
        cell.font = Font(name=FONT, size=10)
        row += 1
    return row


def _print_setup(sheet: Worksheet, title_rows: str) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "หน้า &P/&N"
    sheet.oddFooter.center.font = FONT


def _summary(book: Workbook, report: MonthlyReport) -> None:
    sheet = book.active
    sheet.title = "สรุป (Summary)"
    row = _titles(sheet, report, "สรุปทั้งจังหวัด (province summary)")
    sheet.freeze_panes = sheet.cell(row, 1)
    for table in T.summary_tables(report):
        row = _table(sheet, table, row) + 1
    _footnotes(sheet, report, row)
    sheet.column_dimensions["A"].width = 58
    for col in "BCD":
        sheet.column_dimensions[col].width = 20
    _print_setup(sheet, "1:3")


def _inspectors(book: Workbook, report: MonthlyReport) -> None:
    """Both per-inspector tables side by side on one row of headers: one line per
    inspector across the sheet, frozen below the headers and right of the names."""
    sheet = book.create_sheet("รายผู้ตรวจ (By inspector)")
    first, second = T.inspector_tables(report)
    merged = T.ReportTable(
        "inspectors", T.Label("การปฏิบัติงาน แยกตามผู้ตรวจ", "Work by inspector"),
        first.columns + second.columns[1:],
        [T.Row(a.label, a.values + b.values, a.style)
         for a, b in zip(first.rows, second.rows, strict=True)],
        groups=first.groups + second.groups[1:])
    width = len(merged.columns)
    top = _titles(sheet, report, "แยกตามผู้ตรวจ (by inspector)")
    end = _table(sheet, merged, top)
    header_rows = 3 if merged.groups else 2
    sheet.freeze_panes = sheet.cell(top + 1 + header_rows, 2)
    _footnotes(sheet, report, end + 1)
    sheet.column_dimensions["A"].width = 24
    for col in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 12
    _print_setup(sheet, f"{top + 1}:{top + header_rows}")


def monthly_xlsx(report: MonthlyReport) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    _summary(book, report)
    _inspectors(book, report)
    book.properties.title = T.title(report)
    book.properties.creator = "FieldApp"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
