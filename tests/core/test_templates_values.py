"""Answer values: normalisation per answer type (idempotent) and the legal-limit check."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from template_samples import sample_doc

from fieldapp.core.errors import ValidationError
from fieldapp.core.templates import is_exceeded, normalize_value, parse_template

T = parse_template(sample_doc(), "sample")
PH, BOD, FLOW = T.item("ph"), T.item("bod"), T.item("flow")


@pytest.mark.parametrize("raw, stored", [
    ("7.20", "7.20"), ("7.2", "7.2"), (7, "7"), (7.2, "7.2"), (Decimal("7.250"), "7.250"),
    ("๗.๒๐", "7.20"), ("๑๒๐", "120"), ("7,5", "7.5"), ("0,125", "0.125"),
    ("3,000", "3000"), ("1,234.50", "1234.50"), ("12,345,678", "12345678"),
    (" 20 mg/L ", "20"), ("20mg/l", "20"), ("+5", "5"), ("-0.0", "0.0"), (".5", "0.5"),
    ("007", "7"), ("1 000", "1000"), (1e-7, "0.0000001"), ("", None), ("   ", None),
    (None, None),
])
def test_number_values(raw, stored):
    item = BOD if isinstance(raw, str) and "mg" in raw else FLOW
    assert normalize_value(item, raw) == stored


@pytest.mark.parametrize("raw", ["abc", "7.2.3", "1,2,3", "12,34,567", "7 .5e3", "nan",
                                 "inf", True, [7], "๗,๒,๐", "5 kg"])
def test_number_garbage_is_refused_with_a_message_naming_the_item(raw):
    with pytest.raises(ValidationError) as info:
        normalize_value(BOD, raw)
    message = str(info.value)
    assert message.startswith("ข้อ 2.2 ค่า BOD: ") and "item 2.2 BOD" in message
    assert "not a number" in message


@pytest.mark.parametrize("raw", ["-5", "-0.1", "−3"])
def test_a_negative_measure_is_refused(raw):
    """A stray minus: -3 workers was flagged over the legal limit, -5 mg/L taken as within."""
    with pytest.raises(ValidationError, match="negative|not a number"):
        normalize_value(BOD, raw)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3,
                   min_value=0, max_value=10**9))
def test_numbers_typed_with_thousands_separators_or_thai_digits_keep_value_and_precision(d):
    plain = normalize_value(FLOW, str(d))
    assert Decimal(plain) == d and plain == format(d if d != 0 else abs(d), "f")
    grouped = format(d, ",f")
    assert normalize_value(FLOW, grouped) == plain
    thai = plain.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert normalize_value(FLOW, thai) == plain


@given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙.,-+ ", max_size=14))
def test_number_normalisation_is_idempotent(raw):
    try:
        once = normalize_value(FLOW, raw)
    except ValidationError:
        return
    assert normalize_value(FLOW, once) == once


@pytest.mark.parametrize("value, exceeded", [
    ("5.5", False), ("5.49", True), ("5.50", False), ("9.0", False), ("9.00", False),
    ("9", False), ("9.0001", True), ("-1", True), ("7", False), (None, None),
])
def test_ph_limits_are_inclusive(value, exceeded):
    assert is_exceeded(PH, value) is exceeded


@pytest.mark.parametrize("value, exceeded", [
    ("20", False), ("20.000", False), ("20.0001", True), ("0", False), ("19.9999", False),
])
def test_bod_upper_limit(value, exceeded):
    assert is_exceeded(BOD, value) is exceeded


def test_exceedance_uses_decimal_not_float():
    doc = sample_doc()
    doc["sections"][1]["items"][2]["limits"] = {"max": 0.3}
    flow = parse_template(doc, "x").item("flow")
    # 0.1 + 0.2 as floats is 0.30000000000000004 > 0.3; as decimals it is exactly 0.3.
    value = normalize_value(flow, str(Decimal("0.1") + Decimal("0.2")))
    assert is_exceeded(flow, value) is False
    assert is_exceeded(flow, "0.30000000000000004") is True


def test_exceedance_not_applicable():
    assert is_exceeded(FLOW, "999999") is None          # no limits
    assert is_exceeded(T.item("remarks"), "25") is None  # not a number item


def test_choice_values():
    item = T.item("has_boiler")
    assert normalize_value(item, " yes ") == "yes"
    with pytest.raises(ValidationError, match="'maybe' is not a choice"):
        normalize_value(item, "maybe")


def test_multi_choice_values_are_sorted_unique_json():
    item = T.item("fuel")
    assert normalize_value(item, ["oil", "coal", "oil"]) == '["coal","oil"]'
    assert normalize_value(item, '["gas","coal"]') == '["coal","gas"]'
    assert normalize_value(item, "gas") == '["gas"]'
    assert normalize_value(item, []) is None
    with pytest.raises(ValidationError):
        normalize_value(item, ["oil", "wood"])


@given(st.lists(st.sampled_from(["oil", "gas", "coal"]), max_size=6))
def test_multi_choice_is_idempotent(chosen):
    item = T.item("fuel")
    once = normalize_value(item, chosen)
    assert normalize_value(item, once) == once
    assert once is None or json.loads(once) == sorted(set(chosen))


@pytest.mark.parametrize("raw, stored", [
    ("2023-12-21", "2023-12-21"), ("21/12/2566", "2023-12-21"), ("๒๑/๑๒/๒๕๖๖", "2023-12-21"),
    ("21 ธ.ค. 66", "2023-12-21"), ("21 ธันวาคม 2566", "2023-12-21"),
    (date(2024, 2, 29), "2024-02-29"), (datetime(2024, 2, 29, 13, 5), "2024-02-29"),
])
def test_date_values(raw, stored):
    item = T.item("sampled")
    assert normalize_value(item, raw) == stored
    assert normalize_value(item, stored) == stored


@pytest.mark.parametrize("raw", ["31/02/2567", "yesterday", 20231221])
def test_date_garbage(raw):
    with pytest.raises(ValidationError, match="ข้อ 2.4"):
        normalize_value(T.item("sampled"), raw)


def test_document_values_are_canonical_json():
    item = T.item("lab_report")
    stored = normalize_value(item, {"number": " อก 0301/1234 ", "date": "๑๕/๙/๒๕๖๙"})
    assert stored == '{"date":"2026-09-15","number":"อก 0301/1234"}'
    assert normalize_value(item, stored) == stored
    assert normalize_value(item, {"number": "ทส.1/67"}) == '{"date":null,"number":"ทส.1/67"}'
    assert normalize_value(item, {"number": "", "date": ""}) is None
    with pytest.raises(ValidationError, match="unknown field"):
        normalize_value(item, {"number": "1", "issuer": "กรอ."})


def test_gps_values_keep_decimals_as_text_and_stay_in_thailand():
    item = T.item("outlet_gps")
    stored = normalize_value(item, {"lat": 13.756331, "lng": "100.501765", "accuracy_m": 5})
    assert stored == '{"accuracy_m":"5","lat":"13.756331","lng":"100.501765"}'
    assert normalize_value(item, stored) == stored
    assert normalize_value(item, "๑๓.๗๕, 100.5") == '{"lat":"13.75","lng":"100.5"}'
    with pytest.raises(ValidationError, match="outside Thailand"):
        normalize_value(item, {"lat": 100.5, "lng": 13.75})   # swapped
    with pytest.raises(ValidationError, match="outside Thailand"):
        normalize_value(item, {"lat": 4.99, "lng": 100})
    with pytest.raises(ValidationError, match="both lat and lng"):
        normalize_value(item, {"lat": 13.7})
    with pytest.raises(ValidationError, match="accuracy_m"):
        normalize_value(item, {"lat": 13.7, "lng": 100.5, "accuracy_m": -3})


@given(st.decimals(min_value=5, max_value=21, places=6),
       st.decimals(min_value=97, max_value=106, places=6), st.booleans())
def test_gps_is_idempotent(lat, lng, as_float):
    item = T.item("outlet_gps")
    point = {"lat": float(lat), "lng": float(lng)} if as_float else {"lat": lat, "lng": lng}
    once = normalize_value(item, point)
    assert normalize_value(item, once) == once
    assert Decimal(json.loads(once)["lat"]) == (Decimal(repr(float(lat))) if as_float else lat)


@given(st.text(max_size=30))
def test_text_is_stripped_and_idempotent(raw):
    item = T.item("remarks")
    once = normalize_value(item, raw)
    assert once is None or once == once.strip()
    assert normalize_value(item, once) == once


def test_text_line_endings_are_unified():
    assert normalize_value(T.item("remarks"), "  บรรทัด 1\r\nบรรทัด 2\r ") == "บรรทัด 1\nบรรทัด 2"


def test_result_and_photo_items_take_no_value():
    assert normalize_value(T.item("boiler_ok"), None) is None
    assert normalize_value(T.item("outlet"), "") is None
    with pytest.raises(ValidationError, match="takes no typed value"):
        normalize_value(T.item("boiler_ok"), "pass")
    with pytest.raises(ValidationError, match="photos are attached"):
        normalize_value(T.item("outlet"), "photo.jpg")


def test_a_lone_lower_bound_of_zero_is_no_legal_limit():
    """"≥ 0 HP" and "≥ 0 คน" were shown and printed as legal limits: a count is never
    negative, which is checked anyway. Real limits keep their text."""
    from fieldapp.core.template_model import Limits
    assert Limits(min=Decimal(0)).text("HP") == ""
    assert Limits(min=Decimal(1)).text() == "≥ 1"
    assert Limits(min=Decimal(0), max=Decimal(20)).text("mg/L") == "0–20 mg/L"
    assert Limits(max=Decimal(0)).text("mg/L") == "≤ 0 mg/L"
    assert Limits(min=Decimal("5.5"), max=Decimal("9.0")).text() == "5.5–9.0"
