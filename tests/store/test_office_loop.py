"""The laptop's side of the office's loop: returned records, the approved lock, my plan,
starting an inspection from a plan, follow-up results and the complaint behind an
inspection (store/office_loop.py)."""

from __future__ import annotations

import json

import pytest
from loop_world import (
    USER_ID,
    complaint,
    office_rows,
    order,
    plan,
    plan_row,
    png,
    review,
    signed_in,
)

from fieldapp.core.errors import ImmutableRecordError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.core.office_words import APPROVED
from fieldapp.core.templates import parse_template
from fieldapp.store import office_loop as loop
from fieldapp.store.inspections import (
    add_participant,
    answers_by_item,
    create_inspection,
    get_inspection,
    set_answer,
)
from fieldapp.store.signing import amend, finalize, finalize_check
from fieldapp.store.templates import install_bundled_templates, publish_template

ME = "นางสาวอนงค์ ตรวจดี"


def complete(store, iid):
    set_answer(store, iid, "lic.match", result="pass")
    set_answer(store, iid, "ww.ph", value="7.20")
    set_answer(store, iid, "boiler.has", value="no")


def finalized_record(store, template, factory, created_by=ME):
    row = create_inspection(store, factory_id=factory["id"],
                            template_version_id=template.version_id, created_by=created_by)
    complete(store, row["id"])
    finalize(store, row["id"], require_signatures=False)
    return row["id"]


def outbox_of(store, table, row_id):
    return [json.loads(r["payload"]) for r in store.query(
        "SELECT payload FROM outbox WHERE table_name = ? AND row_id = ? ORDER BY seq",
        (table, row_id))]


# -- returned to me, the approved lock ------------------------------------------------------

def test_returned_records_are_listed_with_the_comment_until_an_amendment_is_final(
        store, template, factory):
    signed_in(store)
    returned = finalized_record(store, template, factory)
    approved = finalized_record(store, template, factory)
    unreviewed = finalized_record(store, template, factory)
    review(store, returned, "returned", "ค่า pH ไม่ได้ระบุจุดเก็บตัวอย่าง")
    review(store, approved, "approved")

    rows = loop.returned_to_me(store, (ME,))
    assert [r["id"] for r in rows] == [returned]
    assert rows[0]["comment"] == "ค่า pH ไม่ได้ระบุจุดเก็บตัวอย่าง"
    assert (rows[0]["reviewer"], rows[0]["factory_name"]) == ("somchai", factory["name"])
    assert rows[0]["draft_amendment_id"] is None
    assert unreviewed not in [r["id"] for r in rows]

    draft = amend(store, returned)
    rows = loop.returned_to_me(store, (ME,))
    assert rows[0]["draft_amendment_id"] == draft["id"]   # in progress: still listed
    finalize(store, draft["id"], require_signatures=False)
    assert loop.returned_to_me(store, (ME,)) == []        # answered


def test_returned_lists_only_this_inspectors_records(store, template, factory):
    signed_in(store)
    theirs = uuid7()
    # A colleague's record, reaching a supervisor's laptop by sync (not created here).
    office_rows(store, ("inspections", {
        "id": theirs, "factory_id": factory["id"], "template_version_id": template.version_id,
        "kind": "routine", "state": "finalized", "started_at": "2026-03-01T02:00:00.000Z",
        "record_no": "2569/AAAA0001", "created_by": "นายชัย ขยัน", "content_hash": "x",
        "finalized_at": "2026-03-01T04:00:00.000Z"}))
    mine = finalized_record(store, template, factory)
    review(store, theirs, "returned", "ของคนอื่น")
    review(store, mine, "returned", "ของฉัน")
    assert [r["comment"] for r in loop.returned_to_me(store, (ME,))] == ["ของฉัน"]
    # Known by the inspector's name alone (the record came back by sync): still mine.
    assert {r["comment"] for r in loop.returned_to_me(store, ("นายชัย ขยัน",))} == \
        {"ของคนอื่น", "ของฉัน"}


