"""The push's one-call check of a field (values.field_problem) says exactly what the two checks
it stands for say, value by value: a faster check must not let through, or refuse, anything
the slower pair did not."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.server.values import TEXT_MAX, field_problem, storable_problem, value_problem
from fieldapp.sync import protocol as P

TABLES = sorted(P.COLUMNS)
# Every column of every table, and a name no table has.
NAMES = sorted({name for cols in P.COLUMNS.values() for name in cols} | {"no_such_field"})
CHOICE_VALUES = sorted({str(v) for table in P.CHOICES.values() for vs in table.values()
                        for v in vs})

values = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.text(alphabet="ab\x00", max_size=5),
    st.sampled_from(CHOICE_VALUES),
    st.sampled_from([json.dumps({"name": "x"}), "{}", "not json", "x" * (TEXT_MAX + 1)]),
)


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(TABLES), st.sampled_from(NAMES), values)
def test_field_problem_is_value_problem_then_storable_problem(table, name, value):
    assert field_problem(table, name, value) == (
        value_problem(name, value) or storable_problem(table, name, value))


def test_each_kind_of_refusal_is_still_given():
    assert "too long" in field_problem("answers", "note", "x" * (TEXT_MAX + 1))
    assert "64 bits" in field_problem("answers", "value", 2**64)
    assert "finite" in field_problem("answers", "value", float("nan"))
    assert "cannot be empty" in field_problem("answers", "inspection_id", None)
    assert "NUL" in field_problem("answers", "inspection_id", "a\x00b")
    table, choices = next((t, c) for t, c in P.CHOICES.items() if c)
    name = sorted(choices)[0]
    assert "is one of" in field_problem(table, name, "surely-not-a-choice")
    assert field_problem("answers", "note", "ตรวจพบว่าระบบบำบัดน้ำเสียทำงานปกติ") is None
