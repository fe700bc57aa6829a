"""Subcommands of the ``fieldapp`` command, one module each (see fieldapp/cli.py)."""

from __future__ import annotations

import argparse

from fieldapp.core.errors import FieldAppError
from fieldapp.store.db import Store, open_store
from fieldapp.store.paths import database_path


def store_from(args: argparse.Namespace, *, existing: bool = False) -> Store:
    """Open the database named by ``--db`` / ``FIELDAPP_DB`` / the data folder.

    ``existing``: for a command that only reads (search, print, verify), a database that is
    not there is refused rather than created: a typo in ``--db`` made an empty file and
    answered "no factory found" as if the registry lacked the factory.
    """
    path = database_path(args.db)
    if existing and not path.exists():
        raise FieldAppError(f"ไม่พบฐานข้อมูล (no database at {path}) — check --db; "
                            f"`fieldapp import-factories` or `fieldapp sync` fills a new one")
    return open_store(path)
