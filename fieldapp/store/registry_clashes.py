"""Factory IDs a registry file gives to more than one factory.

A damaged registry (DESIGN §11: ../shared/data/diw_factory_data_damaged.csv) can carry one
factory's details under another's ID. Taking the first line of an ID, as the importer did,
let such a line replace the real factory's name and province on every laptop and at the
office, and refused the real factory's own line as the duplicate. Which line is right cannot
be told from the file, so before anything is written, one light pass finds every ID that two
lines give different details to: none of those lines is taken, the factory keeps what is
held, and each line is reported. Lines that repeat each other exactly are no clash (the
first is taken, the rest reported as repeats, as before).

The pass reads only the ID's cell and a fingerprint of each line: a CSV is read twice,
a workbook's rows too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from fieldapp.core.fid import normalize_fid

# How often (lines) the pass asks whether the import was cancelled.
CHECK_EVERY = 5000


def clashing_ids(records: Iterator[tuple[int, list | None, str]],
                 fid_column: Callable[[list], int],
                 cancelled: Callable[[], bool] | None = None) -> dict[str, list[int]] | None:
    """{factory ID: its line numbers} for every ID that lines with different details share;
    None if cancelled meanwhile. ``fid_column(header)`` is the ID's position in a line."""
    first: dict[str, tuple[bytes, int]] = {}
    clashes: dict[str, list[int]] = {}
    column = None
    for count, (line, cells, _raw) in enumerate(records):
        if cancelled is not None and count % CHECK_EVERY == 0 and cancelled():
            return None
        if cells is None or not any(str(c).strip() for c in cells):
            continue   # malformed or blank: the main pass reports it
        if column is None:
            column = fid_column([str(c) for c in cells])
            continue
        if column >= len(cells):
            continue
        fid = normalize_fid(cells[column])
        if not fid:
            continue
        print_ = hashlib.blake2b("\x1f".join(str(c).strip() for c in cells).encode(),
                                 digest_size=16).digest()
        held = first.setdefault(fid, (print_, line))
        if fid in clashes:
            clashes[fid].append(line)
        elif held[0] != print_:
            clashes[fid] = [held[1], line]
    return clashes
