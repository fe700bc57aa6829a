"""One laptop's clock must never break the others: the office refuses clocks far ahead of its
own time and clocks that name another device, and a laptop that pulls a far-future clock
(from an older office that let one in) keeps opening, searching and syncing. Both backends,
real requests (in-process ASGI, as the review sent them)."""

from __future__ import annotations

import json
import time

from server_fixtures import (
    FACTORIES,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)

from fieldapp.core.hlc import Timestamp
from fieldapp.core.ids import uuid7
from fieldapp.server import office
from fieldapp.server.cli import build_parser
from fieldapp.store.db import open_store
from fieldapp.store.factories import update_field_info
from fieldapp.store.search import search_factories
from fieldapp.store.sync_state import pending_count
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncError

FAR = "9999999999999-ffff-"
MINUTE = 60_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def op(table, row_id, payload, hlc):
    return {"op_id": uuid7(), "table": table, "row_id": row_id, "op": "upsert",
            "payload": payload, "hlc": hlc}


def server_row(db, table, row_id):
    with db.read() as c:
        return c.one("SELECT data, updated_hlc, device_id FROM records WHERE tbl = ? AND id = ?",
                     (table, row_id))


def poison(db, table, row_id, hlc):
    """What an office without the clock check let in: a row stamped far in the future,
    handed out as a new change."""
    with db.write() as c:
        seq = int(c.value("SELECT value FROM counters WHERE name = 'change_seq'")) + 1
        c.run("UPDATE records SET updated_hlc = ?, device_id = ?, seq = ? WHERE tbl = ? "
              "AND id = ?", (hlc, hlc.split("-", 2)[2], seq, table, row_id))
        c.run("UPDATE counters SET value = ? WHERE name = 'change_seq'", (seq,))


def laptops(server_db, tmp_path, *names):
    add_users(server_db)
    ids = seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    made = [Laptop(tmp_path / f"{name}.db", inproc_client(app), name) for name in names]
    for laptop in made:
        assert laptop.sync().ok
    return ids, made


def reopen_and_search(laptop: Laptop, path, name="โรงงานหนึ่ง") -> None:
    """Every `fieldapp` command opens the store first; search must work after it."""
    laptop.store.close()
    laptop.store = open_store(path)
    laptop.engine.store = laptop.store
    assert [r["name"] for r in search_factories(laptop.store, name)] == [name]


def test_a_far_future_clock_is_refused_with_a_reason(server_db, tmp_path):
    ids, (anong, boon) = laptops(server_db, tmp_path, "anong", "boon")
    try:
        before = server_row(server_db, "factories", ids[0])
        ack = anong.client.push([op("factories", ids[0], {"phone": "099"},
                                    FAR + anong.store.device_id)], 0)[0]
        assert ack["outcome"] == P.REJECTED
        assert "นาฬิกา" in ack["reason"] and "clock" in ack["reason"]
        assert server_row(server_db, "factories", ids[0]) == before
        # her colleague of the same province pulls, edits, opens again and searches
        assert boon.sync().ok
        update_field_info(boon.store, ids[0], phone="02-111")
        stamp = boon.store.meta("hlc")
        assert Timestamp.parse(stamp).wall_ms <= now_ms() + MINUTE
        reopen_and_search(boon, tmp_path / "boon.db")
        assert boon.sync().ok
        assert json.loads(server_row(server_db, "factories", ids[0])["data"])["phone"] \
            == "02-111"
    finally:
        anong.close()
        boon.close()


def test_a_clock_naming_another_device_is_refused(server_db, tmp_path):
    ids, (anong, boon) = laptops(server_db, tmp_path, "anong", "boon")
    try:
        spoofed = f"{now_ms():013d}-0000-{boon.store.device_id}"
        ack = anong.client.push([op("factories", ids[0], {"phone": "099"}, spoofed)], 0)[0]
        assert ack["outcome"] == P.REJECTED and "device" in ack["reason"]
        assert "099" not in server_row(server_db, "factories", ids[0])["data"]
        # her own device in her clock is accepted
        own = f"{now_ms():013d}-0000-{anong.store.device_id}"
        ack = anong.client.push([op("factories", ids[0], {"phone": "099"}, own)], 0)[0]
        assert ack["outcome"] == P.APPLIED
        assert server_row(server_db, "factories", ids[0])["device_id"] == anong.store.device_id
    finally:
        anong.close()
        boon.close()


def test_a_far_future_template_version_never_reaches_other_provinces_or_the_office(
        server_db, tmp_path):
    ids, (anong, chai) = laptops(server_db, tmp_path, "anong", "chai")
    try:
        row = {"template_key": "bad", "version": 1, "status": "draft", "title": "x",
               "body": "{}", "content_hash": "h", "published_at": None}
        ack = anong.client.push([op("template_versions", "tv-bad", row,
                                    FAR + anong.store.device_id)], 0)[0]
        assert ack["outcome"] == P.REJECTED
        assert server_row(server_db, "template_versions", "tv-bad") is None
        assert chai.sync().ok
        reopen_and_search(chai, tmp_path / "chai.db", "โรงงานสาม")
        # the office's own writes (the server's device) still go through
        inspection = office.assign(server_db, "chai", FACTORIES[2][0], "env-general",
                                   started_at="2026-01-05T09:00:00.000Z")
        assert server_row(server_db, "inspections", inspection)["device_id"] == "office"
    finally:
        anong.close()
        chai.close()


