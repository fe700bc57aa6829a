"""End of a working day (issue 16): ``laptops`` inspectors, each with one finalized 100-item
inspection and 5 small photos, push and then pull against two server processes on
PostgreSQL, all at once or arriving evenly over some seconds. Part of bench_sync.py.

The laptops run in several processes (``LAPTOP_PROCESSES``), each laptop with its own
connection pool: 300 real laptops share neither one Python interpreter lock nor one pool of
100 connections, and in one process the simulation alone (16 CPU seconds for 300 syncs)
took longer than the syncs it measured. They still share this machine's cores with the
office server and PostgreSQL; the CPU seconds row says how much each took.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from sync_rig import PASSWORD, Timing, factories, finalize, process_cpu, seed_server, start_server

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.auth import Principal, add_user, grant_province
from fieldapp.server.database import open_database
from fieldapp.server.office import publish_shipped_templates
from fieldapp.server.push import Op, push
from fieldapp.server.signed import record_hash
from fieldapp.store.blobs import put_blob
from fieldapp.store.changes import save_rows
from fieldapp.store.db import open_store
from fieldapp.store.factories import factory_id
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncClient
from fieldapp.sync.engine import SyncEngine

LAPTOP_PROCESSES = 6
SETUP_AT_ONCE = 4  # laptops of one process logging in and taking their first sync at once


def end_of_day_laptop(store, user: str, answers: int, photos: int) -> str:
    """One finalized inspection with ``answers`` answers and ``photos`` small photos, made
    through the outbox as the app makes them, with its true content hash."""
    template = store.query("SELECT id FROM template_versions ORDER BY id LIMIT 1")[0]["id"]
    factory = store.query("SELECT id FROM factories ORDER BY id LIMIT 1")[0]["id"]
    iid = uuid7()
    save_rows(store, "inspections", [{
        "id": iid, "factory_id": factory, "template_version_id": template, "kind": "routine",
        "state": "draft", "started_at": "2026-11-20T09:00:00.000Z", "purpose": "ตรวจประจำปี",
        "record_no": f"2569/{user}", "created_by": user}])
    save_rows(store, "answers", [{
        "id": f"{iid}-{k}", "inspection_id": iid, "item_id": f"{k // 10 + 1}.{k % 10 + 1}",
        "result": ("pass", "fail", "na")[k % 3], "value": f"{k % 97}.{k % 10}",
        "note": "ตรวจพบว่าระบบบำบัดน้ำเสียทำงานปกติ" if k % 4 == 0 else None}
        for k in range(answers)])
    for n in range(photos):
        data = os.urandom(30_000)
        sha = put_blob(store.blob_dir, data)
        save_rows(store, "attachments", [{
            "id": uuid7(), "inspection_id": iid, "kind": "photo", "sha256": sha,
            "size": len(data), "mime": "image/jpeg", "caption": f"รูปที่ {n + 1}"}])
    finalize(store, [iid], "2026-11-20T16:30:00.000Z")
    return iid


# The office the day ends at (DESIGN.md §1): a large province holds about 10,000 factories,
# and the country makes 12,000-25,000 inspections a year in 76 offices, so a large
# province's office a year in holds about 2,000 finalized 100-item records. "new": the
# office on its first day, 200 factories and nothing else: its tables grow a hundredfold
# within the run, and PostgreSQL analyzes them again and again (storage_pg._Statistics).
OFFICES = {"year": (10_000, 2_000), "new": (200, 0)}


def seed_history(db, inspections: int, answers: int = 100) -> None:
    """A year of finalized records at the office, by inspectors gone from this day's work:
    pushed in-process as a laptop pushes them (server/push.py), 5,000 operations a batch."""
    publish_shipped_templates(db)   # as serving does at start (server/serve.py)
    with db.read() as c:
        template = c.value("SELECT id FROM records WHERE tbl = 'template_versions' "
                           "ORDER BY id LIMIT 1")
    user_id = add_user(db, "past", PASSWORD, "inspector")
    grant_province(db, "past", "10")
    device = "past-laptop"
    who = Principal(user_id, "past", "inspector", frozenset({"10"}), device)
    clock = HybridClock(device)
    fids = factories(inspections)
    ops: list[Op] = []

    def op(table, row_id, payload):
        ops.append(Op(uuid7(), table, row_id, "upsert", payload, clock.now()))

    for n in range(inspections):
        iid = uuid7()
        draft = {"factory_id": factory_id(fids[n % len(fids)][0]),
                 "template_version_id": template, "kind": "routine", "state": "draft",
                 "started_at": "2026-03-20T09:00:00.000Z", "purpose": "ตรวจประจำปี",
                 "record_no": f"2569/p{n:05d}", "created_by": "past"}
        op("inspections", iid, draft)
        rows = [(f"{iid}-{k}", {
            "inspection_id": iid, "item_id": f"{k // 10 + 1}.{k % 10 + 1}",
            "result": ("pass", "fail", "na")[k % 3], "value": f"{(n * k) % 97}.{k % 10}",
            "note": "ตรวจพบว่าระบบบำบัดน้ำเสียทำงานปกติ" if k % 4 == 0 else None})
            for k in range(answers)]
        for row_id, row in rows:
            op("answers", row_id, row)
        done = {"state": "finalized", "finalized_at": "2026-03-20T12:00:00.000Z"}
        # the hash the office computes of it, so that it finds the record as signed
        done["content_hash"] = record_hash({**draft, **done, "id": iid}, [
            ("answers", {**row, "id": row_id, "deleted": 0}) for row_id, row in rows])
        op("inspections", iid, done)
    for start in range(0, len(ops), 5_000):
        acks = push(db, who, ops[start:start + 5_000], 0)
        refused = [a for a in acks if a["outcome"] != P.APPLIED]
        if refused:
            raise RuntimeError(f"history refused: {refused[:2]}")
    with db.read() as c:
        if c.value("SELECT count(*) FROM conflicts"):
            raise RuntimeError("history: the office's hash of a record differs from its own")


def bench_day(tmp: Path, pg_url: str, laptops: int, workers: int, spread_s: float,
              office: str = "year") -> list:
    """Login, the first sync and making the inspection are done before and not timed.
    Checks at the office that every inspection arrived exactly once."""
    db = open_database(pg_url)
    users = [f"d{n}" for n in range(laptops)]
    t0 = time.perf_counter()
    registry, history = OFFICES[office]
    seed_server(db, factories(registry), [])
    _inspectors(db, users)
    seed_history(db, history)
    with db.write() as c:   # as autovacuum would have, long before this evening
        c.run("ANALYZE")
    db.close()
    print(f"day: office seeded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    rollbacks_before = _rollbacks(pg_url)
    proc, url = start_server(pg_url, workers)
    spawn = multiprocessing.get_context("spawn")  # no threads of this process carried over
    ready = spawn.Barrier(LAPTOP_PROCESSES + 1)
    results = spawn.Queue()
    slices = [list(range(k, laptops, LAPTOP_PROCESSES)) for k in range(LAPTOP_PROCESSES)]
    children = [spawn.Process(target=_laptops, args=(url, tmp, users, part, laptops, spread_s,
                                                     ready, results))
                for part in slices]
    try:
        for child in children:
            child.start()
        ready.wait()  # every laptop of every process is set up
        started = time.perf_counter()
        pids = [c.pid for c in children]
        cpu_before = process_cpu(proc.pid, pids)
        print(f"day: {laptops} laptops set up in {started - t0:.1f} s", file=sys.stderr)
        ready.wait()  # every laptop has synced
        wall = time.perf_counter() - started
        cpu = {k: v - cpu_before[k] for k, v in process_cpu(proc.pid, pids).items()}
        parts = [results.get(timeout=60) for _ in children]
        for child in children:
            child.join()
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
        proc.terminate()
        proc.wait()
    rollbacks = _rollbacks(pg_url) - rollbacks_before
    latencies = sorted(t for p in parts for t in p["latencies"])
    errors = [e for p in parts for e in p["errors"]]
    made = {u: i for p in parts for u, i in p["made"].items()}
    pushed = sum(p["pushed"] for p in parts)
    timing = Timing()
    for p in parts:
        timing.merge(p["seen"], p["failed"])
    db = open_database(pg_url)
    with db.read() as conn:
        # The day's, not the year's before it (seed_history's inspector).
        past = conn.value("SELECT id FROM users WHERE username = 'past'") or ""
        rows = conn.all("SELECT id, data FROM records WHERE tbl = 'inspections' AND "
                        "owner <> ?", (past,))
        answers = conn.value("SELECT count(*) FROM records WHERE tbl = 'answers' AND "
                             "owner <> ?", (past,))
        photos = conn.value("SELECT count(*) FROM records WHERE tbl = 'attachments'")
    db.close()
    ids = [r["id"] for r in rows]
    finalized = sum(1 for r in rows if (r["data"] if isinstance(r["data"], dict) else
                                        json.loads(r["data"])).get("state") == "finalized")
    present_once = len(ids) == len(set(ids)) and set(ids) == set(made.values()) \
        and len(made) == laptops
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    office_cpu = cpu["office server"] + cpu["PostgreSQL"]
    how = "all at once" if not spread_s else f"arriving over {spread_s:.0f} s"
    how += (f", an office a year in ({registry:,} factories, {history:,} records)" if history
            else f", an office on its first day ({registry:,} factories)")
    return [(f"day: {laptops} laptops on PostgreSQL, {workers} server processes, {how}",
             f"errors {len(errors)}", "target 0 errors" + (f" ({errors[:2]})" if errors else "")),
            ("day: inspections at the office (each once) / finalized / answers / photos",
             f"{len(ids)} / {finalized} / {answers} / {photos}",
             "every one present once" if present_once else "MISSING OR DOUBLED"),
            ("day: sync latency p50 / p95 / max",
             f"{statistics.median(latencies):.2f} / {p95:.2f} / {latencies[-1]:.2f} s",
             "target p95 < 5 s"),
            ("day: throughput", f"{pushed / wall:.0f} ops/s",
             f"{laptops / wall:.1f} syncs/s, {pushed} ops over {wall:.1f} s"),
            ("day: where the time goes: CPU seconds while the laptops synced",
             ", ".join(f"{k} {v:.1f}" for k, v in cpu.items()),
             f"{os.cpu_count()} cores x {wall:.1f} s = {(os.cpu_count() or 1) * wall:.1f} "
             "CPU seconds available (laptops, office and database share this machine)"),
            ("day: office CPU per sync (server + PostgreSQL)",
             f"{1000 * office_cpu / laptops:.0f} ms",
             f"at this cost the office alone needs {office_cpu / 5:.1f} cores to serve "
             f"{laptops} syncs in 5 s"),
            ("day: transactions the database rolled back", f"{rollbacks}",
             "pushes that clashed and ran again, and any other failed transaction"),
            ("day: where the time goes: requests (count, seconds summed, mean)",
             timing.table(), "as the laptops waited for them")]


def _inspectors(db, users: list[str]) -> None:
    """Inspectors of province 10. Setting up, not measured: argon2 with the library's
    parameters takes ~0.8 s a hash here, so these users get a cheap one (verify reads the
    parameters from the hash, so their logins are cheap too). Timed syncs do not log in."""
    from argon2 import PasswordHasher

    from fieldapp.server import auth
    real, auth._hasher = auth._hasher, PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1)
    try:
        for user in users:
            add_user(db, user, PASSWORD, "inspector")
            grant_province(db, user, "10")
    finally:
        auth._hasher = real


def _rollbacks(pg_url: str) -> int:
    """Transactions rolled back in the benchmark's database so far (PostgreSQL's counter,
    reported by its processes within a second or so)."""
    import psycopg
    time.sleep(1.5)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        return conn.execute("SELECT xact_rollback FROM pg_stat_database "
                            "WHERE datname = current_database()").fetchone()[0]


def _laptops(url: str, tmp: Path, users: list[str], part: list[int], laptops: int,
             spread_s: float, ready, results) -> None:
    """One process's laptops: set up, wait for every process, sync, report."""
    latencies: list[float] = []
    errors: list[str] = []
    made: dict[str, str] = {}
    pushed = [0]
    lock = threading.Lock()
    timing = Timing()
    go = threading.Event()
    set_up = threading.Barrier(len(part) + 1)
    gate = threading.BoundedSemaphore(SETUP_AT_ONCE)

    def one(n: int) -> None:
        try:
            with gate:  # login, first sync, the day's work
                client = SyncClient(url, transport=timing.transport())
                store = open_store(tmp / f"day{n}.db")
                token = client.login(users[n], PASSWORD, store.device_id)["token"]
                engine = SyncEngine(store, url, lambda: token, client=client)
                first = engine.run()
                if store.index_build is not None:
                    store.index_build.join()   # the search index a first sync leaves to build
                made[users[n]] = end_of_day_laptop(store, users[n], 100, 5)
        except BaseException as exc:  # noqa: BLE001 - reported as an error of the run
            with lock:
                errors.append(f"set-up: {exc}")
            set_up.wait()
            return
        set_up.wait()
        go.wait()
        time.sleep(spread_s * n / laptops)
        start = time.perf_counter()
        summary = engine.run()
        took = time.perf_counter() - start
        with lock:
            latencies.append(took)
            pushed[0] += summary.pushed
            errors.extend(first.errors + summary.errors)
        store.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in part]
    for t in threads:
        t.start()
    set_up.wait()
    ready.wait()
    timing.reset()
    go.set()
    for t in threads:
        t.join()
    ready.wait()
    results.put({"latencies": latencies, "errors": errors, "made": made, "pushed": pushed[0],
                 "seen": timing.seen, "failed": timing.failed})


