"""Administration of users in the console: list, add, role and provinces, disable/enable,
a new password; the office is never left without an enabled administrator; every change
is in the audit log; only administrators get in."""

from __future__ import annotations

import pytest
from console_world import PEOPLE, add_people, csrf_of, post, sign_in, site
from server_fixtures import PASSWORD

from fieldapp.core.errors import ValidationError
from fieldapp.server import audit, auth, web_sessions
from fieldapp.server.auth import LastAdminError


@pytest.fixture
def app(server_db):
    add_people(server_db)
    return site(server_db)


def user_id(db, name: str) -> str:
    return next(u["id"] for u in auth.list_users(db) if u["username"] == name)


def changes(db) -> list[str]:
    rows, _ = audit.search(db, audit.AuditFilter(action=audit.CHANGE))
    return [r["detail"] for r in rows]


def test_the_list_shows_roles_provinces_and_state_in_thai(app, server_db):
    auth.set_disabled(server_db, "chai")
    r = sign_in(app, "admin").get("/admin/users")
    assert r.status_code == 200
    for name in PEOPLE:
        assert f">{name}</a>" in r.text
    assert "กรุงเทพมหานคร" in r.text and "ชลบุรี" in r.text   # provinces by Thai name
    assert "หัวหน้ากลุ่ม" in r.text and "ผู้ดูแลระบบ" in r.text     # roles in Thai
    assert "ระงับ" in r.text
    # Names on the page: the view is in the audit log.
    views, _ = audit.search(server_db, audit.AuditFilter(action=audit.VIEW))
    assert [v["target"] for v in views] == ["/admin/users"]


def test_english_list_names_provinces_in_english(app):
    b = sign_in(app, "admin")
    b.get("/lang/en?next=/")
    r = b.get("/admin/users")
    assert "Bangkok" in r.text and "Chon Buri" in r.text and "Add a user" in r.text


def test_add_a_supervisor_with_provinces(app, server_db):
    b = sign_in(app, "admin")
    r = post(b, "/admin/users", {"username": "somsri", "role": "supervisor",
                                 "password": "a good password", "again": "a good password",
                                 "province": ["10", "73"]})
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=added"
    added = next(u for u in auth.list_users(server_db) if u["username"] == "somsri")
    assert added["role"] == "supervisor" and added["provinces"] == ["10", "73"]
    page = b.get(r.headers["location"]).text
    assert "นครปฐม" in page and "เพิ่มผู้ใช้แล้ว" in page
    new = sign_in(app, "somsri", "a good password")
    assert new.get("/admin/users").status_code == 403
    assert any("added user somsri (supervisor)" in d and "10, 73" in d
               for d in changes(server_db))


@pytest.mark.parametrize("form, message", [
    ({"username": "<script>alert(1)</script>"}, "ชื่อผู้ใช้"),
    ({"username": "somchai"}, "มีผู้ใช้ชื่อนี้แล้ว"),
    ({"role": "root"}, "เลือกบทบาท"),
    ({"province": ["99"]}, "เลือกจังหวัด"),
    ({"password": "short", "again": "short"}, "8 ตัวอักษร"),
    ({"again": "another password"}, "ไม่ตรงกัน"),
])
def test_a_bad_new_user_is_refused_and_nothing_is_added(app, server_db, form, message):
    before = auth.list_users(server_db)
    data = {"username": "newbie", "role": "inspector", "password": "a good password",
            "again": "a good password", "province": ["10"], **form}
    r = post(sign_in(app, "admin"), "/admin/users", data)
    assert r.status_code == 400
    assert message in r.text
    assert "<script>alert(1)" not in r.text        # the refused name comes back escaped
    assert len(auth.list_users(server_db)) == len(before)
    assert not changes(server_db)


