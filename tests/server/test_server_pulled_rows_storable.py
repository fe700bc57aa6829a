"""Whatever the office accepts from a laptop, every laptop that pulls it can store.

A value a laptop's schema refuses, or a reference to a row a reader may not hold, stopped
every later sync of a supervisor's laptop: its page of rows could not be committed (found
by attacking the server with an inspector's own drafts). Both backends."""

from __future__ import annotations

import pytest
from test_server_api import TEMPLATE_ID, Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)

from fieldapp.core.ids import uuid7
from fieldapp.server.amendments import OTHER_FACTORY
from fieldapp.sync import protocol as P


def draft(api, auth, dev, factory):
    iid, ops = inspection_ops(dev, factory)
    acks = push_ok(api, auth, ops)
    assert [a["outcome"] for a in acks[1:]] == ["applied", "applied"], acks
    return iid


@pytest.mark.parametrize("table, field, value", [
    ("inspections", "kind", "evil"), ("inspections", "state", "signed"),
    ("answers", "result", "maybe"), ("findings", "status", "closed"),
    ("participants", "role", "boss"), ("attachments", "kind", "video"),
    ("signatures", "signer_role", "boss"), ("signatures", "refused", 2),
    ("inspections", "kind", None), ("answers", "item_id", None),
])
def test_a_value_no_laptop_can_store_is_refused(api, table, field, value):
    anong, dev = login(api, "anong"), Device("anong")
    iid = draft(api, anong, dev, api.factories[0])
    rows = {
        "inspections": (iid, {}),
        "answers": (f"a-{iid}", {}),
        "findings": (uuid7(), {"inspection_id": iid, "description": "พบ", "status": "open"}),
        "participants": (uuid7(), {"inspection_id": iid, "role": "inspector", "name": "อนงค์"}),
        "attachments": (uuid7(), None),   # its bytes first: checked by value only
        "signatures": (uuid7(), {"inspection_id": iid, "signer_name": "อนงค์",
                                 "signer_role": "inspector", "signed_at": "2026-01-01T01:00:00Z",
                                 "content_hash": "0" * 64}),
    }
    row_id, base = rows[table]
    if base is None:
        base = {"inspection_id": iid, "kind": "photo", "sha256": "0" * 64, "size": 1,
                "mime": "image/jpeg"}
    ack = push_ok(api, anong, [dev.op(table, row_id, {**base, field: value})])[0]
    assert ack["outcome"] == "rejected", ack
    assert field in ack["reason"], ack["reason"]


def test_every_value_a_laptop_uses_is_still_taken(api):
    anong, dev = login(api, "anong"), Device("anong")
    iid = draft(api, anong, dev, api.factories[0])
    ops = [dev.op("answers", f"a-{iid}", {"result": result})
           for result in sorted(P.CHOICES["answers"]["result"])]
    ops += [dev.op("findings", uuid7(), {"inspection_id": iid, "description": "พบ",
                                         "status": status})
            for status in sorted(P.CHOICES["findings"]["status"])]
    ops += [dev.op("participants", uuid7(), {"inspection_id": iid, "role": role, "name": "ก"})
            for role in sorted(P.CHOICES["participants"]["role"])]
    ops += [dev.op("inspections", iid, {"kind": kind})
            for kind in sorted(P.CHOICES["inspections"]["kind"])]
    assert {a["outcome"] for a in push_ok(api, anong, ops)} == {"applied"}


def test_a_draft_cannot_move_to_a_template_version_nobody_holds(api):
    anong, dev = login(api, "anong"), Device("anong")
    iid = draft(api, anong, dev, api.factories[0])
    ack = push_ok(api, anong, [dev.op("inspections", iid,
                                      {"template_version_id": "no-such-template"})])[0]
    assert ack["outcome"] == "rejected" and "template version" in ack["reason"]
    again = push_ok(api, anong, [dev.op("inspections", iid,
                                        {"template_version_id": TEMPLATE_ID})])[0]
    assert again["outcome"] == "applied"


