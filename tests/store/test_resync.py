"""Taking the office's copy of a frozen record (store/resync.py, migration 4)."""

import sqlite3

import pytest
from test_inspections import finalized

from fieldapp.store.changes import get_row
from fieldapp.store.inspections import add_finding, answers_by_item, set_answer
from fieldapp.store.resync import take_server_rows
from fieldapp.sync import protocol as P


def _refused(store, table, row_id):
    """What record_acks does with a refusal: the change stays, as rejected."""
    with store.transaction():
        store.conn.execute("UPDATE outbox SET status = 'rejected', reason = 'frozen' "
                           "WHERE table_name = ? AND row_id = ?", (table, row_id))


def test_server_rows_replace_local_ones_under_a_finalized_record(store, draft):
    finding = add_finding(store, draft["id"], description="มีเฉพาะบนเครื่องนี้")
    finalized(store, draft)
    answer = answers_by_item(store, draft["id"])["lic.match"]
    server_answer = {**answer, "note": "จากเครื่องที่ปิดงานก่อน", "device_id": "other",
                     "updated_hlc": "9" + answer["updated_hlc"][1:]}
    with pytest.raises(sqlite3.IntegrityError):       # the guard holds for everyone else
        with store.transaction():
            store.conn.execute("UPDATE answers SET note = 'x' WHERE id = ?", (answer["id"],))
    _refused(store, "answers", answer["id"])
    _refused(store, "findings", finding["id"])
    with store.transaction():
        written = take_server_rows(store, [
            {"t": "answers", "id": answer["id"], "row": server_answer},
            {"t": "findings", "id": finding["id"], "row": None},   # the office never had it
        ], P.COLUMNS)
    assert written == 2
    mine = get_row(store, "answers", answer["id"])
    assert {k: mine[k] for k in server_answer} == server_answer
    assert get_row(store, "findings", finding["id"]) is None
    # the refused changes are still there, with their reason
    kept = store.query("SELECT status, reason FROM outbox WHERE row_id IN (?, ?)",
                       (answer["id"], finding["id"]))
    assert kept and {(r["status"], r["reason"]) for r in kept} == {("rejected", "frozen")}
    # and the way past the guard closed with the transaction
    assert store.query("SELECT count(*) AS n FROM frozen_override")[0]["n"] == 0
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.conn.execute("DELETE FROM answers WHERE id = ?", (answer["id"],))


def test_a_row_with_an_unanswered_change_is_left_alone(store, draft):
    row = set_answer(store, draft["id"], "lic.match", result="fail", note="ยังไม่ได้ส่ง")
    with store.transaction():
        written = take_server_rows(store, [
            {"t": "answers", "id": row["id"], "row": {**row, "note": "office"}}], P.COLUMNS)
    assert written == 0
    assert get_row(store, "answers", row["id"])["note"] == "ยังไม่ได้ส่ง"


def test_a_failure_inside_leaves_no_override_behind(store, draft):
    finalized(store, draft)
    answer = answers_by_item(store, draft["id"])["lic.match"]
    _refused(store, "answers", answer["id"])
    with pytest.raises(sqlite3.Error):
        with store.transaction():
            take_server_rows(store, [{"t": "answers", "id": answer["id"],
                                      "row": {**answer, "result": "not a result"}}],
                             P.COLUMNS)
    assert store.query("SELECT count(*) AS n FROM frozen_override")[0]["n"] == 0
    assert get_row(store, "answers", answer["id"])["result"] == answer["result"]
