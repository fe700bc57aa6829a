"""Benchmark: the office console's server-side work on a national-size office (PostgreSQL).

Run on demand::

    .venv/bin/python tests/bench/bench_console.py            # build, then time
    .venv/bin/python tests/bench/bench_console.py --reuse    # time the database built before
    .venv/bin/python tests/bench/bench_console.py --cases mymodule:CASES

Builds (tests/bench/national_office.py) or reuses the database ``--name`` on the PostgreSQL
server ``--pg``, then runs every case ``--runs`` times in this one process and prints a
table: median, p95 and worst server-side time per case. A case is ``(name, fn)`` with
``fn(ctx, i)``: ``ctx`` a ``Context`` (the database, principals of each role, sample
records), ``i`` the run number (rotate samples with it, so no run reads only warm pages).
The console's read layer (fieldapp/server/queries) is timed as far as the code has it
(``console_cases``); more pages go in ``CASES`` or come with ``--cases module:attr``.

The printed form is timed twice over: a record of the national database (100 answers,
~10 small photos), and bench_print's 100-item record with 12 full-size photos pushed by a
real laptop into a scratch database. Each is rendered by the server (render_printed_form:
rows read, scratch store, render) and by a laptop from its own store; the target is a
server render at most 1.2 times the laptop's.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import math
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[1]), str(HERE.parent),
                str(HERE.parents[1] / "forms")]

import psycopg  # noqa: E402
from national_office import build_national_office  # noqa: E402

from fieldapp.forms.inspection_form import render_inspection_pdf  # noqa: E402
from fieldapp.server.auth import Principal  # noqa: E402
from fieldapp.server.database import open_database  # noqa: E402
from fieldapp.server.printed_form import form_rows, render_printed_form, scratch_store  # noqa: E402
from fieldapp.server.storage import Database  # noqa: E402
from fieldapp.store.blobs import put_blob  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432/test"
NAME = "fieldapp_bench_national"
TARGET_PDF_RATIO = 1.2


@dataclass
class Context:
    """What cases work on: the database, one principal per role (the inspector and the
    supervisor with the most records), and samples they may all read."""

    db: Database
    admin: Principal
    supervisor: Principal
    inspector: Principal
    inspections: list[str]          # finalized, the inspector's own
    factories: list[str]            # in the inspector's provinces
    laptops: dict[str, object] = field(default_factory=dict)  # record id -> laptop Store
    extra: dict[str, object] = field(default_factory=dict)


Case = tuple[str, Callable[[Context, int], object]]


def _principal(c, user_id: str) -> Principal:
    user = c.one("SELECT id, username, role FROM users WHERE id = ?", (user_id,))
    provinces = frozenset(r["province_code"] for r in c.all(
        "SELECT province_code FROM user_provinces WHERE user_id = ?", (user_id,)))
    return Principal(user["id"], user["username"], user["role"], provinces, "console-bench")


def make_context(db: Database, samples: int = 20) -> Context:
    with db.read() as c:
        busiest = c.value("SELECT owner FROM records WHERE tbl = 'inspections' AND frozen = 1 "
                          "GROUP BY owner ORDER BY count(*) DESC LIMIT 1")
        inspector = _principal(c, busiest)
        admin = _principal(c, c.value("SELECT id FROM users WHERE role = 'admin' "
                                      "ORDER BY username LIMIT 1"))
        sup = c.value("SELECT p.user_id FROM user_provinces p JOIN users u ON u.id = p.user_id "
                      "JOIN records r ON r.tbl = 'inspections' AND r.province = p.province_code "
                      "WHERE u.role = 'supervisor' GROUP BY p.user_id "
                      "ORDER BY count(*) DESC LIMIT 1")
        supervisor = _principal(c, sup)
        inspections = [r["id"] for r in c.all(
            "SELECT id FROM records WHERE tbl = 'inspections' AND frozen = 1 AND owner = ? "
            "ORDER BY seq DESC LIMIT ?", (busiest, samples))]
        marks = ", ".join("?" * len(inspector.provinces))
        factories = [r["id"] for r in c.all(
            f"SELECT id FROM records WHERE tbl = 'factories' AND province IN ({marks}) "
            f"ORDER BY id LIMIT ?", (*sorted(inspector.provinces), samples))]
    return Context(db, admin, supervisor, inspector, inspections, factories)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_cases(ctx: Context, cases: list[Case], runs: int) -> list[tuple]:
    """``(name, runs, median s, p95 s, worst s)`` per case, after one untimed warm-up run
    each (fonts, imports, the connection pool). The cases take turns run by run, so a
    machine busy for a while slows all of them alike (the printed form compares two)."""
    for _, fn in cases:
        fn(ctx, 0)
    times: list[list[float]] = [[] for _ in cases]
    for i in range(runs):
        for k, (_, fn) in enumerate(cases):
            t = time.perf_counter()
            fn(ctx, i)
            times[k].append(time.perf_counter() - t)
    return [(name, runs, statistics.median(t), p95(t), max(t))
            for (name, _), t in zip(cases, times, strict=True)]


# -- the printed form -----------------------------------------------------------------------------

def laptop_store(db: Database, who: Principal, inspection_id: str, folder: Path):
    """A laptop's own store (a file, blobs in its folder) holding the record as its pull
    would: the laptop side of the comparison."""
    records, blobs = form_rows(db, who, inspection_id)
    store = scratch_store(records, path=folder / f"{inspection_id}.db")
    for data in blobs.values():
        put_blob(store.blob_dir, data)
    return store


def pdf_cases(ctx: Context, folder: Path, label: str, who: Principal,
              ids: list[str]) -> list[Case]:
    for rid in ids:
        if rid not in ctx.laptops:
            ctx.laptops[rid] = laptop_store(ctx.db, who, rid, folder)

    def server(c: Context, i: int) -> object:
        return render_printed_form(c.db, who, ids[i % len(ids)])

    def laptop(c: Context, i: int) -> object:
        return render_inspection_pdf(c.laptops[ids[i % len(ids)]], ids[i % len(ids)])

    return [(f"printed form, server ({label})", server),
            (f"printed form, laptop ({label})", laptop)]


@contextlib.contextmanager
def scratch_database(pg: str):
    """A fresh database beside the bench one (dropped afterwards), as its URL. Not a schema
    in the bench database: extensions there (pg_trgm, schema V5) live in ``public``."""
    name = f"fieldapp_bench_print_{secrets.token_hex(4)}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pushed_print_record(url: str, folder: Path) -> tuple[Database, Principal, str, object]:
    """bench_print's 100-item record with 12 photos and 2 signatures, made on a laptop
    logged in as an administrator (it brings its own factory and template) and synced to
    the server at ``url`` by the real sync engine."""
    from server_fixtures import Laptop, add_users, inproc_client, make_app
    from test_forms_builders import build_inspection, synthetic_template

    db = open_database(url)
    add_users(db)
    laptop = Laptop(folder / "print-laptop.db", inproc_client(make_app(db)), "admin")
    if not laptop.sync().ok:
        raise SystemExit("the print record's laptop could not sync")
    record_id = build_inspection(laptop.store, template=synthetic_template(100), photos=12)
    if not laptop.sync().ok:
        raise SystemExit("the print record did not reach the server")
    with db.read() as c:
        admin = _principal(c, c.value("SELECT id FROM users WHERE username = 'admin'"))
    return db, admin, record_id, laptop


# -- the run --------------------------------------------------------------------------------------

CASES: list[Case] = []  # more console pages: (name, fn(ctx, i))


def console_cases() -> list[Case]:
    """The console's read layer (fieldapp/server/queries), as far as this code has it."""
    try:
        from fieldapp.server.queries.inspection_detail import inspection_detail
        from fieldapp.server.queries.inspections import (
            InspectionFilter,
            filter_choices,
            search_inspections,
        )
    except ImportError:
        return []
    return [
        ("inspections list, admin, newest first",
         lambda c, i: search_inspections(c.db, c.admin, InspectionFilter(page=1 + i % 5))),
        ("inspections list, supervisor, text search",
         lambda c, i: search_inspections(c.db, c.supervisor,
                                         InspectionFilter(text=("บริษัท", "จำกัด", "2568")[i % 3]))),
        ("inspections list, inspector, own",
         lambda c, i: search_inspections(c.db, c.inspector, InspectionFilter())),
        ("filter choices, admin", lambda c, i: filter_choices(c.db, c.admin)),
        ("inspection detail, inspector",
         lambda c, i: inspection_detail(c.db, c.inspector, c.inspections[i % len(c.inspections)])),
    ]


