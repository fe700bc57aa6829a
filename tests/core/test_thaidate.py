from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.thaidate import (
    arabic_digits,
    format_date,
    format_datetime,
    format_time,
    parse_date,
    parse_deadline,
    period_days,
    thai_digits,
    typed_in_full,
)


def test_formats_in_buddhist_era():
    d = date(2023, 12, 21)
    assert format_date(d) == "21 ธันวาคม 2566"
    assert format_date(d, "short") == "21 ธ.ค. 66"
    assert format_date(d, "numeric") == "21/12/2566"
    assert format_date(d, digits="thai") == "๒๑ ธันวาคม ๒๕๖๖"


def test_instants_are_shown_in_bangkok_time():
    # 20:30 UTC on the 20th is 03:30 on the 21st in Bangkok.
    instant = datetime(2023, 12, 20, 20, 30, tzinfo=UTC)
    assert format_datetime(instant) == "21 ธันวาคม 2566 เวลา 03.30 น."
    assert format_date("2023-12-20T20:30:00Z") == "21 ธันวาคม 2566"


def test_times_are_written_the_official_thai_way():
    """``เวลา 09.30 น.`` with a full stop, as Thai official documents write it (not the
    English clock's 09:30), in Thai digits when asked."""
    instant = datetime(2023, 12, 21, 2, 30, tzinfo=UTC)
    assert format_time(instant) == "09.30 น."
    assert format_time(instant, digits="thai") == "๐๙.๓๐ น."
    assert format_datetime(instant, "short") == "21 ธ.ค. 66 เวลา 09.30 น."
    assert format_datetime(instant, digits="thai") == "๒๑ ธันวาคม ๒๕๖๖ เวลา ๐๙.๓๐ น."


@pytest.mark.parametrize("text", ["21/12/2566", "21 ธ.ค. 66", "21 ธันวาคม 2566",
                                  "๒๑/๑๒/๒๕๖๖", "2023-12-21", "21-12-2566", "21 ธค 2566",
                                  "2566-12-21", "๒๕๖๖-๑๒-๒๑"])   # ISO order, B.E. year
def test_parses_what_people_type(text):
    assert parse_date(text) == date(2023, 12, 21)


def test_the_leap_day_of_a_buddhist_year_in_iso_order():
    assert parse_date("2567-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["", "31/02/2566", "21 สิงโต 2566", "hello", "2566-02-29",
                                  "21 ธ.ค. 256", "21 ธันวาคม 9", "21 ธันวาคม 25666"])
def test_rejects_non_dates_with_a_message(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2400, 12, 31)),
       st.sampled_from(["long", "numeric"]), st.sampled_from(["arabic", "thai"]))
def test_format_then_parse_round_trips(d, style, digits):
    assert parse_date(format_date(d, style, digits)) == d


@given(st.text())
def test_digit_conversion_round_trips(text):
    assert arabic_digits(thai_digits(arabic_digits(text))) == arabic_digits(text)


@pytest.mark.parametrize("typed", ["ภายใน 30 วัน", "30 วัน", "within 30 days", "Within 30 Days",
                                   "ภายใน๓๐วัน", "๓๐ วัน", "30 days", "ภายใน 30 วัน "])
def test_a_deadline_typed_as_a_period_counts_from_the_inspection(typed):
    """An order's deadline is written "ภายใน 30 วัน" (DESIGN §7): typed so, it was not a date."""
    assert period_days(typed) == 30
    assert parse_deadline(typed, date(2024, 12, 21)) == date(2025, 1, 20)
    assert format_date(parse_deadline(typed, date(2024, 12, 21))) == "20 มกราคม 2568"
    assert typed_in_full(typed)


@pytest.mark.parametrize("typed", ["30", "ภายใน 30", "30 เดือน", "within days", "วัน",
                                   "21/12/2566", "-30 วัน"])
def test_other_text_is_no_period(typed):
    assert period_days(typed) is None


def test_a_deadline_typed_as_a_date_is_a_date():
    assert parse_deadline("21/12/2566", date(2020, 1, 1)) == date(2023, 12, 21)
    with pytest.raises(ValueError):
        parse_deadline("ภายในเดือนหน้า", date(2020, 1, 1))


@pytest.mark.parametrize(("typed", "full"), [
    ("21/12/2566", True), ("21 ธ.ค. 2566", True), ("๒๑/๑๒/๒๕๖๖", True), ("2023-12-21", True),
    ("21/12/25", False), ("21/12/256", False), ("21 ธ.ค. 66", False), ("ภายใน 3", False)])
def test_typing_is_taken_as_it_stands_only_when_finished(typed, full):
    assert typed_in_full(typed) is full

