"""Factory search: Thai substrings, IDs typed every way, short queries, hostile input."""

from __future__ import annotations

import json

import pytest

from fieldapp.cli import main
from fieldapp.core.fid import luhn_check_digit
from fieldapp.store.changes import delete_row, save_row
from fieldapp.store.factories import factory_id, upsert_factories
from fieldapp.store.registry_import import import_factories
from fieldapp.store.search import (
    STATUS_NOT_GIVEN,
    count_factories,
    plan_query,
    province_names,
    search_factories,
)

YAMAZAKI = "10130000125461"


@pytest.fixture
def registry(store, shared_data):
    import_factories(store, shared_data / "diw_factory_data_sample.csv")
    return store


def fids(rows) -> list[str]:
    return [r["fid"] for r in rows]


@pytest.mark.parametrize("query", ["ยามาซากิ", "ซากิ", "ไทย ยามาซากิ", "บริษัท ไทย ยามาซากิ จำกัด",
                                   "  ยามาซากิ  "])
def test_thai_substrings_find_the_factory_first(registry, query):
    rows = search_factories(registry, query)
    assert rows[0]["fid"] == YAMAZAKI
    assert rows[0]["name"] == "บริษัท ไทย ยามาซากิ จำกัด"


THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@pytest.mark.parametrize("query", [YAMAZAKI, "1-0130-000125461", "1 0130 000125461",
                                   "10130-000125461", "3-10(1)-1/46ปท", "3101146ปท",
                                   "3 - 10(1) - 1 / 46ปท", "3-10(1)-1/46 ปท",
                                   # as pasted from the registry's sheet, and in Thai digits
                                   f'="{YAMAZAKI}"', YAMAZAKI.translate(THAI_DIGITS),
                                   "๓-๑๐(๑)-๑/๔๖ปท"])
def test_ids_and_registration_numbers_with_or_without_separators(registry, query):
    assert fids(search_factories(registry, query))[0] == YAMAZAKI


def test_provincial_registration_numbers_and_id_fragments(registry):
    assert fids(search_factories(registry, "จ3-58(1)-68/59นพ")) == ["20480006825590"]
    assert fids(search_factories(registry, "จ35816859นพ")) == ["20480006825590"]
    # A fragment of an ID finds every factory containing it.
    assert set(fids(search_factories(registry, "125461"))) == {YAMAZAKI}


def test_short_queries_fall_back_to_prefixes(registry):
    assert plan_query("บร").kind == "prefix"
    rows = search_factories(registry, "บร", limit=100)
    assert rows and all(r["name"].startswith("บร") for r in rows)
    assert count_factories(registry, "บร") == len(rows)
    rows = search_factories(registry, "20", limit=100)
    assert len(rows) == 19 and all(r["fid"].startswith("20") for r in rows)
    assert search_factories(registry, "x%") == []          # LIKE wildcards are literal


@pytest.mark.parametrize("query", ['"', '""', "'", "(", ")", "-", "*", "ยามา*", '"ยามา',
                                   "a OR b", "NEAR(ยามา ซากิ)", "name:ยามา", "^ยามา", "AND",
                                   "{ids}: 101", "ยามา) OR (ซากิ", "\\", "%_%", "-ยามาซากิ"])
def test_fts_syntax_characters_never_cause_an_error(registry, query):
    rows = search_factories(registry, query)
    assert isinstance(rows, list)
    assert count_factories(registry, query) >= len(rows)


def test_hyphenated_thai_text_is_found_as_typed(registry):
    assert "10560000125584" in fids(search_factories(registry, "พะเยา-เชียงคำ"))


def test_empty_query_lists_everything_in_pages(registry):
    assert count_factories(registry, "") == 49
    first = search_factories(registry, "", limit=30)
    second = search_factories(registry, "", limit=30, offset=30)
    assert len(first) == 30 and len(second) == 19
    assert not set(fids(first)) & set(fids(second))


def test_paging_a_ranked_query_has_no_gaps_or_overlaps(registry):
    everything = fids(search_factories(registry, "บริษัท", limit=100))
    assert len(everything) == count_factories(registry, "บริษัท") > 20
    pages = [fids(search_factories(registry, "บริษัท", limit=10, offset=o))
             for o in range(0, len(everything), 10)]
    assert [fid for page in pages for fid in page] == everything


