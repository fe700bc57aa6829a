"""Corrective orders in the console, both backends: issued on approval only, the list per
province (overdue first, never stored), filters, the detail with history, each action's
effect on the synced row and its history and audit, escalation rules, the follow-up plan
holding all the factory's open orders, the letter PDF, the settings page's checks, and
role, province and CSRF checks that change nothing."""

from __future__ import annotations

import re
import subprocess

import pytest
from console_world import csrf_of, field_value, post, sign_in, site
from server_fixtures import ADMIN
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import World

from fieldapp.core.ids import uuid7
from fieldapp.server import audit
from fieldapp.server.loop import letters, settings
from fieldapp.server.loop.reviews import set_review
from fieldapp.server.office import write_fields, write_rows
from fieldapp.server.records import Record


@pytest.fixture
def world(api, monkeypatch):
    # final10's order has deadline 2026-03-01: overdue on the office's 1 April 2569.
    monkeypatch.setenv("FIELDAPP_TODAY", "2026-04-01")
    w = World(api)
    w.site = site(w.db)
    with w.db.read() as c:
        w.order = c.value("SELECT id FROM records WHERE tbl = 'findings' AND parent_id = ?",
                          (w.final10,))
        w.factory10 = c.value("SELECT data FROM records WHERE tbl = 'inspections' "
                              "AND id = ?", (w.final10,))
    return w


def approve(w):
    set_review(w.db, w.who("sup10"), w.final10, "approved")


def order_row(w, order_id=None) -> Record | None:
    with w.db.read() as c:
        row = c.one("SELECT * FROM records WHERE tbl = 'orders' AND id = ?",
                    (order_id or w.order,))
    return Record.from_row(row) if row else None


def history(w) -> list[dict]:
    with w.db.read() as c:
        return c.all("SELECT status, note, by_user FROM order_history WHERE order_id = ? "
                     "ORDER BY at, id", (w.order,))


def changes(w, user: str) -> list[dict]:
    rows, _ = audit.search(w.db, audit.AuditFilter(username=user, action="change"))
    return rows


def test_an_order_appears_only_after_approval(world):
    w = world
    b = sign_in(w.site, "sup10")
    assert "แก้ไขภายใน 30 วัน" not in b.get("/orders").text
    assert b.get(f"/orders/{w.order}").status_code == 404
    approve(w)
    page = b.get("/orders").text
    assert "แก้ไขภายใน 30 วัน" in page and "โรงงานหนึ่ง" in page
    assert 'class="exceeded"' in page                   # overdue, computed
    assert order_row(w).data["status"] == "open"        # ... never stored
    assert order_row(w).data["responsible"] == "คุณสมชาย"
    assert "แก้ไขภายใน 30 วัน" in b.get("/orders?status=overdue").text
    assert "แก้ไขภายใน 30 วัน" not in b.get("/orders?status=verified").text
    assert "แก้ไขภายใน 30 วัน" in b.get("/orders?from=2026-02-01&to=2026-03-31").text
    assert "แก้ไขภายใน 30 วัน" not in b.get("/orders?from=2026-03-02").text
    assert "แก้ไขภายใน 30 วัน" in b.get("/orders?inspector=anong").text
    assert "แก้ไขภายใน 30 วัน" not in b.get("/orders?inspector=boon").text
    for hostile in ("?from=x&to=<b>", "?status=';--", "?district=%00"[:-3]):
        assert b.get("/orders" + hostile).status_code == 200
    detail = b.get(f"/orders/{w.order}").text
    assert "ออกคำสั่งเมื่ออนุมัติ" in detail              # history from derive.py
    assert "/inspections/" + w.final10 in detail


ORDER_LINK = re.compile(r'<a href="/orders/([^"?/]+)">')


def listed(html: str) -> list[str]:
    """The ids of the orders a list page shows, in its order."""
    return ORDER_LINK.findall(html.split('id="orders"')[1])


