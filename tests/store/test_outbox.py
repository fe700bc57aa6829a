"""Every change to a syncable row lands in the outbox in the same transaction."""

import json

import pytest

from fieldapp.core.ids import name_id
from fieldapp.store.changes import delete_row, get_row, pending_outbox, save_row


def factory(fid="10130000125461", **extra):
    return {"id": name_id("factory", fid), "fid": fid, "name": "บริษัท ทดสอบ จำกัด", **extra}


def outbox(store):
    return store.query("SELECT * FROM outbox ORDER BY seq")


def test_insert_writes_row_and_outbox_entry(store):
    row = save_row(store, "factories", factory(phone="021234567"))
    entries = outbox(store)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["table_name"], entry["row_id"], entry["op"]) == ("factories", row["id"],
                                                                   "upsert")
    assert entry["hlc"] == row["updated_hlc"]
    payload = json.loads(entry["payload"])
    assert payload["name"] == "บริษัท ทดสอบ จำกัด" and payload["phone"] == "021234567"
    assert "num" not in payload  # local-only column never leaves the laptop


def test_update_sends_only_changed_fields_and_no_op_writes_nothing(store):
    row = save_row(store, "factories", factory(phone="1"))
    again = save_row(store, "factories", factory(phone="1"))
    assert again["updated_hlc"] == row["updated_hlc"]
    assert len(outbox(store)) == 1
    store.conn.execute("UPDATE outbox SET status = 'acked'")      # sent and answered
    updated = save_row(store, "factories", {"id": row["id"], "phone": "2"})
    assert updated["updated_hlc"] > row["updated_hlc"]
    assert json.loads(outbox(store)[-1]["payload"]) == {"phone": "2"}


def test_keystrokes_fold_into_the_unsent_change_until_a_push_reads_it(store):
    """Each keystroke of a note was a change of its own carrying the whole text so far. A
    change to the row of the outbox's last, never-sent entry is folded into it; once a push
    run has begun (it may have read the entry) or another row's change came after it, a
    change is an entry of its own again."""
    from fieldapp.store import sync_state
    row = save_row(store, "factories", factory(phone="1"))
    for text in ("ค", "คุ", "คุณ", "คุณสม"):
        save_row(store, "factories", {"id": row["id"], "contact_person": text})
    entries = outbox(store)
    # The creation keeps its own entry and clock (the keystrokes do not rewrite its fields).
    assert len(entries) == 2 and "contact_person" not in json.loads(entries[0]["payload"])
    assert json.loads(entries[1]["payload"]) == {"contact_person": "คุณสม"}
    assert entries[1]["hlc"] == get_row(store, "factories", row["id"])["updated_hlc"]
    assert entries[0]["hlc"] < entries[1]["hlc"]
    sync_state.push_unsure(store, starting=True)                   # a push run begins
    save_row(store, "factories", {"id": row["id"], "contact_person": "คุณสมชาย"})
    assert len(outbox(store)) == 3
    sync_state.push_unsure(store, starting=False)
    other = save_row(store, "factories", factory(fid="10550000125197", phone="9"))
    save_row(store, "factories", {"id": row["id"], "contact_person": "คุณสมศรี"})
    assert [e["row_id"] for e in outbox(store)] == [row["id"]] * 3 + [other["id"], row["id"]]


def test_failed_transaction_leaves_neither_row_nor_outbox(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            save_row(store, "factories", factory())
            raise RuntimeError("power cut")
    assert store.query("SELECT * FROM factories") == []
    assert outbox(store) == []


def test_clock_is_not_advanced_by_a_rolled_back_change(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            save_row(store, "factories", factory())
            raise RuntimeError
    assert store.meta("hlc") is None or store.meta("hlc") == str(store.clock.last)


def test_delete_is_a_tombstone_with_an_outbox_entry(store):
    row = save_row(store, "factories", factory())
    delete_row(store, "factories", row["id"])
    stored = store.query("SELECT deleted FROM factories WHERE id = ?", (row["id"],))
    assert stored == [{"deleted": 1}]
    assert [e["op"] for e in outbox(store)] == ["upsert", "delete"]
    delete_row(store, "factories", row["id"])  # deleting twice records nothing more
    assert len(outbox(store)) == 2


def test_pending_outbox_is_in_commit_order(store):
    for i in range(5):
        save_row(store, "factories", factory(fid=f"1013000012546{i}"))
    seqs = [e["seq"] for e in pending_outbox(store)]
    assert seqs == sorted(seqs) and len(seqs) == 5


def test_non_syncable_table_is_refused(store):
    with pytest.raises(ValueError):
        save_row(store, "meta", {"id": "x"})
