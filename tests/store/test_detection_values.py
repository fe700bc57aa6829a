"""A lab's "<2" or "ND" is kept as the laptop stored it: in the answer, in the outbox that
syncs it, through finalizing (the hash covers the text) and a backup-free reload."""

import json

import pytest
from test_inspections import complete

from fieldapp.core.errors import ValidationError
from fieldapp.store.inspections import answers_by_item, compute_content_hash, set_answer
from fieldapp.store.signing import amend, finalize, finalize_check


@pytest.mark.parametrize("typed, stored, exceeded", [
    ("< 2", "<2", 0), ("ND", "ND", 0), ("ไม่พบ", "ND", 0), ("n.d. (<0.5)", "ND<0.5", 0),
    ("<30", "<30", None),
])
def test_below_detection_values_round_trip_through_the_store_and_outbox(
        store, draft, typed, stored, exceeded):
    row = set_answer(store, draft["id"], "ww.bod", value=typed)
    assert (row["value"], row["exceeded"]) == (stored, exceeded)
    again = answers_by_item(store, draft["id"])["ww.bod"]
    assert (again["value"], again["exceeded"]) == (stored, exceeded)
    sent = store.query("SELECT payload FROM outbox WHERE row_id = ? ORDER BY seq DESC",
                       (row["id"],))[0]
    assert json.loads(sent["payload"])["value"] == stored


def test_garbage_is_refused_and_nothing_is_stored(store, draft):
    for typed in ("<", "<<2", "ND5x"):
        with pytest.raises(ValidationError, match="ND"):
            set_answer(store, draft["id"], "ww.bod", value=typed)
    assert "ww.bod" not in answers_by_item(store, draft["id"])


def test_an_undecided_value_is_finalized_only_with_the_inspectors_decision(store, draft):
    complete(store, draft)
    set_answer(store, draft["id"], "ww.bod", value="<30")
    problems = finalize_check(store, draft["id"], require_signatures=False)
    assert any("pass or fail" in p for p in problems)
    row = set_answer(store, draft["id"], "ww.bod", result="fail", note="ห้องแล็บใช้วิธีหยาบ",
                     keep=("value",))
    assert (row["value"], row["result"], row["exceeded"]) == ("<30", "fail", None)
    assert finalize_check(store, draft["id"], require_signatures=False) == []
    digest = finalize(store, draft["id"], require_signatures=False)
    assert compute_content_hash(store, draft["id"]) == digest
    assert answers_by_item(store, draft["id"])["ww.bod"]["value"] == "<30"


def test_a_decision_goes_with_the_undecided_value(store, draft):
    """Pass or fail on a measured value answers "<30 against ≤ 20"; typed over with 12, the
    old "fail" would mark a value within the limit as failed."""
    set_answer(store, draft["id"], "ww.bod", value="<30")
    set_answer(store, draft["id"], "ww.bod", result="fail", keep=("value", "note"))
    row = set_answer(store, draft["id"], "ww.bod", value="12", keep=("result", "note"))
    assert (row["value"], row["result"], row["exceeded"]) == ("12", None, 0)


def test_an_amendment_keeps_the_value_and_the_inspectors_decision(store, draft):
    complete(store, draft)
    set_answer(store, draft["id"], "ww.bod", value="<30")
    set_answer(store, draft["id"], "ww.bod", result="pass", note="ยืนยันกับห้องปฏิบัติการ",
               keep=("value",))
    finalize(store, draft["id"], require_signatures=False)
    copy = answers_by_item(store, amend(store, draft["id"])["id"])["ww.bod"]
    assert (copy["value"], copy["result"], copy["exceeded"]) == ("<30", "pass", None)


def test_a_decision_stays_when_the_note_is_edited_or_the_record_amended(store, draft):
    """Review: the decision was dropped whenever its item was saved with a value that
    judges itself: editing only the note cleared a "fail", and so did an amendment's copy
    of a record that held one (a decision given on a measured value before the lab forms)."""
    complete(store, draft)
    set_answer(store, draft["id"], "ww.bod", value="12", result="fail")
    row = set_answer(store, draft["id"], "ww.bod", note="ตัวอย่างน้ำขุ่น",
                     keep=("value", "result"))
    assert (row["value"], row["result"], row["note"]) == ("12", "fail", "ตัวอย่างน้ำขุ่น")
    finalize(store, draft["id"], require_signatures=False)
    copy = answers_by_item(store, amend(store, draft["id"])["id"])["ww.bod"]
    assert (copy["value"], copy["result"]) == ("12", "fail")
