"""Subcommands of the ``fieldapp`` command, one module each (see fieldapp/cli.py)."""

from __future__ import annotations

import argparse

from fieldapp.core.database_notice import no_database, say_created
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
        raise no_database(path, "`fieldapp import-factories` or `fieldapp sync`")
    store = open_store(path)
    if new:
        say_created("fieldapp", path)
    return store
