"""Content-addressed storage for attachment bytes (photos, signatures, scans).

A blob lives at ``<blob folder>/ab/cdef…`` named by the SHA-256 of its bytes, so identical
bytes are stored once and a file's name proves its content. Writes go to a temporary file in
the same folder, are fsynced, then renamed into place: a crash leaves either nothing or the
whole file, never a torn one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fieldapp.core.errors import FieldAppError, NotFoundError

# hashlib (OpenSSL, ~2.5 ms to import) is imported by the two functions that hash: the app's
# window imports this module for has_blob on its way to the first paint (issue 16).


def blob_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256[2:]


def put_blob(folder: Path, data: bytes) -> str:
    """Store ``data`` and return its SHA-256 (hex). Storing the same bytes again is free."""
    import hashlib
    digest = hashlib.sha256(data).hexdigest()
    target = blob_path(folder, digest)
    if target.exists() and target.stat().st_size == len(data):
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return digest


def read_blob(folder: Path, sha256: str, *, verify: bool = True) -> bytes:
    """The bytes stored under ``sha256``; with ``verify`` a damaged file is an error."""
    import hashlib
    path = blob_path(folder, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"attachment {sha256[:12]}… is missing from {folder}") from None
    if verify and hashlib.sha256(data).hexdigest() != sha256:
        raise FieldAppError(f"attachment {sha256[:12]}… is damaged on disk ({path})")
    return data


def has_blob(folder: Path, sha256: str) -> bool:
    return blob_path(folder, sha256).exists()


def _fsync_dir(path: Path) -> None:
    # The rename is only durable once the directory entry is on disk (POSIX); Windows has no
    # directory handles to sync and makes renames durable itself.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
