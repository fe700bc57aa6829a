"""A registry import that fails part-way in the window (the disk fills, the database refuses
a batch): the window says what the failed import left, as it does for a cancelled one (rows
in, up to which line of how many, none after it, import the same file again), and why it
failed. Before, it said only "Import failed" and the error."""

from __future__ import annotations

import functools
import sqlite3

import pytest

pytest.importorskip("pytestqt")

from import_in_window import import_in_window  # noqa: E402

from fieldapp.gui import workers  # noqa: E402
from fieldapp.gui.main.import_dialog import import_job, stopped_text  # noqa: E402
from fieldapp.store import registry_import  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.search import count_factories  # noqa: E402

BATCH = 10   # the sample's 49 rows in five batches (the real batch is 5,000 rows)


@pytest.fixture
def full_on_the_third_batch(monkeypatch):
    """The import in batches of BATCH; the third batch writes half its rows, then SQLite
    answers that the disk is full, as it does when it is, inside the batch's transaction."""
    real_upsert = registry_import.upsert_factories
    written = []

    def upsert(store, batch):
        written.append(len(batch))
        if len(written) == 3:
            with store.transaction():
                real_upsert(store, batch[: len(batch) // 2])
                raise sqlite3.OperationalError("database or disk is full")
        return real_upsert(store, batch)

    monkeypatch.setattr(registry_import, "upsert_factories", upsert)
    monkeypatch.setattr(registry_import, "import_factories",
                        functools.partial(registry_import.import_factories, batch_size=BATCH))
    return monkeypatch


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_full_disk_mid_import_says_what_is_in_and_why(tmp_path, qtbot, monkeypatch,
                                                        shared_data, full_on_the_third_batch,
                                                        language):
    db = tmp_path / "fieldapp.db"
    kind, title, text = import_in_window(qtbot, monkeypatch,
                                         shared_data / "diw_factory_data_sample.csv", db,
                                         language)
    with open_store(db) as store:
        assert count_factories(store, "") == 2 * BATCH    # what the message says is in
    # 20 rows, up to line 21 (the header is line 1) of the file's 50, none after it; the
    # half of the third batch written before the disk filled is not in.
    assert kind == "warning"
    if language == "th":
        assert title == "นำเข้าไม่สำเร็จ"
        assert text.startswith("นำเข้าไม่สำเร็จ เพราะดิสก์เต็ม"), text
        assert "20 แถว" in text and "บรรทัดที่ 21 จากทั้งหมด 50 บรรทัด" in text
        assert "ไฟล์เดิม" in text and "นำเข้าใหม่ 20" in text
        assert "disk" not in text and "import" not in text.lower()   # no English half
    else:
        assert title == "Import failed"
        assert text.startswith("The import failed: the disk is full"), text
        assert "20 rows are in the database: every good row up to line 21 of 50" in text
        assert "none after it" in text and "Import the same file again to finish" in text
        assert "Imported 20, updated 0, unchanged 0, rejected 0" in text


def test_importing_the_same_file_again_finishes_it_without_a_duplicate(
        tmp_path, shared_data, full_on_the_third_batch):
    """What the message promises: the same file again adds the rest, and each row once."""
    sample = str(shared_data / "diw_factory_data_sample.csv")
    db = tmp_path / "fieldapp.db"
    ctx = workers.TaskContext(workers.TaskSignals())
    failed = import_job(ctx, db, sample)
    assert failed["failed"][0] == "disk_full" and failed["committed"] == 2 * BATCH
    full_on_the_third_batch.undo()
    again = import_job(ctx, db, sample)
    assert not again["failed"] and not again["cancelled"]
    assert (again["imported"], again["unchanged"], again["updated"]) == (29, 20, 0)
    with open_store(db) as store:
        assert count_factories(store, "") == 49
        assert store.query("SELECT count(*) AS n, count(DISTINCT fid) AS d "
                           "FROM factories")[0] == {"n": 49, "d": 49}


@pytest.mark.parametrize("failed, reason", [
    (("database", "database is locked"),
     "The import failed: the database refused the rows (database is locked)."),
    (("file", "Input/output error: /media/usb/Factory_Data.csv"),
     "The import failed: the file could not be read (Input/output error: "
     "/media/usb/Factory_Data.csv)."),
    (("said", "อ่านไฟล์ไม่ได้ (the file changed while it was read)"),
     "The import failed: the file changed while it was read."),
])
def test_each_cause_is_said_with_the_facts(failed, reason):
    counts = {"imported": 5000, "updated": 0, "unchanged": 0, "rejected": 0,
              "rejected_lines": [], "cancelled": False, "failed": failed,
              "committed": 5000, "committed_line": 5001, "lines": 12001}
    text = stopped_text(counts)
    assert text.startswith(f"{reason} 5,000 rows are in the database: every good row up to "
                           f"line 5,001 of 12,001, none after it."), text


def test_failed_before_the_first_batch_says_nothing_is_in():
    counts = {"imported": 0, "updated": 0, "unchanged": 0, "rejected": 0,
              "rejected_lines": [], "cancelled": False,
              "failed": ("disk_full", "database or disk is full"),
              "committed": 0, "committed_line": 0, "lines": 50}
    text = stopped_text(counts)
    assert text.startswith("The import failed before any row was saved: the disk is full; "
                           "make room on it first. Import the same file again to load it.")
    assert "line" not in text
