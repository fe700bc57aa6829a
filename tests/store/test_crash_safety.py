"""kill -9 during writes: the database stays intact and nothing that returned is lost."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldapp.store.blobs import read_blob
from fieldapp.store.db import open_store

WRITER = Path(__file__).with_name("crash_writer.py")


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_that_returned(tmp_path):
    db = tmp_path / "crash.db"
    rng = random.Random(2535)
    confirmed: list[tuple[str, str]] = []
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for round_no in range(12):
        child = subprocess.Popen([sys.executable, str(WRITER), str(db), str(round_no * 100_000)],
                                 stdout=subprocess.PIPE, text=True, env=env)
        # Let it start and write for a random while, then pull the plug.
        time.sleep(0.4 + rng.random() * 0.8)
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        lines = [line.split() for line in out.splitlines() if line.strip()]
        # The last line may be torn by the kill; only whole lines count as confirmed.
        confirmed += [tuple(p) for p in lines if len(p) == 2 and len(p[1]) == 64]

        with open_store(db) as store:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = {r["fid"]: r for r in store.query("SELECT * FROM factories")}
            for fid, digest in confirmed:
                assert fid in rows, f"round {round_no}: committed change {fid} was lost"
                # The two changes of one transaction are both there.
                assert rows[fid]["contact_person"] == f"คุณ {int(fid)}"
                assert read_blob(store.blob_dir, digest) == f"photo {int(fid)}".encode() * 100
            # No half transactions: every row has both changes and its two outbox entries.
            assert all(r["contact_person"] for r in rows.values())
            counts = store.query("SELECT row_id, count(*) AS n FROM outbox GROUP BY row_id")
            assert all(c["n"] == 2 for c in counts)
            assert len(counts) == len(rows)
    assert len(confirmed) > 50, "the writer barely ran; the test proved little"
