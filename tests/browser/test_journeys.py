"""Journeys through the office console in a real Chromium against a real
``fieldapp-server serve``, on SQLite and on PostgreSQL (issue 13, "A real browser").

1. An administrator adds a user and grants a province.
2. An inspector's laptop syncs a finalized inspection with photos by a real ``fieldapp sync``.
3. The supervisor finds it, opens it and sees the photos.
4. The supervisor downloads the PDF and verifies it.
5. The supervisor uploads a photo of a printed page and gets MATCH.
6. A supervisor of another province sees none of it.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from browser_world import browser_page, choose_file, shoot, sign_in, submit, visit
from paper_photo import Shot, photograph

from fieldapp.server import blobs
from fieldapp.server.auth import Principal
from fieldapp.server.verification import record_state
from fieldapp.store.wirejson import loads

pytestmark = pytest.mark.browser

OFFICE = Principal("admin", "admin", "admin", frozenset(), "office")


def test_journey_2_laptop_syncs_a_finalized_inspection_with_photos(site, laptop,
                                                                    synced_inspection):
    """anong's laptop: ``fieldapp login``, ``fieldapp sync``, a finalized inspection with two
    photos and both signatures, ``fieldapp sync`` again: the office holds the record, with
    the same content hash, and every photo's bytes."""
    last = laptop.outputs[-1]
    assert last.args[1:] == ["sync"] and last.returncode == 0
    counts = summary(last.stdout)
    # the inspection, its answers, participants and attachments; two photos and two
    # signatures uploaded; nothing refused
    assert counts["pushed"] > 4 and counts["uploaded"] == 4, last.stdout
    assert "rejected" not in last.stdout
    with site.db() as db:
        state = record_state(db, OFFICE, synced_inspection.record_id)
        assert state is not None and state["state"] == "finalized"
        assert state["content_hash"] == synced_inspection.content_hash
        with db.read() as c:
            rows = c.all("SELECT data FROM records WHERE tbl = 'attachments' AND parent_id = ?",
                         [synced_inspection.record_id])
        held = {loads(r["data"])["sha256"] for r in rows}
        for photo in synced_inspection.photos:
            digest = hashlib.sha256(photo).hexdigest()
            assert digest in held
            assert blobs.download(db, OFFICE, digest) == photo
    # Nothing is left to send: a second sync has nothing to do and says so.
    again = summary(laptop.sync().stdout)
    assert again["pushed"] == 0 and again["uploaded"] == 0


def summary(stdout: str) -> dict[str, int]:
    """The counts in ``fieldapp sync``'s summary line (its English part)."""
    found = re.search(r"\(pushed (\d+), pulled (\d+), uploaded (\d+), downloaded (\d+)",
                      stdout)
    assert found, stdout
    return dict(zip(("pushed", "pulled", "uploaded", "downloaded"),
                    map(int, found.groups()), strict=True))


def test_journey_5_supervisor_verifies_a_photo_of_the_printed_page(page, chromium, site,
                                                                    laptop, synced_inspection):
    """somchai (supervisor, province 10) photographs the printed form with a phone (turned,
    at an angle, sideways by EXIF, a little soft, JPEG) and uploads it: MATCH, with a link
    to the record. wilai (province 20) uploading the same photo learns nothing."""
    pdf = laptop.printed_pdf(synced_inspection.record_id)
    photo = photograph(pdf, Shot(angle=6, tilt=0.15, blur=1.0, contrast=0.6,
                                 exif_rotation=6, quality=65, width=3200, seed=11))
    sign_in(page, "somchai", shot="signin")
    visit(page, "/verify", "verify")
    assert page.locator("nav.menu a[href='/verify']").get_attribute("aria-current") == "page"

    def upload(page=page) -> None:
        page.goto("/verify")
        choose_file(page, "IMG_2041.jpg", photo, "image/jpeg", "input[name=paper]")
        submit(page, "form[action='/verify']")

    upload()
    assert page.get_attribute("#outcome", "data-outcome") == "MATCH"
    assert page.inner_text("#outcome") == "ตรงกับบันทึก"      # in words, not its code
    assert "เอกสารตรงกับบันทึก" in page.inner_text("section.verdict")
    link = page.locator("#record-link")
    assert link.get_attribute("href") == f"/inspections/{synced_inspection.record_id}"
    shoot(page, "verify-match", redo=upload)
    # the page is left in Thai, as it was
    assert page.inner_text("#outcome") == "ตรงกับบันทึก"

    with browser_page(chromium, site) as stranger:
        sign_in(stranger, "wilai")
        upload(stranger)
        assert stranger.get_attribute("#outcome", "data-outcome") == "UNKNOWN"
        assert stranger.locator("#record-link").count() == 0
        # the same words as for a record that does not exist (the id is the paper's own)
        answer = stranger.inner_text("section.verdict")
        assert "ไม่พบบันทึกตามรหัสนี้ในระบบ" in answer
        assert "ฉบับปัจจุบัน" not in answer and synced_inspection.factory_name not in answer


