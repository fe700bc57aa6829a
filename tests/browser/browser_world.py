"""The real-browser harness: a real ``fieldapp-server serve`` process on a loopback port, a
real Chromium driven by Playwright, and real laptops (FieldApp home folders) that log in and
``fieldapp sync`` with the command line. Fixtures in tests/browser/conftest.py build these;
journeys import the helpers below by bare name (``from browser_world import sign_in``).

Nothing is downloaded: Playwright drives Debian's ``/usr/bin/chromium`` (or
``$FIELDAPP_CHROMIUM``) through ``executable_path``. Missing Chromium, Playwright or
PostgreSQL is a skip on a developer's machine and a failure under ``CI=true``.

Screenshots: with ``FIELDAPP_SCREENSHOTS=DIR`` every page a journey shows through ``visit``
or ``shoot`` is saved as ``DIR/<name>-th.png`` and ``DIR/<name>-en.png``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest

PASSWORD = "correct horse battery"   # everyone's (server_fixtures.PASSWORD)
BIN = Path(sys.executable).parent
SERVER = BIN / "fieldapp-server"
FIELDAPP = BIN / "fieldapp"
CHROMIUM = Path(os.environ.get("FIELDAPP_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS_ENV = "FIELDAPP_SCREENSHOTS"
LANG_COOKIE = "fieldapp_lang"


def required(message: str) -> None:
    """Skip the test here; fail it under CI, which must run every browser journey."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the browser tests")
    pytest.skip(message)


# -- the server -------------------------------------------------------------------------

@dataclass
class LiveSite:
    """A running ``fieldapp-server serve``: its address, database URL and log."""

    url: str
    db_url: str
    log: Path
    process: subprocess.Popen
    backend: str
    folder: Path | None = None
    env: dict = field(default_factory=dict)

    @contextlib.contextmanager
    def db(self):
        """The server's database, opened from the test (to seed it or to check what a
        journey left in it) while the server keeps running."""
        from fieldapp.server.database import open_database

        database = open_database(self.db_url)
        try:
            yield database
        finally:
            database.close()

    def restart(self, **env: str) -> None:
        """Stop the server and start it again on the same address and database, with
        ``env`` added to its environment (``FIELDAPP_TODAY="2027-01-20"``: the office's
        calendar moves on, as the days of a journey do)."""
        self.stop()
        port = int(urlsplit(self.url).port)
        fresh = start_site(self.db_url, self.folder, self.backend, env={**self.env, **env},
                           port=port)
        self.process, self.env = fresh.process, fresh.env

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_site(db_url: str, folder: Path, backend: str, env: dict | None = None,
               port: int | None = None) -> LiveSite:
    """``fieldapp-server --db URL serve`` on a free loopback port (or ``port``), once it
    answers; ``env`` is added to the server's environment."""
    from server_fixtures import free_port

    if not SERVER.exists():
        required(f"{SERVER} is not installed (pip install -e .)")
    port = port or free_port()
    log = folder / "server.log"
    with open(log, "ab") as out:
        process = subprocess.Popen([str(SERVER), "--db", db_url, "serve", "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=folder,
                                   env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return LiveSite(url, db_url, log, process, backend, folder, dict(env or {}))
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"fieldapp-server did not start:\n{log.read_text(errors='replace')}")


# -- the browser ------------------------------------------------------------------------

def sign_in(page, username: str, password: str = PASSWORD, *, shot: str | None = None):
    """Sign in through the sign-in form as ``username``; lands on their home page.
    ``shot`` names a screenshot of the sign-in page."""
    page.goto("/signin")
    if shot:
        shoot(page, shot)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page, "form[action='/signin']")
    assert "/signin" not in page.url, f"{username} could not sign in: {page.inner_text('main')}"
    return page


