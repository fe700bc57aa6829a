"""Signing in and out, sessions kept on the server, CSRF, cookies and security headers."""

from __future__ import annotations

import pytest
from console_world import PEOPLE, add_people, browser, csrf_of, post, sign_in, site
from server_fixtures import PASSWORD

from fieldapp.server import audit, web_sessions
from fieldapp.server.console import security


@pytest.fixture
def app(server_db):
    add_people(server_db)
    return site(server_db)


def test_sign_in_page_is_thai_first_and_has_no_inline_script(app):
    r = browser(app).get("/signin")
    assert r.status_code == 200
    assert "เข้าสู่ระบบงานสำนักงาน" in r.text and '<html lang="th">' in r.text
    assert "<script>" not in r.text and "onclick" not in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"


def test_english_switch(app):
    b = browser(app)
    r = b.get("/lang/en?next=/signin")
    assert r.status_code == 303 and r.headers["location"] == "/signin"
    assert "Sign in to the office console" in b.get("/signin").text
    # Only paths on this site: no open redirect.
    assert b.get("/lang/th?next=https://evil.example/").headers["location"] == "/"
    assert b.get("/lang/th?next=//evil.example/").headers["location"] == "/"


def test_sign_in_sets_a_safe_cookie_and_records_it(app, server_db):
    b = browser(app)
    form = b.get("/signin")
    r = b.post("/signin", data={"username": "somchai", "password": PASSWORD,
                                "csrf": csrf_of(form.text), "next": "/inspections"})
    assert r.status_code == 303 and r.headers["location"] == "/inspections"
    cookie = next(h for h in r.headers.get_list("set-cookie")
                  if h.startswith(security.SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie   # plain HTTP here; under TLS it is Secure
    rows, _ = audit.search(server_db, audit.AuditFilter(username="somchai"))
    assert [r["action"] for r in rows] == ["sign_in"]


def test_cookie_is_secure_under_tls(app):
    b = browser(app, "https://testserver")
    form = b.get("/signin")
    r = b.post("/signin", data={"username": "admin", "password": PASSWORD,
                                "csrf": csrf_of(form.text)})
    cookie = next(h for h in r.headers.get_list("set-cookie")
                  if h.startswith(security.SESSION_COOKIE + "="))
    assert "Secure" in cookie


def test_wrong_password_is_refused_and_logged_without_telling_which(app, server_db):
    b = browser(app)
    for name in ("somchai", "nobody"):
        form = b.get("/signin")
        r = b.post("/signin", data={"username": name, "password": "wrong password",
                                    "csrf": csrf_of(form.text)})
        assert r.status_code == 401
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in r.text
        assert security.SESSION_COOKIE not in b.cookies
    rows, total = audit.search(server_db, audit.AuditFilter(action="sign_in_failed"))
    assert total == 2 and {r["username"] for r in rows} == {"somchai", "nobody"}


def test_sign_in_without_its_csrf_cookie_is_refused(app):
    form = browser(app).get("/signin")
    stranger = browser(app)  # has not loaded the form: no pre-session cookie
    r = stranger.post("/signin", data={"username": "admin", "password": PASSWORD,
                                       "csrf": csrf_of(form.text)})
    assert r.status_code == 400 and security.SESSION_COOKIE not in stranger.cookies


def test_pages_need_a_session(app):
    r = browser(app).get("/admin/sessions?x=1")
    assert r.status_code == 303
    assert r.headers["location"] == "/signin?next=%2Fadmin%2Fsessions%3Fx%3D1"


def test_post_without_csrf_or_from_another_site_changes_nothing(app, server_db):
    admin = sign_in(app, "admin")
    victim = sign_in(app, "somchai")
    victim_id = web_sessions.live(server_db)[0]["id"]
    r = admin.post(f"/admin/sessions/{victim_id}/end", data={})
    assert r.status_code == 400
    html = admin.get("/admin/sessions").text
    r = admin.post(f"/admin/sessions/{victim_id}/end", data={"csrf": csrf_of(html)},
                   headers={"origin": "https://evil.example"})
    assert r.status_code == 400
    assert victim.get("/account/password").status_code == 200  # still signed in


def test_admin_ends_another_session(app, server_db):
    admin = sign_in(app, "admin")
    victim = sign_in(app, "somchai")
    live = {s["username"]: s["id"] for s in web_sessions.live(server_db)}
    page = admin.get("/admin/sessions")
    assert page.status_code == 200 and "somchai" in page.text
    r = post(admin, f"/admin/sessions/{live['somchai']}/end", page="/admin/sessions")
    assert r.status_code == 303
    assert victim.get("/account/password").status_code == 303  # back to sign-in
    changes, _ = audit.search(server_db, audit.AuditFilter(action="change"))
    assert changes and live["somchai"] in changes[0]["detail"]


@pytest.mark.parametrize("who", [n for n, (role, _) in PEOPLE.items() if role != "admin"])
def test_only_admins_list_sessions(app, who):
    assert sign_in(app, who).get("/admin/sessions").status_code == 403


def test_sign_out_ends_the_session_on_the_server(app, server_db):
    b = sign_in(app, "anong")
    token = b.cookies[security.SESSION_COOKIE]
    r = post(b, "/signout", page="/account/password")
    assert r.status_code == 303
    assert web_sessions.find(server_db, token) is None
    b.cookies.set(security.SESSION_COOKIE, token)  # a copied cookie is worth nothing now
    assert b.get("/account/password").status_code == 303


def test_idle_sessions_expire(app, server_db, monkeypatch):
    b = sign_in(app, "anong")
    monkeypatch.setenv(web_sessions.IDLE_ENV, "0.0001")
    with server_db.write() as c:
        c.run("UPDATE web_sessions SET expires_at = '2000-01-01T00:00:00.000Z'")
    assert b.get("/account/password").status_code == 303


def test_change_password_signs_out_other_sessions(app, server_db):
    here = sign_in(app, "anong")
    there = sign_in(app, "anong")
    bad = post(here, "/account/password", {"current": "wrong one!", "new": "new password 1",
                                           "again": "new password 1"})
    assert bad.status_code == 400 and "รหัสผ่านปัจจุบันไม่ถูกต้อง" in bad.text
    differ = post(here, "/account/password", {"current": PASSWORD, "new": "new password 1",
                                              "again": "new password 2"})
    assert differ.status_code == 400
    ok = post(here, "/account/password", {"current": PASSWORD, "new": "new password 1",
                                          "again": "new password 1"})
    assert ok.status_code == 200 and "เปลี่ยนรหัสผ่านแล้ว" in ok.text
    assert here.get("/account/password").status_code == 200
    assert there.get("/account/password").status_code == 303
    sign_in(app, "anong", "new password 1")


def test_disabled_user_loses_the_session(app, server_db):
    from fieldapp.server.auth import set_disabled
    b = sign_in(app, "chai")
    set_disabled(server_db, "chai")
    assert b.get("/account/password").status_code == 303


def test_hostile_next_and_username_are_escaped(app):
    b = browser(app)
    r = b.get('/signin?next=/x"><script>alert(1)</script>')
    assert "<script>alert(1)" not in r.text
    form = b.get("/signin")
    r = b.post("/signin", data={"username": '<img src=x onerror=alert(1)>ก่อน',
                                "password": "x", "csrf": csrf_of(form.text)})
    assert r.status_code == 401
    assert "<img src=x" not in r.text and "&lt;img src=x" in r.text


def test_static_assets_and_font_are_served_locally(app):
    b = browser(app)
    css = b.get("/static/console.css")
    assert css.status_code == 200 and "Sarabun" in css.text
    font = b.get("/static/fonts/Sarabun-Regular.ttf")
    assert font.status_code == 200 and len(font.content) > 50_000
    assert b.get("/static/../pyproject.toml").status_code == 404


def test_sync_api_is_untouched(app):
    r = browser(app).get("/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert "content-security-policy" not in r.headers
    missing = browser(app).get("/v1/nothing")
    assert missing.headers["content-type"].startswith("application/json")
    page = browser(app).get("/nothing-here")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_a_form_without_a_length_is_refused_unread(app, server_db):
    """A body sent in chunks, without Content-Length, could be of any size: refused before
    it is read (a browser always sends a form's length)."""
    admin = sign_in(app, "admin")
    token = csrf_of(admin.get("/admin/sessions").text)
    victim = sign_in(app, "somchai")
    victim_id = next(s["id"] for s in web_sessions.live(server_db) if s["username"] == "somchai")

    def chunks():
        yield f"csrf={token}".encode()
        yield b"&x=" + b"y" * 100_000
    r = admin.post(f"/admin/sessions/{victim_id}/end", content=chunks(),
                   headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code in (400, 413)
    assert victim.get("/account/password").status_code == 200   # nothing was ended


def test_sign_ins_still_being_checked_ask_for_a_moment_not_a_lockout(app):
    """Five sign-ins from the office's one address in flight: the sixth is asked to try again
    in a moment, not told it failed too often; once one fails and the rest settle, it goes."""
    b = browser(app)
    form = b.get("/signin")
    where = "testclient"   # the address Starlette's test client signs in from
    limiter = app.state.limiter
    assert limiter.attempts == 1000   # the world's own limiter, not the default
    limiter.attempts = 5
    for n in range(5):
        assert limiter.reserve(f"user:other{n}", f"addr:{where}") is None
    r = b.post("/signin", data={"username": "somchai", "password": PASSWORD,
                                "csrf": csrf_of(form.text)})
    assert r.status_code == 429
    assert "เซิร์ฟเวอร์กำลังตรวจสอบการเข้าสู่ระบบอื่นอยู่" in r.text
    assert "ลองผิดหลายครั้งเกินไป" not in r.text
    limiter.failed("user:other0", f"addr:{where}")
    for n in range(1, 5):
        limiter.release(f"user:other{n}", f"addr:{where}")
    r = b.post("/signin", data={"username": "somchai", "password": PASSWORD,
                                "csrf": csrf_of(b.get("/signin").text)})
    assert r.status_code == 303
