"""The registry importer on the real sample files, plus cleaning rules and write semantics."""

from __future__ import annotations

import csv
import json

import pytest

from fieldapp.cli import main
from fieldapp.core.fid import luhn_check_digit
from fieldapp.core.registry_rows import clean_row
from fieldapp.store import registry_import
from fieldapp.store.db import open_store
from fieldapp.store.factories import factory_id, get_factory, update_field_info
from fieldapp.store.registry_import import ImportFileError, import_factories, parse_mapping

REGISTRY_COLUMNS = ("id", "fid", "facreg", "facreg_key", "name", "operator", "business",
                    "factory_type", "factory_class", "address", "moo", "soi", "road",
                    "subdistrict", "district", "province", "province_code", "capital",
                    "workers", "horsepower", "lat", "lng", "isic", "estate", "status",
                    "registry_updated", "phone", "contact_person", "source_hash")


def registry_rows(store) -> list[tuple]:
    return [tuple(r[c] for c in REGISTRY_COLUMNS)
            for r in store.query("SELECT * FROM factories ORDER BY fid")]


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the four sample files --------------------------------------------------------------------

def test_diw_sample_imports_49_then_is_unchanged(tmp_path, shared_data, capsys):
    db = str(tmp_path / "a.db")
    source = str(shared_data / "diw_factory_data_sample.csv")
    code, out, _ = run_cli(capsys, "--db", db, "import-factories", source)
    assert code == 0
    assert out.splitlines()[-1] == "imported 49, updated 0, unchanged 0, rejected 0"
    code, out, _ = run_cli(capsys, "--db", db, "import-factories", source)
    assert out.splitlines()[-1] == "imported 0, updated 0, unchanged 49, rejected 0"
    with open_store(db) as store:
        assert store.query("SELECT count(*) AS n FROM factories")[0]["n"] == 49
        # The import is local: the office's registry is authoritative, nothing to send.
        assert store.query("SELECT count(*) AS n FROM outbox WHERE table_name = 'factories'"
                           )[0]["n"] == 0
        assert store.query("SELECT count(*) AS n FROM factories WHERE local_only = 1"
                           )[0]["n"] == 49
        row = get_factory(store, "10130000125461")
    assert row["id"] == factory_id("10130000125461")
    assert row["name"] == "บริษัท ไทย ยามาซากิ จำกัด"
    assert (row["facreg"], row["facreg_key"], row["factory_type"]) == (
        "3-10(1)-1/46ปท", "3101146ปท", "10(1)")
    assert (row["province"], row["province_code"], row["factory_class"]) == ("ปทุมธานี", "13", 3)
    assert (row["lat"], row["lng"]) == (14.037216, 100.612236)


def test_cp874_file_gives_identical_rows(tmp_path, shared_data):
    with open_store(tmp_path / "utf8.db") as utf8, open_store(tmp_path / "thai.db") as thai:
        a = import_factories(utf8, shared_data / "diw_factory_data_sample.csv")
        b = import_factories(thai, shared_data / "diw_factory_data_sample_cp874.csv")
        assert (a.encoding, b.encoding) == ("utf-8-sig", "cp874")
        assert b.summary() == "imported 49, updated 0, unchanged 0, rejected 0"
        assert registry_rows(utf8) == registry_rows(thai)


def test_fnm_layout_imports_the_same_49_factories(tmp_path, shared_data):
    with open_store(tmp_path / "fnm.db") as fnm, open_store(tmp_path / "diw.db") as diw:
        report = import_factories(fnm, shared_data / "fnm_factories_sample.csv")
        assert report.layout == "fnm"
        assert report.summary() == "imported 49, updated 0, unchanged 0, rejected 0"
        import_factories(diw, shared_data / "diw_factory_data_sample.csv")
        assert registry_rows(fnm) == registry_rows(diw)
        # The same data in the other layout changes nothing.
        again = import_factories(diw, shared_data / "fnm_factories_sample.csv")
        assert again.summary() == "imported 0, updated 0, unchanged 49, rejected 0"


