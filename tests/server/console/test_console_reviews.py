"""Review in the console, both backends: the queue (รอตรวจทาน) per province, approve /
return / reopen on the inspection page with their rules, orders issued only on approval,
role, province and CSRF checks that change nothing, and the audit of every change."""

from __future__ import annotations

import pytest
from console_world import csrf_of, post, sign_in, site
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_api import push_ok
from test_server_console_inspections import World

from fieldapp.server import audit
from fieldapp.server.loop.reviews import load_review


@pytest.fixture
def world(api):
    w = World(api)
    w.site = site(w.db)
    return w


def review(w, user: str, inspection_id: str, action: str, comment: str = ""):
    b = sign_in(w.site, user)
    return post(b, f"/inspections/{inspection_id}/review",
                {"action": action, "comment": comment}, page=f"/inspections/{inspection_id}")


def orders_of(w, inspection_id: str) -> list[str]:
    with w.db.read() as c:
        return [r["id"] for r in c.all("SELECT id FROM records WHERE tbl = 'orders' "
                                       "AND data LIKE ?", (f"%{inspection_id}%",))]


def test_queue_lists_finalized_records_of_the_province(world):
    w = world
    page = sign_in(w.site, "sup10").get("/reviews")
    assert page.status_code == 200
    assert "2569/BBBB0002" in page.text                 # finalized, not reviewed
    assert "2569/AAAA0001" not in page.text             # a draft waits for nobody
    assert "2569/BBBB0002" not in sign_in(w.site, "sup20").get("/reviews").text
    assert sign_in(w.site, "anong").get("/reviews").status_code == 403
    assert "2569/BBBB0002" in sign_in(w.site, "admin").get("/reviews").text


def test_approve_issues_the_orders_and_is_audited(world):
    w = world
    assert orders_of(w, w.final10) == []                # no order before approval
    page = sign_in(w.site, "sup10").get(f"/inspections/{w.final10}").text
    assert 'id="approve"' in page and 'id="return"' in page
    r = review(w, "sup10", w.final10, "approve")
    assert r.status_code == 303
    row = load_review(w.db, w.final10)
    assert row["state"] == "approved" and row["reviewer"] == "sup10" and row["reviewed_at"]
    assert len(orders_of(w, w.final10)) == 1            # derive.py, same transaction
    shown = sign_in(w.site, "sup10").get(f"/inspections/{w.final10}?done=approved").text
    assert "sup10" in shown and 'id="reopen"' in shown and 'id="approve"' not in shown
    entries, _ = audit.search(w.db, audit.AuditFilter(username="sup10", action="change"))
    assert any(e["target"] == f"/inspections/{w.final10}" and "approved" in e["detail"]
               for e in entries)
    assert "2569/BBBB0002" not in sign_in(w.site, "sup10").get("/reviews").text
    # approving again is refused with a reason
    again = review(w, "sup10", w.final10, "approve")
    assert again.status_code == 409 and "already approved" in again.text


def test_a_record_its_finalized_amendment_replaces_is_not_approved_again(world):
    """Approving the returned original after its amendment issued the original's orders
    beside the amendment's: two sets in force for one finding."""
    w = world
    assert review(w, "sup10", w.final10, "return", "แก้ค่า pH").status_code == 303
    push_ok(w.api, w.anong, [w.a.op("inspections", w.amend10, {
        "state": "finalized", "content_hash": "claimed",
        "finalized_at": "2026-02-13T05:00:00Z"})])
    assert review(w, "sup10", w.amend10, "approve").status_code == 303
    for action, comment in (("approve", ""), ("return", "อีกครั้ง")):
        r = review(w, "sup10", w.final10, action, comment)
        assert r.status_code == 409 and "ฉบับแก้ไข" in r.text
    assert orders_of(w, w.final10) == []
    assert load_review(w.db, w.final10)["state"] == "returned"


def test_return_needs_a_comment_and_keeps_what_was_typed(world):
    w = world
    r = review(w, "sup10", w.final10, "return", "   ")
    assert r.status_code == 409 and "comment" in r.text
    assert load_review(w.db, w.final10) is None
    r = review(w, "sup10", w.final10, "return", "แก้ไขค่าพีเอช <b>")
    assert r.status_code == 303
    row = load_review(w.db, w.final10)
    assert row["state"] == "returned" and row["comment"] == "แก้ไขค่าพีเอช <b>"
    assert orders_of(w, w.final10) == []                # returned: no order
    returned = sign_in(w.site, "sup10").get("/reviews?show=returned").text
    # the draft amendment amend10 answers it: "in progress", linked
    assert "2569/BBBB0002" in returned and f"/inspections/{w.amend10}" in returned
    assert "&lt;b&gt;" in returned and "<b>" not in returned.split("</h1>", 1)[1]
    # the amendment's page names the record it answers and the comment
    amendment = sign_in(w.site, "anong").get(f"/inspections/{w.amend10}")
    assert amendment.status_code == 200


def test_reopen_only_what_is_approved(world):
    w = world
    r = review(w, "sup10", w.final10, "reopen")
    assert r.status_code == 409 and load_review(w.db, w.final10) is None
    review(w, "sup10", w.final10, "approve")
    r = review(w, "sup10", w.final10, "return", "ไม่ได้")
    assert r.status_code == 409 and load_review(w.db, w.final10)["state"] == "approved"
    assert review(w, "admin", w.final10, "reopen", "ตรวจซ้ำ").status_code == 303
    assert load_review(w.db, w.final10)["state"] == "reopened"
    assert "2569/BBBB0002" in sign_in(w.site, "sup10").get("/reviews").text


def test_a_draft_is_not_reviewed(world):
    w = world
    for action, comment in (("approve", ""), ("return", "x")):
        r = review(w, "sup10", w.draft10, action, comment)
        assert r.status_code == 409 and "draft" in r.text
    assert load_review(w.db, w.draft10) is None


@pytest.mark.parametrize("user, status", [("sup20", 404), ("chai", 403), ("anong", 403)])
def test_others_change_nothing(world, user, status):
    w = world
    b = sign_in(w.site, user)
    token = csrf_of(b.get("/account/password").text)
    r = b.post(f"/inspections/{w.final10}/review", data={"action": "approve", "csrf": token})
    assert r.status_code == status
    assert load_review(w.db, w.final10) is None and orders_of(w, w.final10) == []
    if user == "anong":   # the inspector sees the state of her own record, no forms
        page = b.get(f"/inspections/{w.final10}").text
        assert 'id="review-state"' in page and 'id="approve"' not in page


def test_csrf_is_required(world):
    w = world
    b = sign_in(w.site, "sup10")
    r = b.post(f"/inspections/{w.final10}/review", data={"action": "approve"})
    assert r.status_code == 400
    r = b.post(f"/inspections/{w.final10}/review", data={"action": "approve", "csrf": "x"})
    assert r.status_code == 400
    assert load_review(w.db, w.final10) is None
