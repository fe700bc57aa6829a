"""Values below a lab's detection limit ("<2", "ND", "ไม่พบ"): read, stored in one form,
judged against legal limits without passing or failing what cannot be known."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from template_samples import sample_doc

from fieldapp.core.errors import ValidationError
from fieldapp.core.templates import (
    finalize_problems,
    is_exceeded,
    is_failed,
    judgement,
    needs_decision,
    normalize_value,
    outside_limits,
    parse_template,
)


def _template():
    doc = sample_doc()
    # Dissolved oxygen: a lone minimum (DO >= 4 mg/L), beside pH (5.5-9.0) and BOD (<= 20).
    doc["sections"][1]["items"].append(
        {"id": "do", "type": "number", "label": {"th": "ออกซิเจนละลาย", "en": "DO"},
         "unit": "mg/L", "limits": {"min": 4}})
    return parse_template(doc, "sample")


T = _template()
PH, BOD, FLOW, DO = T.item("ph"), T.item("bod"), T.item("flow"), T.item("do")


@pytest.mark.parametrize("raw, stored", [
    ("<2", "<2"), ("< 2", "<2"), (" <0.5 ", "<0.5"), ("＜2", "<2"), ("<๒", "<2"),
    ("<2 mg/L", "<2"), ("<2.0", "<2.0"), ("<1,000", "<1000"),
    ("ND", "ND"), ("nd", "ND"), ("N.D.", "ND"), ("n.d.", "ND"), ("n.d", "ND"),
    ("ไม่พบ", "ND"), ("ไม่พบ (ND)", "ND"), ("not detected", "ND"), ("ND mg/L", "ND"),
    ("ND<0.5", "ND<0.5"), ("ND (<0.5)", "ND<0.5"), ("ND (0.5)", "ND<0.5"),
    ("n.d. < 0.5", "ND<0.5"), ("ไม่พบ <0.005", "ND<0.005"), ("ND, <2", "ND<2"),
])
def test_below_detection_values_are_stored_in_one_form(raw, stored):
    assert normalize_value(BOD, raw) == stored
    assert normalize_value(BOD, stored) == stored   # idempotent: amend and sync keep it


@pytest.mark.parametrize("raw", ["<", "<<2", "ND5x", "< abc", "<0", "<-2", "ND 0.5", "ND<",
                                 "NDx", "ไม่พบ5", "<2<3", "ND()"])
def test_garbage_says_what_to_type(raw):
    with pytest.raises(ValidationError) as info:
        normalize_value(BOD, raw)
    message = str(info.value)
    assert message.startswith("ข้อ 2.2 ค่า BOD: ")
    assert "<2" in message and "ND" in message   # the forms that are understood


@pytest.mark.parametrize("raw", ["<2", "ND"])
def test_an_item_without_a_legal_limit_takes_no_detection_limit(raw):
    """A flow or a count of workers is never "not detected"; nothing to judge it against."""
    with pytest.raises(ValidationError, match="detection limit"):
        normalize_value(FLOW, raw)


@pytest.mark.parametrize("item, value, judged", [
    (BOD, "<2", "within"), (BOD, "<20", "within"), (BOD, "<20.0001", "undecided"),
    (BOD, "<30", "undecided"), (BOD, "ND", "within"), (BOD, "ND<0.5", "within"),
    (BOD, "ND<30", "undecided"),
    (PH, "<2", "below"), (PH, "<5.5", "below"), (PH, "<8", "undecided"),
    (PH, "<10", "undecided"), (PH, "ND", "below"),
    (DO, "<2", "below"), (DO, "<4", "below"), (DO, "<5", "undecided"), (DO, "ND", "below"),
    (DO, "ND<0.5", "below"),
    # Plain numbers are judged as they always were.
    (BOD, "20", "within"), (BOD, "20.5", "above"), (PH, "5.4", "below"), (DO, "4", "within"),
    (FLOW, "<2", None), (BOD, None, None),
])
def test_judgement(item, value, judged):
    assert judgement(item, value) == judged
    exceeded = {"within": False, "above": True, "below": True}.get(judged)
    assert is_exceeded(item, value) is exceeded
    assert outside_limits(item, value) == (judged if judged in ("above", "below") else None)


@given(limit=st.decimals(min_value=Decimal("0.001"), max_value=1000, places=3),
       high=st.decimals(min_value=0, max_value=1000, places=2),
       low=st.one_of(st.none(), st.decimals(min_value=Decimal("0.01"), max_value=1000,
                                            places=2)))
def test_a_below_detection_value_is_judged_only_when_every_value_below_its_limit_agrees(
        limit, high, low):
    """The true value lies in [0, limit): "within" only if all of it is within the limits,
    "below" only if all of it is below the minimum, otherwise undecided; never "above"."""
    if low is not None and low > high:
        low, high = high, low
    doc = sample_doc()
    doc["sections"][1]["items"][1]["limits"] = {
        "max": str(high), **({"min": str(low)} if low is not None else {})}
    item = parse_template(doc, "x").item("bod")
    if not item.limit_text():
        return
    stored = normalize_value(item, f"<{limit}")
    judged = judgement(item, stored)
    # Just below the limit, and zero: the two ends of what the lab's "<" allows.
    ends = [judgement(item, str(v)) for v in (limit - Decimal("0.0001"), Decimal(0))]
    if judged == "within":
        assert ends == ["within", "within"]
    elif judged == "below":
        assert ends == ["below", "below"]
    else:
        # Limits are in hundredths, detection limits in thousandths: a step of 0.0001
        # below the detection limit stays on its side of every legal limit.
        assert judged == "undecided" and ends[0] != ends[1]


@given(st.text(alphabet="<＜ndNDไม่พบ.,()0123456789 ", max_size=12))
def test_whatever_is_typed_is_stored_idempotently_or_refused(raw):
    try:
        once = normalize_value(BOD, raw)
    except ValidationError:
        return
    assert normalize_value(BOD, once) == once
    if once is not None:
        assert judgement(BOD, once) in ("within", "above", "undecided")


def test_an_undecided_value_waits_for_the_inspectors_result():
    answer = {"value": "<30", "result": None}
    assert needs_decision(BOD, answer) and not is_failed(BOD, answer)
    problems = finalize_problems(T, {"bod": answer}, {})
    assert any("BOD" in p and "pass or fail" in p for p in problems)
    for result, failed in (("pass", False), ("fail", True)):
        decided = {**answer, "result": result}
        assert not needs_decision(BOD, decided)
        assert is_failed(BOD, decided) is failed
        assert not any("pass or fail" in p for p in finalize_problems(T, {"bod": decided}, {}))
    # A value that judges itself asks nothing.
    assert not needs_decision(BOD, {"value": "<2"})
    assert is_failed(PH, {"value": "<2"})


def _judged_before(item, value_text):
    """The legal-limit check as it was before below-detection values (for plain numbers)."""
    value = Decimal(value_text)
    low, high = item.limits.min, item.limits.max
    return (low is not None and value < low) or (high is not None and value > high)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=0,
                   max_value=10**6))
def test_values_stored_before_keep_their_text_and_their_judgement(d):
    """What the store held before (plain decimal text) reads back as the same text (so a
    finalized record's hash, which covers the text, stays what it was; see
    tests/core/test_canonical.py) and is judged exactly as before."""
    for item in (PH, BOD, DO):
        stored = normalize_value(item, str(d))
        assert normalize_value(item, stored) == stored
        assert is_exceeded(item, stored) is _judged_before(item, stored)
