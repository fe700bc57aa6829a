"""Backup while the app writes; restore gives a consistent database with every attachment."""

import json
import sqlite3
import threading
import zipfile

import pytest

from fieldapp.core.errors import FieldAppError, SchemaTooNewError
from fieldapp.store.backup import backup, read_manifest, restore
from fieldapp.store.blobs import read_blob
from fieldapp.store.db import SCHEMA_VERSION, open_store
from fieldapp.store.inspections import add_attachment, set_answer


def test_backup_during_writes_restores_consistently(store, draft, tmp_path):
    stop = threading.Event()
    written = []

    def writer():
        # A second connection, as the app's autosave would be, writing photos non-stop.
        with open_store(store.path) as other:
            i = 0
            while not stop.is_set():
                row = add_attachment(other, draft["id"], f"photo {i}".encode() * 50,
                                     caption=f"ภาพ {i}")
                set_answer(other, draft["id"], "ww.ph", value=f"7.{i % 10}")
                written.append(row["sha256"])
                i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        manifest = backup(store, tmp_path / "backup.fieldapp")
    finally:
        stop.set()
        thread.join()
    assert manifest["attachments"] >= 20

    target = tmp_path / "restored" / "fieldapp.db"
    restore(tmp_path / "backup.fieldapp", target)
    with open_store(target) as restored:
        assert restored.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = restored.query("SELECT sha256 FROM attachments")
        assert len(rows) == manifest["attachments"]
        for row in rows:
            read_blob(restored.blob_dir, row["sha256"])  # present and undamaged
        # Every photo row has its answer write from the same moment or later: no torn state.
        outbox_rows = restored.query("SELECT count(*) AS n FROM outbox")[0]["n"]
        assert outbox_rows >= len(rows)


def test_restore_keeps_the_replaced_database(store, draft, tmp_path):
    backup(store, tmp_path / "b.zip")
    set_answer(store, draft["id"], "ww.ph", value="8.0")
    store.close()
    restore(tmp_path / "b.zip", store.path)
    kept = list(store.path.parent.glob("fieldapp.db.before-restore-*"))
    assert len(kept) == 1
    with open_store(store.path) as s:
        assert s.query("SELECT count(*) AS n FROM answers")[0]["n"] == 0
    with open_store(kept[0]) as old:
        assert old.query("SELECT value FROM answers")[0]["value"] == "8.0"


def test_restore_refuses_a_backup_from_a_newer_version(store, tmp_path):
    path = tmp_path / "b.zip"
    backup(store, path)
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(newer, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "manifest.json":
                m = json.loads(data)
                m["schema_version"] = SCHEMA_VERSION + 1
                data = json.dumps(m).encode()
            dst.writestr(name, data)
    target = tmp_path / "t" / "fieldapp.db"
    with pytest.raises(SchemaTooNewError):
        restore(newer, target)
    assert not target.exists()


def test_damaged_backup_is_refused_before_anything_changes(store, draft, tmp_path):
    add_attachment(store, draft["id"], b"precious photo")
    path = tmp_path / "b.zip"
    backup(store, path)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("attachments/"):
                data = b"flipped" + data
            dst.writestr(name, data)
    target = tmp_path / "t" / "fieldapp.db"
    with pytest.raises(FieldAppError, match="damaged"):
        restore(damaged, target)
    assert not target.exists()
    with pytest.raises(FieldAppError, match="not a FieldApp backup"):
        read_manifest(tmp_path / "nothing.zip")
    (tmp_path / "junk.zip").write_bytes(b"junk")
    with pytest.raises(FieldAppError):
        read_manifest(tmp_path / "junk.zip")


def test_backup_command_round_trip(store, draft, tmp_path, capsys):
    from fieldapp.cli import main

    store.close()
    assert main(["--db", str(store.path), "backup", str(tmp_path / "b.zip")]) == 0
    assert "backed up 1 inspections" in capsys.readouterr().out
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "restore", str(tmp_path / "b.zip")]) == 0
    conn = sqlite3.connect(other)
    assert conn.execute("SELECT count(*) FROM inspections").fetchone()[0] == 1
