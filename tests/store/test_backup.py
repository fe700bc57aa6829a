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


def _rewritten(path, out, change):
    """A copy of the backup ``path`` with ``change(name, data)`` applied to each member
    (None leaves the member out)."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
    return out


def test_restore_is_refused_while_the_database_is_open(store, draft, tmp_path):
    """Moved from under an open window, the window's next writes would land in the kept
    copy, out of sight (found: a record finalized meanwhile was in neither file)."""
    backup(store, tmp_path / "b.zip")
    set_answer(store, draft["id"], "ww.ph", value="8.0")       # the window, still open
    with pytest.raises(FieldAppError, match="open"):
        restore(tmp_path / "b.zip", store.path)
    assert store.query("SELECT value FROM answers")[0]["value"] == "8.0"
    assert not list(store.path.parent.glob("fieldapp.db.before-restore-*"))


def test_restore_says_what_it_set_aside(store, draft, tmp_path, capsys):
    from fieldapp.cli import main

    backup(store, tmp_path / "b.zip")
    set_answer(store, draft["id"], "ww.ph", value="8.0")      # not yet sent to the office
    store.close()
    assert main(["--db", str(store.path), "restore", str(tmp_path / "b.zip")]) == 0
    out = capsys.readouterr()
    kept = list(store.path.parent.glob("fieldapp.db.before-restore-*"))
    assert len(kept) == 1 and str(kept[0]) in out.out
    assert "had not reached the office" in out.err and str(kept[0]) in out.err


@pytest.mark.parametrize("damage", ["crc", "no database", "manifest list",
                                    "manifest without hash", "photo left out"])
def test_a_damaged_backup_is_a_clear_refusal(store, draft, tmp_path, damage):
    add_attachment(store, draft["id"], b"\xff\xd8 precious photo" * 100)
    path = tmp_path / "b.zip"
    backup(store, path)
    out = tmp_path / "bad.zip"
    if damage == "crc":
        raw = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("fieldapp.db")
        raw[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF   # inside its data
        out.write_bytes(bytes(raw))
    elif damage == "no database":
        _rewritten(path, out, lambda n, d: None if n == "fieldapp.db" else d)
    elif damage == "manifest list":
        _rewritten(path, out, lambda n, d: b"[1, 2]" if n == "manifest.json" else d)
    elif damage == "manifest without hash":
        def drop(n, d):
            if n != "manifest.json":
                return d
            m = json.loads(d)
            del m["database_sha256"]
            return json.dumps(m).encode()
        _rewritten(path, out, drop)
    else:
        _rewritten(path, out, lambda n, d: None if n.startswith("attachments/") else d)
    target = tmp_path / "t" / "fieldapp.db"
    with pytest.raises(FieldAppError):
        restore(out, target)
    assert not target.exists()


@pytest.mark.parametrize("where", ["folder", "no folder"])
def test_a_backup_that_cannot_be_written_says_so_and_leaves_nothing(store, tmp_path, where):
    target = tmp_path if where == "folder" else tmp_path / "missing" / "b.zip"
    with pytest.raises(FieldAppError, match="cannot write a backup"):
        backup(store, target)
    assert not list(tmp_path.rglob("*.partial"))


def test_a_backup_of_a_database_that_is_not_there_is_refused(tmp_path, capsys):
    from fieldapp.cli import main
    assert main(["--db", str(tmp_path / "typo" / "fieldapp.db"), "backup",
                 str(tmp_path / "b.zip")]) == 1
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists() and not (tmp_path / "b.zip").exists()


def test_restoring_another_laptops_backup_says_so(store, draft, tmp_path, capsys):
    from fieldapp.cli import main
    backup(store, tmp_path / "b.zip")
    store.close()
    other = open_store(tmp_path / "other" / "fieldapp.db")   # a laptop of its own
    other.close()
    assert main(["--db", str(other.path), "restore", str(tmp_path / "b.zip")]) == 0
    assert "made on another laptop" in capsys.readouterr().err
    assert main(["--db", str(store.path), "restore", str(tmp_path / "b.zip")]) == 0
    assert "another laptop" not in capsys.readouterr().err


def test_the_restored_database_keeps_the_mode_of_the_one_it_replaces(store, tmp_path):
    import os
    import stat
    backup(store, tmp_path / "b.zip")
    store.close()
    os.chmod(store.path, 0o644)
    restore(tmp_path / "b.zip", store.path)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o644


def test_restoring_the_same_unsent_changes_sets_nothing_aside(store, draft, tmp_path, capsys):
    """A backup taken just now, restored: its unsent changes are in the restored data and
    will be sent from it; the warning said they were "only in" the copy kept aside."""
    from fieldapp.cli import main

    set_answer(store, draft["id"], "ww.ph", value="8.0")      # not yet sent to the office
    backup(store, tmp_path / "b.zip")
    store.close()
    assert main(["--db", str(store.path), "restore", str(tmp_path / "b.zip")]) == 0
    assert "had not reached the office" not in capsys.readouterr().err
    with open_store(store.path) as again:
        assert again.query("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")[0][
            "n"] > 0