def test_the_list_is_paged_with_its_filters(world):
    # 12,158 orders were one 9 MB page that took 11 s to show.
    w = world
    approve(w)
    factory = order_row(w).data["factory_id"]
    made = [(f"2026-05-{1 + n % 28:02d}", "verified" if n % 3 == 0 else "open")
            for n in range(120)]
    write_rows(w.db, ADMIN, [("orders", uuid7(), {
        "factory_id": factory, "inspection_id": w.final10, "order_text": f"คำสั่งที่ {n}",
        "status": status, "deadline": deadline}) for n, (deadline, status) in enumerate(made)])
    b = sign_in(w.site, "sup10")
    first = b.get("/orders").text
    assert "121 คำสั่ง" in first and "หน้า 1 จาก 3" in first
    ids = listed(first)
    assert len(ids) == 50 and ids[0] == w.order            # overdue first, on page 1
    pages = [ids] + [listed(b.get(f"/orders?page={n}").text) for n in (2, 3)]
    assert [len(p) for p in pages] == [50, 50, 21]
    assert len({i for p in pages for i in p}) == 121         # each order on one page
    # The filters stay in the page links (a Buddhist-era date as the date it is); a page
    # past the last is the last.
    opened = b.get("/orders?status=open&to=2569-05-20").text
    count = 1 + sum(1 for d, s in made if s == "open" and d <= "2026-05-20")
    assert f"{count} คำสั่ง" in opened and "หน้า 1 จาก 2" in opened
    link = 'href="/orders?to=2026-05-20&amp;status=open&amp;page={}"'
    assert link.format(2) in opened
    second = b.get("/orders?to=2026-05-20&status=open&page=2").text
    assert len(listed(second)) == count - 50 and link.format(1) in second
    assert listed(b.get("/orders?to=2026-05-20&status=open&page=99").text) == \
        listed(second)
    for hostile in ("x", "-3", "0", "9" * 30):
        assert b.get(f"/orders?page={hostile}").status_code == 200
    # A short list has no pager.
    assert "หน้า 1 จาก" not in b.get("/orders?status=overdue").text


def test_not_overdue_before_the_deadline(world, monkeypatch):
    w = world
    approve(w)
    monkeypatch.setenv("FIELDAPP_TODAY", "2026-02-20")
    page = sign_in(w.site, "sup10").get("/orders").text
    assert "แก้ไขภายใน 30 วัน" in page and 'class="exceeded"' not in page


def test_report_done_verify_and_responsible(world):
    w = world
    approve(w)
    b = sign_in(w.site, "sup10")
    r = post(b, f"/orders/{w.order}/reported-done", {"note": "ส่งรูปถ่ายมาแล้ว"},
             page=f"/orders/{w.order}")
    assert r.status_code == 303 and order_row(w).data["status"] == "reported_done"
    again = post(b, f"/orders/{w.order}/reported-done", {"note": ""}, page=f"/orders/{w.order}")
    assert again.status_code == 409
    r = post(b, f"/orders/{w.order}/responsible", {"responsible": "  นาง ก  ใจดี "},
             page=f"/orders/{w.order}")
    assert r.status_code == 303 and order_row(w).data["responsible"] == "นาง ก ใจดี"
    empty = post(b, f"/orders/{w.order}/responsible", {"responsible": " "},
                 page=f"/orders/{w.order}")
    assert empty.status_code == 409 and order_row(w).data["responsible"] == "นาง ก ใจดี"
    r = post(b, f"/orders/{w.order}/verify", {"note": "ตรวจแล้ว"}, page=f"/orders/{w.order}")
    assert r.status_code == 303 and order_row(w).data["status"] == "verified"
    assert [h["status"] for h in history(w)] == ["open", "reported_done", None, "verified"]
    assert all(h["by_user"] == "sup10" for h in history(w)[1:])
    targets = [e["target"] for e in changes(w, "sup10")]
    assert targets.count(f"/orders/{w.order}") == 3
    page = b.get(f"/orders/{w.order}").text
    assert "ส่งรูปถ่ายมาแล้ว" in page and 'id="verify"' not in page


def test_escalation_only_after_a_failed_follow_up(world):
    w = world
    approve(w)
    b = sign_in(w.site, "sup10")
    r = post(b, f"/orders/{w.order}/escalate", {"note": "โรงงานไม่แก้ไขตามกำหนด"},
             page=f"/orders/{w.order}")
    assert r.status_code == 409 and order_row(w).data["status"] == "open"
    # A note comes back only in the form it was typed in (it came back as the factory's
    # "reported done" note, one click from being saved as that).
    assert "โรงงานไม่แก้ไขตามกำหนด" not in r.text.split('id="reported-done"')[0]
    # a follow-up found it not corrected (what derive.py writes after a follow-up)
    write_fields(w.db, ADMIN, "orders", w.order, {"followup_result": "not_corrected",
                                                  "followup_on": "2026-03-20"})
    assert 'id="escalate"' in b.get(f"/orders/{w.order}").text
    r = post(b, f"/orders/{w.order}/escalate", {"note": "ส่งหนังสือ"}, page=f"/orders/{w.order}")
    assert r.status_code == 303
    data = order_row(w).data
    assert data["status"] == "escalated" and data["escalated_on"] == "2026-04-01"
    assert history(w)[-1]["status"] == "escalated"
    again = post(b, f"/orders/{w.order}/escalate", {}, page=f"/orders/{w.order}")
    assert again.status_code == 409


