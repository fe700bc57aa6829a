"""``fieldapp-server --db`` naming a file that is not the server's database: refused in one
line, never written (a laptop's database on the same office PC got the server's tables and
the admin saw an office without users; a PDF or a folder gave a traceback)."""

from __future__ import annotations

import hashlib

import pytest
from foreign_files import other_programs_file, pdf_file

from fieldapp.server.cli import main
from fieldapp.store.db import open_store


def _laptop_file(tmp_path):
    path = tmp_path / "fieldapp.db"
    open_store(path).close()
    return path


@pytest.mark.parametrize("make, words", [
    (_laptop_file, "a laptop's database"),
    (other_programs_file, "another program's tables"),
    (pdf_file, "not a FieldApp database"),
    (lambda tmp_path: tmp_path, "a folder, not a database file"),
])
def test_a_file_that_is_not_the_servers_database_is_refused_unchanged(tmp_path, capsys, make,
                                                                     words):
    path = make(tmp_path)
    before = None if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["--db", str(path), "users", "list"]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1
    if before is not None:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_the_servers_own_database_still_opens(tmp_path, capsys):
    path = tmp_path / "fieldapp-server.db"
    assert main(["--db", str(path), "templates", "install"]) == 0
    assert main(["--db", str(path), "users", "list"]) == 0
    assert "not" not in capsys.readouterr().err
