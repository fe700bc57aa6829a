"""One draft on two laptops, where the OTHER laptop's edits reach the office before the
finalize: the office takes the record as it was signed (server/signed.py), records what it
overwrote, and every copy converges on the signed record."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace

import pytest
from server_fixtures import ADMIN, Laptop, inproc_client, make_app
from test_sync_roundtrip import _replica_rows, _same_draft_on_two_laptops

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.office import list_conflicts
from fieldapp.server.push import Op, push
from fieldapp.store import inspections as insp
from fieldapp.store import signing, sync_state
from fieldapp.store.factories import factory_id
from fieldapp.store.sync_state import pending_count, rejected_changes
from fieldapp.store.templates import get_template
from fieldapp.sync import protocol as P
from fieldapp.sync import push as push_module


def _server_hash_conflicts(db, inspection_id):
    return [c for c in list_conflicts(db) if c["row_id"] == inspection_id
            and c["field"] == "content_hash"]


def _other_laptop_first(a, b, inspection_id, item):
    """B's edit of the shared draft reaches the office; then A, which has not pulled it,
    finalizes its own copy (not yet sent). Returns the signed hash."""
    insp.set_answer(b.store, inspection_id, item, result="fail", note="จากเครื่อง ข")
    assert b.sync().ok
    return signing.finalize(a.store, inspection_id, require_signatures=False)


def _pushed_ops(monkeypatch, laptop):
    """The operations of the laptop's pushes, decoded from the request bodies as sent."""
    sent = []
    real = laptop.client.push_answer

    def spy(body):
        data, headers = body
        if headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        sent.extend(json.loads(data)["ops"])
        return real(body)
    monkeypatch.setattr(laptop.client, "push_answer", spy)
    return sent


def test_an_edit_from_the_other_laptop_that_arrived_first_gives_way_to_the_signed_record(
        server_db, tmp_path):
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        insp.set_answer(b.store, inspection_id, item, result="fail", note="จากเครื่อง ข")
        assert b.sync().ok                    # B's edit is at the office first
        insp.add_participant(a.store, inspection_id, role="inspector", name="อนงค์")
        digest = signing.finalize(a.store, inspection_id, require_signatures=False)
        summary = a.sync()
        assert summary.ok and summary.rejected == 0, summary.errors
        assert b.sync().ok and a.sync().ok
        assert insp.compute_content_hash(a.store, inspection_id) == digest
        assert insp.compute_content_hash(b.store, inspection_id) == digest
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
        assert not rejected_changes(a.store) and not rejected_changes(b.store)
        assert pending_count(a.store) == pending_count(b.store) == 0
        # B's value is not lost without a trace: the office lists what the signature replaced
        replaced = [c for c in list_conflicts(server_db)
                    if c["tbl"] == "answers" and c["field"] == "note"]
        assert [json.loads(c["lost_value"]) for c in replaced] == ["จากเครื่อง ข"]
        assert not _server_hash_conflicts(server_db, inspection_id)
    finally:
        a.close()
        b.close()


def test_a_row_only_the_other_laptop_added_is_withdrawn_from_the_signed_record(
        server_db, tmp_path):
    a, b, inspection_id, _item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        finding = insp.add_finding(b.store, inspection_id, description="พบเฉพาะบนเครื่อง ข")
        assert b.sync().ok
        digest = signing.finalize(a.store, inspection_id, require_signatures=False)
        assert a.sync().ok and b.sync().ok and a.sync().ok
        assert insp.compute_content_hash(b.store, inspection_id) == digest
        assert b.store.query("SELECT deleted FROM findings WHERE id = ?",
                             (finding["id"],))[0]["deleted"] == 1
        assert _replica_rows(b.store, inspection_id) == _replica_rows(a.store, inspection_id)
        assert any(c["row_id"] == finding["id"] and c["field"] == "deleted"
                   for c in list_conflicts(server_db))
    finally:
        a.close()
        b.close()


