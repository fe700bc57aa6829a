"""Invariant 5 on real PostgreSQL: 8 concurrent pushers x 1,000 operations while pullers run;
every committed change is pulled exactly once, even though the pushers' transactions are
made slow at the worst moment (after their sequence numbers are assigned, before COMMIT)."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace

import pytest
from server_fixtures import ADMIN, pg_schema_url

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server import records
from fieldapp.server.database import open_database
from fieldapp.server.pull import pull
from fieldapp.server.push import Op, push

PUSHERS, OPS_EACH, BATCH, PULLERS = 8, 1000, 50, 3

pytestmark = pytest.mark.postgres


def test_concurrent_pushers_never_make_a_puller_skip(pg_database, monkeypatch):
    original_flush = records.RecordCache.flush

    def slow_flush(self):
        original_flush(self)
        # Widen the window between "sequence numbers written" and COMMIT, where a design
        # without the commit-order lock lets a later sequence become visible first.
        time.sleep(random.random() * 0.01)

    monkeypatch.setattr(records.RecordCache, "flush", slow_flush)
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        try:
            _run(db)
        finally:
            db.close()


def _run(db) -> None:
    done = threading.Event()
    errors: list[BaseException] = []
    pushed: list[set[str]] = [set() for _ in range(PUSHERS)]
    seen: list[list[tuple[int, str]]] = [[] for _ in range(PULLERS)]

    def pusher(n: int) -> None:
        try:
            clock = HybridClock(f"dev{n}")
            for start in range(0, OPS_EACH, BATCH):
                ops = []
                for k in range(start, start + BATCH):
                    fid = f"{n:02d}{k:012d}"
                    ops.append(Op(uuid7(), "factories", f"f-{fid}", "upsert",
                                  {"fid": fid, "name": f"factory {fid}",
                                   "province_code": "10"}, clock.now()))
                acks = push(db, replace(ADMIN, device_id=f"dev{n}"), ops, 0)
                assert all(a["outcome"] == "applied" for a in acks)
                pushed[n].update(op.row_id for op in ops)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    def puller(n: int) -> None:
        try:
            cursor = 0
            while True:
                finished = done.is_set()
                page = pull(db, ADMIN, cursor, limit=random.choice((7, 100, 1000)))
                seen[n].extend((c["seq"], c["row"]["id"]) for c in page["changes"])
                cursor = page["cursor"]
                if finished and not page["more"]:
                    return
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    pullers = [threading.Thread(target=puller, args=(n,)) for n in range(PULLERS)]
    pushers = [threading.Thread(target=pusher, args=(n,)) for n in range(PUSHERS)]
    for t in pullers + pushers:
        t.start()
    for t in pushers:
        t.join(300)
    done.set()
    for t in pullers:
        t.join(300)
    assert not errors, errors[:3]
    everything = set().union(*pushed)
    assert len(everything) == PUSHERS * OPS_EACH
    for n in range(PULLERS):
        ids = [row_id for _, row_id in seen[n]]
        assert len(ids) == len(set(ids)), "a change was pulled twice"
        assert set(ids) == everything, f"puller {n} missed {len(everything - set(ids))}"
        seqs = [s for s, _ in seen[n]]
        assert seqs == sorted(seqs)
