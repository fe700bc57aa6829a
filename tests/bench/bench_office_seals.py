"""What sealing the office's rows costs a pull (server/office_seals.py): run on demand.

    .venv/bin/python tests/bench/bench_office_seals.py [--rows N] [--pg URL]

An inspector with N complaints and N plans (half of the plans marked started on a laptop,
so their fields carry two clocks) pulls them in pages of 1,000, and takes a streamed
snapshot; each is timed (best of 5) with the seals and with them left out (the pull as it
was before), and the gzip size of the pages is compared.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from office_loop_world import LoopWorld  # noqa: E402

from fieldapp.server import pull as pull_module  # noqa: E402
from fieldapp.server.database import open_database  # noqa: E402
from fieldapp.server.pull import pull, snapshot_lines  # noqa: E402
from fieldapp.store.wirejson import dumps  # noqa: E402


def _world(url: str, n: int) -> LoopWorld:
    world = LoopWorld(open_database(url))
    anong = world.uid("anong")
    changes = []
    from fieldapp.core.ids import uuid7
    complaints = [uuid7() for _ in range(n)]
    plans = [uuid7() for _ in range(n)]
    for cid in complaints:
        changes.append(("complaints", cid, {
            "received_on": "2026-01-05", "channel": "phone", "factory_id": world.f10,
            "problem_types": "odour,noise", "description": "กลิ่นเหม็นจากปล่องโรงงาน " * 3,
            "status": "assigned", "assignee": anong, "due_on": "2026-01-20"}))
    for pid, cid in zip(plans, complaints, strict=True):
        changes.append(("plans", pid, {
            "factory_id": world.f10, "template_key": "env-general", "kind": "complaint",
            "planned_on": "2026-02-10", "assignee": anong, "assignee_name": "อนงค์",
            "complaint_id": cid, "status": "planned"}))
    for start in range(0, len(changes), 2000):
        assert all(a["outcome"] == "applied" for a in world.office_rows(changes[start:start + 2000]))
    ops = [world.op("anong", "plans", pid, {"status": "started"}) for pid in plans[::2]]
    assert all(a["outcome"] == "applied" for a in world.push("anong", ops))
    return world


def _walk(world: LoopWorld) -> tuple[float, int]:
    who = world.who("anong")
    start = time.perf_counter()
    cursor, size = 0, 0
    while True:
        page = pull(world.db, who, cursor, 1000)
        size += len(gzip.compress(dumps(page), 6))
        cursor = page["cursor"]
        if not page["more"]:
            return time.perf_counter() - start, size


def _snap(world: LoopWorld) -> tuple[float, int]:
    start = time.perf_counter()
    size = sum(map(len, snapshot_lines(world.db, world.who("anong"))))
    return time.perf_counter() - start, size


def _best(fn, world) -> tuple[float, int]:
    runs = [fn(world) for _ in range(5)]
    return min(r[0] for r in runs), runs[0][1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL (else SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        world = _world(args.pg or str(Path(tmp) / "s.db"), args.rows)
        sealed_change = pull_module._change
        sealed_values = pull_module._sealed_values
        rows = {}
        for label in ("sealed", "unsealed"):
            if label == "unsealed":   # the pull as it was: no seal on any row
                pull_module._change = lambda rec, key: {"t": rec.tbl, "seq": rec.seq,
                                                        "row": rec.wire()}
                pull_module._sealed_values = lambda key, tbl, columns, rows: (
                    [*r, None] for r in pull_module._wire_values(
                        tbl, [row[:5] for row in rows]))
            rows[label] = (_best(_walk, world), _best(_snap, world))
        pull_module._change, pull_module._sealed_values = sealed_change, sealed_values
        world.db.close()
    n = 2 * args.rows
    for label, ((pull_s, pull_b), (snap_s, snap_b)) in rows.items():
        print(f"{label:9} pull of {n} office rows: {pull_s * 1000:7.1f} ms, {pull_b / 1e3:7.1f} kB gz"
              f" | snapshot: {snap_s * 1000:7.1f} ms, {snap_b / 1e3:7.1f} kB gz")


if __name__ == "__main__":
    main()