def test_filters_by_province_and_status(registry):
    by_code = search_factories(registry, "บริษัท", province_code="13", limit=100)
    by_name = search_factories(registry, "บริษัท", province="ปทุมธานี", limit=100)
    assert by_code == by_name and {r["province_code"] for r in by_code} == {"13"}
    assert count_factories(registry, "บริษัท", province="ปท") == len(by_code)
    assert search_factories(registry, "บริษัท", status=1) == []   # the sample has no FFLAG


def test_status_not_given_is_a_filter_of_its_own(registry):
    # DIW's sample leaves FFLAG empty in every row: those rows are "status not given".
    assert count_factories(registry, "", status=STATUS_NOT_GIVEN) == 49
    rows = search_factories(registry, "บริษัท", status=STATUS_NOT_GIVEN, limit=100)
    assert rows and {r["status"] for r in rows} == {None}
    save_row(registry, "factories", {"id": factory_id(YAMAZAKI), "fid": YAMAZAKI, "status": 1})
    assert count_factories(registry, "", status=STATUS_NOT_GIVEN) == 48
    assert fids(search_factories(registry, "", status=1)) == [YAMAZAKI]


def test_name_hits_rank_above_address_hits(store):
    body_a, body_b = "1010000012550", "1010000022550"
    a, b = body_a + luhn_check_digit(body_a), body_b + luhn_check_digit(body_b)
    upsert_factories(store, [
        {"fid": b, "name": "บริษัท ทองดี จำกัด", "address": "9 ถ.พหลโยธิน"},
        {"fid": a, "name": "บริษัท พหลโยธินการช่าง จำกัด", "address": "1 ซ.สุขใจ"},
    ])
    assert fids(search_factories(store, "พหลโยธิน")) == [a, b]


def test_deleted_factories_are_not_found(registry):
    delete_row(registry, "factories", factory_id(YAMAZAKI))
    assert search_factories(registry, "ยามาซากิ") == []
    assert search_factories(registry, YAMAZAKI) == []


def test_province_names_for_the_filter(registry):
    names = province_names(registry)
    assert "ปทุมธานี" in names and "กรุงเทพมหานคร" in names and "ภูเก็ต" not in names