def test_damaged_file_rejects_the_right_lines_for_the_right_reasons(tmp_path, shared_data,
                                                                      capsys):
    rejects = tmp_path / "rejects.csv"
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "d.db"), "import-factories",
                             str(shared_data / "diw_factory_data_damaged.csv"),
                             "--rejects", str(rejects))
    assert code == 0
    assert out.splitlines()[-1] == "imported 8, updated 0, unchanged 0, rejected 5"
    with open_store(tmp_path / "d2.db") as store:
        report = import_factories(store, shared_data / "diw_factory_data_damaged.csv")
        rows = {r["fid"]: r for r in store.query("SELECT * FROM factories")}
    assert [(r.line, r.reason.code) for r in report.rejected] == [
        (5, "fid_length"), (6, "fid_length"), (8, "fid_clash"), (9, "fid_clash"),
        (14, "malformed")]
    assert "1052000022519 has 13 digits" in report.rejected[0].reason.message
    assert "1234 has 4 digits" in report.rejected[1].reason.message
    assert all("on lines 8, 9 with different details" in r.reason.message
               for r in report.rejected[2:4])
    assert "unexpected end of data" in report.rejected[4].reason.message
    assert [(line, note.code) for line, note in report.warnings] == [
        (2, "coord_swapped"), (4, "coord_zero"), (7, "name_placeholder"),
        (10, "class_words"), (11, "coord_comma"), (12, "province_mismatch")]
    # Warnings and rejections reach stderr with their line numbers.
    for line in (2, 4, 7, 10, 11, 12):
        assert f"line {line}: warning:" in err
    for line in (5, 6, 8, 9, 14):
        assert f"line {line}: rejected:" in err
    # The fixes themselves.
    assert (rows["10390001225278"]["lat"], rows["10390001225278"]["lng"]) == (
        17.3698671598277, 102.274534137218)                              # swapped back
    assert rows["10550000125197"]["lat"] is None                         # missing stays empty
    assert rows["10560000125584"]["lat"] is None                         # 0,0 -> empty
    assert rows["10730100125178"]["name"] == ""                          # placeholder "-"
    assert rows["10140188825683"]["factory_class"] == 3                  # "จำพวก 3"
    assert rows["10100001725155"]["lat"] == 13.7                         # "13,7"
    # "  กรุงเทพฯ " is recognised, but the ID (24) and ฉช agree on Chachoengsao.
    assert (rows["10240028625689"]["province"], rows["10240028625689"]["province_code"]) == (
        "ฉะเชิงเทรา", "24")
    # Yamazaki's line carries another factory's ID (the ID says Bangkok, ปท and the name
    # Pathum Thani), and the ID's real owner follows it: which is right the file cannot
    # tell, so neither is taken (store/registry_clashes.py).
    assert "10100000125514" not in rows
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))
    assert written[0][:3] == ["line", "reason", "FACREG"]
    assert [r[0] for r in written[1:]] == ["5", "6", "8", "9", "14"]
    assert written[4][6] == "บริษัท อาร์ แอนด์ บี ฟู้ด ซัพพลาย จำกัด (มหาชน)"


# -- re-import rules --------------------------------------------------------------------------

def _rewrite(source, target, change):
    with source.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        change(row)
    with target.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_reimport_updates_registry_fields_but_keeps_field_edits(tmp_path, shared_data, store):
    sample = shared_data / "diw_factory_data_sample.csv"
    import_factories(store, sample)
    edited, untouched = "10130000125461", "10550000125197"
    update_field_info(store, edited, phone="02-529-1234", contact_person="คุณสมชาย",
                      lat=14.0401, lng=100.6150)

    def change(row):
        if row["FID"].strip('="') in (edited, untouched):
            row["FNAME"] += " (สาขา 2)"
            row["LAT"], row["LNG"] = "15.5", "101.5"
    changed = tmp_path / "changed.csv"
    _rewrite(sample, changed, change)
    outbox_before = store.query("SELECT count(*) AS n FROM outbox")[0]["n"]
    report = import_factories(store, changed)
    assert report.summary() == "imported 0, updated 2, unchanged 47, rejected 0"
    a, b = get_factory(store, edited), get_factory(store, untouched)
    assert a["name"].endswith("(สาขา 2)") and b["name"].endswith("(สาขา 2)")
    # Field edits win over the registry; the registry still owns untouched coordinates.
    assert (a["phone"], a["contact_person"], a["lat"], a["lng"]) == (
        "02-529-1234", "คุณสมชาย", 14.0401, 100.6150)
    assert (b["lat"], b["lng"]) == (15.5, 101.5)
    entries = store.query("SELECT payload FROM outbox ORDER BY seq")[outbox_before:]
    assert entries == []   # a registry import is local (store/factories.py)
    # And the next import of the same file is a no-op, the field's coordinates still kept.
    assert import_factories(store, changed).summary() == (
        "imported 0, updated 0, unchanged 49, rejected 0")
    assert get_factory(store, edited)["lat"] == 14.0401