def test_a_record_the_office_never_saw_is_finalized_without_its_signed_copy(
        server_db, tmp_path, monkeypatch):
    """The signed copy travels only when another laptop could hold a draft: a bulk push of
    new records costs nothing extra."""
    a, b, shared_id, _item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        template_id = a.store.query("SELECT template_version_id FROM inspections WHERE id = ?",
                                    (shared_id,))[0]["template_version_id"]
        factory = a.store.query("SELECT factory_id FROM inspections WHERE id = ?",
                                (shared_id,))[0]["factory_id"]
        new = insp.create_inspection(a.store, factory_id=factory,
                                     template_version_id=template_id, created_by="anong")
        for item_id in get_template(a.store, template_id).items:
            insp.set_answer(a.store, new["id"], item_id, result="na")
        signing.finalize(a.store, new["id"], require_signatures=False)
        signing.finalize(a.store, shared_id, require_signatures=False)
        sent = _pushed_ops(monkeypatch, a)
        # small batches: the creation is answered before the finalize is read, as in a
        # bulk push; it still counts as a record the office did not have before this sync
        monkeypatch.setattr(push_module, "PUSH_BATCH", 7)
        assert a.sync().ok
        assert len(sent) > 7
        finalizes = {op["row_id"]: op for op in sent if op["table"] == "inspections"
                     and op["payload"].get("state") == "finalized"}
        assert set(finalizes) == {new["id"], shared_id}
        assert "signed" not in finalizes[new["id"]]
        signed = finalizes[shared_id]["signed"]
        assert {r["t"] for r in signed} >= {"inspections", "answers"}
        assert all(r["row"]["id"] == shared_id or r["row"]["inspection_id"] == shared_id
                   for r in signed)
    finally:
        a.close()
        b.close()


def test_after_a_push_whose_answer_was_lost_every_finalize_carries_its_signed_copy(tmp_path):
    from fieldapp.store.db import open_store
    store = open_store(tmp_path / "l.db")
    try:
        level = store.conn.execute("PRAGMA synchronous").fetchone()[0]
        assert sync_state.push_unsure(store, starting=True) is False
        # written without waiting for the disk, and the store's own setting is back
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == level == 2
        # the run dies before recording its answers: the mark stays for the next run
        assert sync_state.push_unsure(store, starting=True) is True
        sync_state.push_unsure(store, starting=False)
        assert sync_state.push_unsure(store, starting=True) is False
    finally:
        store.close()


def test_signed_rows_of_another_inspection_are_ignored_and_the_mismatch_recorded(
        server_db, tmp_path):
    """A malformed or foreign signed copy never rewrites anything: the finalize is applied
    as before and the difference is listed for the office."""
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        digest = _other_laptop_first(a, b, inspection_id, item)
        signed = sync_state.signed_record(a.store, inspection_id, P.COLUMNS, P.CHILD_TABLES)
        other = [r for r in signed if r["t"] == "answers"][0]
        other["row"]["inspection_id"] = "another-inspection"
        row = a.store.query("SELECT * FROM inspections WHERE id = ?", (inspection_id,))[0]
        payload = {k: row[k] for k in ("state", "content_hash", "finalized_at")}
        clock = HybridClock(a.store.device_id)
        acks = push(server_db, replace(ADMIN, device_id=a.store.device_id),
                    [Op("op-final", "inspections", inspection_id, "upsert", payload,
                        clock.now(), signed)], 10 ** 9)
        assert acks[0]["outcome"] == "applied"
        conflicts = _server_hash_conflicts(server_db, inspection_id)
        assert [json.loads(c["kept_value"]) for c in conflicts] == [digest]
        with server_db.read() as c:
            note = json.loads(c.value("SELECT data FROM records WHERE tbl = 'answers' "
                                      "AND parent_id = ? AND data LIKE ?",
                                      (inspection_id, f'%"{item}"%')))["note"]
        assert note == "จากเครื่อง ข"   # nothing was rewritten from the bad copy
    finally:
        a.close()
        b.close()


def test_a_third_laptop_of_the_same_inspector_gets_the_signed_record(server_db, tmp_path):
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        digest = _other_laptop_first(a, b, inspection_id, item)
        assert a.sync().ok
        c = Laptop(tmp_path / "c.db", inproc_client(make_app(server_db)), "anong")
        try:
            assert c.sync().ok
            assert insp.compute_content_hash(c.store, inspection_id) == digest
        finally:
            c.close()
    finally:
        a.close()
        b.close()


