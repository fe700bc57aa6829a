"""Factory IDs a registry file gives to more than one factory.

A damaged registry (DESIGN §11: ../shared/data/diw_factory_data_damaged.csv) can carry one
factory's details under another's ID. Taking the first line of an ID, as the importer did,
let such a line replace the real factory's name and province on every laptop and at the
office, and refused the real factory's own line as the duplicate. Which line is right cannot
be told from the file, so before anything is written, one light pass finds every ID that two
lines give different details to: none of those lines is taken, the factory keeps what is
held, and each line is reported. Lines that repeat each other exactly are no clash (the
first is taken, the rest reported as repeats, as before).

The pass reads only the ID and a fingerprint of the columns the importer takes: a CSV is
read twice, a workbook's rows too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from fieldapp.core.fid import normalize_fid

# How often (lines) the pass asks whether the import was cancelled.
CHECK_EVERY = 5000
# Taken, but not a factory's details: the registry's own bookkeeping (LAST_UPDATE).
NOT_DETAILS = frozenset({"fid", "registry_updated"})


def clashing_ids(records: Iterator[tuple[int, list | None, str]],
                 columns: Callable[[list], list[tuple[int, str]]],
                 cancelled: Callable[[], bool] | None = None) -> dict[str, list[int]] | None:
    """{factory ID: its line numbers} for every ID that lines with different details share;
    None if cancelled meanwhile. ``columns(header)`` is the (position, field) of each column
    the importer takes: only those are compared (not the registry's LAST_UPDATE), trimmed,
    the ID as normalised, so a line that differs in a column not imported, in its update
    date or in how the ID is written (``="10100000125514"``) is a repeat, not a clash."""
    first: dict[str, tuple[bytes, int]] = {}
    clashes: dict[str, list[int]] = {}
    taken: list[tuple[int, str]] | None = None
    at = -1
    for count, (line, cells, _raw) in enumerate(records):
        if cancelled is not None and count % CHECK_EVERY == 0 and cancelled():
            return None
        if cells is None or not any(str(c).strip() for c in cells):
            continue   # malformed or blank: the main pass reports it
        if taken is None:
            pairs = columns([str(c) for c in cells])
            taken = [(position, name) for position, name in pairs
                     if name not in NOT_DETAILS]
            at = next((position for position, name in pairs if name == "fid"), -1)
            continue
        if not 0 <= at < len(cells):
            continue
        fid = normalize_fid(cells[at])
        if not fid:
            continue
        details = "\x1f".join(str(cells[position]).strip() if position < len(cells) else ""
                              for position, _name in taken)
        print_ = hashlib.blake2b(details.encode(), digest_size=16).digest()
        held = first.setdefault(fid, (print_, line))
        if fid in clashes:
            clashes[fid].append(line)
        elif held[0] != print_:
            clashes[fid] = [held[1], line]
    return clashes
