"""Files that are not the database a command expects, for both command lines' --db tests."""

from __future__ import annotations

import sqlite3


def other_programs_file(tmp_path):
    """A SQLite database of another program."""
    path = tmp_path / "contacts.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    return path


def pdf_file(tmp_path):
    """A file that is no SQLite database at all."""
    path = tmp_path / "record.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"x" * 4096)
    return path
