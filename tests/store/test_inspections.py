"""Inspections: answers, findings, signatures, finalize, immutability, amendments."""

import sqlite3

import pytest

from fieldapp.core.errors import ImmutableRecordError, NotFoundError, ValidationError
from fieldapp.store.changes import get_row
from fieldapp.store.inspections import (
    add_attachment,
    add_finding,
    add_participant,
    answers_by_item,
    compute_content_hash,
    delete_inspection,
    get_inspection,
    list_inspections,
    load_bundle,
    remove_finding,
    set_answer,
    update_finding,
    update_inspection,
)
from fieldapp.store.signing import amend, finalize, finalize_check, refuse, sign

PNG = b"\x89PNG\r\n\x1a\n" + b"signature" * 10


def complete(store, draft):
    """Answer every required item so that only signatures stand between it and finalizing."""
    iid = draft["id"]
    set_answer(store, iid, "lic.match", result="pass")
    set_answer(store, iid, "ww.ph", value="7.20")
    set_answer(store, iid, "boiler.has", value="no")
    add_participant(store, iid, role="inspector", name="นางสาวสุดา ตรวจดี")
    rep = add_participant(store, iid, role="representative", name="นายสมชาย ใจดี")
    return rep


def finalized(store, draft):
    rep = complete(store, draft)
    sign(store, draft["id"], signer_name="นางสาวสุดา ตรวจดี", signer_role="inspector",
         image_png=PNG)
    sign(store, draft["id"], signer_name="นายสมชาย ใจดี", signer_role="representative",
         image_png=PNG + b"2", participant_id=rep["id"])
    return finalize(store, draft["id"])


def test_answers_are_normalised_and_flag_exceedance(store, draft):
    row = set_answer(store, draft["id"], "ww.ph", value="๙.๕")
    assert row["value"] == "9.5" and row["exceeded"] == 1
    row = set_answer(store, draft["id"], "ww.ph", value="9.0")
    assert row["exceeded"] == 0
    assert answers_by_item(store, draft["id"])["ww.ph"]["value"] == "9.0"


def test_keep_changes_the_note_without_touching_the_result(store, draft):
    set_answer(store, draft["id"], "lic.match", result="fail")
    row = set_answer(store, draft["id"], "lic.match", note="ผลิตเกินกำลังที่ได้รับอนุญาต",
                     keep=("result", "value"))
    assert (row["result"], row["note"]) == ("fail", "ผลิตเกินกำลังที่ได้รับอนุญาต")


def test_unknown_item_and_bad_values_are_refused(store, draft):
    with pytest.raises(ValidationError):
        set_answer(store, draft["id"], "no.such.item", result="pass")
    with pytest.raises(ValidationError):
        set_answer(store, draft["id"], "ww.ph", value="เจ็ด")
    with pytest.raises(ValidationError):
        set_answer(store, draft["id"], "lic.match", result="maybe")


def test_one_answer_row_per_item(store, draft):
    for result in ("pass", "fail", "na"):
        set_answer(store, draft["id"], "lic.match", result=result)
    rows = store.query("SELECT * FROM answers WHERE inspection_id = ?", (draft["id"],))
    assert len(rows) == 1 and rows[0]["result"] == "na"


def test_finalize_lists_every_problem(store, draft):
    set_answer(store, draft["id"], "lic.match", result="fail")
    set_answer(store, draft["id"], "boiler.has", value="yes")
    problems = finalize_check(store, draft["id"])
    text = "\n".join(problems)
    assert "ww.ph" in text or "pH" in text or "กรด" in text       # required, unanswered
    assert "หม้อน้ำ" in text                                        # conditional now required
    assert any("photo" in p or "ภาพ" in p for p in problems)       # failed item needs a photo
    assert any("inspector" in p for p in problems)
    with pytest.raises(ValidationError) as err:
        finalize(store, draft["id"])
    assert err.value.problems == problems
    assert get_inspection(store, draft["id"])["state"] == "draft"