def test_follow_up_plan_holds_all_open_orders_of_the_factory(world):
    w = world
    approve(w)
    b = sign_in(w.site, "sup10")
    factory = order_row(w).data["factory_id"]
    listed = b.get(f"/orders?factory={factory}").text
    assert 'id="follow-up-form"' in listed and ">anong<" in listed and ">chai<" not in listed
    # Typed in the Buddhist era, as the office's other dates (it was stored as 2569 C.E.).
    r = post(b, "/orders/follow-up", {"factory_id": factory, "assignee": "anong",
                                      "planned_on": "2569-04-10", "order_id": w.order},
             page=f"/orders/{w.order}")
    assert r.status_code == 303, r.text
    with w.db.read() as c:
        plans = [Record.from_row(p) for p in c.all(
            "SELECT * FROM records WHERE tbl = 'plans' AND deleted = 0")]
    assert len(plans) == 1
    plan = plans[0].data
    assert plan["kind"] == "follow_up" and plan["factory_id"] == factory
    assert plan["order_ids"] == w.order and plan["planned_on"] == "2026-04-10"
    assert plan["template_key"] == "follow-up" and plan["status"] == "planned"
    assert plans[0].owner == w.who("anong").user_id
    assert any("follow-up plan" in e["detail"] for e in changes(w, "sup10"))
    # The form's own date, sent back as it shows it (the office's day in the Buddhist era),
    # plans that day.
    shown = field_value(b.get(f"/orders/{w.order}").text, "planned_on")
    assert shown == "01/04/2569"
    r = post(b, "/orders/follow-up", {"factory_id": factory, "assignee": "anong",
                                      "planned_on": shown, "order_id": w.order},
             page=f"/orders/{w.order}")
    assert r.status_code == 303, r.text
    with w.db.read() as c:
        assert sorted(Record.from_row(p).data["planned_on"] for p in c.all(
            "SELECT * FROM records WHERE tbl = 'plans' AND deleted = 0")) == \
            ["2026-04-01", "2026-04-10"]
    # an inspector without the province cannot be sent; nothing is planned
    r = post(b, "/orders/follow-up", {"factory_id": factory, "assignee": "chai",
                                      "planned_on": "2026-04-10"}, page="/orders")
    assert r.status_code == 409
    with w.db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'plans'") == 2


def inputs(html: str) -> dict[str, str]:
    """The value of each text input of each form of a page: {"action name": value}."""
    found = {}
    for action, form in re.findall(r'<form method="post" action="([^"]+)"(.*?)</form>',
                                   html, re.S):
        for name, value in re.findall(r'<input type="(?:text|date)" name="(\w+)"[^>]*'
                                      r'value="([^"]*)"', form):
            found[f"{action} {name}"] = value
    return found


