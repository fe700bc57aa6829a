"""The ``fieldapp-server`` command: serve the sync API and administer the office database.

The database is ``--db URL`` (a SQLite file path, or ``postgresql://…``), else
``$FIELDAPP_SERVER_DB``, else ``fieldapp-server.db`` in the current folder.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from datetime import UTC, datetime

from fieldapp import __version__
from fieldapp.core.database_notice import no_database, say_created
from fieldapp.core.errors import FieldAppError
from fieldapp.server import (
    auth,
    blob_gc,
    blobs,
    clocks,
    history,
    limits,
    office,
    office_registry,
    registry_command,
    scope_exits,
    serve,
)
from fieldapp.server.database import open_database, sqlite_file
from fieldapp.server.storage import Database
from fieldapp.store.registry_import import parse_mapping

log = logging.getLogger(__name__)


def _db(args: argparse.Namespace, *, existing: bool = False) -> Database:
    """The database ``--db`` names. A SQLite file that is not there is created, and said so
    (a typo in --db opened an empty office without a word); ``existing``, for a command that
    only reads, refuses it instead."""
    url = args.db or os.environ.get("FIELDAPP_SERVER_DB") or "fieldapp-server.db"
    path = sqlite_file(url)
    new = path is not None and not os.path.exists(path)
    if new and existing:
        raise no_database(path, "`fieldapp-server users add` or `serve`")
    db = open_database(url)
    if new:
        say_created("fieldapp-server", path)
    return db


def _password(args: argparse.Namespace, prompt: str = "Password: ") -> str:
    if getattr(args, "password_stdin", False) or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise FieldAppError("the two passwords differ; nothing was changed")
    return first


def _print_rows(rows: list[dict]) -> None:
    for row in rows:
        print("  ".join(f"{k}={v}" for k, v in row.items()))


# -- subcommands ---------------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    return serve.run(args, _db(args))  # migrates once, before any worker starts


def cmd_users(args: argparse.Namespace) -> int:
    # Only `users add` may start a new office: the others need users that are there.
    db = _db(args, existing=args.action != "add")
    if args.action == "add":
        auth.add_user(db, args.name, _password(args), args.role)
        print(f"user {args.name} added ({args.role})")
    elif args.action == "passwd":
        revoked = auth.set_password(db, args.name, _password(args))
        print(f"password of {args.name} changed; {revoked} device login(s) revoked: "
              "those laptops log in again with the new password")
    elif args.action == "disable":
        auth.set_disabled(db, args.name, not args.enable)
        print(f"user {args.name} {'enabled' if args.enable else 'disabled'}")
    elif args.action == "grant-province":
        for code in args.provinces:
            auth.grant_province(db, args.name, code, revoke=args.revoke)
        print(f"{'revoked' if args.revoke else 'granted'} {', '.join(args.provinces)} "
              f"for {args.name}")
    else:
        for u in auth.list_users(db):
            print(f"{u['username']}\t{u['role']}\t{'disabled' if u['disabled'] else 'active'}"
                  f"\t{','.join(u['provinces']) or '-'}")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    db = _db(args, existing=True)
    if args.action == "revoke":
        # As `devices list` prints it ("id=…") or bare.
        args.device = args.device.removeprefix("id=")
        auth.revoke_device(db, args.device)
        print(f"login {args.device} revoked: its token no longer works")
    else:
        _print_rows(auth.list_devices(db))
    return 0


def cmd_factories(args: argparse.Namespace) -> int:
    if args.action == "reported":
        rows = office_registry.reported_factories(_db(args, existing=True),
                                                  include_accepted=args.all)
        if not rows:
            print("ไม่มีโรงงานที่รายงานจากภาคสนามรอรับเข้าทะเบียน (no factories reported from "
                  "the field wait to be accepted)")
        _print_rows(rows)
        return 0
    if args.action == "accept":
        db = _db(args, existing=True)
        for fid in args.fids:
            office_registry.accept_factory(db, fid, getpass.getuser())
            print(f"factory {fid} accepted into the office's registry")
        return 0
    return registry_command.run_import(_db(args), args.file,
                                       parse_mapping(args.map) if args.map else None)


def cmd_templates(args: argparse.Namespace) -> int:
    if args.action == "install":
        rows = office.publish_shipped_templates(_db(args))
    else:
        rows = [office.publish_template_file(_db(args), args.file)]
    for row in rows:
        print(f"published {row['template_key']} v{row['version']} ({row['id']})")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    started = office.planned_start(args.date) if args.date else \
        datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    inspection = office.assign(_db(args, existing=True), args.user, args.factory,
                               args.template, kind=args.kind, started_at=started,
                               purpose=args.purpose)
    print(f"inspection {inspection} assigned to {args.user}")
    return 0


def cmd_inspections(args: argparse.Namespace) -> int:
    text = office.export_inspections(_db(args, existing=True), args.format,
                                     None if args.all else "finalized")
    if args.out:
        with open(args.out, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8",
                  newline="") as fh:
            fh.write(text)
        print(f"written {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    rows = office.list_conflicts(_db(args, existing=True), args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif not rows:
        print("no conflicts")
    else:
        _print_rows(rows)
    return 0


def cmd_restored(args: argparse.Namespace) -> int:
    history.new_epoch(_db(args, existing=True))
    print("ฐานข้อมูลนี้ถูกกู้คืนจากสำรอง: เครื่องของผู้ตรวจจะส่งสิ่งที่หายไปมาอีกครั้งเมื่อซิงก์ "
          "(restored from a backup: each laptop sends again what this database lost and "
          "takes a new snapshot at its next sync)")
    return 0


def cmd_gc_uploads(args: argparse.Namespace) -> int:
    report = blob_gc.collect(_db(args, existing=True), args.days, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {report['unfinished']} unfinished upload(s) and {report['unreferenced']} "
          f"attachment(s) no row names, older than {args.days} days: "
          f"{report['bytes'] / 1024 / 1024:.1f} MB")
    return 0


def cmd_prune_scope_exits(args: argparse.Namespace) -> int:
    removed = scope_exits.prune(_db(args), args.days)
    print(f"removed {removed} note(s) of rows that left an inspector's scope, older than "
          f"{args.days} days (a laptop whose last sync is older takes a new snapshot)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from fieldapp.server.loop import monthly_tables
    from fieldapp.server.loop.monthly import monthly_report, parse_month
    from fieldapp.server.loop.monthly_xlsx import monthly_xlsx

    year, month = parse_month(args.month)
    report = monthly_report(_db(args, existing=True), args.province, year, month)
    if not (args.xlsx or args.pdf):
        t = report.total
        print(f"{monthly_tables.title(report)} {monthly_tables.province_line(report)}: "
              f"{t.inspections} inspection(s), {t.findings_total} finding(s), "
              f"{t.orders['issued']} order(s) issued, {t.complaints['received']} "
              f"complaint(s) received")
    for path, make in ((args.xlsx, monthly_xlsx), (args.pdf, monthly_tables.monthly_pdf)):
        if path:
            try:
                with open(path, "wb") as fh:
                    fh.write(make(report))
            except OSError as exc:
                raise FieldAppError(f"เขียนไฟล์ไม่ได้ (cannot write {path}: {exc})") from exc
            print(f"written {path}")
    return 0


def _whole(text: str, low: int = 1) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < low:
        raise argparse.ArgumentTypeError(f"a whole number, {low} or more")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fieldapp-server",
                                description="FieldApp office sync server and its admin tools")
    p.add_argument("--version", action="version", version=f"fieldapp-server {__version__}")
    p.add_argument("--db", metavar="URL",
                   help="SQLite file or postgresql://… (default: $FIELDAPP_SERVER_DB, else "
                        "fieldapp-server.db)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the sync API")
    # `serve --db URL` as well as `--db URL serve`; SUPPRESS keeps the global value when the
    # option is not repeated here.
    s.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                   help="SQLite file or postgresql://… (same as the global --db)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=serve.port_number, default=8765)
    s.add_argument("--tls-cert", metavar="FILE")
    s.add_argument("--tls-key", metavar="FILE")
    # A laptop holds up to 5 connections while it syncs (its push and 4 photo uploads): 200
    # answered 503 to a large province's 300 laptops syncing at the end of the day
    # (tests/bench/end_of_day.py). An idle keep-alive connection costs the event loop little.
    s.add_argument("--max-connections", type=int, default=1000,
                   help="connections and requests in progress per worker process before "
                        "the server answers 503 (default 1000)")
    s.add_argument("--write-threads", type=_whole, metavar="N",
                   help="pushes and photo uploads one worker process runs at once; more "
                        "wait their turn (default: "
                        f"${limits.WRITE_THREADS_ENV}, else {limits.WRITE_THREADS})")
    s.add_argument("--token-days", type=serve.token_days,
                   default=os.environ.get(serve.TOKEN_DAYS_ENV, str(auth.TOKEN_LIFETIME_DAYS)),
                   metavar="DAYS",
                   help=f"a device token unused this long stops working; each sync renews "
                        f"it (default ${serve.TOKEN_DAYS_ENV}, else {auth.TOKEN_LIFETIME_DAYS})")
    s.add_argument("--workers", type=int, default=1,
                   help="worker processes (PostgreSQL; the login limit is per worker)")
    s.add_argument("--graceful-timeout", type=float, default=10, metavar="SECONDS",
                   help="on SIGTERM, how long requests in flight may still run (default 10)")
    s.add_argument("--upload-quota-mb", type=_whole, metavar="MB",
                   help="attachment bytes one user may send in 24 hours (default: "
                        f"${blobs.QUOTA_ENV}, else {blobs.DEFAULT_QUOTA // blobs.MIB})")
    s.add_argument("--gc-days", type=lambda t: _whole(t, 0), default=blob_gc.DEFAULT_DAYS, metavar="DAYS",
                   help="at start and daily, remove unfinished uploads and attachment bytes "
                        "no row names once older than DAYS (default %(default)s; 0: never)")
    s.add_argument("--max-clock-skew", type=float, metavar="MINUTES",
                   help="refuse changes stamped more than this ahead of the server's clock "
                        f"(default: ${clocks.SKEW_ENV}, else 10)")
    s.set_defaults(run=cmd_serve)

    u = sub.add_parser("users", help="add, change, disable users; grant provinces")
    ua = u.add_subparsers(dest="action", required=True)
    add = ua.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", choices=auth.ROLES, default="inspector")
    add.add_argument("--password-stdin", action="store_true")
    pw = ua.add_parser("passwd")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    dis = ua.add_parser("disable")
    dis.add_argument("name")
    dis.add_argument("--enable", action="store_true", help="undo a disable")
    gp = ua.add_parser("grant-province")
    gp.add_argument("name")
    gp.add_argument("provinces", nargs="+", metavar="CODE",
                    help="province code(s), e.g. 10 (Bangkok)")
    gp.add_argument("--revoke", action="store_true")
    ua.add_parser("list")
    u.set_defaults(run=cmd_users)

    d = sub.add_parser("devices", help="list or revoke device logins")
    da = d.add_subparsers(dest="action", required=True)
    da.add_parser("list")
    rv = da.add_parser("revoke")
    rv.add_argument("device", metavar="ID",
                    help="the id of a login, from `devices list` (not the laptop's device_id)")
    d.set_defaults(run=cmd_devices)

    f = sub.add_parser("factories", help="import the DIW registry; factories reported from "
                                          "the field")
    fa = f.add_subparsers(dest="action", required=True)
    imp = fa.add_parser("import", help="a DIW registry file (CSV in UTF-8 or Windows Thai, "
                                       "or xlsx); a layout it does not know needs --map")
    imp.add_argument("file")
    imp.add_argument("--map", action="append", default=[], metavar="COL=FIELD|FILE.json",
                     help="map file columns to fields, as the laptop's `fieldapp "
                          "import-factories` does: --map 'เลขทะเบียน=fid,ชื่อ=name'; repeatable")
    rep = fa.add_parser("reported", help="factories laptops brought with their inspections "
                                         "because the registry lacked them")
    rep.add_argument("--all", action="store_true", help="accepted ones too")
    acc = fa.add_parser("accept", help="accept reported factories into the registry")
    acc.add_argument("fids", nargs="+", metavar="FID", help="14-digit factory ID")
    f.set_defaults(run=cmd_factories)

    t = sub.add_parser("templates", help="publish a checklist template")
    ta = t.add_subparsers(dest="action", required=True)
    pub = ta.add_parser("publish")
    pub.add_argument("file")
    ta.add_parser("install", help="publish the templates shipped with FieldApp that the "
                                  "server lacks (serve does it at start)")
    t.set_defaults(run=cmd_templates)

    a = sub.add_parser("assign", help="assign an inspection of a factory to an inspector")
    a.add_argument("--user", required=True)
    a.add_argument("--factory", required=True, metavar="FID", help="14-digit factory ID")
    a.add_argument("--template", required=True, metavar="KEY", help="e.g. env-general")
    a.add_argument("--kind", choices=("routine", "complaint", "follow_up"), default="routine")
    a.add_argument("--date", help="planned date: 2026-12-20, 20/12/2569, or an ISO date "
                                  "and time")
    a.add_argument("--purpose")
    a.set_defaults(run=cmd_assign)

    i = sub.add_parser("inspections", help="export inspections for office reporting")
    ia = i.add_subparsers(dest="action", required=True)
    ex = ia.add_parser("export")
    ex.add_argument("--format", choices=("csv", "json"), default="csv")
    # -o/--output as the laptop's commands name it; --out as this one always did.
    ex.add_argument("-o", "--output", "--out", dest="out", metavar="FILE",
                    help="write here (default: standard output)")
    ex.add_argument("--all", action="store_true", help="drafts too, not only finalized")
    i.set_defaults(run=cmd_inspections)

    c = sub.add_parser("conflicts", help="concurrent edits of shared fields")
    ca = c.add_subparsers(dest="action", required=True)
    cl = ca.add_parser("list")
    cl.add_argument("--limit", type=int, default=500)
    cl.add_argument("--json", action="store_true")
    c.set_defaults(run=cmd_conflicts)

    rp = sub.add_parser("report", help="office reports")
    rpa = rp.add_subparsers(dest="action", required=True)
    mo = rpa.add_parser("monthly", help="the monthly report of one province (XLSX and PDF)")
    mo.add_argument("--province", required=True, metavar="CODE", help="e.g. 10 (Bangkok)")
    mo.add_argument("--month", required=True, metavar="YYYY-MM", help="e.g. 2026-11 or 2569-11")
    mo.add_argument("--xlsx", metavar="FILE", help="write the workbook here")
    mo.add_argument("--pdf", metavar="FILE", help="write the PDF here")
    rp.set_defaults(run=cmd_report)

    r = sub.add_parser("restored", help="run after restoring this database from a backup: "
                                        "laptops send again what it lost")
    r.set_defaults(run=cmd_restored)

    g = sub.add_parser("gc-uploads", help="remove unfinished uploads and attachment bytes no "
                                          "row names, older than --days")
    g.add_argument("--days", type=_whole, default=blob_gc.DEFAULT_DAYS)
    g.add_argument("--dry-run", action="store_true", help="only say what would go")
    g.set_defaults(run=cmd_gc_uploads)

    x = sub.add_parser("prune-scope-exits", help="remove the notes of rows that left an "
                                                 "inspector's scope, older than --days "
                                                 "(serve does it daily)")
    x.add_argument("--days", type=_whole, default=scope_exits.DEFAULT_DAYS)
    x.set_defaults(run=cmd_prune_scope_exits)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args) or 0
    except FieldAppError as exc:
        print(f"fieldapp-server: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # A file named on the command line that cannot be written or read: one line.
        print(f"fieldapp-server: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fieldapp-server: หยุดแล้ว (interrupted)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
