"""Administration of laptop logins (devices) and checklist templates in the console."""

from __future__ import annotations

import json

import pytest
from console_world import PEOPLE, add_people, csrf_of, post, sign_in, site
from server_fixtures import PASSWORD, template_doc

from fieldapp.core.errors import ValidationError
from fieldapp.server import audit, auth, office, office_registry, template_upload
from fieldapp.server.office import publish_shipped_templates

NON_ADMINS = [n for n, (role, _) in PEOPLE.items() if role != "admin"]


@pytest.fixture
def app(server_db):
    add_people(server_db)
    publish_shipped_templates(server_db)
    return site(server_db)


def changes(db) -> list[str]:
    rows, _ = audit.search(db, audit.AuditFilter(action=audit.CHANGE))
    return [r["detail"] for r in rows]


# -- devices ----------------------------------------------------------------------------------

def test_devices_list_and_revoke(app, server_db):
    token, _ = auth.login(server_db, "anong", PASSWORD, "lap-anong",
                          '<script>alert("x")</script>โน้ตบุ๊กงานตรวจ')
    auth.login(server_db, "chai", PASSWORD, "lap-chai", "ThinkPad")
    b = sign_in(app, "admin")
    r = b.get("/admin/devices")
    assert r.status_code == 200
    assert "lap-anong" in r.text and "lap-chai" in r.text and "ThinkPad" in r.text
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    assert "โน้ตบุ๊กงานตรวจ" in r.text
    login_id = next(d["id"] for d in auth.list_devices(server_db)
                    if d["device_id"] == "lap-anong")
    r = post(b, f"/admin/devices/{login_id}/revoke", page="/admin/devices")
    assert r.status_code == 303
    with pytest.raises(auth.AuthError):
        auth.principal_for(server_db, token)
    page = b.get(r.headers["location"]).text
    assert "lap-anong" not in page                       # revoked ones are hidden...
    assert "lap-anong" in b.get("/admin/devices?show=all").text   # ...until asked for
    assert f"revoked login {login_id} of anong on device lap-anong" in changes(server_db)
    views, _ = audit.search(server_db, audit.AuditFilter(action=audit.VIEW))
    assert "/admin/devices" in [v["target"] for v in views]


def test_revoking_an_unknown_login_is_not_found(app):
    b = sign_in(app, "admin")
    assert post(b, "/admin/devices/nope/revoke", page="/admin/devices").status_code == 404


def test_the_app_version_column_shows_when_the_rows_carry_it(app, server_db, monkeypatch):
    auth.login(server_db, "anong", PASSWORD, "lap-anong")
    b = sign_in(app, "admin")
    assert "รุ่นโปรแกรม" not in b.get("/admin/devices").text
    real = auth.list_devices
    monkeypatch.setattr(auth, "list_devices",
                        lambda db: [{**r, "app_version": "2.3.1"} for r in real(db)])
    r = b.get("/admin/devices")
    assert "รุ่นโปรแกรม" in r.text and "2.3.1" in r.text


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_admins_manage_devices(app, server_db, who):
    auth.login(server_db, "anong", PASSWORD, "lap-anong")
    login_id = auth.list_devices(server_db)[0]["id"]
    b = sign_in(app, who)
    assert b.get("/admin/devices").status_code == 403
    token = csrf_of(b.get("/account/password").text)
    assert b.post(f"/admin/devices/{login_id}/revoke",
                  data={"csrf": token}).status_code == 403
    assert not auth.list_devices(server_db)[0]["revoked"]


# -- templates --------------------------------------------------------------------------------

def upload(b, name: str, content: bytes):
    html = b.get("/admin/templates").text
    return b.post("/admin/templates", data={"csrf": csrf_of(html)},
                  files={"file": (name, content, "application/json")})


