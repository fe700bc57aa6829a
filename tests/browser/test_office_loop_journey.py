"""From complaint to closure, in a real browser with a laptop syncing for real, on SQLite and
on PostgreSQL (docs/office-loop.md):

1. the group head registers a complaint and assigns it;
2. the laptop runs the complaint inspection from its plan and finalizes it with a finding
   that orders a correction;
3. the group head returns it with a comment; the laptop amends; the group head approves;
4. the order's deadline passes (the office's calendar is moved on: ``FIELDAPP_TODAY``);
5. the follow-up is planned, run on the laptop, and marks the order corrected;
6. the monthly report counts all of it.

The steps share one server and one laptop, in order (module scope), as one office's weeks.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from browser_world import browser_page, choose_file, shoot, sign_in, submit, visit

from fieldapp.server.loop.monthly import monthly_report
from fieldapp.server.loop.settings import office_today
from fieldapp.store import inspections as insp
from fieldapp.store import office_loop, signing
from fieldapp.store.demo_inspections import photo_jpeg, signature_png
from fieldapp.store.templates import get_template

COMPLAINT = "กลิ่นเหม็นจากปล่องควันช่วงกลางคืน ทดสอบการเดินทางของเรื่องร้องเรียน"
COMPLAINANT = "นางสาวผู้ร้อง ทดสอบส่วนบุคคล"
ORDER = "ติดตั้งระบบบำบัดกลิ่นและปรับปรุงปล่องระบายอากาศ"
RETURN_COMMENT = "โปรดระบุตำแหน่งที่พบกลิ่นให้ชัดเจน"
TODAY = office_today()   # the office's (Bangkok) day: the month the report counts
DEADLINE = TODAY + timedelta(days=7)


def be_field(day) -> str:
    """A day as a console date field shows it: 05/12/2569."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def be_typed(day) -> str:
    """A day as a clerk types it: 5/12/2569."""
    return f"{day.day}/{day.month}/{day.year + 543}"


@pytest.fixture(scope="module")
def world():
    """What one step leaves for the next."""
    return {}


def _laptop_sign_and_finalize(store, inspection_id: str) -> str:
    template = get_template(store, store.query(
        "SELECT template_version_id FROM inspections WHERE id = ?",
        (inspection_id,))[0]["template_version_id"])
    answered = insp.answers_by_item(store, inspection_id)
    for item_id in template.items:
        if item_id not in answered:
            insp.set_answer(store, inspection_id, item_id, result="not_checked")
    for name, role in (("อนงค์ ใจดี", "inspector"), ("ผู้จัดการ โรงงาน", "representative")):
        signing.sign(store, inspection_id, signer_name=name, signer_role=role,
                     image_png=signature_png(name, 3))
    return signing.finalize(store, inspection_id)


def test_step_1_a_complaint_is_registered_and_assigned(chromium, site, laptop, world):
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, "/complaints/new", "loop-complaint-new")
        # Dates are shown and typed in the Buddhist era, as a Thai office writes them.
        assert page.input_value("input[name=received_on]") == be_field(TODAY)
        page.fill("input[name=received_on]", be_typed(TODAY))
        page.select_option("select[name=channel]", "line")
        page.check("input[name=problem][value=odour]")
        page.fill("textarea[name=description]", COMPLAINT)
        page.fill("input[name=name]", COMPLAINANT)
        page.fill("input[name=contact]", "081-000-0000")
        # The photo is chosen before the factory is searched: the search sends the form
        # back, and the server keeps the file for it (the browser cannot be given it).
        choose_file(page, "smoke.jpg", photo_jpeg("ปล่องควัน", 1), "image/jpeg")
        page.fill("input[name=factory_q]", "โรงงานหนึ่ง")
        with page.expect_navigation():
            page.click("form.complaint-form button[name=action][value=find]")
        assert page.is_checked("#kept-files input[name=kept_file]")
        page.check("input[name=factory_id] >> nth=0")
        with page.expect_navigation():
            page.locator("form.complaint-form button.primary").click()
        assert COMPLAINT in page.inner_text("main")
        assert COMPLAINANT in page.inner_text("main")   # the group head sees who complained
        world["complaint_url"] = page.url
        select = page.locator("form[action$='/assign'] select[name=assignee]")
        select.select_option(select.locator("option", has_text="anong").get_attribute("value"))
        page.fill("form[action$='/assign'] input[name=planned_on]", be_typed(TODAY))
        submit(page, "form[action$='/assign']")
        shoot(page, "loop-complaint-assigned")
        assert "anong" in page.inner_text("main")