def bench_serial(pg_url: str, pushes: int = 60) -> list:
    """How long a push holds the change counter on PostgreSQL (server/push.py: from
    reserving its numbers to COMMIT), beside the whole push, which is what a push held the
    change-sequence lock for before pushes worked side by side. One day's inspection (101
    operations) a push, one after another on a quiet server: the part every other push must
    wait for, at most 1 / held pushes a second."""
    from fieldapp.server import office, storage_pg

    db = open_database(pg_url)
    seed_server(db, factories(20), ["serial"])
    office.publish_shipped_templates(db)
    with db.read() as c:
        factory = c.value("SELECT id FROM records WHERE tbl = 'factories' ORDER BY id LIMIT 1")
        template = c.value("SELECT id FROM records WHERE tbl = 'template_versions' LIMIT 1")
        user_id = c.value("SELECT id FROM users WHERE username = 'serial'")
    who = Principal(user_id, "serial", "inspector", frozenset({"10"}), "lap-serial")
    reserved: list[float] = []
    original = storage_pg._LateConn.reserve_sequence

    def reserve(conn, count):
        try:
            return original(conn, count)
        finally:
            reserved.append(time.perf_counter())

    storage_pg._LateConn.reserve_sequence = reserve
    clock = HybridClock("lap-serial")
    whole, held = [], []
    try:
        for k in range(pushes):
            iid = uuid7()
            ops = [Op(uuid7(), "inspections", iid, "upsert", {
                "factory_id": factory, "template_version_id": template, "kind": "routine",
                "state": "draft", "started_at": "2026-11-20T09:00:00.000Z",
                "record_no": f"2569/{k}", "created_by": "serial"}, clock.now())]
            ops += [Op(uuid7(), "answers", f"{iid}-{j}", "upsert", {
                "inspection_id": iid, "item_id": f"{j // 10 + 1}.{j % 10 + 1}",
                "result": "pass", "value": f"{j}.5", "note": None}, clock.now())
                for j in range(100)]
            start = time.perf_counter()
            acks = push(db, who, ops, 0)
            end = time.perf_counter()
            assert all(a["outcome"] == "applied" for a in acks), acks[:1]
            if k >= 10:  # warm
                whole.append(end - start)
                held.append(end - reserved[-1])
    finally:
        storage_pg._LateConn.reserve_sequence = original
        db.close()
    whole_ms, held_ms = 1000 * statistics.median(whole), 1000 * statistics.median(held)
    return [("serial: a 101-operation push on PostgreSQL, whole (what the old lock held)",
             f"{whole_ms:.1f} ms", f"at most {1000 / whole_ms:.0f} pushes/s one at a time"),
            ("serial: of which holding the change counter (what others wait for now)",
             f"{held_ms:.1f} ms", f"at most {1000 / held_ms:.0f} pushes/s; median of "
                                  f"{len(held)}")]


