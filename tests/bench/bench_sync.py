"""Sync benchmark (issue 5, "Speed"): run on demand, prints a table.

    .venv/bin/python tests/bench/bench_sync.py [--quick] [--pg URL]

1. Bulk push (bulk_push.py): 1,000 finalized inspections x 100 answers + 200 photos of 1 MB, over loopback,
   against ``fieldapp-server serve`` (SQLite file). Compared with the floor: the same bytes
   (ops JSON + photo bytes) streamed in ONE raw HTTP request to the SAME server process, to
   its body-discarding route /v1/_bench/sink (mounted only with FIELDAPP_BENCH_SINK=1, which
   this script sets; the better of two runs); and bytes on the wire vs the gzip size.
   The floor and the push are measured in turn ``--bulk-rounds`` times (3), each push from
   a fresh copy of the laptop to a fresh office; the median round is reported, every
   round's ratio beside it.
2. Idle sync: HTTP round trips of a sync with nothing to do.
3. Load: 50 concurrent clients syncing against PostgreSQL: operations/s and p95 latency.
4. First sync of a 10,000-factory province vs the raw download of the snapshot bytes (5
   runs: median and worst ratio), and of a 150,000-factory national snapshot (time, memory
   peak, database size).
5. End of a working day (issue 16): 300 laptops on PostgreSQL with two server processes,
   each pushing one finalized 100-item inspection with 5 small photos, then pulling
   (end_of_day.py: the laptops run in several processes, each with its own connections),
   at an office a year in (10,000 factories, 2,000 finalized records) and at one on its
   first day (200 factories, nothing else) (``--day-office``). Before them, what one day's
   sync costs the laptop, the office server and PostgreSQL in CPU, one sync at a time.

Issue 16 re-based the bulk-push floor: the raw upload PLUS one SQLite transaction
(synchronous = FULL) that inserts every operation as a row and every photo as a blob.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from bulk_push import bench_bulk
from end_of_day import bench_day, bench_day_cost, bench_serial
from sync_rig import (
    PASSWORD,
    ROOT,
    drop,
    factories,
    pg_database,
    seed_server,
    start_server,
)

from fieldapp.server.database import open_database
from fieldapp.store.changes import save_rows
from fieldapp.store.db import open_store
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncClient
from fieldapp.sync.engine import SyncEngine

# A first sync in a process of its own, so that its memory peak is its own: argv = server
# URL, token, laptop database. Prints seconds, the search index's build after it (seconds),
# peak RSS (KiB) and the database's size once the index is built.
# The peak is VmHWM, which belongs to this process image: getrusage's ru_maxrss survives
# exec on Linux and so reported the benchmark's own peak (918 MB after the bulk push's
# laptop had been built in it) instead of the first sync's.
FIRST_SYNC_CHILD = """
import resource, sys, time
from pathlib import Path
from fieldapp.store.db import open_store
from fieldapp.sync.client import SyncClient
from fieldapp.sync.engine import SyncEngine
url, token, path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
store = open_store(path)
engine = SyncEngine(store, url, lambda: token, client=SyncClient(url))
start = time.perf_counter()
summary = engine.run()
took = time.perf_counter() - start
assert summary.ok, summary.errors
build = store.index_build
if build is not None:
    build.wait()
    assert build.built
