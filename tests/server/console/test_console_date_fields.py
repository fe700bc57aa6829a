"""The console's date fields are typed and shown in the Buddhist era, as every date it shows
(console/date_fields.py): what a field shows reads back as the same day, a filter typed in
the Buddhist era filters as its ISO form does, and an unreadable one is said, kept in its
field and left out of the filter."""

from __future__ import annotations

import re
from datetime import date

import pytest
from console_world import field_value, sign_in, site
from hypothesis import given
from hypothesis import strategies as st
from test_server_api import api as api  # noqa: F401  (the fixture, shared)
from test_server_console_inspections import World

from fieldapp.core.resources import resource_path
from fieldapp.core.thaidate import typed_date
from fieldapp.server.console.date_fields import day_text, field_text, filter_day

WARNING = "อ่านวันที่ไม่ได้"   # the start of the Thai warning (th.po)


@pytest.fixture
def world(api):
    w = World(api)
    w.site = site(w.db)
    return w


@pytest.mark.parametrize(("value", "shown"), [
    (date(2026, 12, 5), "05/12/2569"),
    ("2026-03-01", "01/03/2569"),       # the office's own default (today)
    ("5/12/2569", "05/12/2569"),        # typed: shown as it was read
    ("5 ธ.ค. 69", "05/12/2569"),
    ("2569-12-05", "05/12/2569"),       # ISO order with a Buddhist-era year
    ("1/1/3569", "01/01/3569"),         # a slip of the keyboard: shown as read, not shifted
    ("1/1/1500", "1500-01-01"),         # before 1858: as 01/01/2043 it would read as 2043
    ("32/13/2569", "32/13/2569"),       # unreadable: as typed, to be corrected
    ("5 ธ.ค. 256", "5 ธ.ค. 256"),
    ("", ""), (None, ""),
])
def test_a_field_shows_a_day_in_the_buddhist_era_and_unreadable_text_as_typed(value, shown):
    assert field_text(value) == shown


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9456, 12, 31)))
def test_what_a_field_shows_reads_back_as_the_same_day(day):
    """Every day a typed date can be (the year 9999 of the Buddhist era is 9456)."""
    assert typed_date(day_text(day)) == day
    assert field_text(day) == day_text(day)
    assert field_text(day_text(day)) == day_text(day)


def test_a_filter_bound_is_a_day_none_or_unreadable():
    assert filter_day("1/3/2569") == (date(2026, 3, 1), True)
    assert filter_day("๑/๓/๒๕๖๙") == (date(2026, 3, 1), True)
    assert filter_day("2026-03-01") == (date(2026, 3, 1), True)
    assert filter_day("") == (None, True) and filter_day(None) == (None, True)
    assert filter_day("31/2/2569") == (None, False)
    assert filter_day("x" * 10_000) == (None, False)


def test_no_console_page_uses_the_browsers_christian_era_date_input():
    folder = resource_path("console", "templates")
    offenders = [p.name for p in folder.glob("*.html")
                 if re.search(r"type=[\"']?date", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_inspections_filter_typed_in_the_buddhist_era(world):
    b = sign_in(world.site, "sup10")
    iso = b.get("/inspections?from=2026-03-01&to=2026-03-31").text
    typed = b.get("/inspections?from=1/3/2569&to=31 มี.ค. 69").text
    for html in (iso, typed):
        assert "2569/AAAA0001" in html and "2569/BBBB0002" not in html
        assert WARNING not in html
    assert (field_value(iso, "from"), field_value(iso, "to")) == ("01/03/2569", "31/03/2569")
    assert (field_value(typed, "from"), field_value(typed, "to")) == ("01/03/2569", "31/03/2569")


def test_an_unreadable_filter_date_is_said_kept_and_left_out(world):
    b = sign_in(world.site, "sup10")
    html = b.get("/inspections?from=31/2/2569").text
    assert WARNING in html
    assert field_value(html, "from") == "31/2/2569"
    assert "2569/AAAA0001" in html and "2569/BBBB0002" in html   # no bound applied
    orders = b.get("/orders?to=%3Cb%3E").text
    assert WARNING in orders and field_value(orders, "to") == "&lt;b&gt;"
    assert WARNING not in b.get("/orders?to=31/12/2569").text
    audit = sign_in(world.site, "admin").get("/audit?since=99/99/2569")
    assert audit.status_code == 200 and WARNING in audit.text
    assert field_value(audit.text, "since") == "99/99/2569"


def test_a_day_past_2400_is_not_shifted_by_the_page_or_its_links(world):
    """A filter's field and the orders pager carry a day so that it reads back the same:
    the ISO form of a day past the year 2400 would read as of the Buddhist era."""
    b = sign_in(world.site, "sup10")
    orders = b.get("/orders?from=1/1/3569&per_page=1").text
    assert field_value(orders, "from") == "01/01/3569"
    for link in re.findall(r'href="(/orders\?[^"]*)"', orders):
        assert "3026-01-01" not in link
    audit = sign_in(world.site, "admin").get("/audit?since=1/1/3569&until=31/12/9999").text
    assert (field_value(audit, "since"), field_value(audit, "until")) == ("01/01/3569", "31/12/9999")
    assert WARNING not in audit