def test_finalize_locks_record_and_hash_matches(store, draft):
    digest = finalized(store, draft)
    row = get_inspection(store, draft["id"])
    assert row["state"] == "finalized" and row["content_hash"] == digest
    assert compute_content_hash(store, draft["id"]) == digest
    sigs = load_bundle(store, draft["id"])["signatures"]
    assert {s["content_hash"] for s in sigs} == {digest}


def test_a_change_after_signing_invalidates_the_signatures(store, draft):
    complete(store, draft)
    sign(store, draft["id"], signer_name="ก", signer_role="inspector")
    refuse(store, draft["id"], signer_name="นายสมชาย ใจดี", reason="ไม่เห็นด้วยกับผลตรวจ",
           witness_name="นายพยาน ดี")
    set_answer(store, draft["id"], "ww.ph", value="7.3")
    problems = finalize_check(store, draft["id"])
    assert sum("signed" in p for p in problems) == 2
    # Signing again after the change makes it final-able.
    sign(store, draft["id"], signer_name="ก", signer_role="inspector")
    refuse(store, draft["id"], signer_name="นายสมชาย ใจดี", reason="ไม่เห็นด้วยกับผลตรวจ",
           witness_name="นายพยาน ดี")
    assert finalize_check(store, draft["id"]) == []
    assert len(load_bundle(store, draft["id"])["signatures"]) == 2


def test_refusal_needs_reason_and_witness(store, draft):
    with pytest.raises(ValidationError):
        refuse(store, draft["id"], signer_name="x", reason=" ", witness_name="y")


@pytest.mark.parametrize("change", [
    lambda s, i: set_answer(s, i, "ww.ph", value="8"),
    lambda s, i: add_finding(s, i, description="x"),
    lambda s, i: add_participant(s, i, role="witness", name="x"),
    lambda s, i: add_attachment(s, i, b"photo", caption="x"),
    lambda s, i: sign(s, i, signer_name="x", signer_role="inspector"),
    lambda s, i: update_inspection(s, i, purpose="แก้"),
    lambda s, i: delete_inspection(s, i),
    lambda s, i: finalize(s, i),
])
def test_finalized_inspection_refuses_every_change(store, draft, change):
    digest = finalized(store, draft)
    outbox_before = store.query("SELECT count(*) AS n FROM outbox")[0]["n"]
    with pytest.raises(ImmutableRecordError):
        change(store, draft["id"])
    assert compute_content_hash(store, draft["id"]) == digest
    assert store.query("SELECT count(*) AS n FROM outbox")[0]["n"] == outbox_before


@pytest.mark.parametrize("sql", [
    "UPDATE inspections SET purpose = 'x' WHERE id = :id",
    "DELETE FROM inspections WHERE id = :id",
    "UPDATE answers SET value = '1' WHERE inspection_id = :id",
    "DELETE FROM answers WHERE inspection_id = :id",
    "UPDATE signatures SET signer_name = 'x' WHERE inspection_id = :id",
    "UPDATE attachments SET caption = 'x' WHERE inspection_id = :id",
    "UPDATE participants SET name = 'x' WHERE inspection_id = :id",
])
def test_schema_triggers_refuse_raw_sql_on_finalized_records(store, draft, sql):
    finalized(store, draft)
    with pytest.raises(sqlite3.IntegrityError, match="finalized"):
        store.conn.execute(sql, {"id": draft["id"]})


def test_finding_from_failed_item_and_edits(store, draft):
    set_answer(store, draft["id"], "ww.bod", value="35")
    finding = add_finding(store, draft["id"], item_id="ww.bod", description="ค่าบีโอดีเกินมาตรฐาน",
                          legal_basis="ประกาศกระทรวงอุตสาหกรรม", order_text="ปรับปรุงระบบบำบัด",
                          deadline="2024-01-20")
    updated = update_finding(store, finding["id"], status="in_progress")
    assert updated["status"] == "in_progress" and updated["deadline"] == "2024-01-20"
    with pytest.raises(ValueError):
        update_finding(store, finding["id"], deadline="20/01/2024")
    remove_finding(store, finding["id"])
    assert load_bundle(store, draft["id"])["findings"] == []


