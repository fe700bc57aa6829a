"""The access matrix: every console route, as every role and as another province's user.

Walks ``routes()`` itself, so a new page is covered the moment it is listed: its action's
roles (rules.RULES, read from the route's wrapper) must reach it, every other role gets 403,
and a user of another province sees nothing of province 10's records (404, or a page without
them). A route with a path parameter this test has no sample for fails: add one.
"""

from __future__ import annotations

import hashlib
import inspect
import io

import pytest
from console_world import csrf_of, sign_in, site
from openpyxl import load_workbook
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_api import push_ok
from test_server_console_inspections import World, principal

from fieldapp.core.ids import uuid7
from fieldapp.core.template_model import version_id
from fieldapp.server.console import routes
from fieldapp.server.console.rules import RULES
from fieldapp.server.loop import complaints
from fieldapp.server.loop.reviews import set_review

PUBLIC = {"/signin", "/lang/{lang}"}
# Who signs in as each role, and who is the "other province" of province 10's records.
AS = {"admin": "admin", "supervisor": "sup10", "inspector": "anong"}
OTHER_PROVINCE = ("sup20", "chai")


def action_of(endpoint) -> str:
    """The action a route's ``access.page`` wrapper checks (from its closure)."""
    closure = inspect.getclosurevars(endpoint).nonlocals
    return closure["action"]


def guarded_routes():
    out = []
    for route in routes.routes():
        endpoint = getattr(route, "endpoint", None)
        if endpoint is None or route.path in PUBLIC:
            continue
        for method in sorted(route.methods - {"HEAD"}):
            out.append((route.path, method, action_of(endpoint)))
    return out


@pytest.fixture
def world(api):
    w = World(api)
    data = b"\xff\xd8\xff photo of province 10"
    w.photo = hashlib.sha256(data).hexdigest()
    w.api.put(f"/v1/attachments/{w.photo}", content=data, headers={
        **w.anong, "Upload-Offset": "0", "Upload-Length": str(len(data))})
    push_ok(w.api, w.anong, [w.a.op("attachments", uuid7(), {
        "inspection_id": w.draft10, "kind": "photo", "sha256": w.photo, "size": len(data),
        "mime": "image/jpeg"})])
    w.site = site(w.db)
    with w.db.read() as c:
        w.factory10 = c.value("SELECT id FROM records WHERE tbl = 'factories' "
                              "AND province = '10' ORDER BY id LIMIT 1")
        # final10's finding: its corrective order once the record is approved
        w.order10 = c.value("SELECT id FROM records WHERE tbl = 'findings' "
                            "AND parent_id = ?", (w.final10,))
    # A complaint of province 10 (with a file and its plan) for the complaint and plan pages.
    office = principal(w.db, "sup10")
    letter = b"%PDF-1.4 a complaint letter of province 10"
    w.complaint10 = complaints.register(w.db, office, complaints.NewComplaint(
        received_on="2026-03-01", channel="letter", problem_types=["noise"],
        description="เสียงดังจากโรงงาน", factory_id=w.factory10,
        complainant_name="คุณสมชาย", files=[(letter, "letter")]))
    w.letter = hashlib.sha256(letter).hexdigest()
    w.plan10 = complaints.assign(w.db, office, w.complaint10,
                                 principal(w.db, "anong").user_id, "2026-03-05")
    set_review(w.db, w.who("sup10"), w.final10, "approved")
    return w


def sample(world, name: str, path: str = "") -> str:
    values = {"inspection_id": world.final10, "sha256": world.photo, "format": "csv",
              "factory_id": world.factory10, "session_id": uuid7(), "user_id": uuid7(),
              "username": "anong", "device_id": uuid7(), "conflict_id": uuid7(), "login_id": uuid7(),
              "template_key": "env-general", "version": "1", "job_id": uuid7(),
              "key": "env-general", "version_id": version_id("env-general", 1),
              "complaint_id": world.complaint10, "plan_id": world.plan10,
              "order_id": world.order10}
    if name == "sha256" and "{complaint_id}" in path:
        return world.letter
    assert name in values, f"no sample value for path parameter {{{name}}}: add one here"
    return values[name]


def fill(world, path: str) -> str:
    out = path
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        name = out[start + 1:end].split(":")[0]
        out = out[:start] + sample(world, name, path) + out[end + 1:]
    return out


def call(browser, method: str, path: str):
    if method == "GET":
        return browser.get(path)
    token = csrf_of(browser.get("/account/password").text)
    return browser.post(path, data={"csrf": token})


def test_every_action_has_a_rule():
    for _path, _method, action in guarded_routes():
        assert action in RULES


@pytest.mark.parametrize("role", sorted(AS))
def test_each_role_reaches_exactly_its_pages(world, role):
    b = sign_in(world.site, AS[role])
    wrong = []
    for path, method, action in guarded_routes():
        if path == "/signout":
            continue  # would end the session the walk needs
        r = call(b, method, fill(world, path))
        may = role in RULES[action]
        if may and r.status_code == 403 or not may and r.status_code != 403:
            wrong.append(f"{method} {path} ({action}): {r.status_code}")
    assert not wrong, f"{role} got the wrong answer on:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", OTHER_PROVINCE)
def test_another_province_sees_none_of_province_10(world, name):
    b = sign_in(world.site, name)
    secrets = ("คุณสมชาย", "2569/BBBB0002", "2569/AAAA0001", world.final10,
               "เสียงดังจากโรงงาน", world.complaint10)
    leaks = []
    for path, method, _action in guarded_routes():
        if method != "GET" or path.startswith("/static"):
            continue
        r = b.get(fill(world, path))
        kind = r.headers.get("content-type", "")
        if r.status_code == 200 and kind.startswith(("text/html", "text/csv")):
            # a page or an export of their own rows: none of province 10's in it
            leaks += [f"GET {path}: {s}" for s in secrets if s in r.text]
        elif r.status_code == 200 and "spreadsheet" in kind:
            book = load_workbook(io.BytesIO(r.content))
            text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows()
                            for c in row)
            leaks += [f"GET {path}: {s}" for s in secrets if s in text]
        elif r.status_code == 200:
            leaks.append(f"GET {path}: {r.headers.get('content-type')} served")
    assert not leaks, "\n".join(leaks)


def test_signed_out_browser_gets_nothing(world):
    from console_world import browser
    b = browser(world.site)
    for path, method, _action in guarded_routes():
        r = b.request(method, fill(world, path))
        assert r.status_code in (303, 401), f"{method} {path}: {r.status_code}"


def test_a_photo_is_served_under_its_own_record_to_who_may_open_that_record(world):
    """The link names the record: anong's photo comes under her draft, to her and her
    supervisor; not under another record, and not to another inspector of the province
    (whom the sync rules may let read the bytes of an approved record's order photos)."""
    path = f"/inspections/{world.draft10}/attachments/{world.photo}"
    assert sign_in(world.site, "anong").get(path).status_code == 200
    assert sign_in(world.site, "sup10").get(path).status_code == 200
    assert sign_in(world.site, "boon").get(path).status_code == 404
    other = f"/inspections/{world.final10}/attachments/{world.photo}"
    assert sign_in(world.site, "anong").get(other).status_code == 404
