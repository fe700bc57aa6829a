"""A supervisor's laptop keeps syncing when the office holds rows it cannot store.

The office now refuses such values (tests/server/test_server_pulled_rows_storable.py), but
an office may hold some from before: here one is written straight into the server's
database, as an older office stored it. The supervisor's first sync and every later one go
through; the record it cannot store is left out with its rows, the rest arrives."""

from __future__ import annotations

import json

from server_fixtures import (
    FACTORIES,
    PASSWORD,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)

from fieldapp.server.auth import add_user, grant_province
from fieldapp.store import inspections as insp


def _stored_as_an_older_office_did(db, inspection_id: str) -> None:
    with db.write() as c:
        data = json.loads(c.value("SELECT data FROM records WHERE tbl = 'inspections' "
                                  "AND id = ?", (inspection_id,)))
        c.run("UPDATE records SET data = ? WHERE tbl = 'inspections' AND id = ?",
              (json.dumps({**data, "kind": "evil"}), inspection_id))


def test_a_supervisors_laptop_syncs_past_a_record_it_cannot_store(server_db, tmp_path):
    add_users(server_db)
    add_user(server_db, "somsri", PASSWORD, "supervisor")
    grant_province(server_db, "somsri", "10")
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    anong = Laptop(tmp_path / "anong.db", inproc_client(app), "anong")
    somsri = Laptop(tmp_path / "somsri.db", inproc_client(app), "somsri")
    try:
        assert anong.sync().ok
        factory = anong.store.query(
            "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        template = anong.store.query("SELECT id FROM template_versions LIMIT 1")[0]["id"]
        bad, good = (insp.create_inspection(anong.store, factory_id=factory,
                                            template_version_id=template, created_by="anong")
                     for _ in range(2))
        for record in (bad, good):
            insp.set_answer(anong.store, record["id"], "lic.status", result="pass")
        assert anong.sync().ok
        _stored_as_an_older_office_did(server_db, bad["id"])

        first = somsri.sync()                     # a first sync: the snapshot
        assert first.ok, first.errors
        held = {r["id"] for r in somsri.store.query("SELECT id FROM inspections")}
        assert held == {good["id"]}
        assert somsri.store.query("SELECT inspection_id FROM answers") == [
            {"inspection_id": good["id"]}]

        insp.set_answer(anong.store, bad["id"], "lic.class", result="na")
        insp.set_answer(anong.store, good["id"], "lic.class", result="pass")
        assert anong.sync().ok
        later = somsri.sync()                     # a page of changes: the pull
        assert later.ok, later.errors
        answers = somsri.store.query("SELECT inspection_id, item_id FROM answers "
                                     "ORDER BY item_id")
        assert answers == [{"inspection_id": good["id"], "item_id": "lic.class"},
                           {"inspection_id": good["id"], "item_id": "lic.status"}]
    finally:
        anong.close()
        somsri.close()
