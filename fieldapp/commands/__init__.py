"""Subcommands of the ``fieldapp`` command, one module each (see fieldapp/cli.py)."""

from __future__ import annotations

import argparse

from fieldapp.store.db import Store, open_store
from fieldapp.store.paths import database_path


def store_from(args: argparse.Namespace) -> Store:
    """Open the database named by ``--db`` / ``FIELDAPP_DB`` / the data folder."""
    return open_store(database_path(args.db))
