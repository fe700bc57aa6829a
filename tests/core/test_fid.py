"""Factory IDs (Luhn, normalisation) and old registration numbers."""

from __future__ import annotations

import csv

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.fid import (
    facreg_key,
    fid_problem,
    is_valid_fid,
    luhn_check_digit,
    luhn_ok,
    normalize_facreg,
    normalize_fid,
    parse_facreg,
    search_key,
)

bodies = st.text(alphabet="0123456789", min_size=13, max_size=13)


@given(bodies)
def test_generated_ids_with_their_check_digit_are_valid(body):
    assert is_valid_fid(body + luhn_check_digit(body))


@given(bodies, st.integers(0, 13), st.integers(1, 9))
def test_changing_any_single_digit_breaks_the_check(body, position, delta):
    fid = body + luhn_check_digit(body)
    changed = fid[:position] + str((int(fid[position]) + delta) % 10) + fid[position + 1:]
    assert not luhn_ok(changed)
    assert "check digit" in fid_problem(changed)


def test_every_real_id_in_the_samples_passes(shared_data):
    with (shared_data / "diw_factory_data_sample.csv").open(encoding="utf-8-sig") as f:
        fids = [normalize_fid(row["FID"]) for row in csv.DictReader(f)]
    assert len(fids) == 49
    assert all(is_valid_fid(fid) for fid in fids)


def test_normalize_fid_removes_excel_quoting_spaces_and_dashes():
    assert normalize_fid('="10390001225278"') == "10390001225278"
    assert normalize_fid(" 1-0390-001225278 ") == "10390001225278"
    assert normalize_fid("1 0390 0012 25278") == "10390001225278"
    assert normalize_fid(10390001225278) == "10390001225278"
    assert normalize_fid(10390001225278.0) == "10390001225278"
    assert normalize_fid("1.0390001225278E+13") == "10390001225278"
    assert normalize_fid(None) == ""


def test_fid_problems_name_the_fault():
    assert "empty" in fid_problem("")
    assert "13 digits" in fid_problem("1052000022519")
    assert "not all digits" in fid_problem("1039000122527X")
    assert fid_problem("10390001225278") is None


def test_registration_numbers_are_normalised_and_keyed():
    assert normalize_facreg("3 - 10(1) - 1 / 46ปท") == "3-10(1)-1/46ปท"
    assert normalize_facreg("  จ3 - 58(1) - 68 / 59นพ ") == "จ3-58(1)-68/59นพ"
    assert facreg_key("3-10(1)-1/46ปท") == "3101146ปท"
    assert facreg_key("3 - 10(1) - 1 / 46ปท") == "3101146ปท"
    assert search_key("1-0130-000125461") == "10130000125461"


def test_registration_numbers_parse_into_their_parts():
    reg = parse_facreg("จ3 - 58(1) - 68 / 59นพ")
    assert (reg.factory_class, reg.type_number, reg.running, reg.year, reg.province_abbr) == (
        3, "58(1)", 68, "59", "นพ")
    bangkok = parse_facreg("3-101-1/40")
    assert (bangkok.type_number, bangkok.province_abbr) == ("101", "")
    assert parse_facreg("not a number") is None
