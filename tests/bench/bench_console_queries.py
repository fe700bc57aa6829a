"""Console read-layer benchmark (issue 13): run on demand, prints a table.

    .venv/bin/python tests/bench/bench_console_queries.py [--quick] [--pg URL]

Seeds a server database through push() (so the projections are written the way they are in
service): 150,000 factories in 77 provinces, then 20,000 inspections (half finalized, a few
answers and one order each). Reports what the projections add to those pushes (the same
pushes again with the projection switched off) and the time of the console's queries as a
supervisor of ten provinces and as an admin: the inspection list (default, text, filters,
sorts, a far page), factory search (Thai word, FID, registration number, short prefix), the
dashboard and one inspection's detail.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fieldapp.core.fid import facreg_key  # noqa: E402
from fieldapp.core.hlc import HybridClock  # noqa: E402
from fieldapp.core.ids import uuid7  # noqa: E402
from fieldapp.core.provinces import PROVINCES  # noqa: E402
from fieldapp.server import records  # noqa: E402
from fieldapp.server.auth import Principal  # noqa: E402
from fieldapp.server.database import open_database  # noqa: E402
from fieldapp.server.office import publish_shipped_templates  # noqa: E402
from fieldapp.server.push import Op, push  # noqa: E402
from fieldapp.server.queries.dashboard import dashboard  # noqa: E402
from fieldapp.server.queries.factories import search_factories  # noqa: E402
from fieldapp.server.queries.inspection_detail import inspection_detail  # noqa: E402
from fieldapp.server.queries.inspections import (  # noqa: E402
    InspectionFilter,
    search_inspections,
)
from fieldapp.store.factories import factory_id  # noqa: E402

SYLLABLES = ["ไทย", "สยาม", "น้ำตาล", "เหล็ก", "กล้า", "พลาสติก", "อาหาร", "เคมี", "ยาง", "ทอง",
             "รุ่ง", "เรือง", "ศรี", "มงคล", "ชล", "บุรี", "อุตสาหกรรม", "การเกษตร", "แป้ง", "มัน"]
DISTRICTS = ["เมือง", "บางพลี", "บางบ่อ", "พระประแดง", "ศรีราชา", "บ้านบึง", "พานทอง", "สัตหีบ"]
BATCH = 1000


def registry(n: int, rng: random.Random) -> list[dict]:
    codes = [p.code for p in PROVINCES]
    rows = []
    for i in range(n):
        code = codes[i % len(codes)]
        fid = f"{code}{i:012d}"
        facreg = f"3-{rng.randint(1, 106)}({rng.randint(1, 9)})-{i % 999 + 1}/{rng.randint(40, 67)}"
        name = "บริษัท " + "".join(rng.sample(SYLLABLES, 3)) + " จำกัด"
        rows.append({"id": factory_id(fid), "fid": fid, "name": name, "facreg": facreg,
                     "facreg_key": facreg_key(facreg), "operator": "นาย" + rng.choice(SYLLABLES),
                     "province_code": code, "province": f"จังหวัด {code}",
                     "district": rng.choice(DISTRICTS), "address": f"{i} หมู่ 3"})
    return rows


def seed(db, n_factories: int, n_inspections: int, rng: random.Random) -> tuple[float, list]:
    """Push the data; returns the seconds spent in push() and the inspection ids."""
    office = Principal("office", "office", "admin", frozenset(), "office")
    clock = HybridClock("office")
    spent = 0.0
    factories = registry(n_factories, rng)
    for start in range(0, len(factories), BATCH):
        ops = [Op(uuid7(), "factories", r["id"], "upsert",
                  {k: v for k, v in r.items() if k != "id"}, clock.now())
               for r in factories[start:start + BATCH]]
        t = time.perf_counter()
        push(db, office, ops, 0)
        spent += time.perf_counter() - t
    with db.read() as c:
        template = c.value("SELECT id FROM records WHERE tbl = 'template_versions' LIMIT 1")
    ids = []
    for start in range(0, n_inspections, 100):
        ops = []
        for _ in range(min(100, n_inspections - start)):
            iid, f = uuid7(), rng.choice(factories)
            ids.append(iid)
            day = rng.randint(1, 28)
            ops.append(Op(uuid7(), "inspections", iid, "upsert", {
                "factory_id": f["id"], "template_version_id": template,
                "kind": rng.choice(["routine", "complaint", "follow_up"]),
                "state": "draft", "record_no": f"2569/{iid[-8:].upper()}",
                "started_at": f"2026-{rng.randint(1, 12):02d}-{day:02d}T02:00:00Z"},
                clock.now()))
            for k in range(5):
                ops.append(Op(uuid7(), "answers", f"{iid}-{k}", "upsert", {
                    "inspection_id": iid, "item_id": f"x.{k}", "result": "pass"},
                    clock.now()))
            ops.append(Op(uuid7(), "findings", uuid7(), "upsert", {
                "inspection_id": iid, "description": "ฝุ่น", "status": "open",
                "deadline": f"2026-{rng.randint(1, 12):02d}-15"}, clock.now()))
        t = time.perf_counter()
        push(db, office, ops, 0)
        final = [Op(uuid7(), "inspections", iid, "upsert", {"state": "finalized"},
                    clock.now()) for iid in ids[start:start + 100] if rng.random() < 0.5]
        push(db, office, final, 0)
        spent += time.perf_counter() - t
    return spent, ids


def timed(fn, who, repeat: int = 5) -> float:
    """Best of ``repeat`` runs, in ms."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(who)
        best = min(best, time.perf_counter() - t)
    return best * 1000