def test_a_refused_form_comes_back_as_it_was_typed(world):
    w = world
    approve(w)
    b = sign_in(w.site, "sup10")
    factory = order_row(w).data["factory_id"]
    typed = {"factory_id": factory, "assignee": "boon", "planned_on": "31/02/2569",
             "note": "นัดโรงงานไว้ช่วงเช้า", "order_id": w.order}
    # From the order's page: the plan's note, date and inspector, in the plan's form only.
    r = post(b, "/orders/follow-up", typed, page=f"/orders/{w.order}")
    assert r.status_code == 409 and "วันที่ไม่ถูกต้อง" in r.text
    values = inputs(r.text)
    assert values["/orders/follow-up note"] == "นัดโรงงานไว้ช่วงเช้า"
    assert values["/orders/follow-up planned_on"] == "31/02/2569"
    assert re.search(r'<option value="boon" selected>', r.text)
    assert [k for k, v in values.items() if "นัดโรงงาน" in v] == ["/orders/follow-up note"]
    # From the list of the factory's orders: that list again, not an error page.
    del typed["order_id"]
    r = post(b, "/orders/follow-up", typed, page=f"/orders?factory={factory}")
    assert r.status_code == 409 and 'id="orders"' in r.text and "วันที่ไม่ถูกต้อง" in r.text
    assert inputs(r.text)["/orders/follow-up note"] == "นัดโรงงานไว้ช่วงเช้า"
    assert re.search(r'<option value="boon" selected>', r.text)
    assert "แก้ไขภายใน 30 วัน" in r.text                    # the factory's orders listed
    with w.db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'plans'") == 0
    # A note for a form the order no longer offers (verified meanwhile) is shown to copy,
    # in no form.
    write_fields(w.db, ADMIN, "orders", w.order, {"followup_result": "not_corrected"})
    page = b.get(f"/orders/{w.order}").text
    write_fields(w.db, ADMIN, "orders", w.order, {"status": "verified"})
    r = b.post(f"/orders/{w.order}/escalate",
               data={"note": "โรงงานไม่แก้ไข ส่งหนังสือ", "csrf": csrf_of(page)})
    assert r.status_code == 409 and 'id="escalate"' not in r.text
    assert re.search(r'id="unsaved".*<textarea readonly[^>]*>โรงงานไม่แก้ไข ส่งหนังสือ</textarea>',
                     r.text, re.S)
    assert not any("โรงงานไม่แก้ไข" in v for v in inputs(r.text).values())


