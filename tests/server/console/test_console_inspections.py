"""The console's inspection pages on data pushed by laptops through the sync API, both
backends: the list per role and province, search and filters in the page, one inspection,
its printed form and photos, exports, escaping, and the audit of every view."""

from __future__ import annotations

import io

import pytest
from console_world import sign_in, site
from openpyxl import load_workbook
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import World

from fieldapp.server import audit


@pytest.fixture
def world(api):
    w = World(api)
    w.site = site(w.db)
    return w


def test_list_shows_each_role_its_scope(world):
    pages = {name: sign_in(world.site, name).get("/inspections").text
             for name in ("admin", "sup10", "sup20", "anong", "chai")}
    numbers = {"2569/AAAA0001", "2569/BBBB0002", "2569/CCCC0003", "2569/DDDD0004"}

    def shown(html):
        return {n for n in numbers if n in html}
    assert shown(pages["admin"]) == numbers
    assert shown(pages["sup10"]) == numbers - {"2569/DDDD0004"}
    assert shown(pages["sup20"]) == {"2569/DDDD0004"}
    assert shown(pages["anong"]) == numbers - {"2569/DDDD0004"}
    assert shown(pages["chai"]) == {"2569/DDDD0004"}


def test_search_filter_and_sort_in_the_page(world):
    b = sign_in(world.site, "sup10")
    assert "2569/BBBB0002" in b.get("/inspections?q=BBBB").text
    assert "2569/AAAA0001" not in b.get("/inspections?q=BBBB").text
    complaint = b.get("/inspections?kind=complaint").text
    assert "2569/BBBB0002" in complaint and "2569/AAAA0001" not in complaint
    march = b.get("/inspections?from=2026-03-01&to=2026-03-31").text
    assert "2569/AAAA0001" in march and "2569/BBBB0002" not in march
    # Thai typed dates work too (Buddhist era), and nonsense is ignored, not a 500.
    assert b.get("/inspections?from=1/3/2569&to=31/3/2569").status_code == 200
    for hostile in ("?sort=1;DROP TABLE records", "?page=-1", "?page=99999999999999",
                    "?per_page=abc", "?state=<b>", "?from=32/13/2569"):
        assert b.get("/inspections" + hostile).status_code == 200, hostile
    # The ends of the calendar are bounds past every record, not a 500 (no UTC moment).
    both = b.get("/inspections?from=0001-01-01&to=9999-12-31").text
    assert "2569/AAAA0001" in both and "2569/BBBB0002" in both
    for ends in ("?from=0001-01-01", "?to=9999-12-31", "?from=9999-12-31"):
        for page in ("/inspections", "/inspections/export.csv"):
            assert b.get(page + ends).status_code == 200, page + ends
    assert "2569/AAAA0001" not in b.get("/inspections?from=9999-12-31").text


def test_hostile_search_text_is_escaped(world):
    b = sign_in(world.site, "sup10")
    r = b.get("/inspections", params={"q": '"><script>alert(1)</script>โรงงาน'})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


def test_one_inspection_in_scope_and_logged(world):
    b = sign_in(world.site, "sup10")
    r = b.get(f"/inspections/{world.final10}")
    assert r.status_code == 200
    html = r.text
    assert "คุณสมชาย" in html and "น้ำเสีย" in html and "แก้ไขภายใน 30 วัน" in html
    assert 'class="exceeded"' in html
    assert f"/inspections/{world.amend10}" in html   # amended by, linked
    assert "2569" in html                            # Buddhist-era dates
    rows, _ = audit.search(world.db, audit.AuditFilter(username="sup10", action="view"))
    assert any(world.final10 in r["target"] for r in rows)
    amendment = b.get(f"/inspections/{world.amend10}").text
    assert f"/inspections/{world.final10}" in amendment   # and back


@pytest.mark.parametrize("name", ["sup20", "chai"])
def test_other_province_sees_nothing(world, name):
    b = sign_in(world.site, name)
    for path in (f"/inspections/{world.final10}", f"/inspections/{world.final10}/form.pdf"):
        r = b.get(path)
        assert r.status_code == 404, path
        assert "คุณสมชาย" not in r.text


def test_inspector_sees_own_only_and_nothing_of_the_office(world):
    b = sign_in(world.site, "anong")
    assert b.get(f"/inspections/{world.final10}").status_code == 200
    assert b.get(f"/inspections/{world.insp20}").status_code == 404
    for path in ("/", "/factories", "/verify", "/admin/users", "/audit", "/conflicts"):
        assert b.get(path).status_code in (403, 404), path


def test_unknown_and_malformed_ids(world):
    b = sign_in(world.site, "admin")
    for rid in ("nope", "x" * 300, "..%2F..%2Fetc"):
        assert b.get(f"/inspections/{rid}").status_code == 404
    assert b.get("/inspections/%00").status_code == 400          # malformed, not a 500
    assert b.get("/inspections?q=%00&district=%00").status_code == 400


def test_exports_carry_the_filtered_rows_and_are_logged(world):
    b = sign_in(world.site, "sup10")
    r = b.get("/inspections/export.csv?kind=complaint")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert "2569/BBBB0002" in text and "2569/AAAA0001" not in text
    assert text.splitlines()[0].startswith("เลขที่บันทึก")
    x = b.get("/inspections/export.xlsx")
    sheet = load_workbook(io.BytesIO(x.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "2569/AAAA0001" in values and "2569/DDDD0004" not in values
    rows, _ = audit.search(world.db, audit.AuditFilter(username="sup10", action="export"))
    assert len(rows) == 2


def test_printed_form_is_a_pdf(world):
    b = sign_in(world.site, "sup10")
    r = b.get(f"/inspections/{world.final10}/form.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_filter_by_one_template_version(world):
    b = sign_in(world.site, "admin")
    with world.db.read() as c:
        key, version = c.tuples("SELECT template_key, template_version FROM inspection_index "
                                "LIMIT 1")[0]
    assert "2569/AAAA0001" in b.get(f"/inspections?template={key}:{version}").text
    assert "2569/AAAA0001" not in b.get(f"/inspections?template={key}:{version + 1}").text
    assert b.get(f"/inspections?template={key}:abc").status_code == 200
