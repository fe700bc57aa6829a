"""The corrective orders list (/orders) on many orders: run on demand, prints a table.

    .venv/bin/python tests/bench/bench_console_orders.py [--orders 50000] [--pg URL]

Seeds a server database through push() (the projections written as in service): 2,000
factories in 20 provinces and ``--orders`` orders of them, a third open (half of those past
their deadline). Times one list page as the console asks for it (``search_orders``: the
page, its count and the filter lists) as a supervisor of ten provinces and as an admin:
the default page, a far page, overdue only, one district, one factory. Run it with another
checkout first on ``PYTHONPATH`` to compare with that version (same function, same seed).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

from fieldapp.core.hlc import HybridClock  # noqa: E402
from fieldapp.core.ids import uuid7  # noqa: E402
from fieldapp.core.provinces import PROVINCES  # noqa: E402
from fieldapp.server.auth import Principal  # noqa: E402
from fieldapp.server.database import open_database  # noqa: E402
from fieldapp.server.push import Op, push  # noqa: E402
from fieldapp.server.queries.orders import OrderFilter, search_orders  # noqa: E402

DISTRICTS = ["เมือง", "บางพลี", "บางบ่อ", "พระประแดง", "ศรีราชา", "บ้านบึง", "พานทอง", "สัตหีบ"]
TODAY = "2026-04-01"
BATCH = 2000


def seed(db, orders: int, rng: random.Random) -> list[str]:
    admin = Principal("admin", "admin", "admin", frozenset(), "office")
    clock = HybridClock("office")
    codes = [p.code for p in PROVINCES[:20]]
    factories = [(f"f{i:05d}", codes[i % len(codes)]) for i in range(2000)]
    ops = [Op(uuid7(), "factories", fid, "upsert",
              {"fid": f"{province}{i:012d}", "name": f"โรงงาน {rng.randint(1, 10**6)}",
               "province_code": province, "district": rng.choice(DISTRICTS)}, clock.now())
           for i, (fid, province) in enumerate(factories)]
    push(db, admin, ops, 0)
    for start in range(0, orders, BATCH):
        ops = []
        for _ in range(min(BATCH, orders - start)):
            fid, _province = rng.choice(factories)
            status = rng.choice(["open", "verified", "reported_done"])
            deadline = f"2026-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d}"
            ops.append(Op(uuid7(), "orders", uuid7(), "upsert",
                          {"factory_id": fid, "inspection_id": uuid7(), "status": status,
                           "deadline": deadline,
                           "order_text": "ติดตั้งระบบบำบัดอากาศให้ใช้งานได้",
                           "legal_basis": "มาตรา 37"}, clock.now()))
        acks = push(db, admin, ops, 0)
        assert all(a["outcome"] == "applied" for a in acks), acks[0]
    return codes


def timed(fn, repeat: int) -> float:
    fn()   # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(db, orders: int, repeat: int) -> None:
    rng = random.Random(7)
    start = time.perf_counter()
    codes = seed(db, orders, rng)
    print(f"seeded {orders:,} orders in {time.perf_counter() - start:.1f} s")
    sup = Principal("sup", "sup", "supervisor", frozenset(codes[:10]), "browser")
    admin = Principal("admin", "admin", "admin", frozenset(), "browser")
    cases = [("default page", OrderFilter()), ("page 40", OrderFilter(page=40)),
             ("overdue", OrderFilter(status="overdue")),
             ("one district", OrderFilter(district="บางพลี")),
             ("one factory", OrderFilter(factory_id="f00042"))]
    print(f"{'list page':<16} {'supervisor ms':>14} {'admin ms':>10} {'matching (admin)':>17}")
    for name, f in cases:
        found, _ = search_orders(db, admin, f)
        s = timed(lambda f=f: search_orders(db, sup, f), repeat)
        a = timed(lambda f=f: search_orders(db, admin, f), repeat)
        print(f"{name:<16} {s:>14.1f} {a:>10.1f} {found.total:>17,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pg", help="a PostgreSQL server URL (a database is made and dropped)")
    args = parser.parse_args()
    os.environ["FIELDAPP_TODAY"] = TODAY
    if args.pg:
        name = f"fieldapp_bench_{secrets.token_hex(4)}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            base = args.pg.rsplit("/", 1)[0]
            with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            db = open_database(f"{base}/{name}")
            try:
                print("PostgreSQL")
                run(db, args.orders, args.repeat)
            finally:
                db.close()
        finally:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "bench.db"))
        try:
            print("SQLite")
            run(db, args.orders, args.repeat)
        finally:
            db.close()


if __name__ == "__main__":
    main()