def test_an_approved_record_refuses_an_amendment_in_the_servers_words(
        store, template, factory):
    iid = finalized_record(store, template, factory)
    assert loop.review_state(store, iid) is None and loop.amendment_refusal(store, iid) is None
    review(store, iid, "approved")
    assert loop.review_state(store, iid) == "approved"
    assert loop.amendment_refusal(store, iid) == APPROVED
    with pytest.raises(ImmutableRecordError) as refused:
        amend(store, iid)
    assert str(refused.value) == APPROVED
    assert not store.query("SELECT 1 FROM inspections WHERE amends_id = ?", (iid,))
    review(store, iid, "reopened")
    assert loop.amendment_refusal(store, iid) is None
    assert amend(store, iid)["amends_id"] == iid


def test_the_server_refuses_with_the_same_words():
    from fieldapp.server import write_scope
    assert write_scope.APPROVED is APPROVED


# -- my plan --------------------------------------------------------------------------------

def test_my_plan_lists_my_open_plans_by_date_with_place_and_overdue(store, template, factory):
    signed_in(store)
    later = plan(store, factory_id=factory["id"], template_key="mini", planned_on="2026-03-20",
                 note="ตรวจประจำปี")
    earlier = plan(store, factory_id=factory["id"], template_key="mini",
                   planned_on="2026-03-01")
    cid = complaint(store, factory_id=None, place_name="บ่อขยะหลังวัดหนองแขม")
    place = plan(store, factory_id=None, template_key="complaint", kind="complaint",
                 planned_on="2026-03-05", complaint_id=cid)
    plan(store, factory_id=factory["id"], template_key="mini", status="done")
    plan(store, factory_id=factory["id"], template_key="mini", status="cancelled")
    plan(store, factory_id=factory["id"], template_key="mini", assignee="someone-else")

    rows = loop.my_plan(store, on=__import__("datetime").date(2026, 3, 10))
    assert [r["id"] for r in rows] == [earlier, place, later]
    assert [r["place"] for r in rows] == [factory["name"], "บ่อขยะหลังวัดหนองแขม",
                                          factory["name"]]
    assert [r["overdue"] for r in rows] == [True, True, False]
    assert rows[2]["template_title"] == template.title["th"] and rows[2]["note"] == "ตรวจประจำปี"
    assert rows[1]["template_title"] is None     # the complaint checklist has not arrived


def test_my_plan_before_the_office_named_user_ids_matches_the_user_name(store, factory):
    signed_in(store, user_id=None)
    mine = plan(store, factory_id=factory["id"], template_key="mini")
    assert [r["id"] for r in loop.my_plan(store)] == [mine]


# -- starting from a plan, done on finalize -------------------------------------------------

def test_a_plan_opens_an_inspection_of_its_kind_and_newest_template(store, template, factory):
    signed_in(store)
    newer = parse_template({**json.loads(json.dumps(template.body)), "version": 2},
                           "mini v2")
    publish_template(store, newer)
    pid = plan(store, factory_id=factory["id"], template_key="mini", kind="routine",
               note="ตรวจตามแผนไตรมาส 2")
    row = loop.start_from_plan(store, pid, inspector_name=ME, inspector_position="นักวิชาการ")
    assert (row["kind"], row["template_version_id"]) == ("routine", newer.version_id)
    assert (row["factory_id"], row["purpose"], row["created_by"]) == (
        factory["id"], "ตรวจตามแผนไตรมาส 2", ME)
    people = store.query("SELECT role, name FROM participants WHERE inspection_id = ?",
                         (row["id"],))
    assert [(p["role"], p["name"]) for p in people] == [("inspector", ME)]
    saved = plan_row(store, pid)
    assert (saved["status"], saved["inspection_id"]) == ("started", row["id"])
    assert outbox_of(store, "plans", pid) == [{"inspection_id": row["id"], "status": "started"}]
    # Opening the plan again opens the same draft, not a second inspection.
    assert loop.start_from_plan(store, pid)["id"] == row["id"]
    assert loop.my_plan(store)[0]["status"] == "started"

    complete(store, row["id"])
    finalize(store, row["id"], require_signatures=False)
    assert plan_row(store, pid)["status"] == "done"
    assert outbox_of(store, "plans", pid)[-1] == {"status": "done"}
    assert loop.my_plan(store) == []


