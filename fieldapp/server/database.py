"""Opening the server's database: the engine a URL names, its schema brought up to date.

Apart from storage.py (what every engine offers) because the engines and the migrations
build on storage.py: opening needs them all, and none of them may need the opener.
"""

from __future__ import annotations

import os
import sqlite3

from fieldapp.core.errors import FieldAppError
from fieldapp.server import office_seals
from fieldapp.server.schema import migrate
from fieldapp.server.storage import Database


def open_database(url: str) -> Database:
    """A migrated database from a URL: ``postgresql://…`` or a SQLite file path
    (``sqlite:///path`` or a plain path)."""
    if url.startswith(("postgresql://", "postgres://")):
        # Each engine imports its driver only when it is the one asked for.
        import psycopg

        from fieldapp.server.storage_pg import PostgresDatabase
        db: Database = PostgresDatabase(url)
        try:
            _prepare(db)
        except psycopg.OperationalError as exc:
            # Unreachable, no such database, refused: one line that says which, not a
            # traceback (the address without its password).
            where = url.split("@")[-1]
            reason = " ".join(line.strip() for line in str(exc).splitlines()
                              if line.strip()) or type(exc).__name__
            raise FieldAppError(f"ติดต่อฐานข้อมูล PostgreSQL ไม่ได้ (cannot use the PostgreSQL "
                                f"database at {where}: {reason})") from None
        return db
    from fieldapp.server.storage_sqlite import SqliteDatabase
    path = sqlite_file(url)
    refuse_foreign_file(path)
    db = SqliteDatabase(path)
    _prepare(db)
    return db


def sqlite_file(url: str) -> str | None:
    """The file a SQLite URL (``sqlite:///path`` or a plain path) names; None for
    PostgreSQL."""
    if url.startswith(("postgresql://", "postgres://")):
        return None
    return url.removeprefix("sqlite:///").removeprefix("sqlite://")


def _prepare(db: Database) -> None:
    """Bring the schema up to date, and make the key the office seals its rows with if the
    database has none yet, so that every backup taken from now on holds it
    (server/office_seals.py)."""
    migrate(db)
    with db.read() as c:
        held = office_seals.held_key(c)
    if held is None:
        office_seals.ensure_key(db)


def refuse_foreign_file(path: str) -> None:
    """FieldAppError, before anything is written, for a SQLite path that is not the server's
    database: a folder, a file that is not SQLite, a laptop's database (the same office PC
    may hold both) or another program's. Migrating one would write the server's tables
    into it, and the admin would see an office without users."""
    if os.path.isdir(path):
        raise FieldAppError(f"เป็นโฟลเดอร์ ไม่ใช่ฐานข้อมูล (a folder, not a database file: "
                            f"{path}) — check --db")
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        return   # a new database
    conn = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        laptop = conn.execute("PRAGMA user_version").fetchone()[0] > 0
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_NOTADB":
            raise   # locked, unreadable: not a question of what the file is
        raise FieldAppError(f"ไฟล์นี้ไม่ใช่ฐานข้อมูลของ FieldApp (not a FieldApp database: "
                            f"{path}) — check --db; the file was not changed") from None
    finally:
        conn.close()
    if not tables or "server_meta" in tables:
        return
    if laptop and "outbox" in tables:
        raise FieldAppError(f"นี่คือฐานข้อมูลของเครื่องผู้ตรวจ ไม่ใช่ของเซิร์ฟเวอร์ ({path} is "
                            f"a laptop's database, used with fieldapp, not the office "
                            f"server's) — check --db; the file was not changed")
    raise FieldAppError(f"ไฟล์นี้ไม่ใช่ฐานข้อมูลของ FieldApp (not a FieldApp database: {path} "
                        f"holds another program's tables) — check --db; the file was not "
                        f"changed")
