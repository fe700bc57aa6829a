"""The signed copy a finalize carries names each row's clock and device itself: the office
takes it only with clocks a push of that laptop could carry (its own device, within the
allowed skew) or clocks the laptop can only have pulled from the office (not newer than the
office's own for that row), each row's device the one its clock names. Otherwise the copy is
not adopted and the mismatch is recorded, as for any signed copy that is not the record.
Both backends, the finalize pushed as a laptop sends it."""

from __future__ import annotations

import json
import time

import pytest
from test_sync_roundtrip import _same_draft_on_two_laptops
from test_sync_signed_record import _finalize_with, _other_laptop_first, _server_hash_conflicts

from fieldapp.server import office

MINUTE = 60_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _far_future_in_the_other_laptops_name(other):
    def change(signed):
        row = signed[0]["row"]
        row["updated_hlc"] = f"9999999999999-ffff-{other}"
        row["device_id"] = other
    return change


def _near_future_in_the_other_laptops_name(other):
    def change(signed):
        row = [r for r in signed if r["t"] == "answers"][0]["row"]
        row["updated_hlc"] = f"{now_ms() + 5 * MINUTE:013d}-0000-{other}"
        row["device_id"] = other
    return change


def _not_a_clock(_other):
    def change(signed):
        [r for r in signed if r["t"] == "answers"][0]["row"]["updated_hlc"] = "zzzz"
    return change


def _device_not_the_clocks(_other):
    def change(signed):
        [r for r in signed if r["t"] == "answers"][0]["row"]["device_id"] = "office"
    return change


@pytest.mark.parametrize("forge", [_far_future_in_the_other_laptops_name,
                                   _near_future_in_the_other_laptops_name,
                                   _not_a_clock, _device_not_the_clocks])
def test_a_signed_copy_with_clocks_no_push_could_carry_is_not_adopted(server_db, tmp_path,
                                                                     forge):
    a, b, inspection_id, item = _same_draft_on_two_laptops(server_db, tmp_path)
    try:
        _other_laptop_first(a, b, inspection_id, item)
        acks = _finalize_with(a, inspection_id, forge(b.store.device_id))
        assert [x["outcome"] for x in acks] == ["applied"]
        with server_db.read() as c:
            rows = c.all("SELECT data, updated_hlc, device_id FROM records WHERE id = ? "
                         "OR parent_id = ?", (inspection_id, inspection_id))
        notes = [json.loads(r["data"]).get("note") for r in rows]
        assert "จากเครื่อง ข" in notes                     # B's edit is not overwritten
        assert _server_hash_conflicts(server_db, inspection_id)  # the mismatch is recorded
        assert all(r["updated_hlc"] <= f"{now_ms() + MINUTE:013d}" for r in rows)
        # the office's own writes and both laptops go on
        office.assign(server_db, "boon", "10100000000001", "env-general",
                      started_at="2026-01-01T09:00:00.000Z")
        assert a.sync().ok and b.sync().ok
    finally:
        a.close()
        b.close()
