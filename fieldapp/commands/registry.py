"""``fieldapp import-factories FILE``: load a factory registry file into the local store.

An import commits in batches (store/registry_import.py); when it stops before the end, the
command says exactly what the database holds and that running it again finishes it safely.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys

from fieldapp.commands import store_from
from fieldapp.core.errors import FieldAppError
from fieldapp.core.stopping import StopRequest
from fieldapp.store.registry_files import ImportFileError
from fieldapp.store.registry_import import (
    ImportReport,
    import_factories,
    parse_mapping,
    write_rejects,
)

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import-factories", help="import a factory registry file (CSV or .xlsx)",
        description="Import DIW's Factory_Data CSV, the open-data layout, or any layout with "
                    "--map. Warnings and rejected lines go to stderr with their line numbers; "
                    "the last line says what happened.")
    parser.add_argument("file", help="CSV (UTF-8 or Windows Thai cp874) or .xlsx file")
    parser.add_argument("--map", action="append", default=[], metavar="COL=FIELD|FILE.json",
                        help="map file columns to fields (repeatable), e.g. "
                             "--map 'เลขทะเบียน=fid,ชื่อ=name'; a JSON file {column: field} "
                             "also works")
    parser.add_argument("--rejects", metavar="FILE",
                        help="write the rejected rows here as CSV with line number and reason")
    parser.add_argument("--quiet", action="store_true", help="do not print warnings")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    mapping = parse_mapping(args.map) if args.map else None
    report = ImportReport()
    stop = StopRequest("fieldapp")
    with store_from(args) as store:
        try:
            with stop.catching():
                import_factories(store, args.file, mapping=mapping, report=report,
                                 cancelled=stop.requested)
        except ImportFileError:
            raise   # the file as a whole, refused before any row is written
        except (KeyboardInterrupt, Exception) as exc:
            log.debug("registry import stopped", exc_info=True)
            forced = isinstance(exc, KeyboardInterrupt)
            print(f"fieldapp: {stopped_message(report, _reason(exc, stop), forced)}",
                  file=sys.stderr)
            return stop.exit_code() if forced else 1
    if report.cancelled:
        print(f"fieldapp: {stopped_message(report, _reason(None, stop))}", file=sys.stderr)
        return stop.exit_code()
    if not args.quiet:
        for line, note in report.warnings:
            print(f"line {line}: warning: {note.message}", file=sys.stderr)
    for item in report.rejected:
        print(f"line {item.line}: rejected: {item.reason.message}", file=sys.stderr)
    if args.rejects:
        write_rejects(report, args.rejects)
    print(report.summary())
    return 0


def stopped_message(report: ImportReport, reason: str, forced: bool = False) -> str:
    """What the database holds after an import stopped before the end of its file.

    ``forced``: stopped by an exception a signal raised, which may come just after the
    batch being written has committed: that batch may be in, and the message says so."""
    again = ("สั่งนำเข้าไฟล์เดิมอีกครั้งได้อย่างปลอดภัย แถวที่บันทึกแล้วจะไม่ซ้ำ",
             "run the same command again to finish: rows already in come back unchanged, "
             "none is duplicated or renamed")
    maybe = report.writing_line if forced else 0
    if not report.committed:
        if maybe:
            return (f"การนำเข้าหยุดกลางคัน แถวถึงบรรทัด {maybe:,} (ชุดแรก) อาจบันทึกแล้ว "
                    f"หลังจากนั้นยังไม่ได้นำเข้า {again[0]} (import stopped: {reason}; perhaps "
                    f"the rows up to line {maybe:,} (the first batch) are in, none after "
                    f"that; {again[1]})")
        return (f"การนำเข้าหยุดกลางคัน ยังไม่ได้บันทึกแถวใดเลย {again[0]} (import stopped: "
                f"{reason}; nothing was imported; {again[1]})")
    if maybe:
        after_th = (f"แถวถึงบรรทัด {maybe:,} (ชุดที่กำลังบันทึก) อาจบันทึกแล้วด้วย "
                    f"หลังจากนั้นยังไม่ได้นำเข้า")
        after_en = (f"perhaps also those up to line {maybe:,} (the batch being written when "
                    f"it stopped), none after that")
    else:
        after_th = "แถวหลังจากนั้นยังไม่ได้นำเข้า"
        after_en = "none after it"
    return (f"การนำเข้าหยุดกลางคัน บันทึกแล้ว {report.committed:,} แถว ถึงบรรทัด "
            f"{report.committed_line:,} จาก {report.lines:,} {after_th} {again[0]} (import "
            f"stopped: {reason}; {report.committed:,} rows are in the database: every good "
            f"row up to line {report.committed_line:,} of {report.lines:,}, {after_en} "
            f"({report.summary()}); {again[1]})")


def _reason(exc: BaseException | None, stop: StopRequest) -> str:
    if stop.requested() or isinstance(exc, KeyboardInterrupt):
        return stop.reason()
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return f"the disk is full ({exc})"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    if isinstance(exc, FieldAppError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
