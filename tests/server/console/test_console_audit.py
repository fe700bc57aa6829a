"""The audit log page: filters, Buddhist-era dates, paging, CSV export (itself logged), and
escaping of whatever the log holds; only administrators read it."""

from __future__ import annotations

import csv
import io

import pytest
from console_world import PEOPLE, add_people, sign_in, site

from fieldapp.server import audit
from fieldapp.server.auth import Principal


@pytest.fixture
def app(server_db):
    add_people(server_db)
    return site(server_db)


def entry(db, at: str, username: str, action: str, target: str, detail: str = "") -> None:
    """An entry at a chosen time (the log is append-only; tests place old entries)."""
    audit.record(db, Principal(username, username, "admin"), action, target, detail, "10.0.0.9")
    with db.write() as c:
        c.run("UPDATE audit_log SET at = ? WHERE at = (SELECT max(at) FROM audit_log)", (at,))


def test_the_log_lists_sign_ins_and_changes_newest_first(app, server_db):
    sign_in(app, "somchai")
    b = sign_in(app, "admin")
    r = b.get("/audit")
    assert r.status_code == 200
    assert "เข้าสู่ระบบ" in r.text and "somchai" in r.text
    rows, total = audit.search(server_db, audit.AuditFilter())
    assert total >= 2
    assert r.text.index(">admin<") < r.text.index(">somchai<")   # newest first
    views, _ = audit.search(server_db, audit.AuditFilter(action=audit.VIEW))
    assert views[0]["target"] == "/audit"       # the log holds names: reading it is logged


def test_filters_by_user_action_text_and_dates(app, server_db):
    entry(server_db, "2026-11-02T03:00:00.000Z", "wilai", audit.CHANGE, "/admin/users/1",
          "role of anong: inspector -> supervisor")
    entry(server_db, "2026-11-20T03:00:00.000Z", "wilai", audit.VIEW, "/inspections/9")
    entry(server_db, "2026-12-01T03:00:00.000Z", "somchai", audit.CHANGE, "/admin/devices",
          "revoked login 7")
    b = sign_in(app, "admin")
    by_user = b.get("/audit?user=wilai").text
    assert "/inspections/9" in by_user and "revoked login 7" not in by_user
    by_action = b.get("/audit?action=change").text
    assert "role of anong" in by_action and "/inspections/9" not in by_action
    by_text = b.get("/audit?q=revoked").text
    assert "revoked login 7" in by_text and "role of anong" not in by_text
    # ISO from a link; the range is shown in its fields in the Buddhist era.
    by_dates = b.get("/audit?since=2026-11-01&until=2026-11-19").text
    assert "role of anong" in by_dates and "/inspections/9" not in by_dates
    assert 'name="since" value="01/11/2569"' in by_dates
    assert 'name="until" value="19/11/2569"' in by_dates
    # Typed as a person writes it: Buddhist era, day first.
    typed = b.get("/audit?since=20/11/2569&until=2569-11-30").text
    assert "/inspections/9" in typed and "role of anong" not in typed
    assert "revoked login 7" not in typed
    unreadable = b.get("/audit?since=someday")
    assert unreadable.status_code == 200 and "อ่านวันที่ไม่ได้" in unreadable.text
    # Dates of entries are Buddhist era too.
    assert "2 พ.ย. 69" in b.get("/audit?user=wilai").text


def test_paging(app, server_db):
    for n in range(audit.PAGE_SIZE + 5):
        audit.record(server_db, None, audit.SIGN_IN_FAILED, "/signin", f"try {n}", "10.0.0.1",
                     "guesser")
    b = sign_in(app, "admin")
    first = b.get("/audit?action=sign_in_failed")
    assert "หน้า 1 จาก 2" in first.text and "try 104" in first.text
    second = b.get("/audit?action=sign_in_failed&page=2")
    assert "หน้า 2 จาก 2" in second.text and "try 0<" in second.text
    assert "try 104" not in second.text
    assert b.get("/audit?page=abc").status_code == 200


def test_export_csv_is_itself_logged(app, server_db):
    entry(server_db, "2026-11-02T03:00:00.000Z", "wilai", audit.CHANGE, "/admin/users/1",
          "=HYPERLINK(\"http://evil\")")
    b = sign_in(app, "admin")
    r = b.get("/audit/export.csv?user=wilai")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["at", "username", "action", "target", "detail", "address"]
    assert [row[1] for row in rows[1:]] == ["wilai"]
    assert rows[1][4].startswith("'=")          # a spreadsheet will not run it
    exports, _ = audit.search(server_db, audit.AuditFilter(action=audit.EXPORT))
    assert exports[0]["target"] == "/audit/export.csv"
    assert exports[0]["detail"] == "audit log as CSV: user=wilai"
    page = b.get("/audit?user=wilai&action=change")
    assert 'href="/audit/export.csv?user=wilai&amp;action=change"' in page.text


def test_hostile_entries_are_escaped(app, server_db):
    audit.record(server_db, None, audit.SIGN_IN_FAILED, "/signin",
                 '<script>alert("log")</script>', "1.2.3.4", '<img src=x onerror=alert(1)>สมชาย')
    b = sign_in(app, "admin")
    for url in ("/audit", "/audit?q=<script>", '/audit?user="><b>x'):
        r = b.get(url)
        assert r.status_code == 200
        assert "<script>alert" not in r.text and "<img src=x" not in r.text
        assert "<b>x" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;สมชาย" in b.get("/audit").text


@pytest.mark.parametrize("who", [n for n, (role, _) in PEOPLE.items() if role != "admin"])
def test_only_admins_read_the_log(app, server_db, who):
    b = sign_in(app, who)
    assert b.get("/audit").status_code == 403
    assert b.get("/audit/export.csv").status_code == 403
    exports, total = audit.search(server_db, audit.AuditFilter(action=audit.EXPORT))
    assert total == 0


def test_users_are_named_not_numbered(app, server_db):
    # The log showed user ids where it named a user (a page of the users' admin, whom a
    # plan was for); the name is shown, the id kept as its title.
    with server_db.read() as c:
        ids = dict(c.tuples("SELECT username, id FROM users"))
    anong, admin = ids["anong"], ids["admin"]
    entry(server_db, "2026-11-02T03:00:00.000Z", "wilai", audit.CHANGE,
          f"/admin/users/{anong}", "role of anong: inspector -> supervisor")
    entry(server_db, "2026-11-03T03:00:00.000Z", "somchai", audit.CHANGE, "/plans",
          f"planned 3 inspection(s) for user {anong} on 2026-07-01 (env-general); "
          f"session 01a24c13-4d4e-742b-ae69-8d78051a8c7b")
    b = sign_in(app, "admin")
    page = b.get("/audit").text
    assert f'/admin/users/<span class="user" title="{anong}">anong</span>' in page
    assert f'for user <span class="user" title="{anong}">anong</span> on 2026-07-01' in page
    assert "session 01a24c13-4d4e-742b-ae69-8d78051a8c7b" in page   # not a user: as it is
    assert f">{anong}<" not in page and f"/{anong}<" not in page
    assert f'<td title="{admin}">admin</td>' in page                # who did it, by id too
