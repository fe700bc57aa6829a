"""Importing a factory registry file (CSV or .xlsx) into the local store.

Reads DIW's Factory_Data layout, the open-data ("fnm") layout, or any other layout given a
column mapping; the file is read by store/registry_files.py (UTF-8 with or without BOM, or
Windows Thai cp874, or a workbook); cleans each row with ``fieldapp.core.registry_rows``;
writes good rows as local rows (no outbox entries: the office's registry is authoritative,
see store/factories.py) in batches of ``BATCH_SIZE``, one transaction each, so a crash or a
cancel keeps every batch that committed and never leaves half a row. Bad rows are reported
with their line number and reason, never silently dropped; a malformed CSV line rejects
only itself.

Committing in steps, not all or nothing: a national file takes minutes, and what a stop
keeps is exact (``ImportReport.committed_line``: every good row up to that line is in, none
after it). Running the same file again is the way to finish: rows are keyed on their factory
ID, so those already in come back unchanged, never twice and never renamed.

Never writes SQL itself: rows go through ``fieldapp.store.factories.upsert_factories``.
"""

from __future__ import annotations

import csv
import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fieldapp.core.errors import FieldAppError
from fieldapp.core.registry_rows import INPUT_FIELDS, Note, clean_row
from fieldapp.store.db import Store
from fieldapp.store.factories import prepare_record, upsert_factories
from fieldapp.store.registry_clashes import clashing_ids
from fieldapp.store.registry_files import (
    ImportFileError,
    csv_records,
    detect_encoding,
    xlsx_records,
)

BATCH_SIZE = 5000

# Known layouts: file column (upper case) -> field, in order of preference when two columns
# feed one field (DISPFACREG is the display form of FACREG; the estate's name beats its code).
LAYOUTS: dict[str, list[tuple[str, str]]] = {
    "diw": [
        ("FID", "fid"), ("DISPFACREG", "facreg"), ("FACREG", "facreg"),
        ("FACTYPE", "factory_class"), ("FNAME", "name"), ("ONAME", "operator"),
        ("OBJECT", "business"), ("FADDR", "address"), ("FMOO", "moo"), ("FSOI", "soi"),
        ("FROAD", "road"), ("FTUMNAME", "subdistrict"), ("FAMPNAME", "district"),
        ("FPROVNAME", "province"), ("TOTAL_CAP", "capital"), ("TOTAL_WORKER", "workers"),
        ("HP", "horsepower"), ("LAT", "lat"), ("LNG", "lng"), ("ISIC_CODE", "isic"),
        ("ESTATE_NAME_TH", "estate"), ("ESTATE", "estate"), ("FFLAG", "status"),
        ("LAST_UPDATE", "registry_updated"),
    ],
    "fnm": [
        ("FID", "fid"), ("REGISTRATION_DISPLAY", "facreg"), ("ID", "facreg"),
        ("NAME", "name"), ("FACTORY_TYPE", "factory_class"), ("PROVINCE", "province"),
        ("DISTRICT", "district"), ("SUB_DISTRICT", "subdistrict"),
        ("ADDRESS_FULL", "address"), ("LAT", "lat"), ("LNG", "lng"),
    ],
}
# Columns whose presence identifies a layout.
_SIGNATURES = {
    "diw": {"FID", "FNAME", "FPROVNAME"},
    "fnm": {"FID", "NAME", "REGISTRATION_DISPLAY", "SUB_DISTRICT"},
}


@dataclass
class Rejected:
    line: int
    reason: Note
    cells: list[str]


