"""A console over a test server database: browsers (TestClient with cookies) signed in as
each role, on SQLite and PostgreSQL alike (``server_db`` from server_fixtures)."""

from __future__ import annotations

import re
import warnings

from server_fixtures import PASSWORD

from fieldapp.server.auth import add_user, grant_province
from fieldapp.server.limits import LoginLimiter
from fieldapp.server.site import create_site

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

# user: (role, provinces). Province 10 is Bangkok, 20 Chon Buri.
PEOPLE = {
    "admin": ("admin", ()),
    "somchai": ("supervisor", ("10",)),
    "wilai": ("supervisor", ("20",)),
    "anong": ("inspector", ("10",)),
    "chai": ("inspector", ("20",)),
}

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_people(db) -> None:
    for name, (role, provinces) in PEOPLE.items():
        add_user(db, name, PASSWORD, role)
        for code in provinces:
            grant_province(db, name, code)


def site(db):
    return create_site(db, limiter=LoginLimiter(attempts=1000))


def browser(app, base_url: str = "http://testserver") -> TestClient:
    return TestClient(app, base_url=base_url, follow_redirects=False)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def sign_in(app, username: str, password: str = PASSWORD) -> TestClient:
    """A browser signed in as ``username``."""
    b = browser(app)
    page = b.get("/signin")
    r = b.post("/signin", data={"username": username, "password": password,
                                "csrf": csrf_of(page.text), "next": ""})
    assert r.status_code == 303, r.text
    return b


def post(b: TestClient, path: str, data: dict | None = None, page: str | None = None,
         **kwargs):
    """A form post with the CSRF token of ``page`` (default: the form's own page)."""
    html = b.get(page or path).text
    return b.post(path, data={**(data or {}), "csrf": csrf_of(html)}, **kwargs)


def field_value(html: str, name: str, form: str | None = None) -> str:
    """The value a page's text field ``name`` shows (in the form whose action ends with
    ``form``, when given): what a person who changes nothing posts back."""
    if form is not None:
        start = html.index(f'action="{form}"')
        html = html[start:html.index("</form>", start)]
    match = re.search(rf'<input type="text" name="{name}" value="([^"]*)"', html)
    assert match, f"no text field {name}"
    return match.group(1)