def page_cases(ctx: Context) -> list[Case]:
    """Whole console pages over HTTP (in process: routing, session, read layer, template),
    as a supervisor signed in with a server-side session: the inspections table with each
    one filter, one inspection, the dashboard. Targets: table p95 < 150 ms, one inspection
    < 200 ms, dashboard < 300 ms."""
    import warnings

    from fieldapp.server import web_sessions
    from fieldapp.server.console.security import SESSION_COOKIE
    from fieldapp.server.site import create_site
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_site(ctx.db)
    browsers = {}
    for role, who in (("admin", ctx.admin), ("supervisor", ctx.supervisor)):
        token, _ = web_sessions.start(ctx.db, who.user_id, "127.0.0.1", "bench")
        b = TestClient(app, follow_redirects=False)
        b.cookies.set(SESSION_COOKIE, token)
        browsers[role] = b
    with ctx.db.read() as c:
        marks = ", ".join("?" * len(ctx.supervisor.provinces))
        scope = sorted(ctx.supervisor.provinces)
        one = c.one(f"SELECT province, district, owner, template_key FROM inspection_index "
                    f"WHERE province IN ({marks}) AND district IS NOT NULL "
                    f"ORDER BY started_at DESC LIMIT 1", scope)
        rich = [r["parent_id"] for r in c.all(
            f"SELECT parent_id, count(*) AS n FROM records WHERE tbl = 'attachments' "
            f"AND province IN ({marks}) GROUP BY parent_id ORDER BY n DESC LIMIT 10", scope)]
    filters = {
        "none": "", "text": "q=บริษัท", "province": f"province={one['province']}",
        "district": f"district={one['district']}", "inspector": f"inspector={one['owner']}",
        "state": "state=finalized", "kind": "kind=complaint",
        "template": f"template={one['template_key']}", "dates": "from=2026-01-01&to=2026-03-31",
        "sorted by factory": "sort=factory_name&dir=asc", "page 20": "page=20"}

    def get(role: str, path: str) -> object:
        r = browsers[role].get(path)
        if r.status_code != 200:
            raise SystemExit(f"{path}: {r.status_code}")
        return r

    cases: list[Case] = [
        (f"page /inspections, supervisor, filter {name}",
         lambda c, i, q=query: get("supervisor", f"/inspections?{q}"))
        for name, query in filters.items()]
    cases += [
        ("page /inspections/{id}, supervisor (most photos)",
         lambda c, i: get("supervisor", f"/inspections/{rich[i % len(rich)]}")),
        ("page / (dashboard), supervisor", lambda c, i: get("supervisor", "/")),
        ("page / (dashboard), admin", lambda c, i: get("admin", "/")),
        ("page /factories?q=บริษัท, supervisor",
         lambda c, i: get("supervisor", "/factories?q=%E0%B8%9A%E0%B8%A3%E0%B8%B4%E0%B8%A9%E0%B8%B1%E0%B8%97")),
    ]
    return cases


