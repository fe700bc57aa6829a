"""A row the server has never seen takes a shorter path in push (push._Push._create) than
the field-by-field merge. What it stores must be exactly what the merge would have made of
an empty row: content, field clocks, row clock, tombstone, blob and frozen flags, seq."""

from __future__ import annotations

import json
from dataclasses import replace
from hashlib import sha256

from server_fixtures import ADMIN, FACTORIES, seed_factories, template_doc, template_row

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.blobs import upload_chunk
from fieldapp.server.merge import merge_fields
from fieldapp.server.push import Op, push
from fieldapp.server.records import clocks_of

TEMPLATE_ID, TEMPLATE = template_row(template_doc())


def test_new_rows_store_what_the_merge_makes_of_an_empty_row(server_db):
    f10 = seed_factories(server_db, FACTORIES)[0]
    photo = b"abc"  # an attachment row names bytes already uploaded
    assert upload_chunk(server_db, ADMIN, sha256(photo).hexdigest(), 0, 3, photo)["complete"]
    clock = HybridClock("lap")
    iid, done = uuid7(), uuid7()
    inspection = {"factory_id": f10, "template_version_id": TEMPLATE_ID, "kind": "routine",
                  "state": "draft", "started_at": "2026-01-01T00:00:00Z"}
    ops = [
        Op(uuid7(), "template_versions", TEMPLATE_ID, "upsert", {"id": TEMPLATE_ID, **TEMPLATE},
           clock.now()),
        Op(uuid7(), "inspections", iid, "upsert", dict(inspection), clock.now()),
        Op(uuid7(), "answers", f"{iid}-1", "upsert",
           {"inspection_id": iid, "item_id": "1.1", "result": "pass", "value": "7.20",
            "note": None, "exceeded": 0}, clock.now()),
        # a row created already deleted keeps its tombstone
        Op(uuid7(), "answers", f"{iid}-2", "upsert",
           {"inspection_id": iid, "item_id": "1.2", "deleted": True}, clock.now()),
        Op(uuid7(), "attachments", "att-1", "upsert",
           {"inspection_id": iid, "kind": "photo", "sha256": sha256(photo).hexdigest(), "size": 3,
            "mime": "image/jpeg"}, clock.now()),
        # created finalized: frozen, and its signed hash checked (a wrong one is recorded)
        Op(uuid7(), "inspections", done, "upsert",
           {**inspection, "state": "finalized", "content_hash": "0" * 64}, clock.now()),
        # a second write to a row created in this batch goes through the merge
        Op(uuid7(), "answers", f"{iid}-1", "upsert", {"note": "ok"}, clock.now()),
    ]
    payloads = {op.op_id: {k: v for k, v in op.payload.items() if k != "id"} for op in ops}
    acks = push(server_db, replace(ADMIN, device_id="lap"), ops, 0)
    assert [a["outcome"] for a in acks] == ["applied"] * len(ops)
    expected: dict[tuple[str, str], dict] = {}
    for op, ack in zip(ops, acks, strict=True):
        key = (op.table, op.row_id)
        row = expected.setdefault(key, {"data": {}, "fields": {}})
        fields = dict(payloads[op.op_id])
        if "deleted" in fields:
            fields["deleted"] = int(bool(fields["deleted"]))
        merge_fields(row["data"], row["fields"], fields, op.hlc, "lap", ack["seq"], 0)
        row.update(updated_hlc=op.hlc, device_id="lap", seq=ack["seq"])
    with server_db.read() as c:
        stored = {(r["tbl"], r["id"]): r for r in c.all(
            "SELECT * FROM records WHERE tbl <> 'factories'")}
        conflicts = c.all("SELECT tbl, row_id, field FROM conflicts")
    assert set(stored) == set(expected)
    for key, want in expected.items():
        got = stored[key]
        assert json.loads(got["data"]) == want["data"], key
        assert clocks_of(want["data"], got["fields"]) == want["fields"], key
        assert (got["updated_hlc"], got["device_id"], got["seq"]) == \
            (want["updated_hlc"], want["device_id"], want["seq"]), key
        assert got["deleted"] == int(bool(want["data"].get("deleted", 0))), key
        assert got["frozen"] == int(want["data"].get("state") == "finalized"), key
        assert got["blob_sha"] == (want["data"].get("sha256") if key[0] == "attachments"
                                   else None), key
        if key[0] != "template_versions":
            assert got["owner"] == "admin" and got["province"] == FACTORIES[0][1], key
    assert stored[("answers", f"{iid}-2")]["deleted"] == 1
    assert stored[("inspections", done)]["frozen"] == 1
    assert conflicts == [{"tbl": "inspections", "row_id": done, "field": "content_hash"}]
