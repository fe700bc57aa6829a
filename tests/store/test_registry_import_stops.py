"""A registry import stopped part way, for real: kill -9, Ctrl-C and SIGTERM sent to the
``fieldapp`` process importing a large generated file, and a disk that fills up.

Afterwards the database opens, holds whole factories only (every one exactly as the file
has it, all from the file's first lines, none after them), what the command said it holds
is what it holds, and the same command run again finishes the import without a duplicate.
"""

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

from fieldapp.cli import main
from fieldapp.commands import registry as registry_command
from fieldapp.store import registry_import
from fieldapp.store.db import open_store
from fieldapp.store.search import search_factories

ROWS = 3 * registry_import.BATCH_SIZE
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> tuple[Path, list[dict]]:
    path = tmp_path_factory.mktemp("registry") / "Factory_Data.csv"
    return path, write_registry(path, ROWS)


def _start(db: Path, source: Path) -> subprocess.Popen:
    open_store(db).close()   # the laptop's database is there (no "new database" line)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "fieldapp", "--db", str(db),
                             "import-factories", "--quiet", str(source)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored(db: Path) -> int:
    """Factories a reader sees committed (0 while the database is not made yet)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM factories").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def _when_a_batch_is_in(db: Path, process: subprocess.Popen) -> None:
    ends = time.monotonic() + 240
    while _stored(db) == 0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < ends, "no batch was committed in time"
        time.sleep(0.02)


def _check_whole_and_first(db: Path, records: list[dict]) -> int:
    """The database opens and is sound; it holds the file's first n factories exactly as the
    file has them (no partial row, no row after them); returns n."""
    store = open_store(db)
    try:
        assert store.query("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
        store.conn.execute("INSERT INTO factories_fts(factories_fts) VALUES('integrity-check')")
        rows = {r["fid"]: r for r in store.query(
            "SELECT fid, name, operator, address, district, province, lat, lng "
            "FROM factories")}
        n = len(rows)
        assert set(rows) == {r["fid"] for r in records[:n]}
        for record in records[:n]:
            held = rows[record["fid"]]
            assert {k: held[k] for k in held.keys()} == {
                k: record[k] for k in held.keys()}, record["fid"]
        last = records[n - 1]
        assert [f["fid"] for f in search_factories(store, last["fid"])] == [last["fid"]]
    finally:
        store.close()
    return n


def _finish_again(db: Path, source: Path, n: int, capsys) -> None:
    assert main(["--db", str(db), "import-factories", "--quiet", str(source)]) == 0
    out, err = capsys.readouterr()
    assert out == f"imported {ROWS - n}, updated 0, unchanged {n}, rejected 0\n" and err == ""
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT fid) FROM factories"
                            ).fetchone() == (ROWS, ROWS)


def test_kill_9_during_an_import_leaves_whole_batches_and_running_it_again_finishes(
        tmp_path, registry, capsys):
    source, records = registry
    db = tmp_path / "fieldapp.db"
    process = _start(db, source)
    _when_a_batch_is_in(db, process)
    process.kill()
    process.communicate()
    n = _check_whole_and_first(db, records)
    assert n % registry_import.BATCH_SIZE == 0 and 0 < n < ROWS
    _finish_again(db, source, n, capsys)


@pytest.mark.parametrize("sent, code, reason", [
    (signal.SIGINT, 130, "interrupted (Ctrl-C)"),
    (signal.SIGTERM, 143, "stopped by the system (SIGTERM)"),
])
def test_ctrl_c_or_kill_says_exactly_what_the_database_holds(tmp_path, registry, capsys,
                                                            sent, code, reason):
    source, records = registry
    db = tmp_path / "fieldapp.db"
    process = _start(db, source)
    _when_a_batch_is_in(db, process)
    process.send_signal(sent)
    out, err = process.communicate(timeout=240)
    assert process.returncode == code, err
    assert out == "" and "Traceback" not in err
    lines = err.splitlines()
    assert lines[0].startswith("fieldapp: กำลังหยุดหลังชุดที่กำลังบันทึก (stopping after")
    said = re.fullmatch(
        r"fieldapp: การนำเข้าหยุดกลางคัน บันทึกแล้ว ([\d,]+) แถว ถึงบรรทัด ([\d,]+) จาก "
        r"([\d,]+) .*\(import stopped: (.*); ([\d,]+) rows are in the database: every good "
        r"row up to line ([\d,]+) of ([\d,]+), none after it \(imported (\d+), updated 0, "
        r"unchanged 0, rejected 0\); run the same command again to finish: .*\)", lines[1])
    assert said, lines
    count, line, total = (int(said[i].replace(",", "")) for i in (5, 6, 7))
    assert said[4] == reason and len(lines) == 2
    n = _check_whole_and_first(db, records)
    assert count == n == int(said[8]) and line == n + 1 and total == ROWS + 1
    _finish_again(db, source, n, capsys)


def test_a_full_disk_says_what_was_committed_before_it(tmp_path, registry, capsys,
                                                      monkeypatch):
    source, records = registry
    db = tmp_path / "fieldapp.db"
    open_store(db).close()
    opened = registry_command.store_from

    def small_disk(args):
        # Room for the first batch and not the second: SQLite then answers SQLITE_FULL, as
        # it does when the disk itself is full.
        store = opened(args)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2800}")
        return store
    monkeypatch.setattr(registry_command, "store_from", small_disk)
    assert main(["--db", str(db), "import-factories", str(source)]) == 1
    out, err = capsys.readouterr()
    n = _check_whole_and_first(db, records)
    assert n == registry_import.BATCH_SIZE and out == ""
    assert err == (
        f"fieldapp: การนำเข้าหยุดกลางคัน บันทึกแล้ว {n:,} แถว ถึงบรรทัด {n + 1:,} จาก "
        f"{ROWS + 1:,} แถวหลังจากนั้นยังไม่ได้นำเข้า สั่งนำเข้าไฟล์เดิมอีกครั้งได้อย่างปลอดภัย "
        f"แถวที่บันทึกแล้วจะไม่ซ้ำ (import stopped: the disk is full (database or disk is "
        f"full); {n:,} rows are in the database: every good row up to line {n + 1:,} of "
        f"{ROWS + 1:,}, none after it (imported {n}, updated 0, unchanged 0, rejected 0); "
        f"run the same command again to finish: rows already in come back unchanged, none "
        f"is duplicated or renamed)\n")
    monkeypatch.setattr(registry_command, "store_from", opened)
    _finish_again(db, source, n, capsys)


def test_a_second_ctrl_c_just_after_a_commit_is_said_as_maybe(tmp_path, registry, capsys,
                                                              monkeypatch):
    """A second Ctrl-C stops at once, even just after a batch committed and before it was
    counted: the message must then not say that batch is not in."""
    source, records = registry
    db = tmp_path / "fieldapp.db"
    open_store(db).close()
    real = registry_import.upsert_factories
    batches = []

    def interrupted_after_the_second_commit(store, batch):
        outcome = real(store, batch)
        batches.append(len(batch))
        if len(batches) == 2:
            raise KeyboardInterrupt
        return outcome
    monkeypatch.setattr(registry_import, "upsert_factories", interrupted_after_the_second_commit)
    assert main(["--db", str(db), "import-factories", str(source)]) == 130
    n = _check_whole_and_first(db, records)
    size = registry_import.BATCH_SIZE
    assert n == 2 * size
    err = capsys.readouterr().err
    assert (f"{size:,} rows are in the database: every good row up to line {size + 1:,} of "
            f"{ROWS + 1:,}, perhaps also those up to line {n + 1:,} (the batch being written "
            f"when it stopped), none after that") in err
