"""The first sync reads the snapshot stream on a thread while it writes (sync/snapshot.py
ReadAhead, issue 16): the batches arrive whole and in order, a reading error reaches the
caller at its batch, and closing (an error or a cancel while applying) stops the reader
and closes the stream."""

from __future__ import annotations

import threading

import pytest

from fieldapp.sync.client import SyncError
from fieldapp.sync.snapshot import ReadAhead


def test_batches_arrive_in_order_and_the_source_is_closed():
    closed = threading.Event()

    def source():
        try:
            yield from ([n] for n in range(50))
        finally:
            closed.set()
    reader = ReadAhead(source(), depth=2)
    assert list(reader) == [[n] for n in range(50)]
    reader.close()
    assert closed.is_set()


def test_a_reading_error_reaches_the_caller_after_the_batches_before_it():
    def source():
        yield [1]
        yield [2]
        raise SyncError("cut short")
    reader = ReadAhead(source())
    got = []
    with pytest.raises(SyncError, match="cut short"):
        for batch in reader:
            got.append(batch)
    reader.close()
    assert got == [[1], [2]]


def test_closing_early_stops_a_reader_that_is_ahead():
    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                n += 1
                yield [n]
        finally:
            closed.set()
    reader = ReadAhead(endless(), depth=2)
    for batch in reader:
        if batch == [3]:
            break
    reader.close()
    assert closed.wait(5)
    assert not reader._thread.is_alive()
