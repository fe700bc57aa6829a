"""The push path keeps a row's clock incrementally (the newer of the row's clock and the
write's, when the write changed something); it must always equal merge.row_clock, the
newest field clock, whatever order writes arrive in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.server.merge import merge_fields, row_clock

FIELDS = ("name", "phone", "lat", "deleted")
DEVICES = ("lap-a", "lap-b", "office")

writes = st.lists(st.tuples(
    st.integers(1_700_000_000_000, 1_700_000_000_020),   # wall clock (ms): many ties
    st.integers(0, 3),                                   # counter
    st.sampled_from(DEVICES),
    st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.none(), st.integers(0, 3)),
                    min_size=1)), min_size=1, max_size=30)


@given(writes, st.integers(0, 40))
def test_incremental_row_clock_equals_the_newest_field_clock(ops, seen_seq):
    data: dict = {}
    clocks: dict = {}
    updated, device_of_row = "", ""
    for seq, (wall, counter, device, fields) in enumerate(ops, start=1):
        hlc = f"{wall:013d}-{counter:04x}-{device}"
        result = merge_fields(data, clocks, dict(fields), hlc, device, seq, seen_seq)
        if not result.changed:
            continue
        if hlc > updated:  # what fieldapp.server.push does
            updated, device_of_row = hlc, device
        assert (updated, device_of_row) == row_clock(clocks)
