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
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fieldapp import __version__
from fieldapp.core.errors import FieldAppError, SchemaTooNewError
from fieldapp.store.blobs import blob_path, put_blob, read_blob
from fieldapp.store.db import SCHEMA_VERSION, Store
from fieldapp.store.paths import blob_folder

FORMAT = "fieldapp-backup/1"
Progress = Callable[[int, int], None]


def backup(store: Store, target: str | Path, progress: Progress | None = None) -> dict:
    """Write a backup of ``store`` to ``target`` and return its manifest. Nothing is left
    behind when it cannot be written (a folder of that name, no such folder, a full disk,
    a photo missing here)."""
    target = Path(target)
    if target.is_dir() or not target.parent.is_dir():
        raise FieldAppError(f"เขียนไฟล์สำรองที่นี่ไม่ได้ (cannot write a backup to {target}: "
                            f"{'it is a folder' if target.is_dir() else 'no such folder'})")
    partial = target.with_name(target.name + ".partial")
    try:
        return _backup(store, target, partial, progress)
    except OSError as exc:
        raise FieldAppError(f"เขียนไฟล์สำรองไม่สำเร็จ (the backup could not be written to "
                            f"{target}: {exc}) — nothing was kept") from None
    finally:
        partial.unlink(missing_ok=True)


def _backup(store: Store, target: Path, partial: Path, progress: Progress | None) -> dict:
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
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else manifest
        raise FieldAppError(f"unknown backup format {found!r} in {source}")
    for key, kind in (("schema_version", int), ("database_sha256", str),
                      ("created_at", str), ("inspections", int), ("attachments", int)):
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise FieldAppError(f"ไฟล์สำรองข้อมูลเสียหาย (the backup's manifest lacks a valid "
                                f"{key}: {source}) — nothing was changed")
    return manifest


def restore(source: str | Path, db_path: str | Path,
            progress: Progress | None = None) -> dict:
    """Replace the database at ``db_path`` (and add its attachments) from a backup file.

    Everything is checked before anything is replaced: the schema must not be newer than this
    app, the database must pass ``integrity_check`` and match its recorded hash, every
    attachment must match its name, and every attachment the database names must be in the
    backup or already here. The database it replaces is kept beside it as
    ``<name>.before-restore-<time>`` (with its WAL, should one be left). Refused while any
    program has the database open: moved from under the window, its next writes would land
    in the kept copy and be lost from sight. Returns the manifest, with ``kept_as`` (the
    kept copy, or None) and ``set_aside`` (changes of the replaced database that the office
    had not received: they are in the kept copy, not in the restored data).
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
    fd, tmp_name = tempfile.mkstemp(dir=db_path.parent, prefix=".restore-")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            with zipfile.ZipFile(source) as zf:
                _unpack(zf, manifest, tmp, blobs, progress)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as exc:
            raise FieldAppError(f"ไฟล์สำรองข้อมูลเสียหาย (the backup is damaged: {exc}) — "
                                f"nothing was changed") from None
        manifest["kept_as"] = manifest["set_aside"] = None
        manifest["other_device"] = False
        # The restored file keeps the mode of the one it replaces (the temporary file it
        # was written to is private to its owner).
        os.chmod(tmp, db_path.stat().st_mode & 0o777 if db_path.exists() else _default_mode())
        if db_path.exists():
            manifest["set_aside"], device = _alone_and_unsent(db_path, _changes_in(tmp))
            manifest["other_device"] = device is not None and device != manifest.get(
                "device_id")
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            keep = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            os.replace(db_path, keep)
            manifest["kept_as"] = str(keep)
            for suffix in ("-wal", "-shm"):
                left = Path(str(db_path) + suffix)
                if left.exists():   # never dropped: committed changes may be in it
                    os.replace(left, Path(str(keep) + suffix))
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def _unpack(zf: zipfile.ZipFile, manifest: dict, tmp: Path, blobs: Path,
            progress: Progress | None) -> None:
    """Check the backup's database into ``tmp`` and its attachments into ``blobs``."""
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
        named = {r[0] for r in check.execute("SELECT sha256 FROM attachments")}
    finally:
        check.close()
    names = [n for n in zf.namelist() if n.startswith("attachments/")]
    inside = {name.split("/", 1)[1].replace("/", "") for name in names}
    lacking = sorted(sha for sha in named - inside if not blob_path(blobs, sha).exists())
    if lacking:
        # A photo or signature missing would only show when the record is printed.
        raise FieldAppError(f"ไฟล์สำรองข้อมูลไม่ครบ (the backup lacks {len(lacking)} "
                            f"attachment(s), e.g. {lacking[0][:12]}…) — nothing was changed")
    for done, name in enumerate(names, 1):
        digest = name.split("/", 1)[1].replace("/", "")
        data = zf.read(name)
        if hashlib.sha256(data).hexdigest() != digest:
            raise FieldAppError(f"attachment {digest[:12]}… in the backup is damaged")
        if not blob_path(blobs, digest).exists():
            put_blob(blobs, data)
        if progress:
            progress(done, len(names))


def _default_mode() -> int:
    """The mode a new file gets here (0o666 less the process's umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _changes_in(db_path: Path) -> set[str]:
    """The ids of the changes a database's outbox holds (sent or not)."""
    conn = sqlite3.connect(db_path)
    try:
        return {r[0] for r in conn.execute("SELECT op_id FROM outbox")}
    except sqlite3.DatabaseError:
        return set()
    finally:
        conn.close()


def _alone_and_unsent(db_path: Path, restored: set[str]) -> tuple[int | None, str | None]:
    """Fold the database's WAL into it, refusing if any program has it open; the number of
    its changes the office has not received and that the ``restored`` data lacks (those are
    only in the copy kept aside: a backup of the very same data, restored, set nothing
    aside), and its device id (None if they cannot be read: a damaged database is replaced
    all the same, that is what restoring is for)."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=0.5)
    try:
        try:
            # Exclusive: refused while another connection has the database open (WAL).
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                return None, None
            raise FieldAppError("ฐานข้อมูลนี้เปิดใช้อยู่ (the database is open in FieldApp or "
                                "another program): close it, then restore — nothing was "
                                "changed") from None
        except sqlite3.DatabaseError:
            return None, None
        try:
            unsent = sum(1 for (op_id,) in conn.execute(
                "SELECT op_id FROM outbox WHERE status = 'pending'") if op_id not in restored)
            device = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        except sqlite3.DatabaseError:
            unsent = device = None
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return unsent, device[0] if device else None
    finally:
        conn.close()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
