"""Tables leaving the console as files: CSV (UTF-8 with a BOM, so Excel reads Thai) and XLSX
(openpyxl, Thai headers, frozen header row). Cells that a spreadsheet would run as a formula
are written as text."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from starlette.responses import Response

from fieldapp.server.console import i18n

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value) -> object:
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return "" if value is None else value


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, headers: list[str], rows: list[list]) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(name="Sarabun", bold=True)
    for row in rows:
        sheet.append([safe(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, 1):
        width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500]])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, width + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
