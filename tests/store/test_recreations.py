"""The stamp of a row sent again ahead of the changes that refer to it (store/recreations.py)
must sort before every real write, this laptop's or another's, or the merge would let it win."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.hlc import Timestamp
from fieldapp.store.recreations import earliest_stamp, referred_inspection


@given(st.integers(1, 10**13 - 1), st.integers(0, 0xFFFF),
       st.from_regex(r"[a-z0-9][a-z0-9\-]{0,30}", fullmatch=True))
def test_the_recreation_stamp_is_older_than_any_write(wall, counter, device):
    stamp = str(Timestamp(wall, counter, device))
    earliest = earliest_stamp(stamp)
    assert Timestamp.parse(earliest) <= Timestamp.parse(stamp)
    assert Timestamp.parse(earliest).device == device
    assert earliest <= stamp   # the office compares the text (equal widths sort as numbers)
    other = str(Timestamp(wall, counter, "another-laptop"))
    assert earliest < other or Timestamp.parse(other).wall_ms == 1


def test_the_first_change_that_refers_to_an_inspection_is_found():
    children = ("answers", "findings")
    assert referred_inspection("inspections", "i1", '{"state": "draft"}', children) == "i1"
    assert referred_inspection("answers", "a1", '{"inspection_id": "i1", "item_id": "1"}',
                               children) == "i1"
    assert referred_inspection("answers", "a1", '{"result": "pass"}', children) is None
    assert referred_inspection("factories", "f1", '{"inspection_id": "i1"}', children) is None
    assert referred_inspection("findings", "x", '{"inspection_id": 7}', children) is None