def load_cases(spec: str) -> list[Case]:
    module, _, attr = spec.partition(":")
    return list(getattr(importlib.import_module(module), attr or "CASES"))


def ensure_database(pg: str, name: str, reuse: bool) -> str:
    base = pg.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    with psycopg.connect(pg, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and reuse:
            return url
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    made = build_national_office(url)
    print(f"built in {made['timings']['total']:.0f} s: {made['counts']}")
    return url


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pg", default=PG, help="a PostgreSQL URL to create databases from")
    p.add_argument("--name", default=NAME, help="the bench database's name")
    p.add_argument("--reuse", action="store_true", help="time the database built before")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--cases", action="append", default=[], help="module:attr of more cases")
    args = p.parse_args(argv)

    url = ensure_database(args.pg, args.name, args.reuse)
    db = open_database(url)
    cases = console_cases() + list(CASES)
    for spec in args.cases:
        cases += load_cases(spec)
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.pg) as print_url:
        folder = Path(tmp)
        ctx = make_context(db)
        cases += page_cases(ctx)
        print_db, print_admin, print_id, print_laptop = pushed_print_record(print_url, folder)
        try:
            ctx.laptops[print_id] = print_laptop.store
            cases += pdf_cases(ctx, folder, "national record", ctx.inspector,
                               ctx.inspections[:5])
            pdf_ctx = Context(print_db, print_admin, print_admin, print_admin, [print_id], [],
                              ctx.laptops)
            rows = time_cases(ctx, cases, args.runs)
            rows += time_cases(pdf_ctx, pdf_cases(pdf_ctx, folder, "100 items, 12 photos",
                                                  print_admin, [print_id]), args.runs)
        finally:
            for store in ctx.laptops.values():
                store.close()
            print_db.close()
    db.close()

    print(f"\n{'case':<60} {'runs':>5} {'median ms':>10} {'p95 ms':>9} {'worst ms':>9}")
    for name, runs, median, high, worst in rows:
        print(f"{name:<60} {runs:5d} {median * 1e3:10.1f} {high * 1e3:9.1f} {worst * 1e3:9.1f}")
    timed = {r[0]: r for r in rows}
    ok = True
    for label in ("national record", "100 items, 12 photos"):
        server = timed[f"printed form, server ({label})"][2]
        laptop = timed[f"printed form, laptop ({label})"][2]
        ratio = server / laptop
        ok = ok and ratio <= TARGET_PDF_RATIO
        print(f"printed form ({label}): server {ratio:.2f}x the laptop (median; target "
              f"<= {TARGET_PDF_RATIO}x)")
    print("\ntarget:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
