"""The complaints register in the console, both backends: registered with the complainant
kept on the server only (PDPA: never in a synced row, a pull or a printed form; every view of
it audited), assigned to an inspector whose laptop then pulls the complaint, its files and
the plan (and, re-assigned, the next inspector's does), the overdue list, and bad input sent
back with everything typed."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from console_world import csrf_of, field_value, post, sign_in, site
from PIL import Image
from test_server_api import Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import principal, supervisors
from test_server_printed_form import pdf_text

from fieldapp.server.loop import complaints as loop
from fieldapp.server.printed_form import render_printed_form
from fieldapp.server.pull import pull
from fieldapp.server.records import Record

NAME = "นางสาวผู้ร้องเรียน ลับเฉพาะ"
CONTACT = "081-555-0199"
TODAY = "2026-06-15"


def jpeg(seed: int = 1) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 255, 120, 80)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def office(api, monkeypatch):
    monkeypatch.setenv("FIELDAPP_TODAY", TODAY)
    db = api.app.state.db
    supervisors(db)
    api.db, api.site = db, site(db)
    api.f10, api.f10b, api.f20 = api.factories
    return api


def register(b, **fields):
    """Post the register form; returns the response."""
    data = {"received_on": "2026-06-10", "channel": "line", "problem": ["odour", "wastewater"],
            "description": "กลิ่นเหม็นจากบ่อบำบัดทุกคืน", "name": NAME, "contact": CONTACT,
            "factory_id": "", "place_name": "", "province_code": "", "district": "",
            "lat": "", "lng": ""}
    files = fields.pop("files", [("files", ("บ่อน้ำเสีย.jpg", jpeg(), "image/jpeg"))])
    data.update(fields)
    token = csrf_of(b.get("/complaints/new").text)
    return b.post("/complaints/new", data={**data, "csrf": token}, files=files)


def registered(b, **fields) -> str:
    r = register(b, **fields)
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/complaints/")[1].split("?")[0]


def views(db, complaint_id: str) -> int:
    with db.read() as c:
        # the page itself, or an action on it that showed the page again
        return int(c.value("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
                           "(target = ? OR target LIKE ?)",
                           (f"/complaints/{complaint_id}", f"/complaints/{complaint_id}/%")))


def pulled(db, username: str) -> list[dict]:
    return pull(db, principal(db, username), 0, limit=10_000)["changes"]


def test_an_inspector_reaches_no_complaint_page(office):
    sup = sign_in(office.site, "sup10")
    complaint_id = registered(sup, factory_id=office.f10)
    anong = sign_in(office.site, "anong")
    for path in ("/complaints", "/complaints/new", f"/complaints/{complaint_id}",
                 "/complaints?overdue=1", "/planning", "/plans"):
        assert anong.get(path).status_code == 403, path
    token = csrf_of(anong.get("/account/password").text)
    for action in ("assign", "reply", "close"):
        r = anong.post(f"/complaints/{complaint_id}/{action}", data={"csrf": token})
        assert r.status_code == 403
    # another province's supervisor: as if it did not exist
    assert sign_in(office.site, "sup20").get(f"/complaints/{complaint_id}").status_code == 404


def test_complainant_seen_by_the_office_only_and_every_view_audited(office):
    db = office.db
    sup = sign_in(office.site, "sup10")
    complaint_id = registered(sup, factory_id=office.f10)
    page = sup.get(f"/complaints/{complaint_id}")
    assert page.status_code == 200
    assert NAME in page.text and CONTACT in page.text and "โรงงานหนึ่ง" in page.text
    assert views(db, complaint_id) == 1
    sign_in(office.site, "admin").get(f"/complaints/{complaint_id}")
    assert views(db, complaint_id) == 2
    # the lists name no complainant
    for path in ("/complaints", "/complaints?overdue=1", "/complaints?problem=odour",
                 "/plans"):
        r = sup.get(path)
        assert r.status_code == 200 and NAME not in r.text and CONTACT not in r.text, path
    assert "กลิ่นเหม็นจากบ่อบำบัด" in sup.get("/complaints").text
    # refused (no one to assign to), the page comes again with the complainant: a view too
    token = csrf_of(sup.get(f"/complaints/{complaint_id}").text)         # view 3
    r = sup.post(f"/complaints/{complaint_id}/assign",
                 data={"assignee": "", "planned_on": "", "csrf": token})
    assert r.status_code == 400 and NAME in r.text
    assert views(db, complaint_id) == 4

    r = post(sup, f"/complaints/{complaint_id}/assign",
             {"assignee": principal(db, "anong").user_id, "planned_on": "2026-06-18",
              "note": "ไปพร้อมเจ้าหน้าที่ท้องถิ่น"}, page=f"/complaints/{complaint_id}")
    assert r.status_code == 303
    # no synced row holds the complainant, whatever its table
    with db.read() as c:
        texts = [r["data"] for r in c.all("SELECT data FROM records")]
    assert texts and not any(NAME in t or CONTACT in t for t in texts)
    for name in ("anong", "sup10", "admin"):
        assert NAME not in str(pulled(db, name)) and CONTACT not in str(pulled(db, name))


def test_the_assigned_inspector_pulls_complaint_files_and_plan_and_no_one_else(office):
    db = office.db
    sup = sign_in(office.site, "sup10")
    complaint_id = registered(sup, factory_id=office.f10, files=[
        ("files", ("a.jpg", jpeg(1), "image/jpeg")),
        ("files", ("letter.pdf", b"%PDF-1.4 a letter", "application/pdf"))])
    anong, boon = principal(db, "anong"), principal(db, "boon")
    assert not [c for c in pulled(db, "anong") if c["t"].startswith("complaint")]
    r = post(sup, f"/complaints/{complaint_id}/assign",
             {"assignee": anong.user_id, "planned_on": "2026-06-18"},
             page=f"/complaints/{complaint_id}")
    assert r.status_code == 303

    def office_rows(name):
        return {(c["t"], c["row"]["id"]): c["row"] for c in pulled(db, name)
                if c["t"] in ("complaints", "complaint_files", "plans")}

    mine = office_rows("anong")
    assert mine[("complaints", complaint_id)]["status"] == "assigned"
    assert mine[("complaints", complaint_id)]["assignee"] == anong.user_id
    files = [row for (t, _), row in mine.items() if t == "complaint_files"]
    assert sorted(f["mime"] for f in files) == ["application/pdf", "image/jpeg"]
    plans = [row for (t, _), row in mine.items() if t == "plans"]
    assert len(plans) == 1 and plans[0]["kind"] == "complaint"
    assert plans[0]["template_key"] == "complaint" and plans[0]["complaint_id"] == complaint_id
    assert plans[0]["factory_id"] == office.f10 and plans[0]["assignee"] == anong.user_id
    assert office_rows("boon") == {} and office_rows("chai") == {}
    # the laptop may download the bytes its rows name
    r = office.get(f"/v1/attachments/{files[0]['sha256']}", headers=login(office, "anong"))
    assert r.status_code == 200

    page = sup.get(f"/complaints/{complaint_id}")
    assert "anong" in page.text and 'src="/complaints/' in page.text
    thumb = sup.get(f"/complaints/{complaint_id}/files/{files[0]['sha256'] if files[0]['mime'] == 'image/jpeg' else files[1]['sha256']}?size=thumb")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    other = sign_in(office.site, "sup20")
    assert other.get(f"/complaints/{complaint_id}/files/{files[0]['sha256']}").status_code == 404

    # Re-assigned: the complaint and its files move to boon's laptop (pulled from anong's
    # cursor on, so as new changes), the earlier plan not started is cancelled.
    with db.read() as c:
        cursor = int(c.value("SELECT max(seq) FROM records"))
    r = post(sup, f"/complaints/{complaint_id}/assign",
             {"assignee": boon.user_id, "planned_on": "2026-06-20"},
             page=f"/complaints/{complaint_id}")
    assert r.status_code == 303
    since = pull(db, boon, cursor, limit=10_000)["changes"]
    assert {c["t"] for c in since} >= {"complaints", "complaint_files", "plans"}
    assert len([c for c in since if c["t"] == "complaint_files"]) == 2
    # anong's laptop is told they left her: tombstones, nothing of what they hold now.
    left = [c for c in pull(db, anong, cursor)["changes"] if c["t"].startswith("complaint")]
    assert sorted(c["t"] for c in left) == ["complaint_files", "complaint_files", "complaints"]
    assert all(c.get("gone") and set(c["row"]) == {"id", "deleted", "updated_hlc", "device_id"}
               for c in left)
    states = sorted(p["status"] for p in office_rows("sup10").values() if "kind" in p)
    assert states == ["cancelled", "planned"]


def test_assignment_refused_to_an_inspector_without_the_province(office):
    db = office.db
    sup = sign_in(office.site, "sup10")
    complaint_id = registered(sup, place_name="บ่อขยะหลังตลาด", province_code="10",
                              district="บางรัก", lat="13.72", lng="100.52")
    r = post(sup, f"/complaints/{complaint_id}/assign",
             {"assignee": principal(db, "chai").user_id, "planned_on": "2026-06-18",
              "note": "ข้อความที่พิมพ์ไว้"}, page=f"/complaints/{complaint_id}")
    assert r.status_code == 400 and "ข้อความที่พิมพ์ไว้" in r.text
    assert not [c for c in pulled(db, "chai") if c["t"] in ("plans", "complaints")]
    page = sup.get(f"/complaints/{complaint_id}")
    assert "บ่อขยะหลังตลาด" in page.text and "13.72" in page.text


def test_overdue_list_reply_and_close(office):
    db = office.db
    sup = sign_in(office.site, "sup10")
    late = registered(sup, factory_id=office.f10, received_on="2026-05-01",
                      description="เสียงดังตอนกลางคืน")     # due 2026-05-16
    fresh = registered(sup, factory_id=office.f10b, received_on="2026-06-14",
                       description="ฝุ่นจากลานกองวัตถุดิบ")
    overdue = sup.get("/complaints?overdue=1").text
    assert f"/complaints/{late}" in overdue and f"/complaints/{fresh}" not in overdue
    assert {r["id"] for r in loop.list_complaints(db, principal(db, "sup10"),
                                                  overdue=True)} == {late}
    # A reply dated before the complaint came (a month's report counted it replied before
    # it was received): refused, with the text typed kept.
    r = post(sup, f"/complaints/{late}/reply",
             {"replied_on": "2026-04-30", "reply_text": "แจ้งผลการตรวจแล้ว"},
             page=f"/complaints/{late}")
    assert r.status_code in (400, 409) and "วันที่ตอบต้องไม่ก่อนวันที่รับเรื่อง" in r.text
    assert "แจ้งผลการตรวจแล้ว" in r.text
    r = post(sup, f"/complaints/{late}/reply",
             {"replied_on": "2026-06-15", "reply_text": "แจ้งผลการตรวจแล้ว"},
             page=f"/complaints/{late}")
    assert r.status_code == 303
    assert f"/complaints/{late}" not in sup.get("/complaints?overdue=1").text
    assert post(sup, f"/complaints/{late}/close", {}, page=f"/complaints/{late}"
                ).status_code == 303
    assert f"/complaints/{late}" in sup.get("/complaints?status=closed").text
    with db.read() as c:
        changes = [r["detail"] for r in c.all(
            "SELECT detail FROM audit_log WHERE action = 'change' AND target = ? "
            "ORDER BY at, id", (f"/complaints/{late}",))]
    assert len(changes) == 3 and changes[1].startswith("recorded the reply")
    # the province's other supervisor's list holds none of it
    assert f"/complaints/{late}" not in sign_in(office.site, "sup20").get("/complaints").text


@pytest.mark.parametrize("change, error", [
    ({"problem": []}, "Tick at least one kind of problem."),
    ({"factory_id": "", "place_name": "โรงหลอมเถื่อน", "province_code": "10",
      "lat": "135.2", "lng": "100.5"}, "Latitude and longitude"),
    ({"factory_id": "", "place_name": "โรงหลอมเถื่อน", "province_code": "20"},
     "Choose one of your provinces"),
    ({"description": ""}, "Describe the complaint."),
])
def test_bad_input_comes_back_with_what_was_typed(office, change, error):
    sup = sign_in(office.site, "sup10")
    sup.cookies.set("fieldapp_lang", "en")
    fields = {"factory_id": office.f10, "description": "น้ำเสียไหลลงคลองสาธารณะ", **change}
    r = register(sup, **fields)
    assert r.status_code == 400 and error in r.text
    assert NAME in r.text and CONTACT in r.text            # the form, filled as it was
    if fields["description"]:
        assert fields["description"] in r.text
    if change.get("place_name"):
        assert change["place_name"] in r.text
    with office.db.read() as c:
        assert not c.value("SELECT count(*) FROM records WHERE tbl = 'complaints'")
        assert not c.value("SELECT count(*) FROM complainants")


def test_oversized_or_foreign_upload_refused(office, monkeypatch):
    monkeypatch.setattr(loop, "MAX_FILE_BYTES", 2000)
    sup = sign_in(office.site, "sup10")
    big = b"\xff\xd8\xff" + b"\x00" * 3000
    r = register(sup, factory_id=office.f10, files=[("files", ("big.jpg", big, "image/jpeg"))])
    assert r.status_code == 400 and "กลิ่นเหม็นจากบ่อบำบัดทุกคืน" in r.text
    r = register(sup, factory_id=office.f10,
                 files=[("files", ("page.html", b"<html><script>", "image/jpeg"))])
    assert r.status_code == 400
    # a NUL in a file's name, which would be the file's caption (PostgreSQL refuses it);
    # written by hand: a browser or httpx would escape it
    token = csrf_of(sup.get("/complaints/new").text)
    fields = {"csrf": token, "received_on": "2026-06-10", "channel": "line",
              "problem": "odour", "description": "กลิ่น", "name": NAME, "contact": CONTACT,
              "factory_id": office.f10}
    parts = [f'--B\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(b'--B\r\nContent-Disposition: form-data; name="files"; filename="a\x00b.jpg"'
                 b"\r\nContent-Type: image/jpeg\r\n\r\n" + jpeg() + b"\r\n--B--\r\n")
    r = sup.post("/complaints/new", content=b"".join(parts),
                 headers={"content-type": "multipart/form-data; boundary=B"})
    assert r.status_code == 400
    with office.db.read() as c:
        assert not c.value("SELECT count(*) FROM records WHERE tbl = 'complaints'")
        assert not c.value("SELECT count(*) FROM uploads")


def test_factory_search_inside_the_form_keeps_what_was_typed(office):
    sup = sign_in(office.site, "sup10")
    token = csrf_of(sup.get("/complaints/new").text)
    r = sup.post("/complaints/new", data={
        "csrf": token, "action": "find", "factory_q": "โรงงาน", "description": "ควันดำ",
        "name": NAME, "problem": ["fumes"], "channel": "phone", "received_on": "2026-06-12"})
    assert r.status_code == 200
    assert "โรงงานหนึ่ง" in r.text and "โรงงานสอง" in r.text
    assert "โรงงานสาม" not in r.text                       # province 20
    assert "ควันดำ" in r.text and NAME in r.text and 'value="fumes" checked' in r.text


def kept_files(html: str) -> list[str]:
    """The kept-file boxes of a form sent back, ticked, as the browser sends them back."""
    return re.findall(r'name="kept_file" value="([^"]+)" checked', html)


def complaint_files(db) -> list[dict]:
    with db.read() as c:
        return [Record.from_row(r).data for r in c.all(
            "SELECT * FROM records WHERE tbl = 'complaint_files' ORDER BY id")]


def test_a_file_chosen_before_the_factory_search_is_registered_with_the_complaint(office):
    sup = sign_in(office.site, "sup10")
    photo = jpeg(3)
    token = csrf_of(sup.get("/complaints/new").text)
    r = sup.post("/complaints/new", data={
        "csrf": token, "action": "find", "factory_q": "หนึ่ง", "description": "ควันดำ",
        "problem": ["fumes"], "channel": "phone", "received_on": "2026-06-12"},
        files=[("files", ("ปล่องควัน.jpg", photo, "image/jpeg"))])
    assert r.status_code == 200 and "โรงงานหนึ่ง" in r.text
    # The browser cannot be given the file again: the server kept it, the form names it.
    kept = kept_files(r.text)
    assert kept == [f"{hashlib.sha256(photo).hexdigest()}:ปล่องควัน.jpg"]
    assert "ปล่องควัน.jpg" in r.text
    # Another search keeps it too, and a second file chosen meanwhile joins it.
    r = sup.post("/complaints/new", data={
        "csrf": token, "action": "find", "factory_q": "โรงงาน", "description": "ควันดำ",
        "kept_file": kept}, files=[("files", ("หนังสือ.pdf", b"%PDF-1.4 x", "application/pdf"))])
    kept = kept_files(r.text)
    assert len(kept) == 2
    # The same photo chosen once more (as the form used to ask) is not a second file.
    r = register(sup, factory_id=office.f10, kept_file=kept,
                 files=[("files", ("ปล่องควัน.jpg", photo, "image/jpeg"))])
    assert r.status_code == 303, r.text
    assert sorted((f["caption"], f["mime"]) for f in complaint_files(office.db)) == [
        ("ปล่องควัน.jpg", "image/jpeg"), ("หนังสือ.pdf", "application/pdf")]


def test_a_form_sent_back_with_a_mistake_keeps_its_files_and_only_its_users(office):
    sup = sign_in(office.site, "sup10")
    r = register(sup, description="")                      # a mistake: no description
    assert r.status_code == 400
    kept = kept_files(r.text)
    assert len(kept) == 1 and kept[0].endswith(":บ่อน้ำเสีย.jpg")
    # Unticked, it is left out; ticked, it is registered.
    assert registered(sup, factory_id=office.f10, kept_file=[], files=[])
    assert complaint_files(office.db) == []
    registered(sup, factory_id=office.f10, kept_file=kept, files=[])
    assert [f["caption"] for f in complaint_files(office.db)] == ["บ่อน้ำเสีย.jpg"]
    # Knowing a hash is not having sent the bytes: another supervisor cannot name them.
    admin = sign_in(office.site, "admin")
    assert register(admin, factory_id=office.f10, kept_file=kept, files=[]).status_code == 400
    assert len(complaint_files(office.db)) == 1


def test_the_complaint_inspection_and_its_printed_form_never_name_the_complainant(
        office, tmp_path):
    db = office.db
    sup = sign_in(office.site, "sup10")
    complaint_id = registered(sup, factory_id=office.f10)
    post(sup, f"/complaints/{complaint_id}/assign",
         {"assignee": principal(db, "anong").user_id, "planned_on": "2026-06-18"},
         page=f"/complaints/{complaint_id}")
    # the inspector's laptop opens the complaint inspection and sends it
    device = Device("anong")
    inspection_id, ops = inspection_ops(device, office.f10)
    ops[1]["payload"].update(kind="complaint", record_no="2569/CMPL0001",
                             purpose="ตรวจสอบเรื่องร้องเรียนกลิ่นเหม็น")
    push_ok(office, login(office, "anong"), ops)
    for who in ("sup10", "anong"):
        pdf = render_printed_form(db, principal(db, who), inspection_id)
        text = pdf_text(pdf, tmp_path, who)
        assert "โรงงานหนึ่ง" in text                       # the text is readable
        assert NAME not in text and CONTACT not in text
        assert "ลับเฉพาะ" not in text
    page = sup.get(f"/inspections/{inspection_id}")
    assert page.status_code == 200 and NAME not in page.text


def test_each_date_goes_back_as_its_field_shows_it(office):
    """The forms' dates are shown in the Buddhist era (the office's day, 15/06/2569), and
    posted back unchanged they are that day (console/date_fields.py)."""
    db = office.db
    sup = sign_in(office.site, "sup10")
    received = field_value(sup.get("/complaints/new").text, "received_on")
    assert received == "15/06/2569"
    complaint_id = registered(sup, factory_id=office.f10, received_on=received)
    page = sup.get(f"/complaints/{complaint_id}").text
    planned = field_value(page, "planned_on", form=f"/complaints/{complaint_id}/assign")
    replied = field_value(page, "replied_on", form=f"/complaints/{complaint_id}/reply")
    assert planned == replied == "15/06/2569"
    assert post(sup, f"/complaints/{complaint_id}/assign",
                {"assignee": principal(db, "anong").user_id, "planned_on": planned},
                page=f"/complaints/{complaint_id}").status_code == 303
    assert post(sup, f"/complaints/{complaint_id}/reply",
                {"replied_on": replied, "reply_text": "แจ้งผลแล้ว"},
                page=f"/complaints/{complaint_id}").status_code == 303
    with db.read() as c:
        complaint = Record.from_row(c.one("SELECT * FROM records WHERE tbl = 'complaints' "
                                          "AND id = ?", (complaint_id,))).data
        plan = Record.from_row(c.one("SELECT * FROM records WHERE tbl = 'plans' "
                                     "AND deleted = 0")).data
    assert (complaint["received_on"], complaint["replied_on"], plan["planned_on"]) == \
        (TODAY, TODAY, TODAY)
