"""Where the laptop keeps its device token: the OS keyring where one works, else a file only
this user can read (0600).

The token is the only secret on the laptop; it is never written into the database (which is
copied for backups) nor printed.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SERVICE = "fieldapp-sync"


def _keyring():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring setup means "no keyring"
        return None
    if isinstance(backend, fail.Keyring) or "chainer" in type(backend).__name__.lower() and \
            not getattr(backend, "backends", None):
        return None
    return keyring


class TokenStore:
    """Save, load and forget the token for (server, user).

    ``file`` is the fallback file (beside the database); ``use_keyring=False`` forces the
    file (tests, or a keyring that prompts on a headless machine).
    """

    def __init__(self, file: str | os.PathLike, use_keyring: bool = True):
        self.file = Path(file)
        self.keyring = _keyring() if use_keyring else None

    @staticmethod
    def _name(server: str, user: str) -> str:
        return f"{server.rstrip('/')}|{user}"

    def save(self, server: str, user: str, token: str) -> str:
        """Store the token; returns where ("keyring" or the file path)."""
        if self.keyring is not None:
            try:
                self.keyring.set_password(SERVICE, self._name(server, user), token)
                return "keyring"
            except Exception as exc:  # noqa: BLE001 - fall back to the file, say why
                log.warning("keyring refused the token (%s); using %s", exc, self.file)
        data = self._read_file()
        data[self._name(server, user)] = token
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        # Created 0600 from the start, so the token is never readable by others, not even
        # for a moment.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, self.file)
        os.chmod(self.file, 0o600)
        return str(self.file)

    def load(self, server: str, user: str) -> str | None:
        if self.keyring is not None:
            try:
                token = self.keyring.get_password(SERVICE, self._name(server, user))
                if token:
                    return token
            except Exception as exc:  # noqa: BLE001
                log.warning("keyring unreadable (%s); trying %s", exc, self.file)
        return self._read_file().get(self._name(server, user))

    def forget(self, server: str, user: str) -> None:
        if self.keyring is not None:
            try:
                self.keyring.delete_password(SERVICE, self._name(server, user))
            except Exception:  # noqa: BLE001 - nothing stored there
                pass
        data = self._read_file()
        if data.pop(self._name(server, user), None) is not None:
            self.file.write_text(json.dumps(data), encoding="utf-8")

    def _read_file(self) -> dict:
        try:
            return json.loads(self.file.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