indexed = time.perf_counter() - start - took
count = store.query("SELECT count(*) AS n FROM factories")[0]["n"]
store.close()
size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(took, indexed, peak, size, count)
"""


def raw_download(url: str, token: str) -> tuple[float, int]:
    """The floor: the same resource the client fetches (its Accept asks for the streamed
    lines), left compressed: just the bytes, nothing decoded or parsed."""
    start = time.perf_counter()
    with httpx.stream("GET", url + "/v1/snapshot", headers={
            **P.version_headers(), "Authorization": f"Bearer {token}",
            "Accept": P.SNAPSHOT_LINES, "Accept-Encoding": "identity"}, timeout=600) as r:
        raw = sum(len(chunk) for chunk in r.iter_raw())
    return time.perf_counter() - start, raw


def bench_first_sync(tmp: Path, db_url: str, n: int, runs: int = 5) -> list:
    """``runs`` times: the raw download, then a first sync into a new laptop database; the
    ratio of each pair (issue 16: median <= 2.0x, worst <= 2.3x)."""
    db = open_database(db_url)
    seed_server(db, factories(n), ["first"])
    db.close()
    proc, url = start_server(db_url)
    ratios, firsts, raws = [], [], []
    try:
        client = SyncClient(url)
        token = client.login("first", PASSWORD, "raw")["token"]
        for run in range(runs):
            raw_time, raw = raw_download(url, token)
            store = open_store(tmp / f"first{run}.db")
            engine = SyncEngine(store, url, lambda: token, client=client)
            start = time.perf_counter()
            summary = engine.run()
            first = time.perf_counter() - start
            assert summary.ok, summary.errors
            count = store.query("SELECT count(*) AS n FROM factories")[0]["n"]
            store.close()
            raws.append(raw_time)
            firsts.append(first)
            ratios.append(first / raw_time)
    finally:
        proc.terminate()
        proc.wait()
    return [("first sync: factories / snapshot bytes", f"{count} / {raw / 1e6:.2f} MB gz", ""),
            (f"first sync: raw snapshot download, median of {runs}",
             f"{statistics.median(raws):.2f} s", f"{min(raws):.2f}-{max(raws):.2f} s"),
            (f"first sync: whole first sync, median of {runs}",
             f"{statistics.median(firsts):.2f} s", f"{min(firsts):.2f}-{max(firsts):.2f} s"),
            ("first sync / raw, each run: median / worst",
             f"{statistics.median(ratios):.2f}x / {max(ratios):.2f}x",
             "target <= 2.0x / <= 2.3x; runs: " + " ".join(f"{r:.2f}" for r in ratios))]


def bench_national(tmp: Path, db_url: str, n: int) -> list:
    """A first sync of a national snapshot (issue 16: report time, memory peak and the
    database's size after), in a process of its own."""
    db = open_database(db_url)
    start = time.perf_counter()
    seed_server(db, factories(n), ["nation"])
    seeded = time.perf_counter() - start
    db.close()
    proc, url = start_server(db_url)
    try:
        token = SyncClient(url).login("nation", PASSWORD, "raw")["token"]
        raw_time, raw = raw_download(url, token)
        out = subprocess.run([sys.executable, "-c", FIRST_SYNC_CHILD, url, token,
                              str(tmp / "nation.db")], check=True, capture_output=True,
                             text=True, timeout=1800, env={**os.environ,
                                                           "PYTHONPATH": str(ROOT)}).stdout
    finally:
        proc.terminate()
        proc.wait()
    took, indexed, rss_kib, size, count = out.split()
    return [(f"national first sync: factories / snapshot bytes (office seeded in {seeded:.0f} s)",
             f"{int(count):,} / {raw / 1e6:.1f} MB gz", ""),
            ("national first sync: raw download / whole first sync",
             f"{raw_time:.1f} s / {float(took):.1f} s", f"{float(took) / raw_time:.1f}x raw"),
            ("national first sync: search index built after it", f"{float(indexed):.1f} s",
             "on its own thread; search scans the table meanwhile"),
            ("national first sync: memory peak (its own process) / database after",
             f"{int(rss_kib) / 1024:.0f} MB / {int(size) / 1e6:.0f} MB",
             "peak: VmHWM; database = file + WAL with its index, attachments none")]


def bench_load(tmp: Path, pg_url: str, clients: int, rounds: int, workers: int) -> list:
    db = open_database(pg_url)
    users = [f"u{n}" for n in range(clients)]
    seed_server(db, factories(200), users)
    db.close()
    proc, url = start_server(pg_url, workers)
    latencies: list[float] = []
    ops_done = [0]
    lock = threading.Lock()
    errors: list[str] = []

    def one(n: int) -> None:
        client = SyncClient(url)
        store = open_store(tmp / f"load{n}.db")
        # The laptop's own device: the office refuses a change whose clock names another.
        token = client.login(users[n], PASSWORD, store.device_id)["token"]
        engine = SyncEngine(store, url, lambda: token, client=client)
        engine.run()
        fids = store.query("SELECT id FROM factories ORDER BY id LIMIT 200")
        ready.wait()  # login and first sync are not what this measures
        with lock:
            if not started:
                started.append(time.perf_counter())
        for r in range(rounds):
            save_rows(store, "factories", [{"id": f["id"], "phone": f"0{n}-{r}-{k}"}
                                           for k, f in enumerate(fids[:20])])
            start = time.perf_counter()
            summary = engine.run()
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                ops_done[0] += summary.pushed
                if not summary.ok:
                    errors.extend(summary.errors)
                if summary.rejected:   # every edit here is one the office must take
                    errors.append(f"{summary.rejected} change(s) refused")
        store.close()

    ready = threading.Barrier(clients)
    started: list[float] = []
    try:
        threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started[0]
    finally:
        proc.terminate()
        proc.wait()
    p95 = statistics.quantiles(latencies, n=20)[18]
    return [(f"load: clients x syncs (20 shared-field edits each), {workers} worker(s)",
             f"{clients} x {rounds}",
             f"errors {len(errors)}"),
            ("load: pushed operations / s", f"{ops_done[0] / wall:.0f}", f"{len(latencies) / wall:.0f} syncs/s over {wall:.1f} s"),
            ("load: sync latency p50 / p95", f"{statistics.median(latencies) * 1000:.0f} ms / "
                                            f"{p95 * 1000:.0f} ms", "")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--skip", nargs="*", default=[], choices=("bulk", "bulk-pg", "first", "national", "load", "day"))
    parser.add_argument("--bulk-rounds", type=int, default=3,
                        help="the SQLite bulk push and its floor, measured in turn this many "
                        "times (the median round is reported)")
    parser.add_argument("--laptops", type=int, default=300, help="end-of-day laptops")
    parser.add_argument("--day-spread", type=float, nargs="*", default=[0.0],
                        help="seconds over which the end-of-day laptops arrive (0: at once)")
    parser.add_argument("--day-office", nargs="*", default=["year", "new"],
                        choices=("year", "new"), help="the office the day ends at: a year "
                        "in (10,000 factories, 2,000 records) or on its first day (200)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rows = _Rows()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "bulk" not in args.skip:
            (tmp / "bulk").mkdir()
            rows += bench_bulk(tmp / "bulk", 1000 // scale, 100, 200 // scale,
                               rounds=args.bulk_rounds)
        if "bulk-pg" not in args.skip:
            (tmp / "bulk-pg").mkdir()
            url, name = pg_database(args.pg)
            try:
                rows += bench_bulk(tmp / "bulk-pg", 1000 // scale, 100, 200 // scale, url)
            finally:
                drop(args.pg, name)
        if "first" not in args.skip:
            (tmp / "first").mkdir()
            rows += bench_first_sync(tmp / "first", str(tmp / "first" / "s.db"),
                                     10_000 // scale)
        if "national" not in args.skip:
            (tmp / "national").mkdir()
            rows += bench_national(tmp / "national", str(tmp / "national" / "s.db"),
                                   150_000 // scale)
        if "day" not in args.skip:
            url, name = pg_database(args.pg)
            try:
                rows += bench_serial(url)
            finally:
                drop(args.pg, name)
            url, name = pg_database(args.pg)
            try:
                (tmp / "day-cost").mkdir()
                rows += bench_day_cost(tmp / "day-cost", url, 60 // scale)
            finally:
                drop(args.pg, name)
            for office in args.day_office:
                for spread in args.day_spread:
                    url, name = pg_database(args.pg)
                    try:
                        (tmp / f"day-{office}-{spread:g}").mkdir()
                        rows += bench_day(tmp / f"day-{office}-{spread:g}", url,
                                          args.laptops // scale, 2, spread, office)
                    finally:
                        drop(args.pg, name)
        if "load" not in args.skip:
            (tmp / "load").mkdir()
            url, name = pg_database(args.pg)
            try:
                rows += bench_load(tmp / "load", url, 50, 10 // min(scale, 5), args.workers)
            finally:
                drop(args.pg, name)
    print("\nall parts:")
    _print_rows(rows)


def _print_rows(rows: list) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>24}  note", flush=True)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>24}  {note}", flush=True)


class _Rows(list):
    """The table's rows; each part's rows are also printed as soon as the part is done, so
    a part that fails later does not take the figures of the others with it."""

    def __iadd__(self, more):
        _print_rows(list(more))
        return super().__iadd__(more)


if __name__ == "__main__":
    main()