def doc_bytes(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def test_templates_list_versions_with_their_inspections(app, server_db, shared_data):
    office_registry.import_registry(server_db, shared_data / "diw_factory_data_sample.csv")
    with server_db.read() as c:
        fids = [json.loads(r["data"])["fid"] for r in c.all(
            "SELECT data FROM records WHERE tbl = 'factories' LIMIT 2")]
    for fid in fids:
        office.assign(server_db, "admin", fid, "env-general",
                      started_at="2026-12-01T02:00:00.000Z")
    b = sign_in(app, "admin")
    r = b.get("/admin/templates")
    assert r.status_code == 200
    rows = {(t["key"], t["version"]): t for t in office.template_versions(server_db)}
    assert rows[("env-general", 1)]["inspections"] == 2
    assert rows[("complaint", 1)]["inspections"] == 0
    assert 'href="/inspections?template=env-general%3A1">2</a>' in r.text
    assert rows[("env-general", 1)]["title"] in r.text


def test_publish_a_valid_file(app, server_db):
    b = sign_in(app, "admin")
    doc = template_doc(2)
    r = upload(b, "env-general-v2.json", doc_bytes(doc))
    assert r.status_code == 200, r.text
    assert "เผยแพร่แบบตรวจ env-general ฉบับที่ 2 แล้ว" in r.text
    versions = {(t["key"], t["version"]): t for t in office.template_versions(server_db)}
    assert versions[("env-general", 2)]["status"] == "published"
    assert any(d.startswith("published template env-general v2") and
               "from env-general-v2.json" in d for d in changes(server_db))
    # The same file again: nothing changes, nothing new in the log.
    again = upload(b, "env-general-v2.json", doc_bytes(doc))
    assert again.status_code == 200 and "ไม่มีการเปลี่ยนแปลง" in again.text
    assert len([d for d in changes(server_db) if "env-general v2" in d]) == 1


def test_a_changed_body_under_a_published_version_names_the_next_number(app, server_db):
    b = sign_in(app, "admin")
    doc = template_doc(1)
    doc["title"]["th"] = doc["title"]["th"] + " (แก้ไข)"
    r = upload(b, "changed.json", doc_bytes(doc))
    assert r.status_code == 400
    assert "ไม่ได้เผยแพร่แบบตรวจ" in r.text
    assert "already published" in r.text and '&#34;version&#34;: 2' in r.text
    assert office.next_template_version(server_db, "env-general") == 2
    assert not changes(server_db)


@pytest.mark.parametrize("name, content, expected", [
    ("broken.json", b'{"key": "x", ', "not valid JSON"),
    ("schema.json", None, "form_code"),
    ("thai-cp874.json", "{\"title\": \"แบบตรวจ\"}".encode("cp874"), "not UTF-8"),
    ("twice.json", b'{"key": "a", "key": "b"}', "appears twice"),
    ("notes.txt", b"{}", "json"),
    ("empty.json", b"", "empty"),
])
def test_an_invalid_file_is_refused_with_its_problems(app, server_db, name, content,
                                                      expected):
    if content is None:
        doc = template_doc(5)
        del doc["form_code"]
        content = doc_bytes(doc)
    before = office.template_versions(server_db)
    r = upload(sign_in(app, "admin"), name, content)
    assert r.status_code == 400
    assert "ไม่ได้เผยแพร่แบบตรวจ" in r.text and expected in r.text
    assert name in r.text                       # problems name the uploaded file
    assert "fieldapp-template-" not in r.text   # never the temporary copy
    assert office.template_versions(server_db) == before
    assert not changes(server_db)


def test_hostile_template_text_is_escaped(app, server_db):
    doc = template_doc(3)
    doc["title"]["th"] = '<img src=x onerror=alert(1)>แบบตรวจทั่วไป'
    r = upload(sign_in(app, "admin"), "v3.json", doc_bytes(doc))
    assert r.status_code == 200, r.text
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;" in r.text
    bad = upload(sign_in(app, "admin"), "<img src=y onerror=alert(2)>.json", b"{")
    assert bad.status_code == 400
    assert "<img src=y" not in bad.text and "&lt;img src=y onerror=alert(2)&gt;.json" in bad.text


def test_no_file_is_a_clear_refusal(app):
    b = sign_in(app, "admin")
    r = post(b, "/admin/templates", {}, page="/admin/templates")
    assert r.status_code == 400 and "กรุณาเลือกไฟล์แบบตรวจ" in r.text


def test_an_upload_reader_can_be_added_for_another_kind_of_file(monkeypatch):
    """The XLSForm work plugs its workbook reader in by extension."""
    seen = {}

    def read_xlsx(data: bytes, name: str):
        seen["call"] = (data, name)
        raise template_upload.TemplateError(name, [f"{name}: sheet survey: row 2: bad"])

    monkeypatch.setitem(template_upload.READERS, ".xlsx", read_xlsx)
    with pytest.raises(ValidationError) as caught:
        template_upload.read_upload("C:\\forms\\checklist.xlsx", b"PK")
    assert seen["call"] == (b"PK", "checklist.xlsx")
    assert caught.value.problems == ["checklist.xlsx: sheet survey: row 2: bad"]
    assert ".xlsx" in template_upload.accepted_suffixes()


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_admins_manage_templates(app, server_db, who):
    b = sign_in(app, who)
    assert b.get("/admin/templates").status_code == 403
    token = csrf_of(b.get("/account/password").text)
    r = b.post("/admin/templates", data={"csrf": token},
               files={"file": ("v9.json", doc_bytes(template_doc(9)), "application/json")})
    assert r.status_code == 403
    assert ("env-general", 9) not in {(t["key"], t["version"])
                                      for t in office.template_versions(server_db)}
