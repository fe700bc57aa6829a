"""The console's message catalogue, kept in step with the code: extract every translatable
string (``_("…")``/``N_("…")`` in the console's Python, ``_("…")`` in its templates) and merge
new ones into ``resources/translations/console/th.po`` with an empty translation, which the
test suite then refuses until someone writes the Thai.

    python -m fieldapp.server.console.messages          # list untranslated strings
    python -m fieldapp.server.console.messages --update # add new strings to th.po
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from fieldapp.core.resources import resource_path
from fieldapp.server.console.i18n import catalogue_path

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None}


def extract() -> dict[str, list[str]]:
    """Every message id in the console, with where it appears."""
    found: dict[str, list[str]] = {}
    sources = [
        (PACKAGE, [("**.py", "python")]),
        (resource_path("console", "templates"), [("**.html", "jinja2")]),
    ]
    for folder, method_map in sources:
        for filename, line, message, _comments, _context in extract_from_dir(
                str(folder), method_map, keywords=KEYWORDS,
                options_map={"**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append(f"{Path(folder).name}/{filename}:{line}")
    return found


def load(lang: str = "th") -> Catalog:
    with open(catalogue_path(lang), "rb") as f:
        return read_po(f, locale=lang)


def untranslated(lang: str = "th") -> list[tuple[str, list[str]]]:
    """(message, where) of each string the catalogue lacks, or has empty or fuzzy."""
    catalog = load(lang)
    out = []
    for message, where in sorted(extract().items()):
        entry = catalog.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            out.append((message, where))
    return out


def update(lang: str = "th") -> int:
    """Add the missing message ids (empty translations) and drop ones no longer used;
    returns how many were added."""
    catalog = load(lang)
    wanted = extract()
    added = 0
    for message, where in wanted.items():
        if catalog.get(message) is None:
            catalog.add(message, "", locations=[(w.rsplit(":", 1)[0], 0) for w in where[:1]])
            added += 1
    for entry in list(catalog):
        if entry.id and entry.id not in wanted:
            catalog.delete(entry.id)
    with open(catalogue_path(lang), "wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True,
                 include_lineno=False)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args(argv)
    if args.update:
        print(f"{update()} new message(s) added to {catalogue_path('th')}")
    missing = untranslated()
    for message, where in missing:
        print(f"{where[0]}: {message}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