def test_search_command_json(tmp_path, shared_data, capsys):
    db = str(tmp_path / "a.db")
    main(["--db", db, "import-factories", str(shared_data / "diw_factory_data_sample.csv")])
    capsys.readouterr()
    assert main(["--db", db, "search", "ยามาซากิ", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["บริษัท ไทย ยามาซากิ จำกัด"]
    assert main(["--db", db, "search", "3101146ปท"]) == 0
    assert "บริษัท ไทย ยามาซากิ จำกัด" in capsys.readouterr().out


def test_search_command_names_a_missing_status(tmp_path, shared_data, capsys):
    db = str(tmp_path / "a.db")
    main(["--db", db, "import-factories", str(shared_data / "diw_factory_data_sample.csv")])
    capsys.readouterr()
    assert main(["--db", db, "search", "", "--limit", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 49
    assert all(line.endswith("ไม่ระบุสถานะ") for line in lines)


def test_exact_name_ranks_first_and_every_row_has_a_rank(store):
    names = ["บริษัท สยามเหล็กกล้า อุตสาหกรรม จำกัด", "สยามเหล็ก", "บริษัท สยามเหล็ก จำกัด"]
    records = []
    for n, name in enumerate(names):
        body = f"10100000{n + 1}2550"
        records.append({"fid": body + luhn_check_digit(body), "name": name})
    upsert_factories(store, records)
    rows = search_factories(store, "บริษัท สยามเหล็ก จำกัด")
    assert [r["name"] for r in rows] == [names[2], names[1], names[0]]
    assert all(isinstance(r["rank"], float) for r in rows)
    # Legal forms alone are still searchable; with other words they are not required.
    assert plan_query("จำกัด").match == '"จำกัด"'
    assert plan_query("บริษัท สยามเหล็ก จำกัด").match == '"สยามเหล็ก"'


FORMS = ["ห้างหุ้นส่วนจำกัด สมบูรณ์การช่าง", "หจก.สมบูรณ์ยนต์", "บริษัท สมบูรณ์ฟู้ด จำกัด",
         "บริษัท สมบูรณ์เคมี จำกัด (มหาชน)", "บมจ. ไทยสมบูรณ์"]


@pytest.fixture(params=["index", "scan"])
def forms(request, tmp_path):
    """Factories of every company form, written out and abbreviated, searched through the
    built index and by the scan that serves while it is being built."""
    from fieldapp.store import search_index
    from fieldapp.store.db import open_store
    store = open_store(tmp_path / "forms.db")
    records = []
    for n, name in enumerate(FORMS):
        body = f"10100000{n + 1}2550"
        records.append({"fid": body + luhn_check_digit(body), "name": name})
    upsert_factories(store, records)
    if request.param == "scan":
        with store.transaction():
            assert search_index.defer(store.conn)
            store.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES ('delete-all')")
    yield store
    store.close()


@pytest.mark.parametrize(("query", "found"), [
    ("หจก", {0, 1}), ("หจก.", {0, 1}), ("ห้างหุ้นส่วนจำกัด", {0, 1}),
    ("บจก", {2, 3}), ("บจก.", {2, 3}), ("บมจ", {3, 4}), ("บมจ.", {3, 4}), ("(มหาชน)", {3, 4}),
    ("บริษัท", {2, 3, 4}),
    ("หจก สมบูรณ์การช่าง", {0}), ("หจก. สมบูรณ์ยนต์", {1}), ("ห้างหุ้นส่วนจำกัด สมบูรณ์ยนต์", {1}),
    ("หจก.สมบูรณ์การช่าง", {0}), ("บจก.สมบูรณ์ฟู้ด", {2}), ("บมจ ไทยสมบูรณ์", {4}),
    ("บริษัท ไทยสมบูรณ์ จำกัด (มหาชน)", {4}),
])
def test_company_forms_match_written_out_or_abbreviated(forms, query, found):
    """"หจก" looked for the letters หจก, and DIW writes the form out (ห้างหุ้นส่วนจำกัด):
    an inspector typing the form as everyone abbreviates it found nothing."""
    assert {FORMS.index(r["name"]) for r in search_factories(forms, query)} == found, query
    assert count_factories(forms, query) == len(found)


def test_a_company_form_beside_a_name_ranks_its_form_first(forms):
    for query, first in (("หจก สมบูรณ์", {0, 1}), ("บมจ สมบูรณ์", {3, 4})):
        rows = search_factories(forms, query)
        assert len(rows) == len(FORMS)               # the form narrows nothing...
        assert {FORMS.index(r["name"]) for r in rows[:2]} == first, query   # ...it ranks


def test_work_is_bounded_by_the_search_cap(registry, monkeypatch):
    from fieldapp.store import search
    monkeypatch.setattr(search, "SEARCH_CAP", 5)
    assert count_factories(registry, "บริษัท") == 5
    assert len(search_factories(registry, "บริษัท", limit=50)) == 5
    assert count_factories(registry, "ก") <= 5
    assert count_factories(registry, "") == 49        # browsing is not capped


def test_a_whole_fid_uses_the_unique_index(registry):
    from fieldapp.store.search import _filters, build_search_sql
    plan = plan_query("1-0130-000125461")
    assert plan.kind == "fid"
    where, params = _filters(None, None, None)
    sql, params = build_search_sql(plan, where, params, limit=50, offset=0)
    steps = [r[3] for r in registry.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert any("USING INDEX" in step and "fid=?" in step for step in steps), steps
    assert not any(step.startswith("SCAN f") for step in steps), steps


@pytest.mark.parametrize("province", ["ZZ", "99", "นครปฐมม"])
def test_search_command_refuses_a_province_that_is_none(tmp_path, shared_data, capsys,
                                                         province):
    """An unknown --province filtered every factory out and answered "no factory found"."""
    db = str(tmp_path / "f.db")
    main(["--db", db, "import-factories", str(shared_data / "diw_factory_data_sample.csv")])
    capsys.readouterr()
    assert main(["--db", db, "search", "บริษัท", "--province", province]) == 1
    assert f"unknown province {province!r}" in capsys.readouterr().err
    assert main(["--db", db, "search", "บริษัท", "--province", "นฐ"]) == 0
