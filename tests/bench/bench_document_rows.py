"""What storing a finalized inspection as ONE document would save the bulk push (issue 16):
run on demand, prints a table.

    .venv/bin/python tests/bench/bench_document_rows.py [--inspections 1000] [--answers 100]

The bulk push (bulk_push.py) misses 2x its durable floor. Its office transaction writes one
``records`` row per answer (six b-trees) and one ``ops`` row per operation (three), as the
shared data model has it (DESIGN.md §3). This measures, on the server's real SQLite schema
(``open_database``: every migration, every index) and with its own row encoding
(``records.Record.values``), what writing the same 1,000 finalized inspections costs:

1. as now: the inspection and each answer a ``records`` row, each operation an ``ops`` row;
2. as documents whose answers are stored inside the inspection's row, every operation
   still given its own ``ops`` row (so a replayed member still gets its first answer);
3. as documents acknowledged as one operation each.

Only the writing is measured: the checks every answer still needs (its fields, its measured
value, its clock, the record's hash) are the same in all three, and are given beside it in
docs/sync-protocol.md from the push's profile. One transaction each, ``synchronous = FULL``,
the better of two runs, each into a new database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server.database import open_database
from fieldapp.server.records import Record

_RECORDS = "INSERT INTO records (tbl, id, province, owner, parent_id, blob_sha, frozen, " \
           "data, fields, updated_hlc, device_id, deleted, seq) " \
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_OPS = "INSERT INTO ops (op_id, device_id, user_id, outcome, reason, seq, received_at, " \
       "tbl, row_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
MODELS = (("rows", "as now: a records row per answer, an ops row per operation"),
          ("documents", "documents: answers inside their record, an ops row per operation"),
          ("one-op", "documents acknowledged as one operation each"))


def inspections(count: int, answers: int) -> list[tuple[dict, list[dict]]]:
    """Finalized inspections shaped as bulk_push.build_laptop makes them."""
    made = []
    for n in range(count):
        iid = uuid7()
        head = {"id": iid, "factory_id": uuid7(), "template_version_id": uuid7(),
                "kind": "routine", "state": "finalized", "started_at": "2026-11-20T09:00:00.000Z",
                "purpose": "ตรวจประจำปี", "record_no": f"2569/{n:06d}", "created_by": "bench",
                "content_hash": "0" * 64, "finalized_at": "2026-11-20T12:00:00.000Z"}
        rows = [{"id": f"{iid}-{k}", "inspection_id": iid, "item_id": f"{k // 10 + 1}.{k % 10 + 1}",
                 "result": ("pass", "fail", "na")[k % 3], "value": f"{(n * k) % 97}.{k % 10}",
                 "note": "ตรวจพบว่าระบบบำบัดน้ำเสียทำงานปกติ" if k % 4 == 0 else None}
                for k in range(answers)]
        made.append((head, rows))
    return made


def write(db, model: str, made: list) -> tuple[int, int, float]:
    """Encode and insert ``made`` in one write transaction; (records rows, ops rows, s)."""
    clock = HybridClock("bench-device")
    seq = 0
    started = time.perf_counter()
    with db.write() as c:
        records, ops = [], []
        for head, answers in made:
            hlc = clock.now()
            if model == "rows":
                stored = [("inspections", head, None)] + [("answers", a, head["id"])
                                                          for a in answers]
            else:
                stored = [("inspections", {**head, "answers": answers}, None)]
            for tbl, data, parent in stored:
                seq += 1
                shared = [hlc, "bench-device", seq]
                records.append(Record(tbl, data["id"], data, dict.fromkeys(data, shared),
                                      "10", "bench", parent, None, 1, hlc, "bench-device",
                                      0, seq).values())
            members = 1 if model == "one-op" else 1 + len(answers)
            ops.extend((uuid7(), "bench-device", "bench", "applied", None, seq,
                        "2026-11-20T12:00:00.000Z", "answers", head["id"])
                       for _ in range(members))
        c.many(_RECORDS, records)
        c.many(_OPS, ops)
    return len(records), len(ops), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=100)
    args = parser.parse_args(argv)
    made = inspections(args.inspections, args.answers)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for model, label in MODELS:
            best = None
            for attempt in range(2):
                db = open_database(str(Path(tmp) / f"{model}-{attempt}.db"))
                try:
                    result = write(db, model, made)
                finally:
                    db.close()
                best = result if best is None or result[2] < best[2] else best
            rows.append((label, best))
    base = rows[0][1][2]
    print(f"\nStoring {args.inspections:,} finalized inspections x {args.answers} answers "
          f"in one office transaction (SQLite, FULL; encoding + inserts + commit)\n")
    print(f"{'model':<68}{'records':>9}{'ops':>9}{'seconds':>9}{'vs now':>8}")
    for label, (n_records, n_ops, seconds) in rows:
        print(f"{label:<68}{n_records:>9,}{n_ops:>9,}{seconds:>9.2f}{seconds / base:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