def test_a_damaged_export_never_wipes_what_a_good_one_gave(shared_data, store):
    """The real damaged sample after the good one: a name given as "-" and coordinates
    given as 0,0 emptied the good row's name and place (the factory showed with a blank
    name in search). Empty and placeholder cells now keep the stored values, and the same
    file again changes nothing; a good file still updates the coordinates."""
    import_factories(store, shared_data / "diw_factory_data_sample.csv")
    before = {r["fid"]: r for r in store.query("SELECT * FROM factories")}
    import_factories(store, shared_data / "diw_factory_data_damaged.csv")
    after = {r["fid"]: r for r in store.query("SELECT * FROM factories")}
    for fid, row in after.items():
        if fid in before:
            for name in ("name", "address", "province", "lat", "lng"):
                if before[fid][name] not in (None, ""):
                    assert row[name] not in (None, ""), (fid, name)
    named = before["10730100125178"]["name"]
    assert named and after["10730100125178"]["name"] == named
    placed = before["10560000125584"]
    assert (after["10560000125584"]["lat"], after["10560000125584"]["lng"]) == (
        placed["lat"], placed["lng"]) and placed["lat"] is not None
    again = import_factories(store, shared_data / "diw_factory_data_damaged.csv")
    assert again.updated == 0, again.summary()


def test_a_failed_batch_leaves_nothing_and_earlier_batches_stay(tmp_path, shared_data, store,
                                                               monkeypatch):
    real = registry_import.upsert_factories
    calls = []

    def failing_third_batch(store_, batch):
        calls.append(len(batch))
        with store_.transaction():
            outcome = real(store_, batch)
            if len(calls) == 3:
                raise OSError("disk full")
        return outcome
    monkeypatch.setattr(registry_import, "upsert_factories", failing_third_batch)
    with pytest.raises(OSError):
        import_factories(store, shared_data / "diw_factory_data_sample.csv", batch_size=10)
    assert store.query("SELECT count(*) AS n FROM factories")[0]["n"] == 20


def test_progress_and_cancel(store, shared_data):
    seen = []
    report = import_factories(store, shared_data / "diw_factory_data_sample.csv",
                              progress=lambda done, total: seen.append((done, total)),
                              cancelled=lambda: len(seen) >= 2, batch_size=10)
    assert report.cancelled and report.imported == 20
    assert seen[0][1] == 50 and seen[0][0] < seen[1][0] <= 50
    seen.clear()
    import_factories(store, shared_data / "diw_factory_data_sample.csv",
                     progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)


# -- other layouts ----------------------------------------------------------------------------

def _valid_fid(body: str) -> str:
    return body + luhn_check_digit(body)


def test_xlsx_import(tmp_path, store):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["FID", "FNAME", "DISPFACREG", "FPROVNAME", "LAT", "LNG", "FACTYPE"])
    sheet.append([int(_valid_fid("1073000012556")), "บริษัท ทดสอบ จำกัด", "3-10(1)-1/56นฐ",
                  "จ.นครปฐม", 13.8, 100.1, 3])
    sheet.append([_valid_fid("2020000452560"), "หจก. ชลบุรีคอนกรีต", "จ3-58(1)-45/60ชบ",
                  "ชลบุรี", None, None, "จำพวก 3"])
    sheet.append(["1234", "เลขผิด", "", "", None, None, None])
    path = tmp_path / "list.xlsx"
    book.save(path)
    report = import_factories(store, path)
    assert report.summary() == "imported 2, updated 0, unchanged 0, rejected 1"
    assert report.rejected[0].line == 4
    row = get_factory(store, _valid_fid("1073000012556"))
    assert (row["province_code"], row["lat"], row["factory_class"]) == ("73", 13.8, 3)
    assert get_factory(store, _valid_fid("2020000452560"))["province"] == "ชลบุรี"


def test_mapping_covers_other_layouts(tmp_path, store, capsys):
    path = tmp_path / "office.csv"
    path.write_text("เลขทะเบียน,ชื่อโรงงาน,จังหวัด,โทร\n"
                    f'{_valid_fid("1013000012546")},โรงงานทดสอบ,ปทุมธานี,02-1234567\n',
                    encoding="cp874")
    with pytest.raises(ImportFileError, match="unknown column layout"):
        import_factories(store, path)
    mapping = parse_mapping(["เลขทะเบียน=fid,ชื่อโรงงาน=name", "จังหวัด=province,โทร=phone"])
    report = import_factories(store, path, mapping=mapping)
    assert report.summary() == "imported 1, updated 0, unchanged 0, rejected 0"
    assert get_factory(store, _valid_fid("1013000012546"))["phone"] == "02-1234567"
    json_map = tmp_path / "map.json"
    json_map.write_text(json.dumps({"เลขทะเบียน": "fid", "ชื่อโรงงาน": "name"}),
                        encoding="utf-8")
    assert parse_mapping([str(json_map)]) == {"เลขทะเบียน": "fid", "ชื่อโรงงาน": "name"}
    with pytest.raises(ImportFileError, match="unknown field"):
        parse_mapping(["เลขทะเบียน=factory_number"])
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "x.db"), "import-factories",
                           str(path))
    assert code == 1 and "--map" in err


