"""Backup and restore of the local data: the database and every attachment, in one file.

A backup is a zip file holding ``manifest.json``, ``fieldapp.db`` (taken with SQLite's online
backup API, so it is a consistent snapshot even while the app is writing) and the attachments
that snapshot refers to, under ``attachments/ab/cdef…``. Blobs are written and fsynced before
the row that names them commits, so every blob the snapshot refers to is already on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fieldapp import __version__
from fieldapp.core.errors import FieldAppError, SchemaTooNewError
from fieldapp.store.blobs import blob_path, put_blob, read_blob
from fieldapp.store.db import SCHEMA_VERSION, Store, checkpoint
from fieldapp.store.paths import blob_folder

FORMAT = "fieldapp-backup/1"
Progress = Callable[[int, int], None]


def backup(store: Store, target: str | Path, progress: Progress | None = None) -> dict:
    """Write a backup of ``store`` to ``target`` and return its manifest."""
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="fieldapp-backup-") as tmp:
        snapshot = Path(tmp) / "fieldapp.db"
        dest = sqlite3.connect(snapshot)
        try:
            store.conn.backup(dest)
        finally:
            dest.close()
        snap = sqlite3.connect(snapshot)
        try:
            hashes = sorted({r[0] for r in snap.execute("SELECT sha256 FROM attachments")})
            schema = snap.execute("PRAGMA user_version").fetchone()[0]
            inspections = snap.execute("SELECT count(*) FROM inspections").fetchone()[0]
            snap.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            snap.close()
        manifest = {
            "format": FORMAT, "app_version": __version__, "schema_version": schema,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "device_id": store.device_id, "attachments": len(hashes),
            "inspections": inspections, "database_sha256": _file_sha256(snapshot),
        }
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            zf.write(snapshot, "fieldapp.db")
            for done, digest in enumerate(hashes, 1):
                # Photos are already compressed: store them, do not deflate again.
                zf.writestr(zipfile.ZipInfo(f"attachments/{digest[:2]}/{digest[2:]}"),
                            read_blob(store.blob_dir, digest), zipfile.ZIP_STORED)
                if progress:
                    progress(done, len(hashes))
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    return manifest


def read_manifest(source: str | Path) -> dict:
    """The manifest of a backup file, or a FieldAppError saying why it is not one."""
    try:
        with zipfile.ZipFile(source) as zf:
            manifest = json.loads(zf.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError) as exc:
        raise FieldAppError(f"ไฟล์นี้ไม่ใช่ไฟล์สำรองข้อมูลของ FieldApp "
                            f"(not a FieldApp backup: {source}: {exc})") from None
    if manifest.get("format") != FORMAT:
        raise FieldAppError(f"unknown backup format {manifest.get('format')!r} in {source}")
    return manifest


def restore(source: str | Path, db_path: str | Path,
            progress: Progress | None = None) -> dict:
    """Replace the database at ``db_path`` (and add its attachments) from a backup file.

    Everything is checked before anything is replaced: the schema must not be newer than this
    app, the database must pass ``integrity_check`` and match its recorded hash, and every
    attachment must match its name. The database it replaces is kept beside it as
    ``<name>.before-restore-<time>``. The app must not have the database open.
    """
    db_path = Path(db_path)
    manifest = read_manifest(source)
    if manifest["schema_version"] > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"ไฟล์สำรองนี้มาจาก FieldApp รุ่นใหม่กว่า (backup schema "
            f"{manifest['schema_version']}, this app knows up to {SCHEMA_VERSION}, made by "
            f"FieldApp {manifest['app_version']}) — update FieldApp first; nothing was changed")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    blobs = blob_folder(db_path)
    with zipfile.ZipFile(source) as zf:
        fd, tmp_name = tempfile.mkstemp(dir=db_path.parent, prefix=".restore-")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with zf.open("fieldapp.db") as src, open(tmp, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            if _file_sha256(tmp) != manifest["database_sha256"]:
                raise FieldAppError("the database inside the backup is damaged (hash mismatch)")
            check = sqlite3.connect(tmp)
            try:
                if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise FieldAppError("the database inside the backup fails integrity_check")
            finally:
                check.close()
            names = [n for n in zf.namelist() if n.startswith("attachments/")]
            for done, name in enumerate(names, 1):
                digest = name.split("/", 1)[1].replace("/", "")
                data = zf.read(name)
                if hashlib.sha256(data).hexdigest() != digest:
                    raise FieldAppError(f"attachment {digest[:12]}… in the backup is damaged")
                if not blob_path(blobs, digest).exists():
                    put_blob(blobs, data)
                if progress:
                    progress(done, len(names))
            if db_path.exists():
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
                keep = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
                checkpoint(db_path)
                os.replace(db_path, keep)
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            os.replace(tmp, db_path)
        finally:
            tmp.unlink(missing_ok=True)
    return manifest



def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
