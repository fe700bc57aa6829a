"""A laptop database that holds a clock it cannot use (from before the office refused
far-future clocks) still opens, searches and stamps new changes in the present."""

from __future__ import annotations

import logging
import time

import pytest

from fieldapp.core.hlc import Timestamp
from fieldapp.store.db import open_store
from fieldapp.store.factories import update_field_info, upsert_factories
from fieldapp.store.search import search_factories

MINUTE = 60_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@pytest.mark.parametrize("saved", ["10000000000000-0000-dev", "9999999999999-ffff-dev",
                                   "not a clock", ""])
def test_a_store_holding_an_unusable_clock_opens_searches_and_stamps_now(tmp_path, saved,
                                                                         caplog):
    path = tmp_path / "laptop.db"
    with open_store(path) as store:
        fid = "10100000000001"
        upsert_factories(store, [{"fid": fid, "name": "โรงงานหนึ่ง", "province_code": "10"}])
        with store.transaction():
            # what a pull from an office without the clock check left behind
            store.conn.execute("UPDATE factories SET updated_hlc = ?",
                               ("10000000000000-0000-intruder",))
            store.set_meta("hlc", saved)
    with caplog.at_level(logging.WARNING):
        store = open_store(path)
    try:
        if saved:
            assert "clock" in caplog.text
        assert [r["name"] for r in search_factories(store, "โรงงาน")] == ["โรงงานหนึ่ง"]
        row = update_field_info(store, fid, phone="02-111")
        stamp = Timestamp.parse(row["updated_hlc"])
        assert len(row["updated_hlc"].split("-")[0]) == 13
        assert now_ms() - MINUTE <= stamp.wall_ms <= now_ms() + MINUTE
    finally:
        store.close()
    with open_store(path) as again:   # and the repaired state opens without a word
        assert Timestamp.parse(again.meta("hlc")).wall_ms <= now_ms() + MINUTE


def test_a_date_set_back_a_day_does_not_send_the_clock_back(tmp_path):
    """Only a clock that ran away is reset: after this laptop's date went back a day (a
    wrong manual setting, a battery), its next stamp still sorts after its last, so its next
    edit cannot lose to its previous one at the office."""
    path = tmp_path / "laptop.db"
    day = 86_400_000
    with open_store(path) as store:
        upsert_factories(store, [{"fid": "10100000000001", "name": "หนึ่ง",
                                  "province_code": "10"}])
        row = update_field_info(store, store.query("SELECT id FROM factories")[0]["id"],
                                phone="02-111")
        before = Timestamp.parse(row["updated_hlc"])
    store = open_store(path)
    try:
        store.clock._wall = lambda: now_ms() - day   # the date is now a day behind
        with store.transaction():
            assert store.clock.restore(store.meta("hlc"))   # opening: nothing to repair
        row = update_field_info(store, row["id"], phone="02-222")
        assert Timestamp.parse(row["updated_hlc"]) > before
    finally:
        store.close()
