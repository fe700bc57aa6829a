"""The 77 provinces and the names registry files use for them."""

from __future__ import annotations

import csv

from fieldapp.core.fid import normalize_fid, parse_facreg
from fieldapp.core.provinces import (
    BY_ABBR,
    PROVINCES,
    find_province,
    province_by_abbr,
    province_by_code,
)
from fieldapp.core.registry_rows import LAT_RANGE, LNG_RANGE


def test_seventy_seven_provinces_with_unique_codes_names_and_abbreviations():
    assert len(PROVINCES) == 77
    assert len({p.code for p in PROVINCES}) == 77
    assert len({p.name_th for p in PROVINCES}) == 77
    assert len({p.name_en for p in PROVINCES}) == 77
    assert [p.code for p in PROVINCES if not p.abbr] == ["10"]   # only Bangkok has none
    assert len(BY_ABBR) == 76
    assert all(len(p.code) == 2 and p.code.isdigit() for p in PROVINCES)


def test_centres_lie_inside_thailands_bounds():
    for p in PROVINCES:
        assert LAT_RANGE[0] < p.centre[0] < LAT_RANGE[1], p
        assert LNG_RANGE[0] < p.centre[1] < LNG_RANGE[1], p


def test_common_ways_of_writing_a_province():
    for text in ("กรุงเทพมหานคร", "กรุงเทพฯ", "  กรุงเทพฯ ", "กทม.", "กทม", "Bangkok", "10"):
        assert find_province(text).code == "10", text
    for text in ("นครปฐม", "จ.นครปฐม", "จ. นครปฐม", "จังหวัดนครปฐม", " นครปฐม ", "นฐ",
                 "Nakhon Pathom", "nakhon  pathom"):
        assert find_province(text).code == "73", text
    assert find_province("อยุธยา").code == "14"
    assert find_province("ไม่มีจังหวัดนี้") is None
    assert find_province("") is None
    assert find_province(None) is None


def test_every_sample_registration_abbreviation_and_province_resolves(shared_data):
    for name in ("diw_factory_data_sample.csv", "diw_factory_data_damaged.csv"):
        with (shared_data / name).open(encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r.get("FID") and r.get("DISPFACREG")]
        for row in rows:
            reg = parse_facreg(row["DISPFACREG"])
            assert reg is not None, row["DISPFACREG"]
            if reg.province_abbr:
                assert province_by_abbr(reg.province_abbr) is not None, row["DISPFACREG"]
            assert find_province(row["FPROVNAME"]) is not None, row["FPROVNAME"]
    # In the clean sample the ID's digits 3-4, the name and the abbreviation always agree.
    with (shared_data / "diw_factory_data_sample.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            fid = normalize_fid(row["FID"])
            named = find_province(row["FPROVNAME"])
            assert province_by_code(fid[2:4]) == named
            abbr = parse_facreg(row["DISPFACREG"]).province_abbr
            assert (province_by_abbr(abbr) if abbr else province_by_code("10")) == named
