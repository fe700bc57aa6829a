"""Checklists written in Excel (XLSForm) in the console: an upload's problems shown cell by
cell, a valid workbook previewed as the laptops will show it and published only from the
preview (and only the content previewed), any version downloaded as a workbook, and the
issue's end to end: a section written only in Excel, published in the console, synced to a
laptop, inspected and printed in Thai."""

from __future__ import annotations

import html
import io
import re

import pytest
from console_world import PEOPLE, add_people, csrf_of, sign_in, site
from markupsafe import escape
from openpyxl import load_workbook
from server_fixtures import FACTORIES, PASSWORD, Laptop, inproc_client, seed_factories
from test_forms_render import flat, page_texts
from xlsform_workbooks import cell, row_named, to_bytes

from fieldapp.core.template_model import version_id
from fieldapp.core.templates import parse_template
from fieldapp.server import audit, auth, office
from fieldapp.server.office import publish_shipped_templates
from fieldapp.xlsform import parse_workbook

NON_ADMINS = [n for n, (role, _) in PEOPLE.items() if role != "admin"]
ENV1 = version_id("env-general", 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')

# The section: a measured value with a legal limit and unit, a pass/fail/NA item
# shown only when another fails, and a photo item.
NEW_SECTION = [
    ("begin_group", "odour", "กลิ่นรบกวนบริเวณรั้วโรงงาน", "Odour at the boundary", {}),
    ("decimal", "odour.level", "ค่าความเข้มกลิ่นที่รั้วโรงงาน", "Odour concentration at the fence",
     {"limit_max": 2, "unit": "OU", "requires_note_on_fail": "yes",
      "legal_ref::Thai (th)": "ประกาศกระทรวงอุตสาหกรรม เรื่อง ค่าความเข้มกลิ่น พ.ศ. 2548"}),
    ("select_one pass_fail_na", "odour.source_closed", "ปิดคลุมแหล่งกำเนิดกลิ่นแล้ว",
     "Odour source is enclosed", {"requires_photo_on_fail": "yes", "required": "yes"}),
    ("select_one pass_fail_na", "odour.scrubber", "ระบบบำบัดกลิ่นทำงานระหว่างตรวจ",
     "Odour scrubber running at the visit",
     {"relevant": "${odour.source_closed} = 'fail'", "requires_note_on_fail": "yes"}),
    ("image", "odour.photo", "ภาพถ่ายแหล่งกำเนิดกลิ่น", "Photo of the odour source", {}),
    ("end_group", None, None, None, {}),
]


@pytest.fixture
def app(server_db):
    add_people(server_db)
    publish_shipped_templates(server_db)
    return site(server_db)


def esc(text: str) -> str:
    """``text`` as the console's templates write it into a page."""
    return str(escape(text))


def audited(db, action: str) -> list[dict]:
    rows, _ = audit.search(db, audit.AuditFilter(action=action))
    return rows


def upload(b, name: str, content: bytes):
    page = b.get("/admin/templates").text
    return b.post("/admin/templates", data={"csrf": csrf_of(page)},
                  files={"file": (name, content, XLSX)})


def export(b, row_id: str = ENV1) -> bytes:
    r = b.get(f"/admin/templates/{row_id}/export.xlsx")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    return r.content


def with_new_section(data: bytes, version: int = 2, section=NEW_SECTION) -> bytes:
    """The exported workbook ``data`` with the issue's section appended in openpyxl, as an
    office would add it in Excel, under ``version``."""
    workbook = load_workbook(io.BytesIO(data))
    survey = workbook["survey"]
    start = survey.max_row + 1
    for offset, (kind, name, th, en, extra) in enumerate(section):
        row = start + offset
        cell(survey, row, "type").value = kind
        if name:
            cell(survey, row, "name").value = name
            cell(survey, row, "label::Thai (th)").value = th
            cell(survey, row, "label::English (en)").value = en
        for heading, value in extra.items():
            cell(survey, row, heading).value = value
    cell(workbook["settings"], 2, "version").value = version
    return to_bytes(workbook)


def publish_form(preview_html: str) -> dict:
    """The hidden fields of the preview's Publish form, as the browser would send them."""
    return {name: html.unescape(value) for name, value in HIDDEN.findall(preview_html)}


def meaning(template) -> tuple:
    return (template.key, template.version, template.form_code, template.title,
            [(s.id, s.title) for s in template.sections],
            [(i.id, i.number, i.type, i.label, i.required, i.unit, i.limits, i.legal_basis,
              i.on_fail, i.choices, i.conditions) for i in template.items.values()])


def versions(db) -> set[tuple[str, int]]:
    return {(t["key"], t["version"]) for t in office.template_versions(db, False)}


# -- problems -----------------------------------------------------------------------------

def test_a_malformed_workbook_shows_each_problem_at_its_cell(app, server_db):
    b = sign_in(app, "admin")
    workbook = load_workbook(io.BytesIO(export(b)))
    survey = workbook["survey"]
    row = row_named(survey, "lic.status")
    cell(survey, row, "type").value = "select_one no_such_list"
    cell(survey, row_named(survey, "lic.licence_doc"), "relevant").value = \
        "${lic.nothing} = 'c3'"
    survey.cell(row=1, column=survey.max_column + 1, value="relevent")
    data = to_bytes(workbook)
    expected = parse_workbook(data)[1]
    assert len(expected) >= 3
    before = versions(server_db)

    r = upload(b, "env-general.xlsx", data)
    assert r.status_code == 400
    assert 'class="grid sheet-problems"' in r.text
    for problem in expected:
        assert f"<code>{esc(problem.cell)}</code>" in r.text
        assert esc(problem.message_th) in r.text
        assert esc(problem.message_en) not in r.text
    assert f"<code>survey!A{row}</code>" in r.text          # the broken type, at its cell
    assert "ไม่ได้เผยแพร่" in r.text
    assert versions(server_db) == before and not audited(server_db, audit.CHANGE)

    b.get("/lang/en?next=/admin/templates")
    r = upload(b, "env-general.xlsx", data)
    assert r.status_code == 400
    for problem in expected:
        assert esc(problem.message_en) in r.text
        assert esc(problem.message_th) not in r.text
    assert "nothing was published" in r.text


def test_a_file_that_is_no_workbook_is_refused_in_the_table(app, server_db):
    r = upload(sign_in(app, "admin"), "<b>notes</b>.xlsx", "ไม่ใช่สมุดงาน".encode())
    assert r.status_code == 400
    assert 'class="grid sheet-problems"' in r.text
    assert "<b>notes" not in r.text
    assert not audited(server_db, audit.CHANGE)


# -- preview and publish --------------------------------------------------------------------

def test_a_valid_workbook_is_previewed_then_published(app, server_db):
    b = sign_in(app, "admin")
    hostile = [(*NEW_SECTION[0][:2], '<script>alert(1)</script>กลิ่น', *NEW_SECTION[0][3:]),
               *NEW_SECTION[1:]]
    data = with_new_section(export(b), section=hostile)
    r = upload(b, "กลิ่น-v2.xlsx", data)
    assert r.status_code == 200, r.text
    assert ("env-general", 2) not in versions(server_db)       # not yet
    assert not audited(server_db, audit.CHANGE)
    text = r.text
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;กลิ่น" in text
    # The checklist as the laptop lists it: numbered items, both languages, the limit and
    # its unit, the legal basis, the condition and what a failure needs.
    template = parse_template(parse_workbook(data)[0], "x")
    section = template.sections[-1]
    level, closed, scrubber, photo = section.items
    assert f"<strong>{level.number}</strong> ค่าความเข้มกลิ่นที่รั้วโรงงาน" in text
    assert "Odour concentration at the fence" in text
    assert "≤ 2 OU" in text
    assert "ประกาศกระทรวงอุตสาหกรรม เรื่อง ค่าความเข้มกลิ่น พ.ศ. 2548" in text
    assert "แสดงเฉพาะเมื่อ" in text and f"ข้อ {closed.number} ปิดคลุมแหล่งกำเนิดกลิ่นแล้ว" in text
    assert "ต้องบันทึกหมายเหตุ" in text and "ต้องแนบภาพถ่าย" in text
    assert f"<strong>{photo.number}</strong> ภาพถ่ายแหล่งกำเนิดกลิ่น" in text
    assert "เผยแพร่ฉบับที่ 2" in text

    fields = publish_form(text)
    assert set(fields) >= {"csrf", "document", "seal", "filename"}
    r = b.post("/admin/templates/publish", data=fields)
    assert r.status_code == 200, r.text
    assert "เผยแพร่แบบตรวจ env-general ฉบับที่ 2 แล้ว" in r.text
    assert ("env-general", 2) in versions(server_db)
    assert office.template_of_version(server_db, template.version_id) == template
    assert [row["detail"] for row in audited(server_db, audit.CHANGE)] == [
        f"published template env-general v2 ({template.version_id}) from กลิ่น-v2.xlsx"]
    listed = b.get("/admin/templates").text
    assert f"/admin/templates/{template.version_id}/export.xlsx" in listed

    # The same preview again publishes nothing new.
    again = b.post("/admin/templates/publish", data=fields)
    assert again.status_code == 200 and "ไม่มีการเปลี่ยนแปลง" in again.text
    assert len(audited(server_db, audit.CHANGE)) == 1


def test_the_preview_warns_of_a_version_already_published(app, server_db):
    b = sign_in(app, "admin")
    data = with_new_section(export(b), version=1)
    r = upload(b, "v1.xlsx", data)
    assert r.status_code == 200
    assert "ฉบับที่ 2" in r.text                       # the number to use instead
    r = b.post("/admin/templates/publish", data=publish_form(r.text))
    assert r.status_code == 400 and "already published" in r.text
    assert ("env-general", 2) not in versions(server_db)
    assert not audited(server_db, audit.CHANGE)


def test_a_changed_publish_form_is_refused(app, server_db):
    b = sign_in(app, "admin")
    r = upload(b, "v2.xlsx", with_new_section(export(b)))
    fields = publish_form(r.text)
    changed = dict(fields, document=fields["document"].replace("ค่าความเข้มกลิ่น",
                                                                 "ค่าความเข้มกลิ่นที่แก้"))
    assert changed["document"] != fields["document"]
    attempts = [changed, dict(fields, seal="0" * 64), dict(fields, seal=""),
                {k: v for k, v in fields.items() if k != "seal"},
                dict(fields, document=fields["document"] + " "),
                dict(fields, filename="another.xlsx")]
    for attempt in attempts:
        refused = b.post("/admin/templates/publish", data=attempt)
        assert refused.status_code == 400
        assert "เปลี่ยนแปลงหลังการตรวจ" in refused.text
    # A preview sealed for one admin cannot be published by another.
    auth.add_user(server_db, "admin2", PASSWORD, "admin")
    other = sign_in(app, "admin2")
    token = csrf_of(other.get("/admin/templates").text)
    refused = other.post("/admin/templates/publish", data=dict(fields, csrf=token))
    assert refused.status_code == 400
    assert ("env-general", 2) not in versions(server_db)
    assert not audited(server_db, audit.CHANGE)
    # The untouched form still publishes.
    assert b.post("/admin/templates/publish", data=fields).status_code == 200
    assert ("env-general", 2) in versions(server_db)


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_admins_preview_publish_and_export(app, server_db, who):
    admin = sign_in(app, "admin")
    fields = publish_form(upload(admin, "v2.xlsx", with_new_section(export(admin))).text)
    b = sign_in(app, who)
    token = csrf_of(b.get("/account/password").text)
    assert b.post("/admin/templates/publish", data=dict(fields, csrf=token)).status_code == 403
    assert b.post("/admin/templates", data={"csrf": token}, files={
        "file": ("v2.xlsx", with_new_section(export(admin)), XLSX)}).status_code == 403
    assert b.get(f"/admin/templates/{ENV1}/export.xlsx").status_code == 403
    assert ("env-general", 2) not in versions(server_db)
    assert [r["username"] for r in audited(server_db, audit.EXPORT)] == ["admin", "admin"]


# -- export ---------------------------------------------------------------------------------

def test_export_downloads_a_workbook_that_reads_back(app, server_db):
    b = sign_in(app, "admin")
    for row in office.template_versions(server_db, False):
        r = b.get(f"/admin/templates/{row['id']}/export.xlsx")
        assert r.status_code == 200
        assert f'filename="{row["key"]}-v{row["version"]}.xlsx"' in \
            r.headers["content-disposition"]
        document, problems = parse_workbook(r.content)
        assert problems == []
        # The same checklist (a one-value "in" reads back as "equals": same meaning).
        assert meaning(parse_template(document, "back")) == \
            meaning(office.template_of_version(server_db, row["id"]))
    exports = audited(server_db, audit.EXPORT)
    assert len(exports) == len(office.template_versions(server_db, False))
    assert any(e["target"] == f"/admin/templates/{ENV1}/export.xlsx" and
               e["detail"] == "template env-general v1 as XLSX" for e in exports)
    assert b.get(f"/admin/templates/{version_id('nothing', 1)}/export.xlsx").status_code == 404
    assert b.get("/admin/templates/<script>/export.xlsx").status_code == 404


# -- the "done when", end to end ------------------------------------------------------

def test_a_checklist_written_in_excel_reaches_a_laptop_and_is_printed(server_db, tmp_path):
    from fieldapp.core.templates import is_visible
    from fieldapp.forms.inspection_form import render_inspection_pdf
    from fieldapp.store import inspections as insp
    from fieldapp.store.templates import latest_published

    add_people(server_db)
    seed_factories(server_db, FACTORIES)
    publish_shipped_templates(server_db)
    app = site(server_db)      # the console and the laptops' API on one server

    # 1-3. In the console only: download env-general, add the section, upload, publish.
    b = sign_in(app, "admin")
    r = upload(b, "env-general.xlsx", with_new_section(export(b)))
    assert r.status_code == 200, r.text
    r = b.post("/admin/templates/publish", data=publish_form(r.text))
    assert "เผยแพร่แบบตรวจ env-general ฉบับที่ 2 แล้ว" in r.text

    # 4. A real sync brings it to an inspector's laptop, who inspects with it.
    laptop = Laptop(tmp_path / "anong.db", inproc_client(app), "anong")
    try:
        assert laptop.sync().ok
        template = latest_published(laptop.store, "env-general")
        assert template.version == 2 and template.sections[-1].id == "odour"
        scrubber = template.item("odour.scrubber")
        factory = laptop.store.query(
            "SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        iid = insp.create_inspection(laptop.store, factory_id=factory,
                                     template_version_id=template.version_id,
                                     purpose="ตรวจเรื่องกลิ่นตามข้อร้องเรียน",
                                     started_at="2026-12-04T02:30:00.000Z")["id"]
        insp.set_answer(laptop.store, iid, "odour.source_closed", result="fail",
                        note="เปิดโล่ง")
        assert is_visible(scrubber, insp.answers_by_item(laptop.store, iid))
        insp.set_answer(laptop.store, iid, "odour.scrubber", result="fail", note="ปิดเครื่อง")
        # An over-limit reading is recorded (a legal limit is not a constraint), flagged.
        assert insp.set_answer(laptop.store, iid, "odour.level", value="3.5",
                               note="เกินค่ามาตรฐาน")["exceeded"] == 1
        assert laptop.sync().ok

        # 5. The printed form has the new section, typeset in Thai.
        text = flat("".join(page_texts(render_inspection_pdf(laptop.store, iid))))
        for thai in ("กลิ่นรบกวนบริเวณรั้วโรงงาน", "ค่าความเข้มกลิ่นที่รั้วโรงงาน",
                     "ระบบบำบัดกลิ่นทำงานระหว่างตรวจ", "ภาพถ่ายแหล่งกำเนิดกลิ่น"):
            assert flat(thai) in text, thai
    finally:
        laptop.close()
    # The inspection came back to the office under the Excel-written version.
    used = {(t["key"], t["version"]): t["inspections"]
            for t in office.template_versions(server_db)}
    assert used[("env-general", 2)] == 1