@dataclass
class ImportReport:
    """What an import did; ``summary()`` is the one line the command ends with."""

    layout: str = ""
    encoding: str = ""
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # rows the office's registry holds: left as the office has them
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[tuple[int, Note]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    cancelled: bool = False
    # Where a stop (cancel, Ctrl-C, disk full, a fault in the file) left the database: every
    # good row up to ``committed_line`` is in it, none after it; ``lines`` in the file.
    committed_line: int = 0
    lines: int = 0
    # Last line of the batch being written: an exception raised meanwhile by a signal
    # (a second Ctrl-C) may come just after its commit, so it may be in. 0 between batches.
    writing_line: int = 0

    @property
    def committed(self) -> int:
        """Rows of the file the database holds as the file has them (or the office's)."""
        return self.imported + self.updated + self.unchanged + self.kept

    def summary(self) -> str:
        text = (f"imported {self.imported}, updated {self.updated}, "
                f"unchanged {self.unchanged}, rejected {len(self.rejected)}")
        if self.kept:
            text += f", kept {self.kept} as the office's registry has them"
        return text


class UnknownLayoutError(ImportFileError):
    """The file's columns are no layout the importer knows. Its message advises the command
    line's ``--map``; ``columns`` (the file's) and ``needed`` (what the DIW layout must have)
    let a window say what to do in its own terms, where there is no such flag."""

    def __init__(self, message: str, columns: list[str], needed: list[str]):
        super().__init__(message)
        self.columns, self.needed = columns, needed


# -- column mapping --------------------------------------------------------------------------

def parse_mapping(specs: list[str]) -> dict[str, str]:
    """``--map`` values -> {file column: field}. Each spec is a JSON file or ``COL=FIELD,...``."""
    mapping: dict[str, str] = {}
    for spec in specs:
        path = Path(spec)
        if "=" not in spec and path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError) as exc:
                raise ImportFileError(f"อ่านไฟล์จับคู่คอลัมน์ไม่ได้ (cannot read mapping file "
                                      f"{spec}: {exc})") from None
            if not isinstance(loaded, dict):
                raise ImportFileError(f"ไฟล์จับคู่คอลัมน์ต้องเป็น JSON object (mapping file "
                                      f"{spec} must be a JSON object {{\"column\": \"field\"}})")
            pairs = list(loaded.items())
        else:
            pairs = []
            for part in spec.split(","):
                column, sep, target = part.partition("=")
                if not sep:
                    raise ImportFileError(f"รูปแบบ --map ไม่ถูกต้อง (--map {part!r}: write "
                                          f"COLUMN=FIELD or a JSON file)")
                pairs.append((column, target))
        for column, target in pairs:
            target = str(target).strip()
            if target not in INPUT_FIELDS:
                raise ImportFileError(
                    f"ไม่รู้จักฟิลด์ {target!r} (unknown field {target!r}; fields: "
                    f"{', '.join(INPUT_FIELDS)})")
            mapping[str(column).strip().upper()] = target
    return mapping


def resolve_columns(header: list[str], mapping: dict[str, str] | None
                    ) -> tuple[str, list[tuple[int, str]]]:
    """The layout name and (column index, field) pairs in order of preference."""
    names = [h.strip().lstrip("\ufeff").upper() for h in header]
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    if mapping:
        missing = [c for c in mapping if c not in position]
        if missing:
            raise ImportFileError(f"ไม่พบคอลัมน์ในไฟล์ (columns not in the file: "
                                  f"{', '.join(missing)}; the file has {', '.join(names)})")
        pairs = [(position[c], f) for c, f in mapping.items()]
        layout = "mapped"
    else:
        layout = next((name for name, needed in _SIGNATURES.items()
                       if needed <= set(position)), "")
        if not layout:
            raise UnknownLayoutError(
                f"ไม่รู้จักรูปแบบไฟล์ (unknown column layout: {', '.join(names)}); "
                f"use --map COLUMN=FIELD for fid, name, province, ...",
                names, [c for c, _ in LAYOUTS["diw"] if c in _SIGNATURES["diw"]])
        pairs = [(position[c], f) for c, f in LAYOUTS[layout] if c in position]
    if "fid" not in {f for _, f in pairs}:
        raise ImportFileError("ไม่มีคอลัมน์เลขทะเบียนโรงงาน (no column is mapped to fid)")
    return layout, pairs


def _row_fields(cells: list, pairs: list[tuple[int, str]]) -> dict:
    raw: dict = {}
    for index, name in pairs:
        value = cells[index] if index < len(cells) else None
        if raw.get(name) in (None, "") or str(raw[name]).strip() == "":
            raw[name] = value
    return raw


# -- the import --------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def import_factories(store: Store, path: str | Path, *, mapping: dict[str, str] | None = None,
                     progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None,
                     batch_size: int = BATCH_SIZE,
                     report: ImportReport | None = None) -> ImportReport:
    """Import a registry file; returns what happened (counts, rejections, warnings).

    ``progress(done, total)`` is called after every batch (lines or sheet rows); ``cancelled()``
    is polled between batches, and a cancelled import keeps every batch already committed.
    ``report``: fill this one, so that a caller whose import is stopped by an exception
    (KeyboardInterrupt, a full disk) still knows what was committed before it.
    """
    path = Path(path)
    if path.is_dir():
        raise ImportFileError(f"เป็นโฟลเดอร์ ไม่ใช่ไฟล์ (a folder, not a registry file: {path})")
    if not path.is_file():
        raise ImportFileError(f"ไม่พบไฟล์ (file not found: {path})")
    report = ImportReport() if report is None else report
    workbook = path.suffix.lower() in (".xlsx", ".xlsm")
    if workbook:
        report.encoding = "xlsx"
    else:
        report.encoding, _lines = detect_encoding(path)

    def records() -> tuple[int, Iterator]:
        if workbook:
            return xlsx_records(path)
        return _lines, csv_records(path, report.encoding)

    # Before anything is written: IDs two lines give different details to (one of them
    # another factory's, misplaced) are taken from neither (store/registry_clashes.py).
    first_pass = records()[1]
    try:
        clashes = clashing_ids(first_pass, lambda header: _taken_columns(header, mapping),
                               cancelled)
    finally:
        first_pass.close()   # a workbook stays open until its rows are closed
    if clashes is None:
        report.cancelled = True
        return report
    total, rows = records()
    report.lines = total
    for batch, last_line in _prefetched(_clean_batches(rows, mapping, report, batch_size,
                                                       clashes)):
        report.writing_line = last_line
        outcomes = upsert_factories(store, batch)
        report.imported += outcomes.count("inserted")
        report.updated += outcomes.count("updated")
        report.unchanged += outcomes.count("unchanged")
        report.kept += outcomes.count("kept")
        report.committed_line, report.writing_line = last_line, 0
        if progress:
            progress(min(last_line, total), total)
        if cancelled is not None and cancelled():
            report.cancelled = True
            return report
    if progress:
        progress(total, total)
    return report


