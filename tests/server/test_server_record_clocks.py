"""The ``fields`` column of ``records``: one clock for all fields when one write set them
all, field by field otherwise, and rows stored before the short form read as they were."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.server.records import ALL_FIELDS, Record, clocks_of, clocks_text

_NAMES = st.sampled_from(["item_id", "result", "value", "note", "deleted", "inspection_id"])
_CLOCK = st.tuples(st.sampled_from(["1796524743603-0012-aa", "1796524743604-0000-bb"]),
                   st.sampled_from(["aa", "bb"]), st.integers(1, 9)).map(list)


@st.composite
def _rows(draw):
    clocks = draw(st.dictionaries(_NAMES, _CLOCK, max_size=6))
    if draw(st.booleans()) and clocks:  # one write set every field
        one = next(iter(clocks.values()))
        clocks = {name: list(one) for name in clocks}
    data = {name: draw(st.one_of(st.none(), st.text(max_size=3), st.integers()))
            for name in clocks}
    change = draw(st.sampled_from(["none", "data without a clock", "a clock without data"]))
    if change == "data without a clock":
        data["extra"] = "x"
    elif change == "a clock without data" and data:
        del data[next(iter(data))]
    return data, clocks


@given(_rows())
def test_the_clocks_read_back_as_written(row):
    data, clocks = row
    back = clocks_of(data, clocks_text(data, clocks))
    assert back == clocks
    # every field its own list: renumbering one must not move another
    assert len({id(clock) for clock in back.values()}) == len(back)


def test_one_write_of_every_field_is_stored_once():
    data = {"item_id": "1.1", "result": "pass", "value": "7.2", "note": None}
    clock = ["1796524743603-0012-aa", "aa", 7]
    text = clocks_text(data, {name: list(clock) for name in data})
    assert json.loads(text) == {ALL_FIELDS: clock}
    # a later write of one field keeps them field by field
    mixed = {name: list(clock) for name in data} | {"note": ["1796524743604-0000-aa", "aa", 9]}
    assert set(json.loads(clocks_text(data, mixed))) == set(data)


def test_a_row_stored_field_by_field_reads_as_before():
    clocks = {"result": ["h1", "aa", 3], "note": ["h1", "aa", 3]}
    row = {"tbl": "answers", "id": "a", "data": '{"note":null,"result":"pass"}',
           "fields": json.dumps(clocks), "province": "10", "owner": "u", "parent_id": "i",
           "blob_sha": None, "frozen": 0, "updated_hlc": "h1", "device_id": "aa",
           "deleted": 0, "seq": 3}
    assert Record.from_row(row).clocks == clocks
