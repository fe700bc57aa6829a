"""Subcommands of the ``fieldapp`` command, one module each (see fieldapp/cli.py)."""

from __future__ import annotations

import argparse
import sys

from fieldapp.core.errors import FieldAppError
from fieldapp.store.db import Store, open_store
from fieldapp.store.paths import database_path


def store_from(args: argparse.Namespace, *, existing: bool = False) -> Store:
    """Open the database named by ``--db`` / ``FIELDAPP_DB`` / the data folder.

    ``existing``: for a command that only reads (search, print, verify), a database that is
    not there is refused rather than created: a typo in ``--db`` made an empty file and
    answered "no factory found" as if the registry lacked the factory. Otherwise a database
    that is not there is created, and the command says so on stderr, in one line.
    """
    path = database_path(args.db)
    new = not path.exists()
    if existing and new:
        raise FieldAppError(f"ไม่พบฐานข้อมูล (no database at {path}) — check --db; "
                            f"`fieldapp import-factories` or `fieldapp sync` fills a new one")
    store = open_store(path)
    if new:
        # A typo in --db otherwise looks like lost data: the command works on an empty one.
        print(f"fieldapp: สร้างฐานข้อมูลใหม่ที่ {path.resolve()} (new database created at "
              f"{path.resolve()}; there was none — check --db if you meant an existing one)",
              file=sys.stderr)
    return store