def test_letter_pdf_carries_the_filled_wording(world, tmp_path):
    w = world
    approve(w)
    settings.save(w.db, "admin", {"office_name": "สำนักงานอุตสาหกรรมจังหวัดทดสอบ",
                                  "letter_signer_name": "นายทดสอบ ลงนาม",
                                  "escalation_subject": "สั่งหยุดประกอบกิจการ {factory_name}"})
    b = sign_in(w.site, "sup10")
    r = b.get(f"/orders/{w.order}/letter.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    # Lines break between Thai words without a space: compare without white space.
    flat = "".join(text.split())

    def has(words: str) -> bool:
        return "".join(words.split()) in flat
    assert has("สั่งหยุดประกอบกิจการ โรงงานหนึ่ง")
    assert has("สำนักงานอุตสาหกรรมจังหวัดทดสอบ") and has("(นายทดสอบ ลงนาม)")
    assert has("แก้ไขภายใน 30 วัน") and has("10100000000001") and has("น้ำเสีย")
    assert has("1 เมษายน 2569")                          # the office's today, Thai date
    assert has("ภายในวันที่ 1 มีนาคม 2569")                 # the deadline, filled
    assert has("ขอแสดงความนับถือ") and has("เรื่อง") and has("เรียน") and has("อ้างถึง")
    assert "{" not in text
    assert has("ตรวจติดตามเมื่อวันที่ ................")     # not followed up: left to fill
    exports, _ = audit.search(w.db, audit.AuditFilter(username="sup10", action="export"))
    assert any(e["target"] == f"/orders/{w.order}/letter.pdf" for e in exports)


def letter_text(b, w, tmp_path) -> str:
    """The letter's text, white space removed (lines break between Thai words)."""
    r = b.get(f"/orders/{w.order}/letter.pdf")
    assert r.status_code == 200, r.text
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return "".join(text.split())


@pytest.mark.parametrize("thai_digits", [False, True])
def test_the_letter_by_default_names_the_province_and_reads_as_one_letter(
        world, tmp_path, monkeypatch, thai_digits):
    w = world
    approve(w)
    # as the shipped templates word an order: ให้ first (the letter writes ให้ท่าน itself)
    write_fields(w.db, w.who("sup10"), "orders", w.order, {
        "order_text": "ให้ปรับปรุงระบบบำบัดน้ำเสียให้น้ำทิ้งเป็นไปตามมาตรฐาน",
        "legal_basis": "ตามมาตรา 8 (5) แห่งพระราชบัญญัติโรงงาน พ.ศ. 2535"})
    monkeypatch.setenv("FIELDAPP_THAI_DIGITS", "1" if thai_digits else "0")
    flat = letter_text(sign_in(w.site, "sup10"), w, tmp_path)
    assert "ให้ท่านให้" not in flat and "ตามตาม" not in flat
    assert "ให้ท่านปรับปรุงระบบบำบัดน้ำเสีย" in flat
    # The office and its head are the province's (Bangkok is no จังหวัด)
    assert flat.count("สำนักงานอุตสาหกรรมกรุงเทพมหานคร") == 2       # heading and body
    assert "อุตสาหกรรมกรุงเทพมหานคร)" not in flat and "จังหวัด)" not in flat
    assert re.search(r"\)อุตสาหกรรมกรุงเทพมหานคร", flat)        # under the signer's name
    # One digit style: only the factory ID and the record number keep 0-9 with Thai digits
    # on, as on the printed form; off, no ๐-๙ at all (the number prefix was ที่ อก ๐๓๐๓/).
    rest = flat.replace("10100000000001", "").replace("2569/BBBB0002", "")
    if thai_digits:
        assert not re.search("[0-9]", rest), rest
        assert "ที่อก๐๓๐๓/" in flat and "มาตรา๓๙" in flat and "๑เมษายน๒๕๖๙" in flat
    else:
        assert not re.search("[๐-๙]", flat), flat
        assert "ที่อก0303/" in flat and "มาตรา39" in flat and "1เมษายน2569" in flat


def test_the_letter_names_a_province_as_thai_letters_do():
    chonburi = {"factory": {"province_code": "20", "province": "ชลบุรี"}, "province": "20"}
    assert letters._province(chonburi) == "จังหวัดชลบุรี"
    assert letters._province({"factory": {}, "province": "10"}) == "กรุงเทพมหานคร"
    assert letters._province({"factory": {"province": "จังหวัดน่าน"}}) == "จังหวัดน่าน"
    assert letters._province({"factory": {}}) == ""


@pytest.mark.parametrize("user, status", [("sup20", 404), ("chai", 403), ("anong", 403)])
def test_others_change_nothing(world, user, status):
    w = world
    approve(w)
    write_fields(w.db, ADMIN, "orders", w.order, {"followup_result": "partly"})
    before = order_row(w).data
    b = sign_in(w.site, user)
    token = csrf_of(b.get("/account/password").text)
    for path, data in ((f"/orders/{w.order}/reported-done", {}),
                       (f"/orders/{w.order}/verify", {}),
                       (f"/orders/{w.order}/responsible", {"responsible": "x"}),
                       (f"/orders/{w.order}/escalate", {})):
        assert b.post(path, data={**data, "csrf": token}).status_code == status, path
    for path in (f"/orders/{w.order}", f"/orders/{w.order}/letter.pdf"):
        assert b.get(path).status_code == status
    r = b.post("/orders/follow-up", data={"factory_id": before["factory_id"],
                                          "assignee": "anong", "planned_on": "2026-04-10",
                                          "csrf": token})
    assert r.status_code in (403, 409)
    assert order_row(w).data == before
    with w.db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'plans'") == 0
    if user == "sup20":
        assert "แก้ไขภายใน 30 วัน" not in b.get("/orders").text


def test_csrf_is_required(world):
    w = world
    approve(w)
    b = sign_in(w.site, "sup10")
    assert b.post(f"/orders/{w.order}/verify", data={"note": "x"}).status_code == 400
    assert b.post(f"/orders/{w.order}/verify", data={"csrf": "forged"}).status_code == 400
    assert order_row(w).data["status"] == "open"


def test_settings_refuse_an_unknown_placeholder(world):
    w = world
    admin = sign_in(w.site, "admin")
    page = admin.get("/settings").text
    assert "{factory_name}" in page and "escalation_body" in page
    r = post(admin, "/settings", {"escalation_body": "ตามที่ {factory_nmae} {",
                                  "order_default_days": "45"})
    assert r.status_code == 400
    assert "factory_nmae" in r.text and "{factory_nmae}" in r.text   # kept in the form
    assert settings.get(w.db, "order_default_days") == "30"           # nothing saved
    r = post(admin, "/settings", {"order_default_days": "abc"})
    assert r.status_code == 400 and settings.get(w.db, "order_default_days") == "30"
    r = post(admin, "/settings", {"order_default_days": "45",
                                  "escalation_body": "ตามที่ {factory_name} {{x}}"})
    assert r.status_code == 303 and settings.get(w.db, "order_default_days") == "45"
    assert {e["target"] for e in changes(w, "admin")} >= {"/settings#order_default_days",
                                                          "/settings#escalation_body"}
    sup = sign_in(w.site, "sup10")
    assert 'id="save"' not in sup.get("/settings").text
    token = csrf_of(sup.get("/settings").text)
    assert sup.post("/settings", data={"order_default_days": "9", "csrf": token}
                    ).status_code == 403
    assert sign_in(w.site, "anong").get("/settings").status_code == 403
    assert settings.get(w.db, "order_default_days") == "45"
