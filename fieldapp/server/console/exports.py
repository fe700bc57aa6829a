"""Tables leaving the console as files: CSV (UTF-8 with a BOM, so Excel reads Thai) and XLSX
(openpyxl, Thai headers, frozen header row).

No cell ever runs as a formula: in CSV a text starting with = + - @ gets an apostrophe in
front (CSV has no other way to say "text"); in XLSX such a text is written as a string
cell with Excel's quote prefix, which shows no apostrophe. A ``Text`` (a factory ID, a
record number, a Buddhist-era date) stays text in both: Excel reads a bare 14-digit FID in
a CSV as a number, dropping its leading zeros or showing 1.01E+13, and 05/03/2569 as a
date of its own locale (3 May in the United States' one). A ``datetime`` is a date cell in XLSX and
ISO text (``2026-03-05 09:30``, which every spreadsheet reads as a date) in CSV.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from starlette.responses import Response

from fieldapp.server.console import i18n

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class Text(str):
    """Text a spreadsheet must not take for a number or a date (an FID, a record number, a
    Buddhist-era date): text in every file."""


# What Excel's ="..." may hold here: no quote, so nothing of anyone's can end the string.
_LITERAL = frozenset("0123456789/:.- ")


def safe(value) -> object:
    """A CSV cell: a formula-like text behind an apostrophe, none as empty text."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return "" if value is None else value


def _csv_cell(value) -> object:
    if isinstance(value, Text) and value and set(value) <= _LITERAL:
        # Excel's own way of keeping digits text in a CSV (the DIW registry file is written
        # so); made only of digits and separators, so it can never carry anyone's formula.
        return f'="{value}"'
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return safe(value)


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value) -> Cell:
    cell = Cell(sheet, value="" if value is None else value)
    if isinstance(value, str):
        # A string cell, whatever it starts with (openpyxl makes "=..." a formula), and
        # Excel's quote prefix so that editing it keeps it text; no apostrophe shows.
        cell.data_type = "s"
        if value[:1] in FORMULA_START or isinstance(value, Text):
            cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    return cell


def xlsx_bytes(title: str, headers: list[str], rows: list[list]) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(name="Sarabun", bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, 1):
        width = max([len(str(header))] + [len(_shown(r[index - 1])) for r in rows[:500]])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, width + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(value) -> str:
    if isinstance(value, datetime):
        return "2026-12-31 23:59"
    return "" if value is None else str(value)


def table_response(name: str, headers: list[str], rows: list[list], kind: str,
                   lang: str) -> Response:
    """A download of ``rows`` under translated ``headers``."""
    _ = i18n.gettext_for(lang)
    headers = [_(h) for h in headers]
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    if kind == "xlsx":
        body, media = xlsx_bytes(name, headers, rows), XLSX
    else:
        body, media = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="{name}-{stamp}.{kind}"'})