def test_ink_signing_finalizes_without_signatures_then_accepts_a_scan(store, draft):
    complete(store, draft)
    digest = finalize(store, draft["id"], require_signatures=False)
    scan = add_attachment(store, draft["id"], b"%PDF-1.4 scan", kind="scan",
                          mime="application/pdf", caption="แบบที่ลงนามแล้ว")
    assert scan["kind"] == "scan"
    assert compute_content_hash(store, draft["id"]) == digest


def test_amendment_is_a_linked_draft_copy(store, draft):
    add_attachment(store, draft["id"], b"jpeg bytes", item_id="lic.match", caption="ป้าย")
    finalized(store, draft)
    new = amend(store, draft["id"])
    assert new["state"] == "draft" and new["amends_id"] == draft["id"]
    assert new["id"] != draft["id"]
    old_b, new_b = load_bundle(store, draft["id"]), load_bundle(store, new["id"])
    assert [(a["item_id"], a["result"], a["value"]) for a in old_b["answers"]] == \
        [(a["item_id"], a["result"], a["value"]) for a in new_b["answers"]]
    assert [p["name"] for p in new_b["participants"]] == [p["name"] for p in
                                                          old_b["participants"]]
    photos = [a for a in new_b["attachments"] if a["kind"] == "photo"]
    assert len(photos) == 1 and new_b["signatures"] == []
    set_answer(store, new["id"], "ww.ph", value="7.5")  # the amendment is editable
    with pytest.raises(ImmutableRecordError):
        amend(store, new["id"])  # a draft is edited, not amended


def test_identical_attachment_bytes_are_stored_once(store, draft):
    a = add_attachment(store, draft["id"], b"same bytes", caption="1")
    b = add_attachment(store, draft["id"], b"same bytes", caption="2")
    assert a["sha256"] == b["sha256"] and a["id"] != b["id"]
    files = [p for p in store.blob_dir.rglob("*") if p.is_file()]
    assert len(files) == 1


def test_draft_can_be_discarded_and_lists_by_state(store, draft):
    assert [i["id"] for i in list_inspections(store, state="draft")] == [draft["id"]]
    assert list_inspections(store)[0]["factory_name"] == "บริษัท ไทย ยามาซากิ จำกัด"
    delete_inspection(store, draft["id"])
    with pytest.raises(NotFoundError):
        get_inspection(store, draft["id"])
    assert list_inspections(store) == []


def test_waiting_to_sync_sees_a_change_to_any_part_of_the_record(store, draft):
    store.conn.execute("UPDATE outbox SET status = 'acked'")
    assert list_inspections(store)[0]["unsynced"] == 0
    add_finding(store, draft["id"], description="ไม่มีป้ายเตือน")
    assert list_inspections(store)[0]["unsynced"] == 1
    store.conn.execute("UPDATE outbox SET status = 'acked'")
    add_attachment(store, draft["id"], b"photo bytes")
    assert list_inspections(store)[0]["unsynced"] == 1


def test_what_a_paste_brings_along_unseen_is_not_stored(store, draft):
    """NUL, bell, escape, a byte-order mark, a right-to-left override: they printed as boxes
    on the signed form and became part of what was signed. Thai, line breaks and tabs stay."""
    pasted = "ก\x00ข\x07ค\x1b[0m\u202eง\ufeffจ\tฉ\nช\u200bซ"
    set_answer(store, draft["id"], "ww.ph", value="7.0", note=pasted)
    finding = add_finding(store, draft["id"], description=pasted)
    assert answers_by_item(store, draft["id"])["ww.ph"]["note"] == "กขค[0mงจ\tฉ\nช\u200bซ"
    assert get_row(store, "findings", finding["id"])["description"] == "กขค[0mงจ\tฉ\nช\u200bซ"
