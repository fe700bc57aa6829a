"""``fieldapp login`` and ``fieldapp sync``: connect this laptop to the office server.

The server address, user name and CA bundle are remembered in the local database; the token
goes to the OS keyring where one works, else to a 0600 file beside the database.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from fieldapp.store.sync_state import rejected_changes
from fieldapp.sync import account

# Exit status of a sync that went through but had changes refused by the office.
REFUSED = 2


def run_login(args: argparse.Namespace) -> int:
    from fieldapp.commands import store_from

    # Before the password is asked for, and before anything is sent anywhere.
    account.check_server_url(args.server, args.insecure)
    if args.insecure and account.sends_in_the_clear(args.server):
        print(f"fieldapp: คำเตือน (warning): --insecure: {account.IN_THE_CLEAR}",
              file=sys.stderr)
    with store_from(args) as store:
        if args.password_stdin or not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"รหัสผ่านของ {args.user} (password): ")
        answer = account.login(store, args.server, args.user, password, args.ca_bundle,
                               args.insecure)
        print(f"เข้าสู่ระบบแล้ว (logged in) as {answer['username']} ({answer['role']}), "
              f"provinces {', '.join(answer['provinces']) or '-'}; token kept in "
              f"{answer['token_kept_in']}")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from fieldapp.commands import store_from

    with store_from(args) as store:
        if args.rejected:
            refused = rejected_changes(store)
            for r in refused:
                print(f"{r['created_at']}  {r['table_name']} {r['row_id']}: {r['reason']}")
            if not refused:
                print("ไม่มีรายการที่เซิร์ฟเวอร์ปฏิเสธ (no changes were refused by the server); "
                      "nothing was sent: run fieldapp sync to sync")
            return 0
        engine = account.engine_for(store)

        def progress(stage: str, done: int, total: int) -> None:
            if not args.quiet:
                suffix = f" {done}/{total}" if total else f" +{done}"
                print(f"  {stage}{suffix}", file=sys.stderr, flush=True)

        try:
            summary = engine.run(progress=progress)
        finally:
            engine.client.close()
        print(summary.line())
        if not summary.ok:
            return 1
        # Synced, but the office refused some changes (kept here, listed by --rejected):
        # a script must be able to tell, as a person reads it in the line above.
        return REFUSED if summary.rejected else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    login = subparsers.add_parser("login", help="log this laptop in to the office server")
    login.add_argument("--server", required=True, metavar="URL",
                       help="e.g. https://fieldapp.office.local:8765")
    login.add_argument("--user", required=True, metavar="NAME")
    login.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input")
    login.add_argument("--ca-bundle", metavar="FILE",
                       help="CA certificate(s) that signed the server's certificate")
    login.add_argument("--insecure", action="store_true",
                       help="allow plain http:// to another machine: the password and token "
                            "cross the network unencrypted (only on a network you trust)")
    login.set_defaults(run=run_login)

    sync = subparsers.add_parser(
        "sync", help="send local changes and receive the office's",
        epilog=f"exit status: 0 synced; 1 not synced (the reason is printed; nothing is "
               f"lost, the next sync goes on); {REFUSED} synced, but the office refused some "
               f"changes (kept on this laptop: fieldapp sync --rejected lists them)")
    sync.add_argument("--quiet", action="store_true", help="only the summary line")
    sync.add_argument("--rejected", action="store_true",
                      help="only list the changes the server refused, with the reason "
                           "(sends nothing)")
    sync.set_defaults(run=run_sync)
