"""Journeys through the office console in a real Chromium against a real
``fieldapp-server serve``, on SQLite and on PostgreSQL (issue 13, "A real browser").

Written so far: 2 (a laptop syncs a finalized inspection with photos by a real
``fieldapp sync``) and 5 (a supervisor uploads a photo of a printed page and gets MATCH).
Journeys 1, 3, 4 and 6 join them here on the same fixtures as their pages land.
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
    assert page.inner_text("#outcome") == "MATCH"
    assert "เอกสารตรงกับบันทึก" in page.inner_text("section.verdict")
    link = page.locator("#record-link")
    assert link.get_attribute("href") == f"/inspections/{synced_inspection.record_id}"
    shoot(page, "verify-match", redo=upload)
    assert page.inner_text("#outcome") == "MATCH"   # the page is left in Thai, as it was

    with browser_page(chromium, site) as stranger:
        sign_in(stranger, "wilai")
        upload(stranger)
        assert stranger.inner_text("#outcome") == "UNKNOWN"
        assert stranger.locator("#record-link").count() == 0
        # the same words as for a record that does not exist (the id is the paper's own)
        answer = stranger.inner_text("section.verdict")
        assert "ไม่พบบันทึกตามรหัสนี้ในระบบ" in answer
        assert "ฉบับปัจจุบัน" not in answer and synced_inspection.factory_name not in answer
