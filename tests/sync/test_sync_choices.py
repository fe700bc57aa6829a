"""The office refuses exactly the values a laptop's schema refuses (protocol.CHOICES against
the CHECK constraints of store/migrations.py): a value one side takes and the other does not
is a row that some laptop cannot store."""

from __future__ import annotations

import re

from fieldapp.store.db import open_store
from fieldapp.sync import protocol as P

CHECK_IN = re.compile(r"(\w+)\s+\w+[^,]*?CHECK\s*\(\s*\1\s+IN\s*\(([^)]*)\)\s*\)")


def _checked(sql: str) -> dict[str, frozenset]:
    found = {}
    for column, values in CHECK_IN.findall(sql):
        items = [v.strip() for v in values.split(",")]
        found[column] = frozenset(int(v) if v.isdigit() else v.strip("'") for v in items)
    return found


def test_the_offices_choices_are_the_laptops_checks(tmp_path):
    store = open_store(tmp_path / "laptop.db")
    try:
        schema = {name: _checked(sql) for name, sql in store.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    finally:
        store.close()
    laptop = {}
    for table in P.TABLES:
        # Columns that travel (not ``local_only``); ``deleted`` is made 0 or 1 by the office.
        checks = {c: v for c, v in schema.get(table, {}).items() if c in P.COLUMNS[table]}
        if checks:
            laptop[table] = checks
    assert laptop == P.CHOICES
