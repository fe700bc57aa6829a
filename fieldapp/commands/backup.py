"""``fieldapp backup FILE`` and ``fieldapp restore FILE``."""

from __future__ import annotations

import argparse
import sys

from fieldapp.commands import store_from
from fieldapp.core.errors import FieldAppError
from fieldapp.store.backup import backup, restore
from fieldapp.store.paths import database_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="back up the database and attachments into one file")
    p.add_argument("file")
    p.set_defaults(run=_backup)
    p = sub.add_parser("restore", help="replace the database from a backup file")
    p.add_argument("file")
    p.set_defaults(run=_restore)


def _backup(args: argparse.Namespace) -> int:
    source = database_path(args.db)
    if not source.exists():
        # Opening it would make an empty database, and back that up as if it were the data.
        raise FieldAppError(f"ไม่พบฐานข้อมูล (no database at {source}) — check --db; "
                            f"nothing was backed up")
    with store_from(args) as store:
        m = backup(store, args.file)
    print(f"backed up {m['inspections']} inspections and {m['attachments']} attachments "
          f"to {args.file}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    target = database_path(args.db)
    m = restore(args.file, target)
    print(f"restored {m['inspections']} inspections and {m['attachments']} attachments "
          f"(backup of {m['created_at']}, FieldApp {m['app_version']}) into {target}",
          file=sys.stdout)
    if m["kept_as"]:
        print(f"the data it replaced is kept in {m['kept_as']}")
    if m.get("other_device"):
        print(f"คำเตือน (warning): this backup was made on another laptop (device "
              f"{m['device_id']}); this laptop now holds that laptop's data and identity — "
              f"log in again before syncing, and tell the office if that laptop is still in "
              f"use", file=sys.stderr)
    if m["set_aside"]:
        # They are not lost, but they are no longer in the data this laptop works on.
        print(f"คำเตือน (warning): {m['set_aside']} change(s) of the replaced data had not "
              f"reached the office; they are only in {m['kept_as']}", file=sys.stderr)
    return 0
