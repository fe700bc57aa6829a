"""A ``--db`` that names no database: the laptop's commands that write create one and say so
in one line; those that only read refuse it and create nothing. (The server's: see
tests/server/test_server_cli.py.)"""

from __future__ import annotations

import pytest

from fieldapp.cli import main


def _notice(path) -> str:
    return (f"fieldapp: สร้างฐานข้อมูลใหม่ที่ {path} (new database created at {path}; there "
            f"was none — check --db if you meant an existing one)\n")


def test_a_command_that_writes_says_it_made_a_new_database(tmp_path, shared_data, capsys,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = str(shared_data / "diw_factory_data_sample.csv")
    for given, path in (("typo.db", tmp_path / "typo.db"),
                        ("sqlite:///other.db", tmp_path / "other.db")):
        assert main(["--db", given, "import-factories", "--quiet", source]) == 0
        out, err = capsys.readouterr()
        assert err == _notice(path) and out.startswith("imported 49,")
        assert main(["--db", given, "import-factories", "--quiet", source]) == 0
        out, err = capsys.readouterr()
        assert err == "" and out.startswith("imported 0, updated 0, unchanged 49")
    # `sqlite:///x` is the file x, as the server reads it, not a folder named "sqlite:".
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [
        "other.db", "typo.db"]
    assert not (tmp_path / "sqlite:").exists()


@pytest.mark.parametrize("command", [["search", "โรงงาน"], ["inspections"],
                                     ["print", "x", "-o", "x.pdf"]])
@pytest.mark.parametrize("given", ["typo.db", "sqlite:///typo.db"])
def test_a_command_that_only_reads_refuses_a_database_that_is_not_there(
        tmp_path, capsys, monkeypatch, command, given):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", given, *command]) == 1
    out, err = capsys.readouterr()
    # where it looked, in full: the folder a relative --db is read from is part of the typo
    assert out == "" and err.startswith("fieldapp: ไม่พบฐานข้อมูล (no database at "
                                        f"{tmp_path.resolve() / 'typo.db'}) — check --db") \
        and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_server_address_is_no_laptop_database(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", "postgresql://fieldapp@db/fieldapp", "demo"]) == 1
    assert capsys.readouterr().err == (
        "fieldapp: ฐานข้อมูลของเครื่องเป็นไฟล์ SQLite (the laptop's database is a SQLite "
        "file: give its path, not postgresql://…)\n")
    assert list(tmp_path.iterdir()) == []