def bench_day_cost(tmp: Path, pg_url: str, laptops: int = 60) -> list:
    """What one day's sync costs each party, with no other sync under way: ``laptops``
    laptops set up as in ``bench_day``, then each syncs in turn against one server process
    on PostgreSQL. CPU seconds are counted per process, so the figures hold still where the
    300-at-once run's latencies move with the machine: the yardstick for a change in what a
    sync costs (under 5 s for 300 at once needs all three summed under about 33 ms here)."""
    db = open_database(pg_url)
    users = [f"c{n}" for n in range(laptops)]
    seed_server(db, factories(200), [])
    publish_shipped_templates(db)
    _inspectors(db, users)
    with db.write() as c:
        c.run("ANALYZE")
    db.close()
    proc, url = start_server(pg_url, 1)
    engines = []
    try:
        for n, user in enumerate(users):
            client = SyncClient(url)
            store = open_store(tmp / f"cost{n}.db")
            token = client.login(user, PASSWORD, store.device_id)["token"]
            engine = SyncEngine(store, url, lambda token=token: token, client=client)
            engine.run()
            if store.index_build is not None:
                store.index_build.join()
            end_of_day_laptop(store, user, 100, 5)
            engines.append(engine)
        time.sleep(1)   # the first syncs' ANALYZE and the like settle
        before = process_cpu(proc.pid)
        started = time.perf_counter()
        for engine in engines:
            summary = engine.run()
            if summary.errors:
                raise RuntimeError(f"a day sync failed: {summary.errors[:2]}")
        wall = time.perf_counter() - started
        after = process_cpu(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
        for engine in engines:
            engine.store.close()
    per = {k: 1000 * (after[k] - before[k]) / laptops for k in after}
    total = sum(per.values())
    return [(f"day, one sync at a time ({laptops} laptops, 1 server process): CPU a sync",
             ", ".join(f"{k.split(' (')[0]} {v:.1f}" for k, v in per.items()) + " ms",
             f"{total:.1f} ms in all; {1000 * wall / laptops:.1f} ms a sync end to end")]
