"""House rules of the console, checked on its source: no SQL in handlers (pages read through
the storage layer), every route behind the access wrapper, and a complete Thai catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import fieldapp.server.console as console
from fieldapp.server.console import messages, routes

SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b|\.run\(|"
                 r"\.tuples\(|\bc\.all\(|\bc\.one\(|\.value\(")


def test_no_sql_in_the_console():
    offenders = []
    for path in Path(console.__file__).parent.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, "SQL belongs in the storage layer:\n" + "\n".join(offenders)


# Routes that must work without a session: signing in, the language switch, static files.
PUBLIC = {"/signin", "/lang/{lang}"}


def test_every_page_goes_through_the_access_wrapper():
    unguarded = []
    for route in routes.routes():
        endpoint = getattr(route, "endpoint", None)
        if endpoint is None or route.path in PUBLIC:
            continue  # static mounts
        if not hasattr(endpoint, "__wrapped__"):
            unguarded.append(route.path)
    assert not unguarded, f"routes outside access.page: {unguarded}"


def test_thai_catalogue_is_complete():
    missing = messages.untranslated("th")
    assert not missing, "untranslated in the Thai console (run python -m " \
        "fieldapp.server.console.messages --update, then translate):\n" + "\n".join(
            f"{where[0]}: {text}" for text, where in missing)


def test_extraction_finds_strings_in_code_and_templates():
    found = messages.extract()
    assert "Sign in to the office console" in found      # a template
    assert "Dashboard" in found                          # N_() in Python