def test_step_2_the_laptop_runs_the_complaint_inspection(site, laptop, world):
    laptop.sync()
    with laptop.store() as store:
        plan = office_loop.my_plan(store)
        assert [p["kind"] for p in plan] == ["complaint"]
        assert plan[0]["planned_on"] == TODAY.isoformat()   # typed 2569, stored as the day
        inspection = office_loop.start_from_plan(store, plan[0]["id"])
        complaint = office_loop.complaint_of(store, inspection["id"])
        assert complaint["description"] == COMPLAINT
        assert COMPLAINANT not in str(complaint)   # never on a laptop
        item = next(iter(get_template(store, inspection["template_version_id"]).items))
        insp.add_finding(store, inspection["id"], item_id=item, description="กลิ่นรุนแรง",
                         legal_basis="พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 37", order_text=ORDER,
                         deadline=DEADLINE.isoformat())
        insp.add_attachment(store, inspection["id"], photo_jpeg("ปล่อง", 2), item_id=item,
                            caption="ปล่องควัน")
        insp.add_participant(store, inspection["id"], role="representative",
                             name="ผู้จัดการ โรงงาน")
        _laptop_sign_and_finalize(store, inspection["id"])
    laptop.sync()
    world["first"] = inspection["id"]
    with site.db() as db, db.read() as c:
        assert c.value("SELECT state FROM inspection_index WHERE id = ?",
                       (inspection["id"],)) == "finalized"


def test_step_3_returned_amended_and_approved(chromium, site, laptop, world):
    first = world["first"]
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, "/reviews", "loop-review-queue")
        visit(page, f"/inspections/{first}", "loop-review-inspection")
        page.fill("#return-form textarea[name=comment]", RETURN_COMMENT)
        submit(page, "#return-form")
    laptop.sync()
    with laptop.store() as store:
        [returned] = office_loop.returned_to_me(store)
        assert returned["comment"] == RETURN_COMMENT
        amendment = signing.amend(store, first)
        insp.add_participant(store, amendment["id"], role="representative",
                             name="ผู้จัดการ โรงงาน")
        _laptop_sign_and_finalize(store, amendment["id"])
    laptop.sync()
    with laptop.store() as store:
        assert office_loop.returned_to_me(store) == []
    world["amendment"] = amendment["id"]
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, f"/inspections/{amendment['id']}")
        submit(page, "form:has(#approve)")
        assert page.locator("#reopen").count() == 1
        visit(page, "/orders", "loop-orders")
        assert ORDER in page.inner_text("main")


def test_step_4_the_deadline_passes(chromium, site, world):
    site.restart(FIELDAPP_TODAY=(DEADLINE + timedelta(days=1)).isoformat())
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, "/orders?status=overdue", "loop-orders-overdue")
        assert ORDER in page.inner_text("main")


def test_step_5_the_follow_up_marks_the_order_corrected(chromium, site, laptop, world):
    with site.db() as db, db.read() as c:
        order_id = c.value("SELECT id FROM records WHERE tbl = 'orders' AND deleted = 0 "
                           "AND data LIKE ?", (f"%{ORDER}%",))
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, f"/orders/{order_id}", "loop-order")
        page.select_option("#follow-up-form select[name=assignee]", label="anong")
        submit(page, "#follow-up-form")
    laptop.sync()
    with laptop.store() as store:
        [plan] = [p for p in office_loop.my_plan(store) if p["kind"] == "follow_up"]
        follow = office_loop.start_from_plan(store, plan["id"])
        [order] = office_loop.orders_of(store, follow["id"])
        assert order["order_text"] == ORDER and order.get("photos")
        office_loop.record_followup(store, follow["id"], order["id"], "corrected",
                                    "ติดตั้งระบบบำบัดแล้ว")
        insp.add_participant(store, follow["id"], role="representative",
                             name="ผู้จัดการ โรงงาน")
        _laptop_sign_and_finalize(store, follow["id"])
    laptop.sync()
    with laptop.store() as store:
        assert store.query("SELECT status FROM orders WHERE id = ?", (order_id,)) == \
            [{"status": "verified"}]
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, f"/orders/{order_id}", "loop-order-verified")
        assert page.locator("text=verified").count() + \
            page.locator("text=ตรวจสอบแล้ว").count() >= 1


def test_step_6_the_monthly_report_counts_it_all(chromium, site, world):
    import openpyxl

    month = TODAY.strftime("%Y-%m")
    with site.db() as db:
        report = monthly_report(db, "10", TODAY.year, TODAY.month,
                                today=DEADLINE + timedelta(days=1))
    total = report.total
    # The complaint inspection and the follow-up; the amendment counts as a correction.
    assert (total.inspections, total.amendments) == (2, 1)
    assert dict(total.kinds) == {"complaint": 1, "follow_up": 1}, total.kinds
    # One order (the approved amendment's; the returned record issued none), closed by
    # the follow-up; one complaint received, not yet replied.
    assert (total.orders["issued"], total.orders["closed"], total.orders["overdue"]) == \
        (1, 1, 0)
    assert total.complaints["received"] == 1
    with browser_page(chromium, site) as page:
        sign_in(page, "somchai")
        visit(page, f"/reports/monthly?province=10&month={month}", "loop-report")
        assert "กรุงเทพมหานคร" in page.inner_text("main")
        with page.expect_download() as download:
            page.click("a[href*='.xlsx']")
        data = download.value.path().read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.sheetnames) == 2
    cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row
             if c.value is not None]
    assert any("ร้องเรียน" in c for c in cells)