@contextlib.contextmanager
def browser_page(browser, site: LiveSite):
    """A page in a fresh browser context (its own cookies: another person at another PC)
    on ``site``; the ``page`` fixture is one, a journey with two people opens a second:

        with browser_page(chromium, site) as other:
            sign_in(other, "wilai")
    """
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900},
                                  locale="th-TH")
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def submit(page, form: str = "main form") -> None:
    """Press the submit button of the form matched by ``form`` and wait for the answer."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def choose_file(page, name: str, data: bytes, mime: str,
                field: str = "input[type=file]") -> None:
    """Put ``data`` in a file field as if picked from the disk as ``name``."""
    page.set_input_files(field, files=[{"name": name, "mimeType": mime, "buffer": data}])


def sign_out(page) -> None:
    with page.expect_navigation():
        page.click("form[action='/signout'] button")


def visit(page, path: str, name: str | None = None):
    """Open ``path`` (asserting it is not an error page) and screenshot it as ``name``."""
    response = page.goto(path)
    assert response is not None and response.status < 400, \
        f"{path}: HTTP {response.status if response else '?'}"
    if name:
        shoot(page, name)
    return response


def screenshots_folder() -> Path | None:
    folder = os.environ.get(SCREENSHOTS_ENV)
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def shoot(page, name: str, redo=None) -> None:
    """With ``FIELDAPP_SCREENSHOTS=DIR``: the page as ``DIR/<name>-en.png`` and
    ``DIR/<name>-th.png`` (English first, so the page is left in Thai, the default).

    A page reached by GET is switched with ``/lang/xx?next=<this page>``. A page that is the
    answer to a form (an upload's result) cannot be fetched again, so pass ``redo``: a
    function that repeats the action; it runs once per language with the language cookie
    set. Without the variable, nothing happens (and ``redo`` is not called)."""
    folder = screenshots_folder()
    if folder is None:
        return
    here = urlsplit(page.url)
    path = here.path + (f"?{here.query}" if here.query else "")
    for lang in ("en", "th"):
        if redo is None:
            page.goto(f"/lang/{lang}?next={quote(path, safe='')}")
        else:
            page.context.add_cookies([{"name": LANG_COOKIE, "value": lang,
                                       "url": f"{here.scheme}://{here.netloc}"}])
            redo()
        page.screenshot(path=str(folder / f"{name}-{lang}.png"), full_page=True)


# -- laptops ----------------------------------------------------------------------------

@dataclass
class FieldLaptop:
    """An inspector's laptop: a FieldApp home folder (``FIELDAPP_HOME``) used by the real
    ``fieldapp`` command, and by the store API for what an inspector does in the GUI."""

    home: Path
    site: LiveSite
    username: str = ""
    outputs: list = field(default_factory=list)

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("FIELDAPP_DB",)}
        env.update(FIELDAPP_HOME=str(self.home), QT_QPA_PLATFORM="offscreen",
                   # no OS keyring on a test machine: the token goes to the 0600 file
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        return env

    def run(self, *args: str, stdin: str | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
        """``fieldapp ARGS`` as the inspector would type it."""
        if not FIELDAPP.exists():
            required(f"{FIELDAPP} is not installed (pip install -e .)")
        done = subprocess.run([str(FIELDAPP), *args], input=stdin, capture_output=True,
                              text=True, env=self.env(), timeout=300)
        self.outputs.append(done)
        if check:
            assert done.returncode == 0, (f"fieldapp {' '.join(args)} failed "
                                          f"({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def login(self, username: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
        self.username = username
        return self.run("login", "--server", self.site.url, "--user", username,
                        "--password-stdin", stdin=password + "\n")

    def sync(self) -> subprocess.CompletedProcess:
        return self.run("sync")

    @contextlib.contextmanager
    def store(self):
        """The laptop's database, as the app opens it (never while ``fieldapp`` runs)."""
        from fieldapp.store.db import open_store

        store = open_store(self.home / "fieldapp.db")
        try:
            yield store
        finally:
            store.close()

    def finalized_inspection(self, *, province: str = "10", photos: int = 2,
                             template: str = "env-general") -> FinalizedInspection:
        """A complete, signed, finalized inspection with ``photos`` real JPEG photos, made
        through the store API as the GUI would; the factory comes from the last sync."""
        from fieldapp.store import inspections as insp
        from fieldapp.store import signing
        from fieldapp.store.demo_inspections import photo_jpeg, signature_png
        from fieldapp.store.templates import latest_published

        with self.store() as store:
            factory = store.query("SELECT id, name FROM factories WHERE province_code = ? "
                                  "ORDER BY fid LIMIT 1", [province])[0]
            tpl = latest_published(store, template)
            record = insp.create_inspection(store, factory_id=factory["id"],
                                            template_version_id=tpl.version_id,
                                            purpose="ตรวจประจำปี <ทดสอบ> & \"อักขระ\"")
            for item in tpl.items.values():
                insp.set_answer(store, record["id"], item.id, result="not_checked")
            pictures = [photo_jpeg(f"รูป {n}", n) for n in range(photos)]
            for n, data in enumerate(pictures):
                insp.add_attachment(store, record["id"], data, caption=f"ภาพถ่ายที่ {n + 1}")
            for name, role in (("อนงค์ ใจดี", "inspector"), ("ผู้แทน โรงงาน", "representative")):
                signing.sign(store, record["id"], signer_name=name, signer_role=role,
                             image_png=signature_png(name, 3))
            digest = signing.finalize(store, record["id"])
        return FinalizedInspection(record["id"], digest, pictures, factory["name"])

    def printed_pdf(self, record_id: str) -> bytes:
        """The PDF the laptop prints for the record (what goes on paper)."""
        from fieldapp.forms.inspection_form import render_inspection_pdf

        with self.store() as store:
            return render_inspection_pdf(store, record_id)


@dataclass
class FinalizedInspection:
    record_id: str
    content_hash: str
    photos: list[bytes]
    factory_name: str
