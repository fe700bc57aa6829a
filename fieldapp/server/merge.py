"""Per-field last-writer-wins merge by hybrid logical clock, and conflict detection.

Pure functions on plain data: no SQL here. The server keeps, for every field of every row,
the clock, device and change sequence of the write that set it. An incoming write wins a
field when its clock is greater. It is a *concurrent* overwrite (recorded as a conflict for the
office) when the other write came from another device, the values differ, and the pushing
device had not yet pulled the other write when it pushed (its pull cursor is below the change
sequence of that write): it could not have seen the value it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Conflict:
    field: str
    kept_value: object
    kept_hlc: str
    kept_device: str
    lost_value: object
    lost_hlc: str
    lost_device: str


@dataclass
class MergeResult:
    changed: bool = False          # the row's content or field clocks moved
    # An incoming value lost to a later one it differs from: the pusher holds a value the
    # server does not, so the row must reach it again (push.py moves the row's seq).
    lost: bool = False
    conflicts: list[Conflict] = field(default_factory=list)


def merge_fields(data: dict, clocks: dict, incoming: dict, hlc: str, device: str, seq: int,
                 seen_seq: int) -> MergeResult:
    """Merge ``incoming`` field values written at ``hlc`` by ``device`` into ``data``.

    ``clocks`` maps field -> [hlc, device, seq] and is updated in place with ``data``.
    ``seq`` is the change sequence this write gets if it changes anything; ``seen_seq`` is
    the pushing device's pull cursor.
    """
    result = MergeResult()
    for name, value in incoming.items():
        current = clocks.get(name)
        if current is None:
            data[name] = value
            clocks[name] = [hlc, device, seq]
            result.changed = True
            continue
        cur_hlc, cur_device, cur_seq = current
        if hlc == cur_hlc:
            continue  # the same write seen again
        differs = data.get(name) != value
        concurrent = differs and cur_device != device and cur_seq > seen_seq
        if hlc > cur_hlc:
            if concurrent:
                result.conflicts.append(Conflict(name, value, hlc, device, data.get(name),
                                                 cur_hlc, cur_device))
            data[name] = value
            clocks[name] = [hlc, device, seq]
            result.changed = True
        else:
            result.lost = result.lost or differs
            if concurrent:
                result.conflicts.append(Conflict(name, data.get(name), cur_hlc, cur_device,
                                                 value, hlc, device))
    return result


def row_clock(clocks: dict) -> tuple[str, str]:
    """The row's ``updated_hlc`` and ``device_id``: those of its newest field write."""
    newest = max(clocks.values(), key=lambda c: c[0])
    return newest[0], newest[1]