def test_a_closed_plan_or_a_missing_template_is_refused(store, template, factory):
    signed_in(store)
    done = plan(store, factory_id=factory["id"], template_key="mini", status="done")
    with pytest.raises(ValidationError, match="done or cancelled"):
        loop.start_from_plan(store, done)
    unknown = plan(store, factory_id=factory["id"], template_key="not-here")
    with pytest.raises(ValidationError, match="not-here"):
        loop.start_from_plan(store, unknown)
    assert plan_row(store, unknown)["status"] == "planned"
    assert not store.query("SELECT 1 FROM inspections")


def test_a_complaint_about_an_unregistered_place_asks_for_the_factory(
        store, template, factory):
    signed_in(store)
    install_bundled_templates(store)
    cid = complaint(store, factory_id=None, place_name="บ่อขยะหลังวัด")
    pid = plan(store, factory_id=None, template_key="complaint", kind="complaint",
               complaint_id=cid)
    with pytest.raises(loop.NoFactoryError) as refused:
        loop.start_from_plan(store, pid)
    assert "เลือกโรงงาน" in str(refused.value) and "choose the factory" in str(refused.value)
    # The inspector chose the factory in the new-inspection dialog: the plan follows it.
    from fieldapp.store.templates import latest_published
    row = create_inspection(store, factory_id=factory["id"], kind="complaint",
                            template_version_id=latest_published(store, "complaint").version_id)
    loop.link_plan(store, pid, row["id"])
    assert (plan_row(store, pid)["status"], plan_row(store, pid)["inspection_id"]) == (
        "started", row["id"])
    assert loop.complaint_of(store, row["id"])["id"] == cid
    assert answers_by_item(store, row["id"])["c.summary"]["value"].startswith("กลิ่นเหม็น")


# -- complaints -----------------------------------------------------------------------------

def test_the_complaint_behind_an_inspection_without_the_complainant(store, factory):
    signed_in(store)
    install_bundled_templates(store)
    cid = complaint(store, factory_id=factory["id"], photo=png())
    pid = plan(store, factory_id=factory["id"], template_key="complaint", kind="complaint",
               complaint_id=cid)
    row = loop.start_from_plan(store, pid, inspector_name=ME)
    assert row["kind"] == "complaint" and row["purpose"].startswith("ตรวจสอบข้อเท็จจริง")
    found = loop.complaint_of(store, row["id"])
    assert found["description"].startswith("กลิ่นเหม็น")
    assert found["problem_types"] == ["odour", "wastewater"]
    assert found["received_on"] == "2026-03-01"
    assert [f["caption"] for f in found["files"]] == ["ภาพจากผู้ร้องเรียน"]
    assert not {"complainant", "name", "contact", "phone"} & set(found)
    answers = answers_by_item(store, row["id"])
    assert answers["c.received"]["value"] == "2026-03-01"
    assert json.loads(answers["c.issues"]["value"]) == ["odour", "wastewater"]
    assert loop.complaint_of(store, finalized_plain(store, factory)) is None


def finalized_plain(store, factory):
    from fieldapp.store.templates import latest_published
    return create_inspection(store, factory_id=factory["id"],
                             template_version_id=latest_published(store, "env-general")
                             .version_id)["id"]


# -- follow-up ------------------------------------------------------------------------------

def follow_up(store, template, factory, n=2):
    signed_in(store)
    earlier = finalized_record(store, template, factory)
    ids = [order(store, factory_id=factory["id"], inspection_id=earlier, photo=png(),
                 deadline=f"2026-02-{10 + i:02d}", order_text=f"คำสั่งข้อ {i + 1}")
           for i in range(n)]
    pid = plan(store, factory_id=factory["id"], template_key="mini", kind="follow_up",
               order_ids=ids)
    row = loop.start_from_plan(store, pid, inspector_name=ME)
    return row["id"], ids, pid