def _taken_columns(header: list[str], mapping: dict[str, str] | None
                   ) -> list[tuple[int, str]]:
    """(position, field) of the columns this file's layout takes, as the main pass resolves
    them; none when it cannot (the main pass says why)."""
    try:
        return resolve_columns(header, mapping)[1]
    except FieldAppError:
        return []


def _clean_batches(records: Iterator[tuple[int, list | None, str]],
                   mapping: dict[str, str] | None, report: ImportReport,
                   batch_size: int, clashes: dict[str, list[int]] | None = None
                   ) -> Iterator[tuple[list[dict], int]]:
    """Clean records into batches of good rows, noting rejections and warnings in ``report``.
    A factory ID in ``clashes`` is taken from none of its lines.

    Yields (batch, line number of the batch's last record). Pure Python, no database.
    """
    pairs: list[tuple[int, str]] = []
    width = 0
    seen: dict[str, int] = {}
    batch: list[dict] = []
    line = 0
    for line, cells, raw in records:
        if cells is None:
            report.rejected.append(Rejected(line, Note(
                "malformed", f"บรรทัดเสีย อ่านเป็น CSV ไม่ได้ (malformed CSV line, {raw})"),
                [raw.partition(": ")[2]]))
            continue
        if not any(str(c).strip() for c in cells):
            continue  # blank line
        if not pairs:
            report.header = [str(c) for c in cells]
            report.layout, pairs = resolve_columns(report.header, mapping)
            width = len(cells)
            continue
        if report.encoding != "xlsx" and len(cells) != width:
            report.rejected.append(Rejected(line, Note(
                "columns", f"จำนวนคอลัมน์ไม่ถูกต้อง (line has {len(cells)} columns, the header "
                           f"has {width})"), cells))
            continue
        result = clean_row(_row_fields(cells, pairs))
        if result.rejection is not None:
            report.rejected.append(Rejected(line, result.rejection, cells))
            continue
        fid = result.factory["fid"]
        if clashes and fid in clashes:
            lines = ", ".join(map(str, clashes[fid]))
            report.rejected.append(Rejected(line, Note(
                "fid_clash", f"เลขทะเบียนโรงงาน {fid} อยู่ในหลายบรรทัดที่ข้อมูลต่างกัน (บรรทัด "
                             f"{lines}) จึงไม่นำเข้าบรรทัดใดเลย โรงงานนี้คงข้อมูลเดิมไว้ "
                             f"(factory ID {fid} is on lines {lines} with different details: "
                             f"one of them is another factory's; none was imported and the "
                             f"factory keeps what was held — correct the file)"), cells))
            continue
        if fid in seen:
            report.rejected.append(Rejected(line, Note(
                "duplicate", f"เลขทะเบียนโรงงานซ้ำกับบรรทัด {seen[fid]} (factory ID {fid} "
                             f"already on line {seen[fid]}; this line was not imported)"), cells))
            continue
        seen[fid] = line
        report.warnings.extend((line, note) for note in result.warnings)
        batch.append(prepare_record(result.factory))
        if len(batch) >= batch_size:
            yield batch, line
            batch = []
    if not pairs:
        raise ImportFileError("ไฟล์ว่าง (the file has no header row)")
    if batch:
        yield batch, line


def _prefetched(items: Iterator, depth: int = 2) -> Iterator:
    """Run a generator on a helper thread, at most ``depth`` items ahead of the consumer.

    Reading and cleaning rows is pure Python; sqlite3 releases the GIL while a statement
    runs, so the next batch is cleaned while SQLite writes the current one (on a two-core
    laptop this is most of the importer's own overhead). Errors raised by the generator are
    raised here; stopping early (cancel, an error in the consumer) stops the helper too.
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(message: tuple) -> bool:
        while not stop.is_set():
            try:
                buffer.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(("item", item)):
                    return
            put(("done", None))
        except BaseException as exc:  # handed to the consumer, which raises it
            put(("error", exc))
        finally:
            items.close()

    helper = threading.Thread(target=produce, name="registry-reader", daemon=True)
    helper.start()
    try:
        while True:
            kind, value = buffer.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        helper.join()


def write_rejects(report: ImportReport, path: str | Path) -> None:
    """The rejected rows as CSV (UTF-8 with BOM, so Thai Excel opens it): line, reason, cells."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "reason", *report.header])
        for item in report.rejected:
            writer.writerow([item.line, item.reason.message, *item.cells])
