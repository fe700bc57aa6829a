"""Users, passwords, device tokens, login rate limiting and the province scope of a user.

Passwords are hashed with argon2id. A device token is 32 random bytes; only its SHA-256 is
stored (a token has full entropy, so a slow hash adds nothing), so a stolen database does not
hand out working tokens. This module never decides what a user may see: ``Principal`` carries
the facts and ``fieldapp.server.scope`` applies them.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fieldapp.core.errors import FieldAppError, NotFoundError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.server.storage import Conn, Database
from fieldapp.server.timeutil import now_iso

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the user does not exist, so a login for an unknown name costs the
# same time as one with a wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("not a password")

ROLES = ("admin", "inspector")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, their role, provinces and the device they called from."""

    user_id: str
    username: str
    role: str
    provinces: frozenset[str] = field(default_factory=frozenset)
    device_id: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class AuthError(FieldAppError):
    """Login or token refused; the message is safe to show the caller."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- users ---------------------------------------------------------------------------------

def add_user(db: Database, username: str, password: str, role: str = "inspector") -> str:
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}")
    if not username.strip() or len(password) < 8:
        raise ValidationError("a user needs a name and a password of at least 8 characters")
    user_id = uuid7()
    with db.write() as c:
        if c.one("SELECT id FROM users WHERE username = ?", (username,)):
            raise ValidationError(f"user {username!r} already exists")
        c.run("INSERT INTO users (id, username, password_hash, role, disabled, created_at) "
              "VALUES (?, ?, ?, ?, 0, ?)",
              (user_id, username, _hasher.hash(password), role, now_iso()))
    return user_id


def _user(c: Conn, username: str) -> dict:
    row = c.one("SELECT * FROM users WHERE username = ?", (username,))
    if row is None:
        raise NotFoundError(f"no user {username!r}")
    return row


def set_password(db: Database, username: str, password: str) -> None:
    if len(password) < 8:
        raise ValidationError("a password needs at least 8 characters")
    with db.write() as c:
        user = _user(c, username)
        c.run("UPDATE users SET password_hash = ? WHERE id = ?",
              (_hasher.hash(password), user["id"]))


def set_disabled(db: Database, username: str, disabled: bool = True) -> None:
    """A disabled user can no longer log in, and all their device tokens stop working."""
    with db.write() as c:
        user = _user(c, username)
        c.run("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user["id"]))


def grant_province(db: Database, username: str, province_code: str,
                   revoke: bool = False) -> None:
    code = province_code.strip()
    if not code:
        raise ValidationError("a province code is needed (e.g. 10 for Bangkok)")
    with db.write() as c:
        user = _user(c, username)
        c.run("DELETE FROM user_provinces WHERE user_id = ? AND province_code = ?",
              (user["id"], code))
        if not revoke:
            c.run("INSERT INTO user_provinces (user_id, province_code) VALUES (?, ?)",
                  (user["id"], code))


def list_users(db: Database) -> list[dict]:
    with db.read() as c:
        users = c.all("SELECT id, username, role, disabled, created_at FROM users "
                      "ORDER BY username")
        for u in users:
            u["provinces"] = [r["province_code"] for r in c.all(
                "SELECT province_code FROM user_provinces WHERE user_id = ? "
                "ORDER BY province_code", (u["id"],))]
    return users


# -- login and tokens ----------------------------------------------------------------------

def login(db: Database, username: str, password: str, device_id: str,
          device_name: str | None = None) -> tuple[str, Principal]:
    """Check the password and issue a new device token (returned once, stored hashed)."""
    with db.read() as c:
        user = c.one("SELECT * FROM users WHERE username = ?", (username,))
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise AuthError("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (wrong user name or password)")
    if user["disabled"]:
        raise AuthError("บัญชีนี้ถูกระงับ (this account is disabled) — ask the office admin")
    token = secrets.token_urlsafe(32)
    with db.write() as c:
        c.run("INSERT INTO devices (id, user_id, device_id, name, token_hash, created_at, "
              "last_seen, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
              (uuid7(), user["id"], device_id, device_name, hash_token(token), now_iso(),
               now_iso()))
    return token, principal_for(db, token)


def principal_for(db: Database, token: str) -> Principal:
    """The caller behind a bearer token; AuthError when unknown, revoked or disabled."""
    with db.read() as c:
        row = c.one("SELECT d.id AS login_id, d.device_id, d.revoked, d.last_seen, "
                    "u.id AS user_id, u.username, u.role, u.disabled FROM devices d "
                    "JOIN users u ON u.id = d.user_id WHERE d.token_hash = ?",
                    (hash_token(token),))
        if row is None or row["revoked"] or row["disabled"]:
            raise AuthError("การเข้าสู่ระบบหมดอายุหรือถูกเพิกถอน (token unknown or revoked) — "
                            "log in again")
        provinces = frozenset(r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (row["user_id"],)))
    _touch(db, row["login_id"], row["last_seen"])
    return Principal(row["user_id"], row["username"], row["role"], provinces,
                     row["device_id"])


LAST_SEEN_EVERY = 60.0  # seconds: a device's last_seen is refreshed at most this often


def _touch(db: Database, login_id: str, last_seen: str | None) -> None:
    """Record that a device was seen (``devices list``), at most once a minute per login, so
    that a sync's dozens of requests do not each queue for a write transaction."""
    now = now_iso()
    if last_seen:
        try:
            age = (_parse_iso(now) - _parse_iso(last_seen)).total_seconds()
        except ValueError:
            age = LAST_SEEN_EVERY  # unreadable: overwrite it
        if 0 <= age < LAST_SEEN_EVERY:
            return
    # No change sequence is involved: the cheaper transaction kind (no sequence lock on
    # PostgreSQL) is enough. Bookkeeping must never fail the request it rides on.
    try:
        with db.blob_write() as c:
            c.run("UPDATE devices SET last_seen = ? WHERE id = ?", (now, login_id))
    except Exception:  # noqa: BLE001
        log.warning("could not record last_seen of login %s", login_id, exc_info=True)


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def list_devices(db: Database) -> list[dict]:
    with db.read() as c:
        return c.all("SELECT d.id, u.username, d.device_id, d.name, d.created_at, "
                     "d.last_seen, d.revoked FROM devices d JOIN users u ON u.id = d.user_id "
                     "ORDER BY u.username, d.created_at")


def revoke_device(db: Database, device_row_id: str) -> None:
    """Revoke one login (a ``devices list`` id, or a device id: all its logins)."""
    with db.write() as c:
        changed = c.run("UPDATE devices SET revoked = 1 WHERE id = ? OR device_id = ?",
                        (device_row_id, device_row_id))
    if not changed:
        raise NotFoundError(f"no device {device_row_id!r} (see `fieldapp-server devices list`)")


# -- rate limiting -------------------------------------------------------------------------

class LoginLimiter:
    """At most ``attempts`` failed logins per ``window`` seconds per user name and per address.

    In memory, per server process: enough for one office server. Behind several app servers
    put the same limit in the reverse proxy (docs/server.md).
    """

    def __init__(self, attempts: int = 5, window: float = 60.0):
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> float:
        """Seconds to wait before another try is allowed (0 when allowed now)."""
        now = time.monotonic()
        with self._lock:
            wait = 0.0
            for key in keys:
                q = self._recent(key, now)
                if len(q) >= self.attempts:
                    wait = max(wait, self.window - (now - q[0]))
            return wait

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