def test_journey_1_admin_adds_a_user_and_grants_a_province(page, chromium, site):
    """The administrator adds a supervisor for นนทบุรี (12) in the browser; the new user
    signs in with the password given and sees that province and no other."""
    sign_in(page, "admin")
    visit(page, "/admin/users", "admin-users")
    page.fill("form[action='/admin/users'] input[name=username]", "pranee")
    page.select_option("form[action='/admin/users'] select[name=role]", "supervisor")
    page.fill("form[action='/admin/users'] input[name=password]", "a new password 1")
    page.fill("form[action='/admin/users'] input[name=again]", "a new password 1")
    page.check("form[action='/admin/users'] input[name=province][value='12']")
    submit(page, "form[action='/admin/users']")
    assert "pranee" in page.inner_text("main")
    with site.db() as db:
        from fieldapp.server.auth import list_users
        made = {u["username"]: u for u in list_users(db)}["pranee"]
        assert made["role"] == "supervisor" and made["provinces"] == ["12"]
        from fieldapp.server import audit
        rows, _ = audit.search(db, audit.AuditFilter(username="admin", action="change"))
        assert any("pranee" in (r["detail"] + r["target"]) for r in rows)
    with browser_page(chromium, site) as newcomer:
        sign_in(newcomer, "pranee", "a new password 1")
        assert "นนทบุรี" in newcomer.inner_text("main")
        assert newcomer.locator("nav.menu a[href='/admin/users']").count() == 0


def test_journey_3_supervisor_finds_opens_and_sees_the_photos(page, synced_inspection):
    """somchai searches the inspections by the factory's name, opens the record and sees
    both photos load (real images from the server, in the browser)."""
    sign_in(page, "somchai")
    visit(page, "/inspections", "inspections")
    page.fill("form.filters input[name=q]", synced_inspection.factory_name)
    submit(page, "form.filters")
    rows = page.locator("#inspections tbody tr")
    assert rows.count() == 1, page.inner_text("#inspections")
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    assert page.url.endswith(f"/inspections/{synced_inspection.record_id}")
    pictures = page.locator("#photos img")
    assert pictures.count() == len(synced_inspection.photos)
    for n in range(pictures.count()):
        pictures.nth(n).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#photos img')]"
        ".every(i => i.complete && i.naturalWidth > 0)")
    assert "อนงค์ ใจดี" in page.inner_text("main")     # the inspector's signature block
    shoot(page, "inspection")


def test_journey_4_supervisor_downloads_the_pdf_and_verifies_it(page, synced_inspection):
    """somchai downloads the printed form the server renders, then uploads that very file
    at Verify a paper: MATCH."""
    sign_in(page, "somchai")
    visit(page, f"/inspections/{synced_inspection.record_id}")
    with page.expect_download() as waiting:
        page.click("#download-pdf", modifiers=["Alt"])   # Alt: save rather than open
    pdf = open(waiting.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF")

    def upload(page=page) -> None:
        page.goto("/verify")
        choose_file(page, "form.pdf", pdf, "application/pdf", "input[name=paper]")
        submit(page, "form[action='/verify']")

    upload()
    assert page.get_attribute("#outcome", "data-outcome") == "MATCH"
    assert page.locator("#record-link").get_attribute("href") == \
        f"/inspections/{synced_inspection.record_id}"
    shoot(page, "verify-pdf", redo=upload)


def test_journey_6_another_province_sees_none_of_it(page, synced_inspection):
    """wilai (supervisor of province 20) finds nothing of province 10's record: not in the
    list, not by its address, not its photos or its PDF, not on her dashboard."""
    sign_in(page, "wilai")
    visit(page, "/inspections", "inspections-other-province")
    page.fill("form.filters input[name=q]", synced_inspection.factory_name)
    submit(page, "form.filters")
    assert synced_inspection.record_id not in page.content()
    assert page.locator("#inspections tbody tr td.empty").count() == 1
    for path in (f"/inspections/{synced_inspection.record_id}",
                 f"/inspections/{synced_inspection.record_id}/form.pdf"):
        response = page.goto(path)
        assert response.status == 404, path
    for photo in synced_inspection.photos:
        digest = hashlib.sha256(photo).hexdigest()
        response = page.goto(f"/inspections/{synced_inspection.record_id}/attachments/{digest}")
        assert response.status == 404
    page.goto("/")
    assert synced_inspection.factory_name not in page.inner_text("main")


def test_every_console_page_opens_in_the_browser(page, synced_inspection, site):
    """A tour: the administrator opens every page of the console (each GET route, with the
    synced record, its factory and photo as samples) in a real browser; each one answers
    without an error and with no console error from its script. With
    FIELDAPP_SCREENSHOTS=DIR each is saved in Thai and English."""
    from fieldapp.server.console import routes

    with site.db() as db, db.read() as c:
        factory = c.value("SELECT data FROM records WHERE tbl = 'inspections' AND id = ?",
                          [synced_inspection.record_id])
    factory_id = loads(factory)["factory_id"]
    photo = hashlib.sha256(synced_inspection.photos[0]).hexdigest()
    samples = {"inspection_id": synced_inspection.record_id, "factory_id": factory_id,
               "sha256": photo}
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "admin")
    seen = 0
    for route in routes.routes():
        path = getattr(route, "path", "")
        if "GET" not in (getattr(route, "methods", None) or ()) or path in (
                "/signin", "/lang/{lang}") or "export" in path or path.endswith(
                (".pdf", ".json", ".csv")) or "attachments" in path:
            continue
        names = re.findall(r"{(\w+)", path)
        if any(n not in samples for n in names):
            continue   # pages of things a fresh office has none of (a registry job, a user id)
        for name in names:
            path = re.sub(r"{" + name + r"[^}]*}", samples[name], path)
        visit(page, path, "page" + (path.replace("/", "-") if path != "/" else "-dashboard")
              .replace(synced_inspection.record_id, "record").replace(factory_id, "factory"))
        seen += 1
    assert seen >= 12 and not errors, errors