def test_laptops_and_the_office_survive_a_far_future_row_already_on_the_server(
        server_db, tmp_path):
    """An office upgraded after the review still holds what it let in before: pulling it
    must not move any clock, and every laptop (and `assign`) goes on working."""
    ids, (anong, chai) = laptops(server_db, tmp_path, "anong", "chai")
    try:
        poison(server_db, "factories", ids[0], FAR + "intruder")
        template = server_row(server_db, "template_versions",
                              anong.store.query("SELECT id FROM template_versions")[0]["id"])
        assert template is not None
        poison(server_db, "template_versions",
               anong.store.query("SELECT id FROM template_versions")[0]["id"],
               "9999999999998-0000-intruder")
        for laptop, name in ((anong, "anong"), (chai, "chai")):
            assert laptop.sync().ok
            assert laptop.store.clock.last.wall_ms <= now_ms() + MINUTE
            update_field_info(laptop.store, ids[0 if name == "anong" else 2], phone="02-1")
            for _ in range(3):
                update_field_info(laptop.store, ids[0 if name == "anong" else 2],
                                  phone=f"02-{_}")
            assert len(laptop.store.meta("hlc").split("-")[0]) == 13
            reopen_and_search(laptop, tmp_path / f"{name}.db",
                              "โรงงานหนึ่ง" if name == "anong" else "โรงงานสาม")
            assert laptop.sync().ok
            assert pending_count(laptop.store) == 0
        office.assign(server_db, "chai", FACTORIES[2][0], "env-general",
                      started_at="2026-01-05T09:00:00.000Z")
    finally:
        anong.close()
        chai.close()


def test_the_allowed_skew_is_a_setting(server_db, tmp_path, monkeypatch):
    ids, (anong,) = laptops(server_db, tmp_path, "anong")
    try:
        ahead = f"{now_ms() + 5 * MINUTE:013d}-0000-{anong.store.device_id}"
        assert anong.client.push([op("factories", ids[0], {"phone": "1"}, ahead)],
                                 0)[0]["outcome"] == P.APPLIED   # default: 10 minutes
        monkeypatch.setenv("FIELDAPP_MAX_CLOCK_SKEW", "1")
        ahead = f"{now_ms() + 5 * MINUTE:013d}-0001-{anong.store.device_id}"
        assert anong.client.push([op("factories", ids[0], {"phone": "2"}, ahead)],
                                 0)[0]["outcome"] == P.REJECTED
    finally:
        anong.close()
    args = build_parser().parse_args(["serve", "--max-clock-skew", "3"])
    assert args.max_clock_skew == 3


def test_a_laptop_whose_clock_runs_far_ahead_is_told_and_loses_nothing(server_db, tmp_path):
    ids, (anong, boon) = laptops(server_db, tmp_path, "anong", "boon")
    try:
        def ahead():
            return now_ms() + 24 * 60 * MINUTE     # a day ahead: a wrong date on the laptop
        real_wall = anong.store.clock._wall
        anong.store.clock._wall = ahead
        anong.client.wall_ms = ahead
        update_field_info(anong.store, ids[0], phone="02-999")
        # meanwhile her colleague changes another factory, and a third one she has changed
        update_field_info(boon.store, ids[1], phone="02-111")
        update_field_info(boon.store, ids[0], phone="02-222")
        assert boon.sync().ok
        summary = anong.sync()
        assert not summary.ok
        assert "นาฬิกา" in summary.line()
        assert pending_count(anong.store) == 1
        assert "02-999" not in server_row(server_db, "factories", ids[0])["data"]
        # what the office holds still reaches her; her own unsent value stays hers
        assert summary.pulled >= 1
        phones = {r["id"]: r["phone"] for r in anong.store.query(
            "SELECT id, phone FROM factories WHERE id IN (?, ?)", (ids[0], ids[1]))}
        assert phones == {ids[1]: "02-111", ids[0]: "02-999"}
        # a pull that fails as well: both are said, the date first
        def away(*args, **kwargs):
            raise SyncError("ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ (server unreachable)")

        real_pull, anong.engine.client.pull = anong.engine.client.pull, away
        update_field_info(boon.store, ids[1], phone="02-333")
        assert boon.sync().ok
        summary = anong.sync()
        anong.engine.client.pull = real_pull
        assert len(summary.errors) == 2 and "นาฬิกา" in summary.errors[0], summary.errors
        assert "unreachable" in summary.errors[1]
        assert pending_count(anong.store) == 1
        # the date is put right: the change goes, stamped in the present
        anong.store.clock._wall = real_wall
        anong.client.wall_ms = real_wall
        summary = anong.sync()
        assert summary.ok and summary.pushed == 1, summary.line()
        assert pending_count(anong.store) == 0
        row = server_row(server_db, "factories", ids[0])
        assert json.loads(row["data"])["phone"] == "02-999"
        assert Timestamp.parse(row["updated_hlc"]).wall_ms <= now_ms() + MINUTE
    finally:
        anong.close()
        boon.close()