def test_wrong_column_count_rejects_only_that_line(tmp_path, store):
    body = _valid_fid("1010000012550")
    path = tmp_path / "short.csv"
    path.write_text(f"FID,FNAME,FPROVNAME\n{body},ก ข ค,กรุงเทพมหานคร\n1,2\n",
                    encoding="utf-8")
    report = import_factories(store, path)
    assert report.summary() == "imported 1, updated 0, unchanged 0, rejected 1"
    assert (report.rejected[0].line, report.rejected[0].reason.code) == (3, "columns")


# -- cleaning rules ---------------------------------------------------------------------------

GOOD = _valid_fid("1073010012517")


@pytest.mark.parametrize(("lat", "lng", "expected", "code"), [
    ("13.72", "100.24", (13.72, 100.24), None),
    ("100.24", "13.72", (13.72, 100.24), "coord_swapped"),
    ("0", "0", (None, None), "coord_zero"),
    ("45.1", "100.2", (None, None), "coord_outside"),
    ("13,72", "100.24", (13.72, 100.24), "coord_comma"),
    ("13.72", "", (None, None), "coord_incomplete"),
    ("abc", "100.2", (None, None), "coord_invalid"),
    ("", "", (None, None), None),
])
def test_coordinate_rules(lat, lng, expected, code):
    result = clean_row({"fid": GOOD, "name": "x", "lat": lat, "lng": lng})
    assert (result.factory["lat"], result.factory["lng"]) == expected
    assert [n.code for n in result.warnings] == ([code] if code else [])


def test_bad_check_digit_and_bad_characters_are_rejected():
    broken = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)
    assert clean_row({"fid": broken, "name": "x"}).rejection.code == "fid_checksum"
    assert clean_row({"fid": "10730100125ABC", "name": "x"}).rejection.code == "fid_characters"
    assert clean_row({"fid": "", "name": "x"}).rejection.code == "fid_empty"


@pytest.mark.parametrize(("text", "expected", "warned"), [
    ("3", 3, False), ("จำพวก 3", 3, True), ("จำพวกที่ 2", 2, True), ("จ.1", 1, True),
    ("๓", 3, False), ("ใหญ่", None, True),
])
def test_factory_class_written_many_ways(text, expected, warned):
    result = clean_row({"fid": GOOD, "name": "x", "factory_class": text})
    assert result.factory["factory_class"] == expected
    assert bool(result.warnings) == warned


def test_province_comes_from_the_id_when_the_file_has_none():
    result = clean_row({"fid": GOOD, "name": "x"})
    assert (result.factory["province"], result.factory["province_code"]) == ("นครปฐม", "73")
    unknown = clean_row({"fid": GOOD, "name": "x", "province": "ดาวอังคาร"})
    assert unknown.factory["province_code"] == "73"
    assert [n.code for n in unknown.warnings] == ["province_unknown"]


def test_field_edits_are_limited_and_checked(store, shared_data):
    from fieldapp.core.errors import NotFoundError, ValidationError
    import_factories(store, shared_data / "diw_factory_data_sample.csv")
    with pytest.raises(ValidationError, match="name"):
        update_field_info(store, "10130000125461", name="อื่น")
    with pytest.raises(ValidationError, match="outside Thailand"):
        update_field_info(store, "10130000125461", lat=45.0, lng=100.0)
    with pytest.raises(ValidationError, match="both"):
        update_field_info(store, "10550000125197", lat=None)
    with pytest.raises(NotFoundError):
        update_field_info(store, "00000000000000", phone="1")
    row = update_field_info(store, "10130000125461", phone="081-111-2222")
    assert row["phone"] == "081-111-2222"
    last = store.query("SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1")[0]
    assert json.loads(last["payload"]) == {"phone": "081-111-2222"}


def _clean(**over):
    from fieldapp.core.registry_fields import REGISTRY_FIELDS
    from fieldapp.store.factories import prepare_record
    record = {name: None for name in REGISTRY_FIELDS}
    record.update(fid="10130000125461", name="โรงงานดี", operator="บริษัท ก", province="ชลบุรี",
                  province_code="20", soi="ซอย 5", lat=13.10, lng=100.90, status=1)
    record.update(over)
    return prepare_record(record)


