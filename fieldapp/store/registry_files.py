"""Reading a registry file's records: a CSV in UTF-8 or Windows Thai (cp874), or the first
sheet of a workbook, as (line number, cells) one by one, never the whole file in memory.
What the records mean is store/registry_import.py's."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from fieldapp.core.errors import FieldAppError


class ImportFileError(FieldAppError):
    """The file as a whole cannot be imported (unreadable, unknown layout)."""


def detect_encoding(path: Path) -> tuple[str, int]:
    """("utf-8-sig" or "cp874", number of lines) after one streaming pass over the bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if last and not last.endswith(b"\n"):
        lines += 1
    if utf8:
        return "utf-8-sig", lines
    # Windows Thai; a byte cp874 does not define means the file is neither.
    try:
        with path.open("rb") as handle:
            decoder = codecs.getincrementaldecoder("cp874")()
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
    except UnicodeDecodeError:
        raise ImportFileError(f"อ่านไฟล์ไม่ได้ (file {path.name} is neither UTF-8 nor Windows "
                              f"Thai cp874; save it as CSV UTF-8 and try again)") from None
    return "cp874", lines


class _LineCounter:
    """Feeds lines to csv.reader while remembering which physical lines each record used."""

    def __init__(self, lines):
        self._lines = lines
        self.count = 0
        self.taken: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        self.taken.append(line)
        return line


def csv_records(path: Path, encoding: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(first line number, cells, "") per CSV record; (line, None, problem) if malformed."""
    with path.open(encoding=encoding, newline="") as handle:
        lines = _LineCounter(iter(handle))
        reader = csv.reader(lines, strict=True)
        while True:
            start = lines.count + 1
            lines.taken = []
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, None, f"{exc}: {''.join(lines.taken).rstrip()}"
                continue
            yield start, cells, ""


def xlsx_records(path: Path) -> tuple[int, Iterator[tuple[int, list, str]]]:
    """(row count, iterator of (row number, cells, "")) for the first sheet of a workbook."""
    try:
        from openpyxl import load_workbook
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ImportFileError(f"เปิดไฟล์ Excel ไม่ได้ (cannot open workbook {path.name}: "
                              f"{exc})") from None
    sheet = workbook.active

    def rows() -> Iterator[tuple[int, list, str]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_value(v) for v in values]
                yield number, cells, ""
        finally:
            workbook.close()

    return sheet.max_row or 0, rows()


def _cell_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
