"""The hybrid logical clock stays monotonic whatever the wall clock does."""

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.hlc import HybridClock, Timestamp


class FakeWall:
    def __init__(self, values):
        self.values = list(values)

    def __call__(self):
        # The last value stays: observing reads the wall clock too (to know its limit).
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


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


def test_a_far_future_stamp_is_not_adopted():
    clock = HybridClock("a", wall=lambda: 1_000_000)
    assert not clock.observe("9999999999999-ffff-b")
    assert not clock.observe("10000000000000-0000-b")
    assert not clock.observe("garbage")
    assert clock.now() == "0000001000000-0000-a"
    # within the skew it is an ordinary other device a little ahead
    assert clock.observe(f"{1_000_000 + 60_000:013d}-0003-b")
    assert clock.now() == f"{1_000_000 + 60_000:013d}-0004-a"


def test_the_office_known_to_be_ahead_widens_what_is_adopted():
    """A laptop whose date is behind follows the office (as it always did)."""
    clock = HybridClock("a", wall=lambda: 1_000_000, ahead_ms=3_600_000)
    assert clock.observe(f"{1_000_000 + 3_600_000:013d}-0000-office")
    assert clock.now() > f"{1_000_000 + 3_600_000:013d}-0000-office"


def test_no_stamp_wider_than_the_format_even_at_its_end():
    clock = HybridClock("d", wall=lambda: 5)
    clock.last = Timestamp(9_999_999_999_999, 0xFFFF, "d")   # a state nobody should restore
    stamp = clock.now()
    assert Timestamp.parse(stamp).wall_ms == 5


def test_restore_refuses_an_unusable_state():
    clock = HybridClock("d", wall=lambda: 1000)
    assert not clock.restore("10000000000000-0000-d")
    assert not clock.restore("9999999999999-ffff-d")
    assert not clock.restore("nonsense")
    assert clock.last == Timestamp(1000, 0, "d")
    assert clock.restore("0000000001500-0002-d") and str(clock.last) == "0000000001500-0002-d"


remote_walls = st.one_of(st.integers(0, 10**13 + 5), st.just(9_999_999_999_999))


@given(st.lists(st.one_of(
    st.tuples(st.just("now"), st.integers(0, 2 * 10**13)),
    st.tuples(st.just("observe"), st.tuples(remote_walls, st.integers(0, 0xFFFF))),
    st.tuples(st.just("raw"), st.text(max_size=25))), min_size=1, max_size=80),
    st.integers(0, 10**7), st.integers(-10**7, 10**7))
def test_the_clock_never_issues_an_unreadable_stamp_nor_adopts_beyond_its_limit(
        steps, skew, ahead):
    wall = [0]
    clock = HybridClock("dev", wall=lambda: wall[0], skew_ms=skew, ahead_ms=ahead)
    for kind, value in steps:
        if kind == "now":
            wall[0] = value
            stamp = clock.now()
            assert Timestamp.parse(stamp).device == "dev"
            assert len(stamp.split("-")[0]) == 13
        else:
            text = str(Timestamp(*value, "other")) if kind == "observe" else value
            before = clock.last
            adopted = clock.observe(text)
            if adopted:
                assert Timestamp.parse(text).wall_ms <= wall[0] + max(0, ahead) + skew
            else:
                assert clock.last == before
            assert clock.last.wall_ms <= max(before.wall_ms, wall[0] + max(0, ahead) + skew)
