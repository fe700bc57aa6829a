"""Opening the server's database: the engine a URL names, its schema brought up to date.

Apart from storage.py (what every engine offers) because the engines and the migrations
build on storage.py: opening needs them all, and none of them may need the opener.
"""

from __future__ import annotations

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
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    db = SqliteDatabase(path)
    _prepare(db)
    return db


def _prepare(db: Database) -> None:
    """Bring the schema up to date, and make the key the office seals its rows with if the
    database has none yet, so that every backup taken from now on holds it
    (server/office_seals.py)."""
    migrate(db)
    with db.read() as c:
        held = office_seals.held_key(c)
    if held is None:
        office_seals.ensure_key(db)
