"""The monthly report page, both backends: a supervisor's province and last month by default,
the counts as tables, downloads of the same report as Excel and PDF (audited), another
province refused, a bad month told in Thai and English."""

from __future__ import annotations

import io

import pytest
from console_world import sign_in, site
from monthly_world import MonthWorld
from openpyxl import load_workbook
from server_fixtures import PASSWORD
from test_server_api import api as api  # noqa: F401  (the fixture, shared)

from fieldapp.server.auth import add_user, grant_province


@pytest.fixture
def world(api, monkeypatch):
    monkeypatch.setenv("FIELDAPP_TODAY", "2026-12-05")
    w = MonthWorld(api)
    for name, code in (("sup10", "10"), ("sup20", "20")):
        add_user(w.db, name, PASSWORD, "supervisor")
        grant_province(w.db, name, code)
    w.site = site(w.db)
    return w


def test_supervisor_sees_last_month_of_their_province(world):
    b = sign_in(world.site, "sup10")
    r = b.get("/reports/monthly")
    assert r.status_code == 200
    html = r.text
    assert "รายงานผลการปฏิบัติงานประจำเดือน พฤศจิกายน 2569" in html
    assert 'value="2026-11"' in html and 'href="/reports/monthly"' in html  # nav entry
    assert 'id="report-inspections"' in html and 'id="report-inspectors_work"' in html
    # the total of finalized inspections, and anong's line
    total = html.split("Inspections finalized")[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in total
    anong = html.split("<td>anong</td>")[1].split("</tr>")[0]
    numbers = [cell.split("</td>")[0] for cell in anong.split('<td class="num">')[1:]]
    assert numbers == ["2", "1", "1", "0", "1", "1", "1", "1", "0", "1"]


def test_downloads_match_and_are_audited(world):
    b = sign_in(world.site, "sup10")
    r = b.get("/reports/monthly.xlsx?province=10&month=2026-11")
    assert r.status_code == 200 and "spreadsheet" in r.headers["content-type"]
    assert "monthly-report-10-2026-11.xlsx" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.worksheets[0]["A1"].value == "รายงานผลการปฏิบัติงานประจำเดือน พฤศจิกายน 2569"
    r = b.get("/reports/monthly.pdf?province=10&month=2026-10")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    with world.db.read() as c:
        details = [row["detail"] for row in c.all(
            "SELECT detail FROM audit_log WHERE action = 'export' ORDER BY at")]
    assert details == ["monthly report of province 10 for 2026-11 as xlsx",
                       "monthly report of province 10 for 2026-10 as pdf"]


def test_another_province_is_not_found(world):
    b = sign_in(world.site, "sup20")
    assert b.get("/reports/monthly?province=10&month=2026-11").status_code == 404
    assert b.get("/reports/monthly.xlsx?province=10&month=2026-11").status_code == 404
    r = b.get("/reports/monthly")          # their own province by default
    assert r.status_code == 200 and "จังหวัดชลบุรี" in r.text and "anong" not in r.text


def test_admin_chooses_any_province_and_bad_input_is_told(world):
    b = sign_in(world.site, "admin")
    r = b.get("/reports/monthly?province=20&month=2026-11")
    assert r.status_code == 200 and "<td>chai</td>" in r.text
    r = b.get("/reports/monthly?province=10&month=2026-13")
    assert r.status_code == 400
    assert "เดือนไม่ถูกต้อง" in r.text and "YYYY-MM" in r.text
    assert b.get("/reports/monthly.docx?province=10&month=2026-11").status_code == 404
    assert b.get("/reports/monthly.pdf?province=10&month=x").status_code == 400


def test_inspector_may_not(world):
    b = sign_in(world.site, "anong")
    assert b.get("/reports/monthly").status_code == 403
    assert b.get("/reports/monthly.pdf").status_code == 403