def test_a_follow_up_names_its_orders_with_their_finding_and_photos(store, template, factory):
    iid, ids, _pid = follow_up(store, template, factory)
    assert get_inspection(store, iid)["kind"] == "follow_up"
    answers = answers_by_item(store, iid)
    assert {f"order:{o}" for o in ids} <= set(answers)
    assert all(answers[f"order:{o}"]["value"] is None for o in ids)
    orders = loop.orders_of(store, iid)
    assert [o["id"] for o in orders] == ids
    first = orders[0]
    assert first["order_text"] == "คำสั่งข้อ 1" and first["finding"].startswith("ระบบบำบัด")
    assert first["legal_basis"].endswith("มาตรา 37") and first["deadline"] == "2026-02-10"
    assert [p["caption"] for p in first["photos"]] == ["น้ำทิ้งก่อนแก้ไข"]
    assert first["result"] is None


def test_follow_up_results_are_answers_and_finalizing_needs_every_one(
        store, template, factory):
    iid, ids, pid = follow_up(store, template, factory)
    complete(store, iid)
    problems = finalize_check(store, iid, require_signatures=False)
    assert sum("ยังไม่ได้บันทึกผลการตรวจติดตามคำสั่ง" in p for p in problems) == 2
    assert any("คำสั่งข้อ 1" in p for p in problems)

    row = loop.record_followup(store, iid, ids[0], "corrected", "ติดตั้งเครื่องเติมอากาศแล้ว")
    assert (row["item_id"], row["value"], row["result"], row["note"]) == (
        f"order:{ids[0]}", "corrected", "pass", "ติดตั้งเครื่องเติมอากาศแล้ว")
    row = loop.record_followup(store, iid, ids[1], "partly")
    assert (row["value"], row["result"]) == ("partly", "fail")
    # A note alone keeps the result recorded.
    assert loop.record_followup(store, iid, ids[1], None, "รอซ่อมปั๊ม")["value"] == "partly"
    with pytest.raises(ValidationError, match="corrected, partly, not_corrected"):
        loop.record_followup(store, iid, ids[1], "fixed")
    assert [o["result"] for o in loop.orders_of(store, iid)] == ["corrected", "partly"]
    assert finalize_check(store, iid, require_signatures=False) == []

    finalize(store, iid, require_signatures=False)
    assert plan_row(store, pid)["status"] == "done"
    with pytest.raises(ImmutableRecordError):
        loop.record_followup(store, iid, ids[0], "not_corrected")
    # An amendment carries the results over (no template item names them).
    again = amend(store, iid)
    assert [o["result"] for o in loop.orders_of(store, again["id"])] == ["corrected", "partly"]


def test_the_bundled_follow_up_checklist_starts_with_the_earlier_record(store, factory):
    signed_in(store)
    install_bundled_templates(store)
    from fieldapp.store.templates import latest_published
    earlier = create_inspection(store, factory_id=factory["id"],
                                template_version_id=latest_published(store, "env-general")
                                .version_id, started_at="2026-01-15T02:00:00.000Z")
    add_participant(store, earlier["id"], role="inspector", name=ME)
    oid = order(store, factory_id=factory["id"], inspection_id=earlier["id"])
    pid = plan(store, factory_id=factory["id"], template_key="follow-up", kind="follow_up",
               order_ids=[oid])
    row = loop.start_from_plan(store, pid)
    answers = answers_by_item(store, row["id"])
    assert answers["fu.original_record"]["value"] == earlier["record_no"]
    assert answers["fu.original_date"]["value"] == "2026-01-15"
    assert answers["fu.deadline"]["value"] == "2026-02-28"
    assert f"order:{oid}" in answers
    assert plan_row(store, pid)["assignee"] == USER_ID
