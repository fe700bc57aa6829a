"""Naming an inspection on the command line as a person reads it off the paper: the record
number, with or without its year, or the id; and listing them with ``fieldapp inspections``."""

from __future__ import annotations

import json

import pytest

from fieldapp.cli import main
from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.store.db import open_store
from fieldapp.store.demo_removal import load_marked_demo
from fieldapp.store.inspection_refs import resolve_inspection
from fieldapp.store.inspections import list_inspections
from fieldapp.store.templates import install_bundled_templates


@pytest.fixture
def laptop(tmp_path):
    path = tmp_path / "l.db"
    with open_store(path) as store:
        install_bundled_templates(store)
        load_marked_demo(store, factories=30)
        rows = list_inspections(store)
    assert len(rows) >= 3
    return path, rows


def test_an_inspection_is_named_by_its_record_number_or_id(laptop):
    path, rows = laptop
    row = rows[0]
    with open_store(path) as store:
        number = row["record_no"]
        assert resolve_inspection(store, number) == row["id"]
        assert resolve_inspection(store, number.lower()) == row["id"]
        assert resolve_inspection(store, number.split("/")[1]) == row["id"]   # no year
        assert resolve_inspection(store, f"  {row['id']} ") == row["id"]
        assert resolve_inspection(store, row["id"][:-4]) == row["id"]         # unique start
        # uuid7 ids of one day share their start: a short start names several, refused.
        with pytest.raises(ValidationError, match="more than one"):
            resolve_inspection(store, row["id"][:8])
        for unknown in ("2569/NOTHERE", "%", "_" * 8, "x"):
            with pytest.raises(NotFoundError, match="fieldapp inspections"):
                resolve_inspection(store, unknown)
        with pytest.raises(ValidationError):
            resolve_inspection(store, "  ")


def test_the_list_and_print_by_record_number(laptop, tmp_path, capsys):
    path, rows = laptop
    assert main(["--db", str(path), "inspections", "--state", "finalized", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed and all(r["state"] == "finalized" for r in listed)
    assert main(["--db", str(path), "inspections", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(rows[0]["record_no"])
    assert "/25" in lines[0].split()[1]          # the start date in the Buddhist era
    pdf = tmp_path / "r.pdf"
    assert main(["--db", str(path), "print", listed[0]["record_no"], "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["--db", str(path), "inspections", "--factory", "123"]) == 1
    assert "14" in capsys.readouterr().err
