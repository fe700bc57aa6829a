"""What a command says about the database ``--db`` names, the same on the laptop's and the
office's command line: a typo in ``--db`` otherwise looks like lost data (a new, empty
database answers "nothing found"), so a read-only command refuses a database that is not
there, and a command that creates one says so, in one line on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from fieldapp.core.errors import FieldAppError


def no_database(path: str | Path, fills_one: str) -> FieldAppError:
    """The error of a read-only command whose database is not there; ``fills_one``: the
    command that makes or fills a new one."""
    return FieldAppError(f"ไม่พบฐานข้อมูล (no database at {Path(path).resolve()}) — check "
                         f"--db; {fills_one} creates a new one")


def say_created(program: str, path: str | Path) -> None:
    where = Path(path).resolve()
    print(f"{program}: สร้างฐานข้อมูลใหม่ที่ {where} (new database created at {where}; there "
          f"was none — check --db if you meant an existing one)", file=sys.stderr)
