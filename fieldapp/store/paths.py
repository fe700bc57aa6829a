"""Where the local data lives.

The database path is ``--db PATH`` when given, else ``FIELDAPP_DB``, else ``fieldapp.db`` in
the data folder. The data folder is ``FIELDAPP_HOME`` when set (portable use from a USB
stick), else a ``fieldapp-data`` folder beside a frozen executable when a file named
``portable`` sits there, else the platform's user data folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from fieldapp.core.errors import FieldAppError

APP_NAME = "FieldApp"


def data_home() -> Path:
    """The folder that holds the database, attachments and settings."""
    if os.environ.get("FIELDAPP_HOME"):
        return Path(os.environ["FIELDAPP_HOME"]).expanduser()
    if getattr(sys, "frozen", False):
        beside = Path(sys.executable).resolve().parent
        if (beside / "portable").exists():
            return beside / "fieldapp-data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The database file, by the precedence in the module docstring. ``sqlite:///path`` is
    read as the office server reads it (the path after the third slash; ``sqlite:////abs``
    for an absolute one), not as a folder named ``sqlite:`` made in the current one."""
    value = cli_value or os.environ.get("FIELDAPP_DB")
    if not value:
        return data_home() / "fieldapp.db"
    text = os.fspath(value)
    if isinstance(text, str) and "://" in text:
        if not text.startswith("sqlite:///"):
            raise FieldAppError(f"ฐานข้อมูลของเครื่องเป็นไฟล์ SQLite (the laptop's database is a "
                                f"SQLite file: give its path, not {text.split('://')[0]}://…)")
        text = text.removeprefix("sqlite:///")
    return Path(text).expanduser()


def blob_folder(db_path: Path) -> Path:
    """Attachments of the database at ``db_path`` live beside it, one folder per database."""
    return db_path.with_name(db_path.stem + "-attachments")
