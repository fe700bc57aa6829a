"""The hybrid logical clock stays monotonic whatever the wall clock does."""

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.hlc import HybridClock, Timestamp


class FakeWall:
    def __init__(self, values):
        self.values = list(values)

    def __call__(self):
        return self.values.pop(0)


def test_stamps_follow_wall_clock_when_it_moves_forward():
    clock = HybridClock("dev1", wall=FakeWall([1000, 2000]))
    assert clock.now() == "0000000001000-0000-dev1"
    assert clock.now() == "0000000002000-0000-dev1"


def test_backwards_wall_clock_keeps_counting_up():
    clock = HybridClock("dev1", wall=FakeWall([5000, 4000, 3000, 5000, 6000]))
    stamps = [clock.now() for _ in range(5)]
    assert stamps == [
        "0000000005000-0000-dev1",
        "0000000005000-0001-dev1",
        "0000000005000-0002-dev1",
        "0000000005000-0003-dev1",
        "0000000006000-0000-dev1",
    ]


def test_restart_with_persisted_last_stamp_stays_monotonic():
    first = HybridClock("dev1", wall=FakeWall([9000]))
    last = first.now()
    # The laptop restarts with its clock an hour behind.
    second = HybridClock("dev1", last=last, wall=FakeWall([9000 - 3_600_000]))
    assert second.now() > last


def test_counter_overflow_borrows_next_millisecond():
    clock = HybridClock("d", last="0000000001000-ffff-d", wall=FakeWall([1000]))
    assert clock.now() == "0000000001001-0000-d"


def test_observe_remote_orders_next_stamp_after_it():
    clock = HybridClock("a", wall=FakeWall([1000, 1000]))
    clock.now()
    clock.observe("0000000007000-0005-b")
    assert clock.now() == "0000000007000-0006-a"


def test_parse_rejects_garbage():
    for bad in ["", "123", "0000000001000-00-x", "abc-def-ghi"]:
        try:
            Timestamp.parse(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} parsed")


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=60),
       st.lists(st.tuples(st.integers(0, 10**12), st.integers(0, 0xFFFF)), max_size=10))
def test_any_wall_sequence_gives_strictly_increasing_text(walls, remotes):
    clock = HybridClock("dev", wall=FakeWall(walls))
    previous = ""
    for i in range(len(walls)):
        if i < len(remotes):
            clock.observe(str(Timestamp(remotes[i][0], remotes[i][1], "other")))
        stamp = clock.now()
        assert stamp > previous
        assert Timestamp.parse(stamp) > Timestamp.parse(previous) if previous else True
        previous = stamp
