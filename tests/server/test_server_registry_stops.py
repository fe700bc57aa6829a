"""The office's registry import stopped part way: Ctrl-C and SIGTERM sent to
``fieldapp-server factories import`` on a large generated file, and a console import job
whose database fails while it sends. What each says is sent is what the office holds, and
the same file imported again sends only the rest."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from large_registry import write_registry
from server_fixtures import ADMIN

from fieldapp.server import office, office_registry, registry_jobs
from fieldapp.server.cli import main
from fieldapp.server.database import open_database

ROWS = 6000
REPO = Path(__file__).resolve().parents[2]


def _office_factories(db) -> int:
    with db.read() as c:
        return c.one("SELECT count(*) AS n FROM records WHERE tbl = 'factories'")["n"]


def _sent_so_far(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM records WHERE tbl = 'factories'"
                                ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("sent, code, reason", [
    (signal.SIGINT, 130, "interrupted (Ctrl-C)"),
    (signal.SIGTERM, 143, "stopped by the system (SIGTERM)"),
])
def test_a_stopped_command_says_how_many_changes_the_office_holds(tmp_path, capsys, sent,
                                                                 code, reason):
    source = tmp_path / "Factory_Data.csv"
    write_registry(source, ROWS)
    path = tmp_path / "server.db"
    open_database(str(path)).close()
    process = subprocess.Popen(
        [sys.executable, "-m", "fieldapp.server.cli", "--db", str(path), "factories",
         "import", str(source)], env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ends = time.monotonic() + 240
    while _sent_so_far(path) == 0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < ends
        time.sleep(0.02)
    process.send_signal(sent)
    out, err = process.communicate(timeout=240)
    assert process.returncode == code and out == "", err
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("fieldapp-server: กำลังหยุด"), lines
    said = re.fullmatch(r"fieldapp-server: การนำเข้าหยุดกลางคัน ส่งเข้าทะเบียนแล้ว ([\d,]+) จาก "
                        r"([\d,]+) .*\(import stopped: (.*); ([\d,]+) of the ([\d,]+) changes "
                        r"the file makes are in the office's registry, the rest are not; "
                        r"importing the same file again sends only the rest, nothing twice\)",
                        lines[1])
    assert said and said[3] == reason, lines
    held = _sent_so_far(path)
    assert int(said[4].replace(",", "")) == held < ROWS and said[5] == f"{ROWS:,}"
    assert held % office.BATCH == 0
    assert main(["--db", str(path), "factories", "import", str(source)]) == 0
    assert capsys.readouterr().out == (f"imported {ROWS - held}, updated 0, unchanged {held}, "
                                       f"rejected 0; on the server: applied {ROWS - held}, "
                                       f"rejected 0\n")
    assert _sent_so_far(path) == ROWS


def test_a_console_job_that_fails_while_sending_says_what_it_sent(server_db, shared_data,
                                                                 monkeypatch):
    monkeypatch.setattr(office, "BATCH", 10)
    real = office_registry.push_rows

    def database_fails_after_a_batch(db, table, rows, **kwargs):
        progress = kwargs.pop("progress")

        def then_fail(done):
            progress(done)
            raise sqlite3.OperationalError("database or disk is full")
        return real(db, table, rows, progress=then_fail, **kwargs)
    monkeypatch.setattr(office_registry, "push_rows", database_fails_after_a_batch)
    data = (shared_data / "diw_factory_data_sample.csv").read_bytes()
    jobs = registry_jobs.jobs_for(server_db)
    job = jobs.wait(jobs.start("Factory_Data.csv", data, ADMIN).id)
    assert job.stage == registry_jobs.FAILED
    assert job.error == registry_jobs.stopped_line(
        registry_jobs.SENDING, 10, 49, "OperationalError: database or disk is full")
    assert "10 of the 49 changes the file makes are in the office's registry" in job.error
    assert _office_factories(server_db) == 10
    monkeypatch.setattr(office_registry, "push_rows", real)
    job = jobs.wait(jobs.start("Factory_Data.csv", data, ADMIN).id)
    assert job.stage == registry_jobs.DONE, job.error
    assert job.summary.startswith("imported 39, updated 0, unchanged 10, rejected 0")
    assert _office_factories(server_db) == 49
