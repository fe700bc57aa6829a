"""``fieldapp print`` and ``fieldapp verify``: the printed record and checking a paper copy.

Exit codes of ``verify``: 0 MATCH, 1 MODIFIED, 2 UNKNOWN (also 1 for errors, as every
command; read the printed word rather than the code when in doubt).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldapp.commands import store_from
from fieldapp.core.errors import FieldAppError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="render an inspection (or a blank form) as PDF")
    p.add_argument("inspection_id", metavar="INSPECTION",
                   help="the record number as printed (2569/05DACDDB, or 05DACDDB) or the "
                        "id (`fieldapp inspections` lists both); with --blank, a template "
                        "key or template version id")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="PDF to write")
    p.add_argument("--blank", action="store_true", help="a blank form of the template")
    p.add_argument("--thai-digits", action="store_true", help="print digits as ๐-๙")
    p.add_argument("--office", default=None, help="office name in the header")
    p.add_argument("--logo", default=None, type=Path, help="office logo image")
    p.set_defaults(run=run_print)

    v = sub.add_parser("verify", help="check a printed PDF, or a photo or scan of a printed "
                                      "page (JPEG/PNG), against the database: "
                                      "MATCH (exit 0), MODIFIED (1) or UNKNOWN (2)")
    v.add_argument("pdf", metavar="FILE")
    v.add_argument("--local", action="store_true",
                   help="check against this laptop's database even when logged in to a server")
    v.set_defaults(run=run_verify)


def _settings(args):
    from fieldapp.forms.settings import PrintSettings
    kwargs = {"thai_digits": args.thai_digits, "office_logo": args.logo}
    if args.office:
        kwargs["office_name"] = args.office
    return PrintSettings(**kwargs)


def run_print(args: argparse.Namespace) -> int:
    from fieldapp.forms.inspection_form import render_blank_form, render_inspection_pdf
    store = store_from(args, existing=True)
    try:
        if args.blank:
            from fieldapp.store.templates import get_template, latest_published
            template = latest_published(store, args.inspection_id)
            if template is None:
                template = get_template(store, args.inspection_id)
            render_blank_form(template, args.output, settings=_settings(args))
        else:
            from fieldapp.store.inspection_refs import resolve_inspection
            render_inspection_pdf(store, resolve_inspection(store, args.inspection_id),
                                  args.output, settings=_settings(args))
    finally:
        store.close()
    print(f"เขียนไฟล์แล้ว (written): {args.output}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from fieldapp.forms.verification import read_pdf_payload, read_qr_payload, verify_payload
    if not Path(args.pdf).is_file():
        raise FieldAppError(f"ไม่พบไฟล์ (no such file): {args.pdf}")
    with open(args.pdf, "rb") as f:
        head = f.read(8)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        # A phone photo or a scan of the paper: the QR code in the picture.
        from fieldapp.forms.verification import read_photo_payload
        payload = read_photo_payload(Path(args.pdf).read_bytes())
    else:
        payload = read_pdf_payload(str(args.pdf)) or read_qr_payload(str(args.pdf))
    if payload is None:
        print("UNKNOWN  ไม่พบข้อมูลสำหรับตรวจสอบในไฟล์นี้ (no FieldApp verification payload "
              "in this file's metadata or QR codes; reading QR codes from scans needs the "
              "zxing-cpp package)")
        return 2
    store = store_from(args, existing=True)
    try:
        lookup, against = _lookup(store, args.local)
        verdict = verify_payload(payload, lookup)
    finally:
        store.close()
    print(f"{verdict.outcome}  {verdict.reason}")
    print(f"checked against {against[0]}")
    print(f"record {payload.record_id} version {payload.version} "
          f"hash {payload.content_hash or '-'}")
    return verdict.exit_code


def _lookup(store, local_only: bool):
    """Once this laptop has logged in to the office server, a paper is checked against the
    server's record; otherwise (or with --local, or when the server cannot be reached, or
    does not hold the record yet) against the local database. Returns the lookup and a
    one-item list naming what it was checked against once it has run."""
    from fieldapp.forms.inspection_form import record_state
    from fieldapp.sync.account import connection, engine_for
    from fieldapp.sync.client import SyncError

    def local(rid):
        return record_state(store, rid)

    saved = None if local_only else connection(store)
    if saved is None:
        return local, [f"the local database {store.path}"]
    engine = engine_for(store)
    engine.client.token = engine.token_provider()
    if not engine.client.token:
        engine.client.close()
        return local, [f"the local database {store.path} (not logged in to the server)"]
    try:
        engine.client.health()
    except SyncError as exc:
        engine.client.close()
        return local, [f"the local database {store.path} — ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ "
                       f"(server unreachable: {exc})"]
    against = [f"the office server {saved['server_url']}"]

    def remote(rid):
        found = engine.client.verification(rid)
        if found is None:
            # Printed here and not synced yet: this laptop's record is the one to check.
            mine = local(rid)
            if mine is not None:
                against[0] = (f"the local database {store.path} — สำนักงานยังไม่มีบันทึกนี้ "
                              f"(the office does not hold this record yet: sync to send it)")
            return mine
        return (found["content_hash"], found["version"],
                bool(found.get("amendment_in_progress")))

    return remote, against