def test_a_signature_names_a_participant_of_its_own_record_only(api):
    anong, dev = login(api, "anong"), Device("anong")
    mine, other = (draft(api, anong, dev, api.factories[n]) for n in (0, 1))
    theirs, own = uuid7(), uuid7()
    acks = push_ok(api, anong, [
        dev.op("participants", theirs, {"inspection_id": other, "role": "inspector",
                                        "name": "อนงค์"}),
        dev.op("participants", own, {"inspection_id": mine, "role": "inspector",
                                     "name": "อนงค์"})])
    assert [a["outcome"] for a in acks] == ["applied", "applied"]
    signature = {"inspection_id": mine, "signer_name": "อนงค์", "signer_role": "inspector",
                 "signed_at": "2026-01-01T01:00:00Z", "content_hash": "0" * 64}
    acks = push_ok(api, anong, [
        dev.op("signatures", uuid7(), {**signature, "participant_id": theirs}),
        dev.op("signatures", uuid7(), {**signature, "participant_id": own})])
    assert acks[0]["outcome"] == "rejected" and "another inspection" in acks[0]["reason"]
    assert acks[1]["outcome"] == "applied", acks[1]


def test_an_amendment_is_of_the_same_factory(api):
    anong, dev = login(api, "anong"), Device("anong")
    original = draft(api, anong, dev, api.factories[0])
    done = push_ok(api, anong, [dev.op("inspections", original, {"state": "finalized",
                                                                 "content_hash": "claimed"})])
    assert done[0]["outcome"] == "applied", done
    elsewhere, ops = inspection_ops(dev, api.factories[1])
    ops[1]["payload"]["amends_id"] = original
    ack = push_ok(api, anong, ops)[1]
    assert ack["outcome"] == "rejected" and ack["reason"] == OTHER_FACTORY
    same, ops = inspection_ops(dev, api.factories[0])
    ops[1]["payload"]["amends_id"] = original
    assert push_ok(api, anong, ops)[1]["outcome"] == "applied"


@pytest.mark.parametrize("bad", ["value", "reference"])
def test_a_signed_copy_brings_nothing_a_push_would_refuse(api, server_db, bad):
    """A finalize's signed copy (server/signed.py) is adopted whole or not at all: one that
    holds a value outside the choices, or a signature naming another record's participant,
    is not adopted (the mismatch is recorded, as for any signed copy not taken)."""
    import json

    from test_server_api import TEMPLATE_ID

    from fieldapp.server.signed import record_hash

    anong, dev = login(api, "anong"), Device("anong")
    iid = draft(api, anong, dev, api.factories[0])
    other = draft(api, anong, dev, api.factories[1])
    theirs = uuid7()
    assert push_ok(api, anong, [dev.op("participants", theirs, {
        "inspection_id": other, "role": "inspector", "name": "อนงค์"})])[0]["outcome"] == \
        "applied"

    def wire(table, rid, data):
        return {"t": table, "row": {"id": rid, **data, "updated_hlc": dev.clock.now(),
                                    "device_id": "anong", "deleted": 0}}

    head = {"factory_id": api.factories[0], "template_version_id": TEMPLATE_ID,
            "kind": "routine", "state": "finalized", "started_at": "2026-01-01T00:00:00Z"}
    answer = wire("answers", f"a-{iid}", {"inspection_id": iid, "item_id": "1.1",
                                          "result": "evil" if bad == "value" else "fail"})
    signature = wire("signatures", uuid7(), {
        "inspection_id": iid, "participant_id": theirs if bad == "reference" else None,
        "signer_name": "อนงค์", "signer_role": "inspector",
        "signed_at": "2026-01-01T01:00:00Z", "content_hash": "0" * 64})
    digest = record_hash({"id": iid, **head}, [("answers", answer["row"])])
    op = dev.op("inspections", iid, {"state": "finalized", "content_hash": digest})
    op["signed"] = [wire("inspections", iid, {**head, "content_hash": digest}), answer,
                    signature]
    assert push_ok(api, anong, [op])[0]["outcome"] == "applied"
    with server_db.read() as c:
        result = json.loads(c.value("SELECT data FROM records WHERE tbl = 'answers' "
                                    "AND id = ?", (f"a-{iid}",)))["result"]
        signatures = c.value("SELECT count(*) FROM records WHERE tbl = 'signatures' "
                             "AND parent_id = ?", (iid,))
    assert (result, signatures) == ("pass", 0)
