"""``fieldapp demo``: fill a database with deterministic synthetic factories and inspections."""

from __future__ import annotations

import argparse
import time

from fieldapp.commands import store_from
from fieldapp.store.demo import load_demo
from fieldapp.store.demo_inspections import add_demo_inspections
from fieldapp.store.inspections import list_inspections


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="fill the database with synthetic demo data",
        description="Synthetic Thai factories (valid IDs, real province codes). The same "
                    "--seed always gives the same data; loading twice changes nothing.")
    parser.add_argument("--factories", type=int, default=2000, metavar="N",
                        help="number of synthetic factories (default 2000)")
    parser.add_argument("--seed", type=int, default=2567, help="random seed (default 2567)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with store_from(args) as store:
        ids = load_demo(store, factories=max(args.factories, 0), seed=args.seed)
        # Inspections only into a database that has none, so loading twice adds nothing.
        made = [] if list_inspections(store, limit=1) else add_demo_inspections(store, ids[:50])
    print(f"demo: {len(ids)} factories, {len(made)} inspections "
          f"in {time.perf_counter() - started:.1f} s")
    return 0
