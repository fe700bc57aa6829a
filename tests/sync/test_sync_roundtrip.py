"""Two laptops and a server: an inspection with photos and signatures travels both ways."""

from __future__ import annotations

import pytest
from server_fixtures import (
    ADMIN,
    FACTORIES,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)

from fieldapp.server.blobs import missing
from fieldapp.store import inspections as insp
from fieldapp.store import signing
from fieldapp.store.blobs import read_blob
from fieldapp.store.sync_state import pending_count, rejected_changes
from fieldapp.store.templates import get_template

SYNC_TABLES = ("factories", "template_versions", "inspections", "answers", "findings",
               "participants", "attachments", "signatures")


def table_rows(store, table):
    cols = "*" if table != "factories" else "id, fid, name, province_code, lat, lng, phone, " \
        "contact_person, updated_hlc, device_id, deleted"
    rows = store.query(f"SELECT {cols} FROM {table} ORDER BY id")
    return [{k: v for k, v in r.items() if k not in ("num", "source_hash")} for r in rows]


def make_finalized(store, factory, photo=b"\xff\xd8photo-bytes" * 1000, answers=None):
    """A complete, signed and finalized inspection; returns (id, content hash)."""
    template_id = store.query(
        "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
    i = insp.create_inspection(store, factory_id=factory, template_version_id=template_id,
                               created_by="anong")
    template = get_template(store, template_id)
    for n, item_id in enumerate(template.items):
        if answers is None or n < answers:
            insp.set_answer(store, i["id"], item_id, result="not_checked",
                            note=f"หมายเหตุ {n}")
        else:
            insp.set_answer(store, i["id"], item_id, result="na")
    insp.add_participant(store, i["id"], role="inspector", name="อนงค์")
    insp.add_finding(store, i["id"], description="น้ำทิ้งเกินมาตรฐาน")
    if photo:
        insp.add_attachment(store, i["id"], photo, caption="บ่อบำบัด")
    signing.sign(store, i["id"], signer_name="อนงค์", signer_role="inspector",
                 image_png=b"\x89PNGsig" * 50)
    signing.sign(store, i["id"], signer_name="ผู้แทน", signer_role="representative",
                 image_png=b"\x89PNGrep" * 50)
    return i["id"], signing.finalize(store, i["id"])


def test_inspection_with_photos_and_signatures_syncs_both_ways(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    a2 = Laptop(tmp_path / "a2.db", inproc_client(app), "anong")
    try:
        first = a.sync()
        assert first.ok, first.errors
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        inspection_id, digest = make_finalized(a.store, factory)
        summary = a.sync()
        assert summary.ok, summary.errors
        assert summary.uploaded >= 3 and summary.rejected == 0
        assert pending_count(a.store) == 0 and not rejected_changes(a.store)

        other = a2.sync()
        assert other.ok, other.errors
        assert insp.compute_content_hash(a2.store, inspection_id) == digest
        got = a2.store.query("SELECT state, content_hash FROM inspections WHERE id = ?",
                             (inspection_id,))[0]
        assert got == {"state": "finalized", "content_hash": digest}
        for att in a.store.query("SELECT sha256 FROM attachments"):
            assert read_blob(a2.store.blob_dir, att["sha256"]) == read_blob(
                a.store.blob_dir, att["sha256"])
        a.sync()
        for table in SYNC_TABLES:
            assert table_rows(a.store, table) == table_rows(a2.store, table), table
        # province 20 stays invisible to an inspector of province 10
        assert not a.store.query("SELECT 1 FROM factories WHERE province_code = '20'")
    finally:
        a.close()
        a2.close()


def test_a_newly_granted_province_arrives_whole(server_db, tmp_path):
    from fieldapp.server.auth import grant_province

    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        assert laptop.sync().ok
        assert not laptop.store.query("SELECT 1 FROM factories WHERE province_code = '20'")
        grant_province(server_db, "anong", "20")
        summary = laptop.sync()
        assert summary.ok, summary.errors
        # the province-20 factory is older than the laptop's cursor, and still arrives
        assert laptop.store.query("SELECT fid FROM factories WHERE province_code = '20'") == [
            {"fid": "20200000000003"}]
        assert laptop.sync().requests <= 3
    finally:
        laptop.close()


def test_a_revoked_province_leaves_the_laptop_but_work_in_it_stays(server_db, tmp_path):
    from fieldapp.server.auth import grant_province
    from fieldapp.store.changes import save_row
    from fieldapp.store.search import search_factories

    add_users(server_db)
    seed_factories(server_db, [*FACTORIES, ("20200000000004", "20", "โรงงานสี่")])
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        grant_province(server_db, "anong", "20")
        assert laptop.sync().ok
        store = laptop.store
        ids = {r["fid"]: r["id"] for r in store.query("SELECT fid, id FROM factories")}
        assert {"20200000000003", "20200000000004"} <= set(ids)
        template_id = store.query(
            "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
        work = insp.create_inspection(store, factory_id=ids["20200000000003"],
                                      template_version_id=template_id, created_by="anong")
        # a factory of a province never granted, from a registry file imported here
        save_row(store, "factories", {"id": "local-30", "fid": "30300000000005",
                                      "name": "โรงงานห้า", "province_code": "30"})
        assert laptop.sync().ok
        grant_province(server_db, "anong", "20", revoke=True)
        summary = laptop.sync()
        assert summary.ok, summary.errors
        left = {r["fid"] for r in store.query("SELECT fid FROM factories")}
        assert "20200000000004" not in left                    # the revoked registry left
        assert not search_factories(store, "โรงงานสี่")          # and its search entries
        assert "20200000000003" in left                        # an inspection refers to it
        assert store.query("SELECT id FROM inspections WHERE id = ?", (work["id"],))
        assert "30300000000005" in left                        # never the office's to take
        assert {"10100000000001", "10100000000002"} <= left
    finally:
        laptop.close()


def _same_draft_on_two_laptops(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    b = Laptop(tmp_path / "b.db", inproc_client(app), "anong")   # the same inspector
    assert a.sync().ok and b.sync().ok
    factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
    template_id = a.store.query(
        "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
    draft = insp.create_inspection(a.store, factory_id=factory, template_version_id=template_id,
                                   created_by="anong")
    items = list(get_template(a.store, template_id).items)
    for n, item_id in enumerate(items):        # complete: either laptop could finalize it
        insp.set_answer(a.store, draft["id"], item_id, result="not_checked",
                        note=f"จากเครื่อง ก {n}")
    item = items[0]
    assert a.sync().ok and b.sync().ok          # both laptops hold the draft now
    return a, b, draft["id"], item


def _replica_rows(store, inspection_id):
    rows = {}
    for table in SYNC_TABLES[2:]:
        key = "id" if table == "inspections" else "inspection_id"
        for r in store.query(f"SELECT * FROM {table} WHERE {key} = ?", (inspection_id,)):
            rows[(table, r["id"])] = r
    return rows


def test_a_draft_finalized_on_one_laptop_wins_over_edits_on_the_other(server_db, tmp_path):
    """Two laptops of one inspector hold the same draft. Laptop A finalizes it and syncs
    first; laptop B meanwhile changed an answer, added a finding and even finalized it too.
    B's changes are refused (kept, visible, with the reason) and B's copy of the record
    becomes exactly the office's: one signed record, the same everywhere."""
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        insp.set_answer(b.store, inspection_id, item, result="not_checked", note="จากเครื่อง ข")
        insp.add_finding(b.store, inspection_id, description="พบเฉพาะบนเครื่อง ข")
        insp.add_participant(a.store, inspection_id, role="inspector", name="อนงค์")
        signing.sign(a.store, inspection_id, signer_name="อนงค์", signer_role="inspector",
                     image_png=b"\x89PNGsig" * 50)
        digest = signing.finalize(a.store, inspection_id, require_signatures=False)
        signing.finalize(b.store, inspection_id, require_signatures=False)
        assert a.sync().ok
        summary = b.sync()
        assert summary.ok, summary.errors
        assert summary.rejected >= 3            # answer, finding, B's own finalize
        refused = rejected_changes(b.store)
        assert {r["table_name"] for r in refused} >= {"answers", "findings", "inspections"}
        assert all("finalized" in r["reason"] for r in refused)
        assert any("พบเฉพาะบนเครื่อง ข" in r["payload"] for r in refused)   # nothing lost
        assert pending_count(b.store) == 0
        assert insp.compute_content_hash(b.store, inspection_id) == digest
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
        assert b.sync().ok and a.sync().ok      # and it stays that way
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
    finally:
        a.close()
        b.close()


def test_a_laptop_that_already_pulled_the_finalize_still_takes_the_office_copy(server_db,
                                                                               tmp_path):
    """B's answer edit was made during its sync, so B applied A's finalize with the edit
    still unsent (kept locally over the office's value, under a finalized record): the
    refusal of that edit brings the office's row, written past the local frozen guard."""
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        digest = signing.finalize(a.store, inspection_id, require_signatures=False)
        assert a.sync().ok
        insp.set_answer(b.store, inspection_id, item, result="not_checked", note="ระหว่างซิงก์")
        # B pulls before pushing its edit (as when the edit lands mid-run)
        b.engine.pull(engine_summary(), lambda *_a: None)
        assert b.store.query("SELECT state FROM inspections WHERE id = ?",
                             (inspection_id,))[0]["state"] == "finalized"
        assert insp.compute_content_hash(b.store, inspection_id) != digest
        summary = b.sync()
        assert summary.ok and summary.rejected == 1, summary.errors
        assert insp.compute_content_hash(b.store, inspection_id) == digest
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
    finally:
        a.close()
        b.close()


def engine_summary():
    from fieldapp.sync.summary import SyncSummary
    return SyncSummary()


@pytest.mark.parametrize("parallel", [1, 4])
def test_a_photo_taken_while_sync_runs_never_reaches_the_server_before_its_bytes(
        server_db, tmp_path, parallel):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    a.engine.uploads.parallel = parallel
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        template_id = a.store.query(
            "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
        draft = insp.create_inspection(a.store, factory_id=factory,
                                       template_version_id=template_id, created_by="anong")
        insp.add_attachment(a.store, draft["id"], b"\xff\xd8first" * 500, caption="ก่อนซิงก์")
        taken = []

        def progress(stage, done, total):
            if stage == "push" and not taken:   # the inspector takes a photo meanwhile
                taken.append(insp.add_attachment(a.store, draft["id"], b"\xff\xd8later" * 700,
                                                 caption="ระหว่างซิงก์"))
        summary = a.engine.run(progress=progress)
        assert summary.ok, summary.errors
        assert taken and pending_count(a.store) == 0        # a second round sent it
        shas = [r["sha256"] for r in a.store.query("SELECT sha256 FROM attachments")]
        assert len(shas) == 2
        assert missing(server_db, ADMIN, shas) == []               # the office has every photo's bytes
    finally:
        a.close()


@pytest.mark.parametrize("batch", [5000, 1])
def test_signing_on_the_laptop_that_lost_the_race_still_syncs(server_db, tmp_path, monkeypatch,
                                                             batch):
    """Laptop B signs a draft that laptop A already finalized at the office: the signature
    image (an attachment) is refused as frozen, the signature is refused for pointing at it.
    Both go back as the office's "no such row", and B ends with the office's record, also
    when the two refusals come in different requests (one operation per push)."""
    from fieldapp.sync import push as push_module
    monkeypatch.setattr(push_module, "PUSH_BATCH", batch)
    a, b, inspection_id, _item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        digest = signing.finalize(a.store, inspection_id, require_signatures=False)
        assert a.sync().ok
        signing.sign(b.store, inspection_id, signer_name="อนงค์", signer_role="inspector",
                     image_png=b"\x89PNGsig" * 50)
        for _ in range(2):
            summary = b.sync()
            assert summary.ok, summary.errors
        assert pending_count(b.store) == 0
        tables = {r["table_name"] for r in rejected_changes(b.store)}
        assert {"attachments", "signatures"} <= tables          # kept, visible
        assert insp.compute_content_hash(b.store, inspection_id) == digest
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
    finally:
        a.close()
        b.close()


def test_an_identical_value_sent_again_to_a_finalized_record_changes_nothing(server_db,
                                                                              tmp_path):
    """A laptop setting a field of a record finalized elsewhere back to the office's value
    is no change at all: the row's clock and seq on the server stay as they were, so the
    laptops holding it finalized stay equal to the office row for row."""
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        signing.finalize(a.store, inspection_id, require_signatures=False)
        assert a.sync().ok
        office = insp.answers_by_item(a.store, inspection_id)[item]
        insp.set_answer(b.store, inspection_id, item, result=office["result"],
                        note=office["note"] + " แก้")
        insp.set_answer(b.store, inspection_id, item, result=office["result"],
                        note=office["note"])               # back to the office's value
        assert b.sync().ok and a.sync().ok and b.sync().ok
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
    finally:
        a.close()
        b.close()