def test_a_laptop_pulling_one_row_a_page_still_gets_the_signed_record(server_db, tmp_path,
                                                                      monkeypatch):
    """The children the office rewrote come before the finalized inspection in change
    order: a page ending at the inspection would freeze the record on the laptop before
    its rewritten children arrive."""
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        digest = _other_laptop_first(a, b, inspection_id, item)
        assert a.sync().ok
        with server_db.read() as c:
            newest = c.value("SELECT tbl FROM records WHERE id = ? OR parent_id = ? "
                             "ORDER BY seq DESC LIMIT 1", (inspection_id, inspection_id))
        assert newest == "inspections"
        real = b.client.pull
        monkeypatch.setattr(b.client, "pull", lambda cursor, limit=1, **more:
                            real(cursor, limit=1, **more))
        summary = b.sync()
        assert summary.ok and summary.skipped == 0, summary.line()
        assert insp.compute_content_hash(b.store, inspection_id) == digest
    finally:
        a.close()
        b.close()


def _finalize_with(laptop, inspection_id, change):
    """Push the finalize by hand with a signed copy that ``change`` tampers with."""
    signed = sync_state.signed_record(laptop.store, inspection_id, P.COLUMNS, P.CHILD_TABLES)
    change(signed)
    row = laptop.store.query("SELECT * FROM inspections WHERE id = ?", (inspection_id,))[0]
    payload = {k: row[k] for k in ("state", "content_hash", "finalized_at")}
    return laptop.client.push([{"op_id": uuid7(), "table": "inspections",
                                "row_id": inspection_id, "op": "upsert", "payload": payload,
                                "hlc": HybridClock(laptop.store.device_id).now(),
                                "signed": signed}], 10 ** 6)


def _tamper_factory_and_answer(signed):
    signed[0]["row"]["factory_id"] = factory_id("20200000000003")   # a province not granted
    answer = [r for r in signed if r["t"] == "answers"][1]["row"]
    answer["item_id"], answer["note"] = "not-an-item", "never signed"


def _photo_with_a_number_for_a_name(signed):
    inspection_id = signed[0]["row"]["id"]
    signed.append({"t": "attachments", "row": {
        "id": uuid7(), "inspection_id": inspection_id, "kind": "photo", "sha256": 12345,
        "size": 1, "mime": "image/jpeg", "updated_hlc": "x", "device_id": "y",
        "deleted": 0}})


@pytest.mark.parametrize("change", [_tamper_factory_and_answer,
                                    _photo_with_a_number_for_a_name])
def test_a_signed_copy_that_is_not_what_was_signed_rewrites_nothing(server_db, tmp_path,
                                                                   change):
    """Adopted only if it hashes to the signed hash, keeps what identifies each row, and
    names only known rows; otherwise the finalize is applied as before, the mismatch
    recorded, and nothing else (no 500 either)."""
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        _other_laptop_first(a, b, inspection_id, item)
        acks = _finalize_with(a, inspection_id, change)
        assert [x["outcome"] for x in acks] == ["applied"]
        with server_db.read() as c:
            data = json.loads(c.value("SELECT data FROM records WHERE id = ?",
                                      (inspection_id,)))
            notes = [json.loads(r["data"]).get("note") for r in c.all(
                "SELECT data FROM records WHERE tbl = 'answers' AND parent_id = ?",
                (inspection_id,))]
        assert data["factory_id"] == a.store.query(
            "SELECT factory_id FROM inspections WHERE id = ?", (inspection_id,))[0][
            "factory_id"]
        assert "never signed" not in notes and "จากเครื่อง ข" in notes
        assert _server_hash_conflicts(server_db, inspection_id)
    finally:
        a.close()
        b.close()


def test_a_number_where_a_row_is_named_is_refused_not_a_server_error(server_db, tmp_path):
    a, b, inspection_id, _item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        clock = HybridClock(a.store.device_id)
        acks = a.client.push([{"op_id": uuid7(), "table": "inspections", "row_id": uuid7(),
                               "op": "upsert", "payload": {
                                   "factory_id": 12345, "template_version_id": "t",
                                   "kind": "routine", "state": "draft",
                                   "started_at": "2026-11-26T09:00:00.000Z"},
                               "hlc": clock.now()}], 0)
        assert acks[0]["outcome"] == "rejected" and "text" in acks[0]["reason"]
    finally:
        a.close()
        b.close()
