"""A registry import that stops part way, in a real Chromium on a real server, Thai and
English (with FIELDAPP_SCREENSHOTS=DIR, saved as PNGs to look at): the page says why it
stopped, how much of the file is in the office's registry, and what to do; and doing it
(importing the file again) sends only the rest.

The server's database itself refuses the third batch (a trigger standing in for a full
disk), so the failure happens inside the server process as it would in service. Its own
module: the 2,500 factories it leaves would change what other pages' tests find first.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from browser_world import choose_file, shoot, sign_in, submit, visit
from large_registry import write_registry

from fieldapp.server import office

pytestmark = pytest.mark.browser

ROWS = 2500
SENT = 2 * office.BATCH    # two batches go in, the third is refused


def _refuse_factories_after(db, count: int) -> None:
    """The database refuses any factory row past ``count`` (as a full disk would)."""
    with db.write() as c:
        if c.dialect == "postgresql":
            c.run("CREATE FUNCTION refuse_factories() RETURNS trigger LANGUAGE plpgsql AS $$ "
                  "BEGIN IF NEW.tbl = 'factories' AND (SELECT count(*) FROM records "
                  f"WHERE tbl = 'factories') >= {count} THEN "
                  "RAISE EXCEPTION 'database or disk is full'; END IF; RETURN NEW; END $$")
            c.run("CREATE TRIGGER refuse_factories BEFORE INSERT ON records "
                  "FOR EACH ROW EXECUTE FUNCTION refuse_factories()")
        else:
            c.run("CREATE TRIGGER refuse_factories BEFORE INSERT ON records "
                  f"WHEN NEW.tbl = 'factories' AND (SELECT count(*) FROM records "
                  f"WHERE tbl = 'factories') >= {count} "
                  "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")


def _accept_factories_again(db) -> None:
    with db.write() as c:
        if c.dialect == "postgresql":
            c.run("DROP TRIGGER refuse_factories ON records")
            c.run("DROP FUNCTION refuse_factories()")
        else:
            c.run("DROP TRIGGER refuse_factories")


def _factories(db) -> int:
    with db.read() as c:
        return int(c.value("SELECT count(*) FROM records WHERE tbl = 'factories'"))


def _upload(page, data: bytes) -> None:
    visit(page, "/admin/registry")
    choose_file(page, "Factory_Data.csv", data, "text/csv")
    submit(page, "form[action='/admin/registry']")


def test_an_import_stopped_part_way_says_why_what_is_in_and_what_to_do(page, site,
                                                                       tmp_path):
    source = tmp_path / "Factory_Data.csv"
    write_registry(source, ROWS)
    with site.db() as db:
        before = _factories(db)
        _refuse_factories_after(db, before + SENT)
    try:
        sign_in(page, "admin")
        _upload(page, source.read_bytes())
        page.wait_for_selector("#stopped", timeout=120_000)
        said = [" ".join(t.split()) for t in page.locator(
            "#stopped p, #stopped dt, #stopped dd").all_inner_texts()]
        assert said[:3] == ["การนำเข้าไม่เสร็จสมบูรณ์", "สาเหตุที่หยุด", said[2]]
        assert said[2].endswith("database or disk is full"), said   # no PostgreSQL CONTEXT
        assert said[3:5] == ["สิ่งที่เข้าทะเบียนแล้ว",
                             f"ส่งเข้าทะเบียนของสำนักงานแล้ว {SENT:,} จาก {ROWS:,} "
                             f"รายการที่ไฟล์เปลี่ยน ส่วนที่เหลือยังไม่เข้า"], said
        assert said[5] == "สิ่งที่ต้องทำ" and "จะไม่ถูกนำเข้าซ้ำ" in said[6], said
        assert "นำเข้าไฟล์ไม่ได้" not in page.inner_text("main")
        shoot(page, "registry-stopped")
        page.goto(f"/lang/en?next={quote(urlsplit(page.url).path, safe='')}")
        english = [" ".join(t.split()) for t in page.locator(
            "#stopped p, #stopped dt, #stopped dd").all_inner_texts()]
        assert english[4] == (f"{SENT:,} of {ROWS:,} changes are in the office's registry; "
                              f"the rest are not."), english
        assert english[6].startswith("Fix what stopped it") and \
            "not imported twice" in english[6], english
        page.goto("/lang/th?next=/admin/registry")
        visit(page, "/admin/registry", "registry-stopped-list")
        assert f"หยุดกลางคัน: เข้าทะเบียนแล้ว {SENT:,} จาก {ROWS:,} รายการ" in \
            page.inner_text("main")
        with site.db() as db:
            assert _factories(db) == before + SENT
    finally:
        with site.db() as db:
            _accept_factories_again(db)
    # What the page says to do: the same file again sends only the rest.
    _upload(page, source.read_bytes())
    page.wait_for_selector("#summary", timeout=120_000)
    figures = dict(zip(page.locator("#summary dt").all_inner_texts(),
                       page.locator("#summary dd").all_inner_texts(), strict=True))
    assert figures["โรงงานที่เพิ่มใหม่"] == f"{ROWS - SENT:,}", figures
    assert re.sub(r"\D", "", figures["แถวที่ไม่มีการเปลี่ยนแปลง"]) == str(SENT), figures
    with site.db() as db:
        assert _factories(db) == before + ROWS
