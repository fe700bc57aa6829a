"""The office's registry is authoritative: a laptop's import is local and never overwrites it.

The trial, with the real registry rows: the office imports the file, a laptop imports an
older copy in which one name differs, and syncs. Before the fix the office's row took the old
name for every laptop and the other provinces' rows came back as refused changes.
"""

from __future__ import annotations

import csv
import json

from server_fixtures import Laptop, add_users, inproc_client, make_app

from fieldapp.core.hlc import HybridClock
from fieldapp.server import office, office_registry
from fieldapp.server.auth import Principal
from fieldapp.server.cli import main as server_cli
from fieldapp.server.push import Op, push
from fieldapp.store import inspections as insp
from fieldapp.store.factories import factory_id, update_field_info
from fieldapp.store.registry_import import import_factories
from fieldapp.store.sync_state import pending_count, rejected_changes

BANGKOK = "กรุงเทพมหานคร"   # province code 10: anong's and boon's province
OLD_NAME = "ชื่อเดิมก่อนเปลี่ยน (old name)"


def _sample(shared_data):
    path = shared_data / "diw_factory_data_sample.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _fid(cells: list[str], header: list[str]) -> str:
    return cells[header.index("FID")].strip('="')


def _write(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _bangkok_row(header, rows) -> list[str]:
    return next(r for r in rows if r[header.index("FPROVNAME")] == BANGKOK)


def _server_factory(db, fid: str) -> dict | None:
    with db.read() as c:
        row = c.one("SELECT data FROM records WHERE tbl = 'factories' AND id = ?",
                    (factory_id(fid),))
    return json.loads(row["data"]) if row else None


def _factory_outbox(store) -> int:
    return store.conn.execute(
        "SELECT count(*) FROM outbox WHERE table_name = 'factories'").fetchone()[0]


def _local_name(store, fid: str) -> str:
    return store.query("SELECT name FROM factories WHERE fid = ?", (fid,))[0]["name"]


def test_a_laptop_importing_an_older_registry_never_overwrites_the_office(
        server_db, shared_data, tmp_path):
    header, rows = _sample(shared_data)
    target = _bangkok_row(header, rows)
    fid, office_name = _fid(target, header), target[header.index("FNAME")]
    older = [list(r) for r in rows]
    older[rows.index(target)][header.index("FNAME")] = OLD_NAME
    older_file = _write(tmp_path / "older.csv", header, older)

    add_users(server_db)
    report, counts = office_registry.import_registry(server_db, shared_data /
                                            "diw_factory_data_sample.csv")
    assert counts["applied"] == len(rows) and not counts["rejected"]
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    b = Laptop(tmp_path / "b.db", inproc_client(app), "boon")
    try:
        # Imported before the laptop ever synced: local rows, nothing in the outbox.
        imported = import_factories(a.store, older_file)
        assert imported.imported == len(rows)
        assert _factory_outbox(a.store) == 0
        summary = a.sync()
        assert summary.ok, summary.errors
        assert summary.rejected == 0 and "rejected" not in summary.line()
        assert not rejected_changes(a.store) and pending_count(a.store) == 0
        assert _server_factory(server_db, fid)["name"] == office_name
        assert _local_name(a.store, fid) == office_name   # the office's copy replaced it
        assert b.sync().ok
        assert _local_name(b.store, fid) == office_name

        # Imported again after syncing: the office's rows stay as the office has them.
        again = import_factories(a.store, older_file)
        assert again.kept == 5 and "kept 5" in again.summary()   # the Bangkok rows
        assert _local_name(a.store, fid) == office_name
        assert _factory_outbox(a.store) == 0
        summary = a.sync()
        assert summary.ok and summary.rejected == 0 and summary.pushed == 0
        assert _server_factory(server_db, fid)["name"] == office_name
        assert not office_registry.reported_factories(server_db)
    finally:
        a.close()
        b.close()


def test_an_inspection_on_a_factory_the_office_lacks_brings_it_along(
        server_db, shared_data, tmp_path, monkeypatch, capsys):
    header, rows = _sample(shared_data)
    target = _bangkok_row(header, rows)
    fid = _fid(target, header)
    without = _write(tmp_path / "office.csv", header, [r for r in rows if r is not target])
    add_users(server_db)
    office_registry.import_registry(server_db, without)
    assert _server_factory(server_db, fid) is None
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    b = Laptop(tmp_path / "b.db", inproc_client(app), "boon")
    try:
        assert a.sync().ok
        import_factories(a.store, shared_data / "diw_factory_data_sample.csv")
        assert _factory_outbox(a.store) == 0
        template_id = a.store.query(
            "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
        inspection = insp.create_inspection(a.store, factory_id=factory_id(fid),
                                            template_version_id=template_id,
                                            created_by="anong")
        office_fid = _fid(next(r for r in rows if r is not target
                               and r[header.index("FPROVNAME")] == BANGKOK), header)
        update_field_info(a.store, office_fid, phone="0 2202 4000")   # a field edit

        summary = a.sync()
        assert summary.ok, summary.errors
        assert summary.rejected == 0 and not rejected_changes(a.store)
        assert pending_count(a.store) == 0
        assert _server_factory(server_db, fid)["name"] == target[header.index("FNAME")]
        assert _server_factory(server_db, office_fid)["phone"] == "0 2202 4000"
        with server_db.read() as c:
            assert c.one("SELECT id FROM records WHERE tbl = 'inspections' AND id = ?",
                         (inspection["id"],))
        reported = office_registry.reported_factories(server_db)
        assert [(r["fid"], r["reported_by"], r["accepted_at"]) for r in reported] == [
            (fid, "anong", None)]
        # The office's copy came back: the factory is no longer this laptop's alone.
        assert a.store.query("SELECT local_only FROM factories WHERE fid = ?",
                             (fid,)) == [{"local_only": 0}]
        assert b.sync().ok
        assert b.store.query("SELECT fid FROM factories WHERE fid = ?", (fid,))

        monkeypatch.setattr("sys.stdin", None)
        assert server_cli(["--db", server_db.url, "factories", "reported"]) == 0
        assert fid in capsys.readouterr().out
        assert server_cli(["--db", server_db.url, "factories", "accept", fid]) == 0
        assert "accepted" in capsys.readouterr().out
        assert not office_registry.reported_factories(server_db)
        assert office_registry.reported_factories(server_db, include_accepted=True)[0]["accepted_at"]
        assert server_cli(["--db", server_db.url, "factories", "accept", fid]) == 1
        assert "no factory" in capsys.readouterr().err
    finally:
        a.close()
        b.close()


def test_a_laptops_copy_of_a_registry_row_changes_nothing_on_the_server(server_db,
                                                                         shared_data):
    """An older FieldApp still pushes its imports: the office's registry stands, answered as
    applied (no refusal to show); a field edit still applies."""
    header, rows = _sample(shared_data)
    target = _bangkok_row(header, rows)
    fid = _fid(target, header)
    office_registry.import_registry(server_db, shared_data / "diw_factory_data_sample.csv")
    inspector = Principal("u-anong", "anong", "inspector", frozenset({"10"}), "laptop1")
    clock = HybridClock("laptop1")   # newer than the office's import: not a clock race
    acks = push(server_db, inspector, [
        Op("op-1", "factories", factory_id(fid), "upsert",
           {"fid": fid, "name": OLD_NAME, "phone": "081"}, clock.now()),
        Op("op-2", "factories", factory_id(fid), "delete", {}, clock.now()),
        Op("op-3", "factories", factory_id(fid), "upsert", {"contact_person": "สมชาย"},
           clock.now()),
    ], 2**40)
    assert [a["outcome"] for a in acks] == ["applied", "applied", "applied"]
    data = _server_factory(server_db, fid)
    assert data["name"] == target[header.index("FNAME")] and data.get("deleted", 0) == 0
    assert data["phone"] is None and data["contact_person"] == "สมชาย"
    with server_db.read() as c:
        assert c.value("SELECT deleted FROM records WHERE id = ?", (factory_id(fid),)) == 0
    assert not office_registry.reported_factories(server_db)


def test_the_office_importing_again_keeps_what_inspectors_recorded_in_the_field(
        server_db, shared_data, tmp_path, capsys):
    """The field owns the phone and the contact person, and coordinates taken at the gate
    are better than the registry's: an office re-import keeps them, on the server and so on
    every laptop. A file that changes nothing sends nothing, and says so; one that changes a
    name or the registry's coordinates of a row nobody edited is applied."""
    header, rows = _sample(shared_data)
    bangkok = [r for r in rows if r[header.index("FPROVNAME")] == BANGKOK]
    fid, other = _fid(bangkok[0], header), _fid(bangkok[1], header)
    add_users(server_db)
    office_registry.import_registry(server_db, shared_data / "diw_factory_data_sample.csv")
    a = Laptop(tmp_path / "a.db", inproc_client(make_app(server_db)), "anong")
    try:
        assert a.sync().ok
        found = {"phone": "054-123456", "contact_person": "นายสมศักดิ์ ทรายงาม",
                 "lat": 13.7301, "lng": 100.5201}
        update_field_info(a.store, factory_id(fid), **found)
        assert a.sync().ok
        assert {k: _server_factory(server_db, fid)[k] for k in found} == found

        report, counts = office_registry.import_registry(server_db,
                                                shared_data / "diw_factory_data_sample.csv")
        assert (report.imported, report.updated, report.unchanged) == (0, 0, len(rows))
        assert counts["applied"] == 0
        assert {k: _server_factory(server_db, fid)[k] for k in found} == found

        changed = [list(r) for r in rows]
        for cells in changed:
            if _fid(cells, header) == fid:        # a new name; the registry's rough place
                cells[header.index("FNAME")] = "ชื่อใหม่ตามทะเบียน"
                cells[header.index("LAT")], cells[header.index("LNG")] = "13.75", "100.50"
            elif _fid(cells, header) == other:    # nobody stood at this gate: file wins
                cells[header.index("LAT")], cells[header.index("LNG")] = "13.76", "100.51"
            else:                                  # a file without coordinates keeps them
                cells[header.index("LAT")] = cells[header.index("LNG")] = ""
        before = {_fid(r, header): _server_factory(server_db, _fid(r, header)) for r in rows}
        report, counts = office_registry.import_registry(server_db,
                                                _write(tmp_path / "new.csv", header, changed))
        assert (report.imported, report.updated) == (0, 2), report.summary()
        assert counts["applied"] == 2 and not counts["rejected"]
        mine = _server_factory(server_db, fid)
        assert mine["name"] == "ชื่อใหม่ตามทะเบียน"
        assert {k: mine[k] for k in found} == found
        assert (_server_factory(server_db, other)["lat"],
                _server_factory(server_db, other)["lng"]) == (13.76, 100.51)
        for r in rows:
            if _fid(r, header) not in (fid, other):
                assert _server_factory(server_db, _fid(r, header)) == before[_fid(r, header)]

        assert a.sync().ok
        held = a.store.query("SELECT * FROM factories WHERE fid = ?", (fid,))[0]
        assert {k: held[k] for k in found} == found and held["name"] == "ชื่อใหม่ตามทะเบียน"
    finally:
        a.close()


def test_coordinates_a_person_at_the_office_chose_stay_through_a_reimport(server_db,
                                                                          shared_data,
                                                                          tmp_path):
    """Settling a conflict (or any console write) writes as the office's device too: the
    registry's own coordinates are told by the import's account, which its operations
    name, not by the device."""
    header, rows = _sample(shared_data)
    fid = _fid(_bangkok_row(header, rows), header)
    add_users(server_db)
    office_registry.import_registry(server_db, shared_data / "diw_factory_data_sample.csv")
    supervisor = Principal("u-sup", "somsri", "admin", frozenset(), "office")
    ack = office.write_fields(server_db, supervisor, "factories", factory_id(fid),
                              {"lat": 13.7011, "lng": 100.5011})
    assert ack["outcome"] == "applied", ack
    moved = [list(r) for r in rows]
    for cells in moved:
        cells[header.index("LAT")], cells[header.index("LNG")] = "13.79", "100.59"
    report, _ = office_registry.import_registry(server_db, _write(tmp_path / "moved.csv", header, moved))
    data = _server_factory(server_db, fid)
    assert (data["lat"], data["lng"]) == (13.7011, 100.5011)
    assert report.updated == len(rows) - 1      # every other factory takes the file's place


def test_a_damaged_export_imported_at_the_office_wipes_no_good_row(server_db, shared_data):
    """The real damaged sample imported at the office after the good one: a name given as
    "-" emptied the office's name of that factory, for every laptop. Empty and placeholder
    cells keep what the office has."""
    office_registry.import_registry(server_db, shared_data / "diw_factory_data_sample.csv")
    before = _names(server_db)
    assert before["10730100125178"]
    office_registry.import_registry(server_db, shared_data / "diw_factory_data_damaged.csv")
    after = _names(server_db)
    assert [fid for fid, name in before.items() if name and not after[fid]] == []


def _names(db) -> dict[str, str]:
    with db.read() as c:
        return {(d := json.loads(r["data"]))["fid"]: d.get("name") for r in c.all(
            "SELECT data FROM records WHERE tbl = 'factories'")}
