"""``fieldapp import-factories FILE``: load a factory registry file into the local store."""

from __future__ import annotations

import argparse
import sys

from fieldapp.commands import store_from
from fieldapp.store.registry_import import import_factories, parse_mapping, write_rejects


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
    with store_from(args) as store:
        report = import_factories(store, args.file, mapping=mapping)
    if not args.quiet:
        for line, note in report.warnings:
            print(f"line {line}: warning: {note.message}", file=sys.stderr)
    for item in report.rejected:
        print(f"line {item.line}: rejected: {item.reason.message}", file=sys.stderr)
    if args.rejects:
        write_rejects(report, args.rejects)
    print(report.summary())
    return 0
