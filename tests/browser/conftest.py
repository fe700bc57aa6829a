"""Fixtures of the real-browser journeys (helpers in browser_world.py).

- ``chromium``: one Playwright Chromium per test module (Debian's, never downloaded).
- ``site``: a real ``fieldapp-server serve`` per test module AND per backend (SQLite, then
  PostgreSQL in a fresh schema), seeded with the console's people (console_world.PEOPLE:
  admin; supervisors somchai of province 10 and wilai of 20; inspectors anong of 10 and
  chai of 20) and three factories (server_fixtures.FACTORIES).
- ``page``: a fresh browser context (no cookies) on ``site``; ``page.goto("/verify")``.
- ``laptop``: anong's laptop for the module, logged in with ``fieldapp login`` and synced
  once with ``fieldapp sync``.
- ``synced_inspection``: a finalized inspection with two photos made on that laptop and
  sent by a real ``fieldapp sync`` (journey 2's result, which later journeys start from).
- ``new_laptop(username)``: another laptop (e.g. chai's, province 20), logged in and synced.

A journey is a plain test taking these fixtures, e.g. journey 3 will read::

    def test_journey_3_supervisor_finds_and_opens_it(page, synced_inspection):
        sign_in(page, "somchai")
        visit(page, "/inspections", "inspections")       # screenshot: inspections-th/en.png
        page.fill("input[name=q]", synced_inspection.factory_name)
        submit(page, "form.filters")
        ...

Helpers (browser_world): ``sign_in``, ``sign_out``, ``visit`` (open and screenshot),
``shoot`` (screenshot the current page in both languages; ``redo=`` for a form's answer),
``submit``, ``choose_file``, ``browser_page(chromium, site)`` (a second person),
``site.db()`` (the server's database, to check what a journey left there).
"""

from __future__ import annotations

import contextlib

import pytest
from browser_world import (
    CHROMIUM,
    FieldLaptop,
    browser_page,
    required,
    screenshots_folder,
    start_site,
)


@pytest.fixture(scope="module")
def chromium():
    # Module, not session: Playwright's sync API runs an event loop in this thread while it
    # is open, and later tests that call asyncio.run() (tests/server) would find it running.
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        required("the playwright package is missing (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        required(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set "
                 f"FIELDAPP_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        except Error as exc:
            required(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                marks=pytest.mark.postgres)])
def site(request, tmp_path_factory):
    from console_world import add_people
    from server_fixtures import FACTORIES, pg_schema_url, seed_factories

    from fieldapp.server.database import open_database

    folder = tmp_path_factory.mktemp(f"site-{request.param}")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = str(folder / "fieldapp-server.db")
        else:
            url = stack.enter_context(pg_schema_url(request.getfixturevalue("pg_database")))
        db = open_database(url)
        try:
            add_people(db)
            seed_factories(db, FACTORIES)
        finally:
            db.close()
        live = start_site(url, folder, request.param)
        stack.callback(live.stop)
        yield live


@pytest.fixture
def page(chromium, site):
    with browser_page(chromium, site) as page:
        yield page


@pytest.fixture(scope="module")
def new_laptop(site, tmp_path_factory):
    """``new_laptop("chai")``: a laptop of that inspector, logged in and synced once."""
    def make(username: str) -> FieldLaptop:
        laptop = FieldLaptop(tmp_path_factory.mktemp(f"laptop-{username}"), site)
        laptop.login(username)
        laptop.sync()
        return laptop
    return make


@pytest.fixture(scope="module")
def laptop(new_laptop):
    return new_laptop("anong")


@pytest.fixture(scope="module")
def synced_inspection(laptop):
    inspection = laptop.finalized_inspection(photos=2)
    laptop.sync()
    return inspection


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed journey shows the server's log, and with FIELDAPP_SCREENSHOTS the page as
    it was (``FAILED-<test>.png``)."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    site = funcargs.get("site")
    if site is not None and site.log.exists():
        tail = site.log.read_text(errors="replace").splitlines()[-60:]
        report.sections.append(("fieldapp-server log (last lines)", "\n".join(tail)))
    page = funcargs.get("page")
    folder = screenshots_folder()
    if page is not None and folder is not None:
        with contextlib.suppress(Exception):  # the page may be gone with the failure
            name = "".join(ch if ch.isalnum() or ch in "-_[]" else "_" for ch in item.name)
            page.screenshot(path=str(folder / f"FAILED-{name}.png"), full_page=True)
