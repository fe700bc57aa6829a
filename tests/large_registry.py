"""A large registry file in DIW's layout, generated (fieldapp.store.demo), for tests that
stop an import part way: line n + 1 of the file holds record n."""

from __future__ import annotations

import csv
from pathlib import Path

from fieldapp.store.demo import generate_factories

COLUMNS = ["FID", "DISPFACREG", "FACTYPE", "FNAME", "ONAME", "FADDR", "FTUMNAME", "FAMPNAME",
           "FPROVNAME", "LAT", "LNG"]


def write_registry(path: Path, rows: int, seed: int = 7) -> list[dict]:
    """Write ``rows`` factories to ``path``; returns their clean records, in file order."""
    records = generate_factories(rows, seed=seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in records:
            writer.writerow([f'="{r["fid"]}"', r["facreg"], r["factory_class"], r["name"],
                             r["operator"], r["address"], r["subdistrict"], r["district"],
                             r["province"], r["lat"] or "", r["lng"] or ""])
    return records
