"""Opening the server's database: the engine a URL names, its schema brought up to date.

Apart from storage.py (what every engine offers) because the engines and the migrations
build on storage.py: opening needs them all, and none of them may need the opener.
"""

from __future__ import annotations

from fieldapp.server.schema import migrate
from fieldapp.server.storage import Database


def open_database(url: str) -> Database:
    """A migrated database from a URL: ``postgresql://…`` or a SQLite file path
    (``sqlite:///path`` or a plain path)."""
    if url.startswith(("postgresql://", "postgres://")):
        # Each engine imports its driver only when it is the one asked for.
        from fieldapp.server.storage_pg import PostgresDatabase
        db: Database = PostgresDatabase(url)
    else:
        from fieldapp.server.storage_sqlite import SqliteDatabase
        path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
        db = SqliteDatabase(path)
    migrate(db)
    return db