def test_set_role_and_provinces(app, server_db):
    b = sign_in(app, "admin")
    target = user_id(server_db, "anong")
    page = b.get(f"/admin/users/{target}")
    assert page.status_code == 200 and "anong" in page.text
    r = b.post(f"/admin/users/{target}/access", data={
        "csrf": csrf_of(page.text), "role": "supervisor", "province": ["20", "21"]})
    assert r.status_code == 303
    after = auth.user_by_id(server_db, target)
    assert after["role"] == "supervisor" and after["provinces"] == ["20", "21"]
    assert "user anong: role inspector -> supervisor; provinces granted 20, 21; " \
           "provinces withdrawn 10" in changes(server_db)
    assert "บันทึกบทบาทและจังหวัดแล้ว" in b.get(r.headers["location"]).text
    # The new role counts at once: anong may now open the dashboard's sibling pages.
    assert sign_in(app, "anong").get("/admin/users").status_code == 403


def test_bad_role_or_province_changes_nothing(app, server_db):
    b = sign_in(app, "admin")
    target = user_id(server_db, "anong")
    for data in ({"role": "boss", "province": ["10"]},
                 {"role": "inspector", "province": ["10", "<b>x</b>"]}):
        r = post(b, f"/admin/users/{target}/access", data, page=f"/admin/users/{target}")
        assert r.status_code == 400 and "<b>x</b>" not in r.text
    assert auth.user_by_id(server_db, target)["provinces"] == ["10"]


def test_the_last_admin_cannot_demote_or_disable_themself(app, server_db):
    b = sign_in(app, "admin")
    me = user_id(server_db, "admin")
    r = post(b, f"/admin/users/{me}/access", {"role": "supervisor", "province": ["10"]},
             page=f"/admin/users/{me}")
    assert r.status_code == 409 and "ผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน" in r.text
    r = post(b, f"/admin/users/{me}/disable", page=f"/admin/users/{me}")
    assert r.status_code == 409
    assert auth.user_by_id(server_db, me)["role"] == "admin"
    assert not auth.user_by_id(server_db, me)["disabled"]
    assert b.get("/admin/users").status_code == 200    # still in
    assert not changes(server_db)


def test_with_two_admins_one_may_go_but_never_both(app, server_db):
    auth.add_user(server_db, "boss2", PASSWORD, "admin")
    b = sign_in(app, "admin")
    other = user_id(server_db, "boss2")
    assert post(b, f"/admin/users/{other}/disable",
                page=f"/admin/users/{other}").status_code == 303
    me = user_id(server_db, "admin")
    r = post(b, f"/admin/users/{me}/access", {"role": "inspector"}, page=f"/admin/users/{me}")
    assert r.status_code == 409     # boss2 is disabled: admin is the last enabled one
    assert post(b, f"/admin/users/{other}/enable",
                page=f"/admin/users/{other}").status_code == 303
    r = post(b, f"/admin/users/{me}/access", {"role": "inspector"}, page=f"/admin/users/{me}")
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert b.get("/admin/users").status_code == 403  # demoted themself: the page is shut
    # boss2 is now the last admin; the storage layer refuses losing them too.
    with pytest.raises(LastAdminError):
        auth.set_role(server_db, "boss2", "supervisor")
    with pytest.raises(LastAdminError):
        auth.set_disabled(server_db, "boss2")


def test_disabling_a_disabled_admin_or_demoting_one_is_not_refused(server_db):
    auth.add_user(server_db, "root1", PASSWORD, "admin")
    auth.add_user(server_db, "root2", PASSWORD, "admin")
    auth.set_disabled(server_db, "root2")
    auth.set_disabled(server_db, "root2")                 # already disabled: fine
    assert auth.set_role(server_db, "root2", "inspector") == "admin"
    with pytest.raises(ValidationError):
        auth.set_role(server_db, "root1", "superuser")


def test_an_admin_cannot_disable_their_own_account(app, server_db):
    auth.add_user(server_db, "boss2", PASSWORD, "admin")
    b = sign_in(app, "admin")
    me = user_id(server_db, "admin")
    r = post(b, f"/admin/users/{me}/disable", page=f"/admin/users/{me}")
    assert r.status_code == 409 and not auth.user_by_id(server_db, me)["disabled"]


