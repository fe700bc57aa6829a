"""The laptop's push bookkeeping: ``pending_batch`` sends each payload as the outbox's own
JSON text, and ``record_acks`` writes runs of plain answers with one ranged UPDATE. Both
must come out exactly as the plain path (parse and re-encode; one UPDATE per op_id)."""

from __future__ import annotations

import json
import shutil

from fieldapp.store.changes import save_rows
from fieldapp.store.db import open_store
from fieldapp.store.push_answers import record_acks
from fieldapp.store.sync_state import pending_after, pending_batch
from fieldapp.store.wirejson import dumps, loads


def _laptop(path):
    store = open_store(path)
    save_rows(store, "factories", [{"id": f"f{n}", "fid": f"{n:014d}", "name": f"โรงงาน {n}",
                                    "province_code": "10"} for n in range(12)])
    return store


def _outbox(store):
    return store.query("SELECT seq, op_id, status, server_seq, outcome, reason FROM outbox "
                       "ORDER BY seq")


def test_ranged_acks_write_what_per_op_acks_write(tmp_path):
    store = _laptop(tmp_path / "a.db")
    # one change acknowledged earlier, in the middle: the batch's outbox seqs have a gap
    store.conn.execute("UPDATE outbox SET status = 'acked' WHERE seq = 6")
    store.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    ranged, plain = open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db")
    ops, sent, _ = pending_batch(ranged, 0, 100)
    assert len(ops) == 11 and [s for s, _ in sent] == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]
    ids = [o["op_id"] for o in ops]
    acks = [{"op_id": ids[0], "outcome": "applied", "seq": 40, "reason": None},
            {"op_id": ids[1], "outcome": "applied", "seq": 41, "reason": None},
            {"op_id": ids[2], "outcome": "applied", "seq": 42, "reason": None},
            # the server's seqs jump: a new run
            {"op_id": ids[3], "outcome": "applied", "seq": 50, "reason": None},
            {"op_id": ids[4], "outcome": "applied", "seq": 51, "reason": None},
            # the outbox seq jumps (6 was acked before): a new run
            {"op_id": ids[5], "outcome": "applied", "seq": 52, "reason": None},
            {"op_id": ids[6], "outcome": "rejected", "seq": None, "reason": "no"},
            {"op_id": ids[7], "outcome": "duplicate", "seq": 53, "reason": None,
             "first_outcome": "applied"},
            {"op_id": ids[8], "outcome": "applied", "seq": None, "reason": None},
            # answers out of order: never taken as a run
            {"op_id": ids[10], "outcome": "applied", "seq": 60, "reason": None},
            {"op_id": ids[9], "outcome": "applied", "seq": 61, "reason": None}]
    assert record_acks(ranged, acks, sent) == record_acks(plain, acks) == (10, 1)
    assert _outbox(ranged) == _outbox(plain)
    by_seq = {r["seq"]: r for r in _outbox(ranged)}
    assert [by_seq[s]["server_seq"] for s in (1, 2, 3, 4, 5, 7)] == [40, 41, 42, 50, 51, 52]
    assert by_seq[8]["status"] == "rejected" and by_seq[8]["reason"] == "no"
    assert by_seq[6]["server_seq"] is None  # outside every range: untouched


def test_a_range_never_touches_a_change_that_is_no_longer_pending(tmp_path):
    store = _laptop(tmp_path / "a.db")
    ops, sent, _ = pending_batch(store, 0, 5)
    store.conn.execute("UPDATE outbox SET status = 'rejected', reason = 'earlier' "
                       "WHERE seq = 3")
    acks = [{"op_id": o["op_id"], "outcome": "applied", "seq": 10 + n, "reason": None}
            for n, o in enumerate(ops)]
    record_acks(store, acks, sent)
    rows = {r["seq"]: r for r in _outbox(store)}
    assert rows[3]["status"] == "rejected" and rows[3]["reason"] == "earlier"
    assert [rows[s]["server_seq"] for s in (1, 2, 4, 5)] == [10, 11, 13, 14]
    assert rows[6]["status"] == "pending"


def test_pushed_body_equals_the_parsed_and_re_encoded_one(tmp_path):
    store = _laptop(tmp_path / "a.db")
    # json.dumps (the outbox writer) spells these; JSON has no such numbers
    save_rows(store, "factories", [{"id": "f0", "lat": float("nan"),
                                    "lng": float("-inf")}])
    plain, last = pending_after(store, 0, 100)
    wire, sent, last_wire = pending_batch(store, 0, 100)
    assert last == last_wire and len(sent) == len(plain) == 13
    assert loads(dumps({"ops": wire})) == loads(dumps({"ops": plain}))
    assert json.loads(dumps({"ops": wire}))["ops"][-1]["payload"] == {"lat": None,
                                                                       "lng": None}
