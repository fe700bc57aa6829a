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
from fieldapp.core.errors import FieldAppError
from fieldapp.server import auth, clocks, history, office
from fieldapp.server.storage import Database, open_database


def _db(args: argparse.Namespace) -> Database:
    return open_database(args.db or os.environ.get("FIELDAPP_SERVER_DB")
                         or "fieldapp-server.db")


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
    import uvicorn

    from fieldapp.server.app import create_app

    if bool(args.tls_cert) != bool(args.tls_key):
        raise FieldAppError("--tls-cert and --tls-key go together")
    if args.max_clock_skew is not None:
        if args.max_clock_skew < 0:
            raise FieldAppError("--max-clock-skew is a number of minutes, 0 or more")
        # Through the environment, so that worker processes (--workers) have it too.
        os.environ[clocks.SKEW_ENV] = str(args.max_clock_skew)
    db = _db(args)  # migrates once, before any worker starts
    scheme = "https" if args.tls_cert else "http"
    print(f"fieldapp-server {__version__}: {scheme}://{args.host}:{args.port} "
          f"({db.dialect}, {args.workers} worker(s))", flush=True)
    options = dict(host=args.host, port=args.port, log_level="info",
                   ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
                   limit_concurrency=args.max_connections, timeout_keep_alive=30)
    if args.workers > 1:
        # Worker processes build their own app from the URL (uvicorn needs an import string).
        db.close()
        os.environ["FIELDAPP_SERVER_DB"] = db.url
        uvicorn.run("fieldapp.server.cli:app_from_environment", factory=True,
                    workers=args.workers, **options)
    else:
        uvicorn.run(create_app(db), **options)
    return 0


def app_from_environment():
    """The app for one uvicorn worker process (``serve --workers N``)."""
    from fieldapp.server.app import create_app

    return create_app(open_database(os.environ["FIELDAPP_SERVER_DB"]))


def cmd_users(args: argparse.Namespace) -> int:
    db = _db(args)
    if args.action == "add":
        auth.add_user(db, args.name, _password(args), args.role)
        print(f"user {args.name} added ({args.role})")
    elif args.action == "passwd":
        auth.set_password(db, args.name, _password(args))
        print(f"password of {args.name} changed")
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
    db = _db(args)
    if args.action == "revoke":
        auth.revoke_device(db, args.device)
        print(f"device {args.device} revoked: its token no longer works")
    else:
        _print_rows(auth.list_devices(db))
    return 0


def cmd_factories(args: argparse.Namespace) -> int:
    report, counts = office.import_registry(_db(args), args.file)
    print(f"{report.summary()}; on the server: applied {counts.get('applied', 0)}, "
          f"rejected {counts.get('rejected', 0)}")
    for rejected in report.rejected[:20]:
        print(f"  line {rejected.line}: {rejected.reason.message}", file=sys.stderr)
    return 0


def cmd_templates(args: argparse.Namespace) -> int:
    row = office.publish_template_file(_db(args), args.file)
    print(f"published {row['template_key']} v{row['version']} ({row['id']})")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    started = args.date or datetime.now(UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")
    inspection = office.assign(_db(args), args.user, args.factory, args.template,
                               kind=args.kind, started_at=started, purpose=args.purpose)
    print(f"inspection {inspection} assigned to {args.user}")
    return 0


def cmd_inspections(args: argparse.Namespace) -> int:
    text = office.export_inspections(_db(args), args.format,
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
    rows = office.list_conflicts(_db(args), args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif not rows:
        print("no conflicts")
    else:
        _print_rows(rows)
    return 0


def cmd_restored(args: argparse.Namespace) -> int:
    history.new_epoch(_db(args))
    print("ฐานข้อมูลนี้ถูกกู้คืนจากสำรอง: เครื่องของผู้ตรวจจะส่งสิ่งที่หายไปมาอีกครั้งเมื่อซิงก์ "
          "(restored from a backup: each laptop sends again what this database lost and "
          "takes a new snapshot at its next sync)")
    return 0


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
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--tls-cert", metavar="FILE")
    s.add_argument("--tls-key", metavar="FILE")
    s.add_argument("--max-connections", type=int, default=200)
    s.add_argument("--workers", type=int, default=1,
                   help="worker processes (PostgreSQL; the login limit is per worker)")
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
    rv.add_argument("device", help="an id from `devices list`, or a device id")
    d.set_defaults(run=cmd_devices)

    f = sub.add_parser("factories", help="import the DIW registry")
    fa = f.add_subparsers(dest="action", required=True)
    imp = fa.add_parser("import")
    imp.add_argument("file")
    f.set_defaults(run=cmd_factories)

    t = sub.add_parser("templates", help="publish a checklist template")
    ta = t.add_subparsers(dest="action", required=True)
    pub = ta.add_parser("publish")
    pub.add_argument("file")
    t.set_defaults(run=cmd_templates)

    a = sub.add_parser("assign", help="assign an inspection of a factory to an inspector")
    a.add_argument("--user", required=True)
    a.add_argument("--factory", required=True, metavar="FID", help="14-digit factory ID")
    a.add_argument("--template", required=True, metavar="KEY", help="e.g. env-general")
    a.add_argument("--kind", choices=("routine", "complaint", "follow_up"), default="routine")
    a.add_argument("--date", help="planned date (ISO 8601)")
    a.add_argument("--purpose")
    a.set_defaults(run=cmd_assign)

    i = sub.add_parser("inspections", help="export inspections for office reporting")
    ia = i.add_subparsers(dest="action", required=True)
    ex = ia.add_parser("export")
    ex.add_argument("--format", choices=("csv", "json"), default="csv")
    ex.add_argument("--out", metavar="FILE")
    ex.add_argument("--all", action="store_true", help="drafts too, not only finalized")
    i.set_defaults(run=cmd_inspections)

    c = sub.add_parser("conflicts", help="concurrent edits of shared fields")
    ca = c.add_subparsers(dest="action", required=True)
    cl = ca.add_parser("list")
    cl.add_argument("--limit", type=int, default=500)
    cl.add_argument("--json", action="store_true")
    c.set_defaults(run=cmd_conflicts)

    r = sub.add_parser("restored", help="run after restoring this database from a backup: "
                                        "laptops send again what it lost")
    r.set_defaults(run=cmd_restored)
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
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
