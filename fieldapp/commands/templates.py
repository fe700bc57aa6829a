"""``fieldapp templates list|validate|publish|install|import-xlsx|export-xlsx``: checklist
templates from the shell.

``validate`` is what an office editor runs after changing a template file: it prints
``OK: key vN, M items`` or every problem with its place in the file, and needs no database.
``export-xlsx`` and ``import-xlsx`` take a template to an Excel workbook (XLSForm) and back,
for offices that author checklists in Excel (fieldapp/xlsform).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fieldapp.commands import store_from
from fieldapp.core.templates import TemplateError, load_template
from fieldapp.store.templates import (
    bundled_template_files,
    install_bundled_templates,
    list_templates,
    publish_template,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "templates", help="list, check and publish checklist templates",
        description="Checklist templates are JSON files (docs/templates.md).")
    sub = parser.add_subparsers(dest="templates_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="shipped template files and versions in the database")
    listing.add_argument("--json", action="store_true", help="print a JSON object")
    listing.set_defaults(run=run_list)

    validate = sub.add_parser("validate", help="check template files; list every problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=run_validate)

    publish = sub.add_parser("publish", help="check a template file and publish it into the "
                                             "local database (a published version is final)")
    publish.add_argument("files", nargs="+", metavar="FILE")
    publish.set_defaults(run=run_publish)

    install = sub.add_parser("install", help="publish the shipped templates not yet in the "
                                             "database")
    install.set_defaults(run=run_install)

    to_json = sub.add_parser(
        "import-xlsx", help="read a checklist workbook (XLSForm) into a template; list every "
                            "problem with its sheet, row and column")
    to_json.add_argument("file", metavar="FILE.xlsx")
    to_json.add_argument("-o", "--output", metavar="TEMPLATE.json",
                         help="write the template here (default: print it)")
    to_json.set_defaults(run=run_import_xlsx)

    to_xlsx = sub.add_parser(
        "export-xlsx", help="write a template out as a checklist workbook (XLSForm) to edit "
                            "in Excel")
    to_xlsx.add_argument("key", metavar="KEY",
                         help="a template key (the newest published version in the database, "
                              "else the shipped file) or a template .json file")
    to_xlsx.add_argument("-o", "--output", metavar="FILE.xlsx", required=True)
    to_xlsx.set_defaults(run=run_export_xlsx)


def _bundled() -> list[dict]:
    out = []
    for path in bundled_template_files():
        try:
            t = load_template(path)
        except TemplateError as exc:
            out.append({"file": str(path), "error": exc.problems})
            continue
        out.append({"file": str(path), "key": t.key, "version": t.version,
                    "title": t.title["th"], "title_en": t.title["en"], "items": len(t.items)})
    return out


def run_list(args: argparse.Namespace) -> int:
    bundled = _bundled()
    skipped: list[str] = []
    with store_from(args) as store:
        published = list_templates(store, skipped)
    for message in skipped:   # a damaged version is left out, never the whole list
        print(f"คำเตือน (warning): {message}", file=sys.stderr)
    if args.json:
        print(json.dumps({"bundled": bundled, "database": published, "skipped": skipped},
                         ensure_ascii=False, indent=2))
        return 0
    print("แบบตรวจที่มากับโปรแกรม (shipped files):")
    for row in bundled:
        if "error" in row:
            print(f"  {row['file']}: ใช้ไม่ได้ (invalid) — {row['error'][0]}")
        else:
            print(f"  {row['key']:<14} v{row['version']:<3} {row['items']:>4} items  "
                  f"{row['title']}")
    print("แบบตรวจในฐานข้อมูล (in the database):")
    for row in published:
        print(f"  {row['key']:<14} v{row['version']:<3} {row['items']:>4} items  "
              f"{row['status']:<9}  {row['title']}")
    if not published:
        print("  (ยังไม่มี — none yet; `fieldapp templates install` adds the shipped ones)")
    return 0


def _report(exc: TemplateError) -> None:
    print(f"ไม่ผ่าน (INVALID): {exc.source} — {len(exc.problems)} problem(s)", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def run_validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            t = load_template(path)
        except TemplateError as exc:
            _report(exc)
            status = 1
            continue
        print(f"OK: {t.key} v{t.version}, {len(t.items)} items ({path})")
    return status


def run_publish(args: argparse.Namespace) -> int:
    templates = []
    for path in args.files:
        try:
            templates.append(load_template(path))
        except TemplateError as exc:
            _report(exc)
            return 1
    with store_from(args) as store:
        known = {r["id"] for r in list_templates(store)}
        for t in templates:
            row = publish_template(store, t)
            again = row["id"] in known
            known.add(row["id"])
            what = "มีอยู่แล้ว ไม่เปลี่ยนแปลง (already published, unchanged)" if again \
                else "เผยแพร่แล้ว (published)"
            print(f"{t.key} v{t.version}, {len(t.items)} items: {what}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        rows = install_bundled_templates(store)
    for row in rows:
        print(f"{row['template_key']} v{row['version']}: เผยแพร่แล้ว (published)")
    print(f"installed {len(rows)}")
    return 0


def run_import_xlsx(args: argparse.Namespace) -> int:
    from fieldapp.xlsform import parse_workbook
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"อ่านไฟล์ไม่ได้ (cannot read) {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    document, problems = parse_workbook(data)
    if document is None:
        print(f"ไม่ผ่าน (INVALID): {args.file} — {len(problems)} problem(s)", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    items = sum(len(s["items"]) for s in document["sections"])
    summary = f"OK: {document['key']} v{document['version']}, {items} items ({args.file})"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{summary} -> {args.output}")
    else:
        sys.stdout.write(text)
        print(summary, file=sys.stderr)
    return 0


def _template_for_export(args: argparse.Namespace):
    """The template KEY names: a .json file, else the newest published version in an
    existing database, else the shipped file with that key."""
    from fieldapp.core.errors import NotFoundError
    from fieldapp.store.paths import database_path
    from fieldapp.store.templates import latest_published

    if args.key.endswith(".json") or Path(args.key).is_file():
        return load_template(args.key)
    if database_path(args.db).exists():   # never create a database just to export
        with store_from(args) as store:
            template = latest_published(store, args.key)
        if template is not None:
            return template
    for path in bundled_template_files():
        template = load_template(path)
        if template.key == args.key:
            return template
    raise NotFoundError(f"ไม่พบแบบตรวจ {args.key!r} (no template with the key {args.key!r}); "
                        "`fieldapp templates list` shows the keys")


def run_export_xlsx(args: argparse.Namespace) -> int:
    from fieldapp.xlsform import write_xlsform
    try:
        template = _template_for_export(args)
    except TemplateError as exc:
        _report(exc)
        return 1
    Path(args.output).write_bytes(write_xlsform(template))
    print(f"{template.key} v{template.version}, {len(template.items)} items -> {args.output}")
    return 0
