from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.numbers import grouped


@pytest.mark.parametrize(("value", "printed"), [
    ("12500", "12,500"), ("1250", "1,250"), ("999", "999"), ("3000", "3,000"),
    ("7.20", "7.20"), ("0.005", "0.005"), ("-1500.5", "-1,500.5"), ("1234567.891", "1,234,567.891"),
    (Decimal("3000"), "3,000"), (Decimal("5.50"), "5.50"), (12500, "12,500"), (0, "0")])
def test_thousands_are_grouped_and_the_recorded_precision_kept(value, printed):
    assert grouped(value) == printed


@pytest.mark.parametrize("text", ["", "ไม่ได้วัด", "12 500", "1E+3", "n/a"])
def test_text_that_is_no_plain_number_prints_as_it_is(text):
    assert grouped(text) == text


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_grouping_only_adds_commas(value):
    text = format(value, "f")
    assert grouped(value).replace(",", "") == text.lstrip("+")