def test_a_gps_fix_survives_a_damaged_file_and_the_good_one_after_it(store):
    """A name kept from a damaged file made the stored row hash with the gate's GPS fix as
    if it were the registry's, and the good file after it then replaced the fix."""
    from fieldapp.store.factories import factory_id, upsert_factories
    upsert_factories(store, [_clean()])
    fid = factory_id("10130000125461")
    update_field_info(store, fid, lat=13.2345, lng=100.9876)        # at the gate
    upsert_factories(store, [_clean(name="")])                      # "-" as the name
    assert get_factory(store, fid)["name"] == "โรงงานดี"
    upsert_factories(store, [_clean()])                             # the good file again
    assert (get_factory(store, fid)["lat"], get_factory(store, fid)["lng"]) == (
        13.2345, 100.9876)


def test_a_field_the_registry_emptied_is_emptied(store):
    """Only the name and the place are kept from an empty cell: a soi dropped from a
    rewritten address goes, as the registry says."""
    from fieldapp.store.factories import factory_id, upsert_factories
    upsert_factories(store, [_clean()])
    upsert_factories(store, [_clean(soi=None, road="ถนนใหม่")])
    row = get_factory(store, factory_id("10130000125461"))
    assert (row["road"], row["soi"]) == ("ถนนใหม่", None)


def test_a_factory_id_given_to_another_factory_keeps_the_factory_held(tmp_path, shared_data):
    """The damaged file after the good one: its line 8 puts Yamazaki under R&B Food's ID.
    Taken first, it renamed R&B Food and moved it to Pathum Thani on every laptop and at the
    office, and R&B Food's own line 9 was refused as the duplicate."""
    with open_store(tmp_path / "f.db") as store:
        import_factories(store, shared_data / "diw_factory_data_sample.csv")
        before = store.query("SELECT * FROM factories WHERE fid = '10100000125514'")[0]
        report = import_factories(store, shared_data / "diw_factory_data_damaged.csv")
        after = store.query("SELECT * FROM factories WHERE fid = '10100000125514'")[0]
    assert after == before and after["name"] == "บริษัท อาร์ แอนด์ บี ฟู้ด ซัพพลาย จำกัด (มหาชน)"
    assert [r.line for r in report.rejected if r.reason.code == "fid_clash"] == [8, 9]


def test_lines_that_repeat_each_other_exactly_are_no_clash(tmp_path):
    registry = tmp_path / "repeat.csv"
    header = "FID,FNAME,FPROVNAME\n"
    line = "10100000125514,บริษัท อาร์ แอนด์ บี ฟู้ด ซัพพลาย จำกัด (มหาชน),กรุงเทพมหานคร\n"
    registry.write_text(header + line + line, encoding="utf-8")
    with open_store(tmp_path / "r.db") as store:
        report = import_factories(store, registry)
    assert report.imported == 1
    assert [(r.line, r.reason.code) for r in report.rejected] == [(3, "duplicate")]


def test_a_cancel_during_the_first_pass_writes_nothing(tmp_path, shared_data):
    with open_store(tmp_path / "c.db") as store:
        report = import_factories(store, shared_data / "diw_factory_data_sample.csv",
                                  cancelled=lambda: True)
        assert report.cancelled
        assert store.query("SELECT count(*) AS n FROM factories")[0]["n"] == 0


def test_one_factory_written_two_ways_is_a_repeat_not_a_clash(tmp_path):
    """The ID as Excel writes it (="…") or a column the importer does not take (LAST_UPDATE)
    differing: the same factory twice, taken once (both were refused as a clash)."""
    registry = tmp_path / "twice.csv"
    registry.write_text(
        "FID,FNAME,FPROVNAME,LAST_UPDATE\n"
        "10100000125514,บริษัท อาร์ แอนด์ บี ฟู้ด ซัพพลาย จำกัด (มหาชน),กรุงเทพมหานคร,2566-01-01\n"
        '="10100000125514", บริษัท อาร์ แอนด์ บี ฟู้ด ซัพพลาย จำกัด (มหาชน) ,กรุงเทพมหานคร,'
        "2567-05-05\n", encoding="utf-8")
    with open_store(tmp_path / "t.db") as store:
        report = import_factories(store, registry)
    assert report.imported == 1
    assert [(r.line, r.reason.code) for r in report.rejected] == [(3, "duplicate")]