def test_disable_ends_sessions_and_laptop_sync_then_enable(app, server_db):
    token, _ = auth.login(server_db, "chai", PASSWORD, "laptop-chai")
    console = sign_in(app, "chai")
    b = sign_in(app, "admin")
    target = user_id(server_db, "chai")
    r = post(b, f"/admin/users/{target}/disable", page=f"/admin/users/{target}")
    assert r.status_code == 303
    assert console.get("/account/password").status_code == 303          # signed out
    with pytest.raises(auth.AuthError):
        auth.principal_for(server_db, token)
    assert not [s for s in web_sessions.live(server_db) if s["username"] == "chai"]
    assert any(d.startswith("disabled user chai; 1 console session") for d in changes(server_db))
    r = post(b, f"/admin/users/{target}/enable", page=f"/admin/users/{target}")
    assert r.status_code == 303 and not auth.user_by_id(server_db, target)["disabled"]
    sign_in(app, "chai")


def test_a_new_password_ends_laptop_logins_and_sessions(app, server_db):
    token, _ = auth.login(server_db, "anong", PASSWORD, "laptop-anong")
    console = sign_in(app, "anong")
    b = sign_in(app, "admin")
    target = user_id(server_db, "anong")
    short = post(b, f"/admin/users/{target}/password", {"password": "x", "again": "x"},
                 page=f"/admin/users/{target}")
    assert short.status_code == 400
    differ = post(b, f"/admin/users/{target}/password",
                  {"password": "new secret 1", "again": "new secret 2"},
                  page=f"/admin/users/{target}")
    assert differ.status_code == 400
    r = post(b, f"/admin/users/{target}/password",
             {"password": "new secret 1", "again": "new secret 1"},
             page=f"/admin/users/{target}")
    assert r.status_code == 303
    assert console.get("/account/password").status_code == 303
    with pytest.raises(auth.AuthError):
        auth.principal_for(server_db, token)
    sign_in(app, "anong", "new secret 1")
    assert "set a new password for anong; 1 laptop login(s) revoked, 1 console session(s) " \
           "ended" in changes(server_db)
    assert "new secret" not in " ".join(changes(server_db))   # never the password itself


def test_resetting_ones_own_password_keeps_this_session(app, server_db):
    b = sign_in(app, "admin")
    elsewhere = sign_in(app, "admin")
    me = user_id(server_db, "admin")
    r = post(b, f"/admin/users/{me}/password", {"password": "fresh one!", "again": "fresh one!"},
             page=f"/admin/users/{me}")
    assert r.status_code == 303
    assert b.get("/admin/users").status_code == 200
    assert elsewhere.get("/admin/users").status_code == 303


def test_unknown_user_is_not_found(app):
    b = sign_in(app, "admin")
    assert b.get("/admin/users/no-such-id").status_code == 404
    r = post(b, "/admin/users/no-such-id/disable", page="/admin/users")
    assert r.status_code == 404


def test_hostile_names_already_stored_are_escaped(app, server_db):
    auth.add_user(server_db, '"><img src=x onerror=alert(1)>สมหมาย', PASSWORD, "inspector")
    b = sign_in(app, "admin")
    r = b.get("/admin/users")
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;สมหมาย" in r.text
    target = user_id(server_db, '"><img src=x onerror=alert(1)>สมหมาย')
    r = b.get(f"/admin/users/{target}")
    assert r.status_code == 200 and "<img src=x" not in r.text


@pytest.mark.parametrize("who", [n for n, (role, _) in PEOPLE.items() if role != "admin"])
def test_only_admins_manage_users(app, server_db, who):
    b = sign_in(app, who)
    target = user_id(server_db, "anong")
    assert b.get("/admin/users").status_code == 403
    assert b.get(f"/admin/users/{target}").status_code == 403
    token = csrf_of(b.get("/account/password").text)
    for path, data in (("/admin/users", {"username": "sneaky", "role": "admin",
                                         "password": "a good password",
                                         "again": "a good password"}),
                       (f"/admin/users/{target}/access", {"role": "admin"}),
                       (f"/admin/users/{target}/disable", {}),
                       (f"/admin/users/{target}/password", {"password": "taken over!",
                                                            "again": "taken over!"})):
        assert b.post(path, data={**data, "csrf": token}).status_code == 403
    assert "sneaky" not in [u["username"] for u in auth.list_users(server_db)]
    assert auth.user_by_id(server_db, target)["role"] == "inspector"
    sign_in(app, "anong")   # password unchanged