def bench(url: str, n_factories: int, n_inspections: int) -> list[tuple]:
    rng = random.Random(13)
    db = open_database(url)
    publish_shipped_templates(db)
    with_projection, ids = seed(db, n_factories, n_inspections, rng)
    engine = db.dialect
    rows = [(engine, "seed pushes (projection on)", f"{with_projection:.1f} s")]
    admin = Principal("root", "root", "admin", frozenset(), "browser")
    codes = [p.code for p in PROVINCES][:10]
    sup = Principal("sup", "sup", "supervisor", frozenset(codes), "browser")
    f = InspectionFilter
    cases = [
        ("list, default page", lambda w: search_inspections(db, w, f())),
        ("list, text 'น้ำตาล'", lambda w: search_inspections(db, w, f(text="น้ำตาล"))),
        ("list, record no", lambda w: search_inspections(db, w, f(text=ids[7][-8:]))),
        ("list, district+state", lambda w: search_inspections(
            db, w, f(district="บางพลี", state="finalized"))),
        ("list, sort factory name", lambda w: search_inspections(
            db, w, f(sort="factory_name", direction="asc"))),
        ("list, page 10^9", lambda w: search_inspections(db, w, f(page=10**9))),
        ("factories, 'น้ำตาล'", lambda w: search_factories(db, w, "น้ำตาล")),
        ("factories, 'ไทย เหล็ก'", lambda w: search_factories(db, w, "ไทย เหล็ก")),
        ("factories, FID", lambda w: search_factories(db, w, f"10{5:012d}")),
        ("factories, facreg", lambda w: search_factories(db, w, "3-10(1)-5")),
        ("factories, 'บร'", lambda w: search_factories(db, w, "บร")),
        ("factories, browse", lambda w: search_factories(db, w, "", page=100)),
        ("dashboard", lambda w: dashboard(db, w)),
        ("inspection detail", lambda w: inspection_detail(db, w, ids[0])),
    ]
    for label, fn in cases:
        rows.append((engine, label, f"{timed(fn, admin):.1f} ms admin, "
                     f"{timed(fn, sup):.1f} ms supervisor"))
    db.close()
    return rows


def bench_projection_cost(url: str, n_factories: int, n_inspections: int) -> float:
    """The same pushes on another database with the projection switched off: its cost."""
    original = records.project
    records.project = lambda c, rows: None
    try:
        db = open_database(url)
        publish_shipped_templates(db)
        without, _ = seed(db, n_factories, n_inspections, random.Random(13))
        db.close()
    finally:
        records.project = original
    return without


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", help="PostgreSQL admin URL (a database is made and dropped)")
    args = parser.parse_args()
    n_f, n_i = (15_000, 2_000) if args.quick else (150_000, 20_000)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        urls = [("sqlite", str(Path(tmp) / "a.db"), str(Path(tmp) / "b.db"))]
        names = []
        if args.pg:
            base = args.pg.rsplit("/", 1)[0]
            for _ in range(2):
                name = f"fieldapp_bench_{secrets.token_hex(4)}"
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                names.append(name)
            urls.append(("postgresql", f"{base}/{names[0]}", f"{base}/{names[1]}"))
        try:
            for engine, url, other in urls:
                out += bench(url, n_f, n_i)
                without = bench_projection_cost(other, n_f, n_i)
                out.append((engine, "seed pushes (projection off)", f"{without:.1f} s"))
        finally:
            for name in names:
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{n_f} factories, {n_i} inspections")
    for engine, label, value in out:
        print(f"{engine:<11} {label:<32} {value}")


if __name__ == "__main__":
    main()
