"""``--db`` naming a file that is not a laptop's database: refused in one line, never written.

A PDF, a folder, the office server's database (on the same office PC) or another program's
SQLite file were opened and migrated: a traceback for the first two, and the laptop's tables
written silently into the others.
"""

from __future__ import annotations

import hashlib

import pytest
from foreign_files import other_programs_file, pdf_file

from fieldapp.cli import main
from fieldapp.core.errors import FieldAppError
from fieldapp.server.database import open_database
from fieldapp.store.db import open_store


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _server_file(tmp_path):
    path = tmp_path / "fieldapp-server.db"
    open_database(str(path)).close()
    return path


@pytest.mark.parametrize("make, words", [
    (_server_file, "office server's database"),
    (other_programs_file, "another program's tables"),
    (pdf_file, "not a FieldApp database"),
])
def test_a_file_that_is_not_a_laptop_database_is_refused_unchanged(tmp_path, capsys, make,
                                                                  words):
    path = make(tmp_path)
    before = _digest(path)
    with pytest.raises(FieldAppError, match=words):
        open_store(path)
    assert main(["--db", str(path), "search", "x"]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1
    assert _digest(path) == before


def test_a_folder_is_refused(tmp_path, capsys):
    assert main(["--db", str(tmp_path), "search", "x"]) == 1
    err = capsys.readouterr().err
    assert "a folder, not a database file" in err and "เป็นโฟลเดอร์" in err


def test_a_new_and_an_existing_laptop_database_still_open(tmp_path):
    path = tmp_path / "fieldapp.db"
    open_store(path).close()
    open_store(path).close()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")        # an empty file is an empty database
    open_store(empty).close()


@pytest.mark.parametrize("argv", [
    ["search", "ยามาซากิ"],
    ["print", "01a24cb9-e34e-7e9b-a20a-e88197a16b11", "-o", "record.pdf"],
    ["print", "env-general", "--blank", "-o", "blank.pdf"],
])
def test_a_reading_command_does_not_create_a_database_at_a_mistyped_path(tmp_path, capsys,
                                                                          argv):
    """``fieldapp --db fieldap.db search …`` made an empty database and answered "no factory
    found", as if the registry lacked the factory."""
    typo = tmp_path / "fieldap.db"
    argv = [a if not a.endswith(".pdf") else str(tmp_path / a) for a in argv]
    assert main(["--db", str(typo), *argv]) == 1
    err = capsys.readouterr().err
    assert f"no database at {typo}" in err and "ไม่พบฐานข้อมูล" in err
    assert not typo.exists()


def test_verify_against_a_mistyped_database_is_an_error_not_unknown(tmp_path, capsys):
    from fieldapp.store.demo import load_demo
    from fieldapp.store.demo_inspections import add_demo_inspections

    real = tmp_path / "fieldapp.db"
    with open_store(real) as store:
        made = add_demo_inspections(store, load_demo(store, factories=20, seed=1)[:20])
    pdf = str(tmp_path / "record.pdf")
    assert main(["--db", str(real), "print", made[1], "-o", pdf]) == 0
    typo = tmp_path / "fieldap.db"
    assert main(["--db", str(typo), "verify", pdf]) == 1
    assert f"no database at {typo}" in capsys.readouterr().err
    assert not typo.exists()
