"""Users, passwords, device tokens and the province scope of a user (the login limits are in
``fieldapp.server.limits``).

Passwords are hashed with argon2id. A device token is 32 random bytes; only its SHA-256 is
stored (a token has full entropy, so a slow hash adds nothing), so a stolen database does not
hand out working tokens. This module never decides what a user may see: ``Principal`` carries
the facts and ``fieldapp.server.scope`` applies them.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fieldapp.core.errors import FieldAppError, NotFoundError, ValidationError
from fieldapp.core.hlc import stamp_device
from fieldapp.core.ids import uuid7
from fieldapp.core.provinces import province_by_code
from fieldapp.core.thaidate import arabic_digits
from fieldapp.server.limits import LoginLimiter  # noqa: F401 - still importable from here
from fieldapp.server.storage import Conn, Database
from fieldapp.server.timeutil import now_iso

log = logging.getLogger(__name__)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the user does not exist, so a login for an unknown name costs the
# same time as one with a wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("not a password")

ROLES = ("admin", "supervisor", "inspector")
TOKEN_LIFETIME_DAYS = 30  # a device token unused this long stops working (serve --token-days)

# One answer for a wrong password, an unknown name and a disabled account: telling them apart
# would confirm a guessed password (or name) to whoever guessed it.
LOGIN_REFUSED = ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกระงับ (wrong user name or password, "
                 "or the account is disabled) — ask the office admin if it keeps happening")
# One answer for a token that is unknown, revoked, expired or of a disabled account.
LOG_IN_AGAIN = ("การเข้าสู่ระบบของเครื่องนี้หมดอายุหรือถูกยกเลิก กรุณาเข้าสู่ระบบใหม่ (this "
                "laptop's login expired or was revoked — log in again)")


# Device ids a laptop may not log in as: the office's own writes carry "office" (server/office.py,
# the registry import), and "server" is kept for it as well.
RESERVED_DEVICES = frozenset({"office", "server"})
DEVICE_RESERVED = ("รหัสเครื่องนี้สงวนไว้สำหรับเซิร์ฟเวอร์ (this device id is reserved for the "
                   "office server) — log in from FieldApp, which makes its own device id")
DEVICE_TAKEN = ("เครื่องนี้ลงทะเบียนไว้กับผู้ใช้อื่นแล้ว (this device id is already registered to "
                "another user) — a laptop handed over: the office admin revokes the previous "
                "user's login on it (`fieldapp-server devices revoke ID`), then log in again")


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

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


class AuthError(FieldAppError):
    """Login or token refused; the message is safe to show the caller."""


class DeviceRefused(FieldAppError):
    """A login with the right password from a device id it may not use; safe to show."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- users ---------------------------------------------------------------------------------

def add_user(db: Database, username: str, password: str, role: str = "inspector") -> str:
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}")
    if not username.strip() or len(password) < 8:
        raise ValidationError("ต้องมีชื่อผู้ใช้ และรหัสผ่านอย่างน้อย 8 ตัวอักษร (a user needs a "
                              "name and a password of at least 8 characters)")
    if username != username.strip() or any(
            unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in username):
        # "สมชาย " and "สม\u200bชาย" look like "สมชาย" in every list, and are not it.
        raise ValidationError(f"ชื่อผู้ใช้มีช่องว่างท้ายชื่อหรืออักขระที่มองไม่เห็น (the user "
                              f"name {username!r} has spaces at its ends or invisible "
                              f"characters)")
    username = unicodedata.normalize("NFC", username)
    user_id = uuid7()
    with db.write() as c:
        same = c.one("SELECT username FROM users WHERE lower(username) = lower(?)", (username,))
        if same:
            raise ValidationError(f"มีผู้ใช้ชื่อนี้แล้ว (user {same['username']!r} already "
                                  f"exists" + ("" if same["username"] == username else
                                               f", differing from {username!r} only in "
                                               f"capitals") + ")")
        c.run("INSERT INTO users (id, username, password_hash, role, disabled, created_at) "
              "VALUES (?, ?, ?, ?, 0, ?)",
              (user_id, username, _hasher.hash(password), role, now_iso()))
    return user_id


def _user(c: Conn, username: str) -> dict:
    row = c.one("SELECT * FROM users WHERE username = ?", (username,))
    if row is None:
        raise NotFoundError(f"ไม่มีผู้ใช้ชื่อนี้ (no user {username!r})")
    return row


def set_password(db: Database, username: str, password: str) -> int:
    """Change a password and revoke every device token of the user (a password is changed
    because it may be known to someone else, who may have logged in with it). Returns how
    many logins were revoked: each laptop logs in again with the new password."""
    if len(password) < 8:
        raise ValidationError("รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร (a password needs at least "
                              "8 characters); nothing was changed")
    with db.write() as c:
        user = _user(c, username)
        c.run("UPDATE users SET password_hash = ? WHERE id = ?",
              (_hasher.hash(password), user["id"]))
        return c.run("UPDATE devices SET revoked = 1 WHERE user_id = ? AND revoked = 0",
                     (user["id"],))


class LastAdminError(ValidationError):
    """The change would leave the office without an enabled administrator: nobody could
    then add users, reset passwords or publish templates, in the console or anywhere."""


LAST_ADMIN = ("ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน (the office needs at least one "
              "enabled administrator) — add or enable another administrator first")


def _keep_an_admin(c: Conn, user: dict, role: str, disabled: bool) -> None:
    """LastAdminError when ``user`` is the last enabled administrator and would stop being
    one (demoted or disabled). Checked inside the write transaction that changes it, so
    two administrators demoting each other at once cannot both succeed."""
    if user["role"] != "admin" or user["disabled"] or (role == "admin" and not disabled):
        return
    others = c.value("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 "
                     "AND id <> ?", (user["id"],))
    if not int(others or 0):
        raise LastAdminError(LAST_ADMIN)


def set_disabled(db: Database, username: str, disabled: bool = True) -> None:
    """A disabled user can no longer log in, and all their device tokens stop working.
    The last enabled administrator cannot be disabled (LastAdminError)."""
    with db.write() as c:
        user = _user(c, username)
        if disabled:
            _keep_an_admin(c, user, user["role"], True)
        c.run("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user["id"]))


def set_role(db: Database, username: str, role: str) -> str:
    """Change a user's role; returns the role they had. The last enabled administrator
    cannot be demoted (LastAdminError). A role takes effect on the user's next request:
    sessions and device tokens read it each time."""
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}")
    with db.write() as c:
        user = _user(c, username)
        _keep_an_admin(c, user, role, bool(user["disabled"]))
        c.run("UPDATE users SET role = ? WHERE id = ?", (role, user["id"]))
    return user["role"]


def set_provinces(db: Database, username: str, codes: Iterable[str]) -> tuple[list, list]:
    """Make ``codes`` the user's province grants, in one transaction; returns the codes
    (added, removed). The caller checks that the codes name provinces."""
    wanted = {code.strip() for code in codes if code and code.strip()}
    with db.write() as c:
        user = _user(c, username)
        held = {r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (user["id"],))}
        added, removed = sorted(wanted - held), sorted(held - wanted)
        for code in removed:
            c.run("DELETE FROM user_provinces WHERE user_id = ? AND province_code = ?",
                  (user["id"], code))
        for code in added:
            c.run("INSERT INTO user_provinces (user_id, province_code) VALUES (?, ?)",
                  (user["id"], code))
    return added, removed


def user_by_id(db: Database, user_id: str) -> dict | None:
    """One user (no password hash) with their provinces and how many device logins are
    live, or None."""
    with db.read() as c:
        user = c.one("SELECT id, username, role, disabled, created_at FROM users "
                     "WHERE id = ?", (user_id,))
        if user is None:
            return None
        user["provinces"] = [r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ? "
            "ORDER BY province_code", (user_id,))]
        user["devices"] = int(c.value("SELECT count(*) FROM devices WHERE user_id = ? "
                                      "AND revoked = 0", (user_id,)) or 0)
    return user


def grant_province(db: Database, username: str, province_code: str,
                   revoke: bool = False) -> None:
    code = arabic_digits(province_code.strip())   # ๑๐ typed on a Thai keyboard is 10
    if not code:
        raise ValidationError("ต้องระบุรหัสจังหวัด (a province code is needed, e.g. 10 for "
                              "Bangkok)")
    if not revoke and province_by_code(code) is None:
        # A code no province has grants nothing, yet looked granted (a typo of 10, say).
        raise ValidationError(f"ไม่รู้จักจังหวัดรหัส {code} (no province has the code "
                              f"{code!r}; e.g. 10 is Bangkok, 50 Chiang Mai)")
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

def check_password(db: Database, username: str, password: str) -> dict:
    """The user row when ``password`` is theirs and the account is enabled, else AuthError
    (one answer for every reason, in the same time)."""
    with db.read() as c:
        user = c.one("SELECT * FROM users WHERE username = ?", (username,))
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or user["disabled"]:
        raise AuthError(LOGIN_REFUSED)
    return user


def login(db: Database, username: str, password: str, device_id: str,
          device_name: str | None = None,
          lifetime: timedelta = timedelta(days=TOKEN_LIFETIME_DAYS),
          app_version: str | None = None) -> tuple[str, Principal]:
    """Check the password and issue a new device token (returned once, stored hashed) that
    lives ``lifetime`` from its last use. ``app_version``: the FieldApp version the laptop
    reported (shown in the office console)."""
    user = check_password(db, username, password)
    token, now = secrets.token_urlsafe(32), now_iso()
    with db.write() as c:
        _check_device(c, device_id, user["id"])
        c.run("INSERT INTO devices (id, user_id, device_id, name, token_hash, created_at, "
              "last_seen, revoked, expires_at, app_version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
              (uuid7(), user["id"], device_id, device_name, hash_token(token), now, now,
               _iso(_parse_iso(now) + lifetime), app_version_text(app_version)))
    return token, principal_for(db, token, lifetime)


def _check_device(c: Conn, device_id: str, user_id: str) -> None:
    """DeviceRefused if ``device_id`` would let this login's changes pass as another's: the
    office's own device, or a device already registered to another user. Checked after
    the password, so it tells nothing to whoever does not know it."""
    device = stamp_device(device_id)   # as its clocks will name it (server/clocks.py)
    if not device or device.lower() in RESERVED_DEVICES:
        raise DeviceRefused(DEVICE_RESERVED)
    # A laptop handed to another inspector: once the admin has revoked every login of the
    # previous user on it, the device is free again.
    if c.one("SELECT 1 FROM devices WHERE REPLACE(device_id, '-', '') = ? AND user_id <> ? "
             "AND revoked = 0 LIMIT 1", (device, user_id)):
        raise DeviceRefused(DEVICE_TAKEN)


def app_version_text(raw: object) -> str | None:
    """A reported app version as stored: printable, at most 40 characters, or None."""
    if not isinstance(raw, str):
        return None
    text = "".join(ch for ch in raw[:40] if ch.isprintable()).strip()
    return text or None


def principal_for(db: Database, token: str,
                  lifetime: timedelta = timedelta(days=TOKEN_LIFETIME_DAYS),
                  app_version: str | None = None) -> Principal:
    """The caller behind a bearer token; AuthError when unknown, revoked, expired or of a
    disabled user. A token in use is renewed for ``lifetime`` (at most once a minute), and
    the app version the laptop reports now is remembered when it changed."""
    # ONE statement, a row per province (every request of a sync starts here): the login,
    # its user and the user's provinces seen together, without a transaction around it.
    with db.statement() as c:
        rows = c.all("SELECT d.id AS login_id, d.device_id, d.revoked, d.last_seen, "
                     "d.created_at, d.expires_at, d.app_version, u.id AS user_id, u.username, "
                     "u.role, u.disabled, p.province_code FROM devices d "
                     "JOIN users u ON u.id = d.user_id "
                     "LEFT JOIN user_provinces p ON p.user_id = u.id "
                     "WHERE d.token_hash = ?", (hash_token(token),))
    row = rows[0] if rows else None
    if row is None or row["revoked"] or row["disabled"] or _expired(row, lifetime):
        raise AuthError(LOG_IN_AGAIN)
    provinces = frozenset(r["province_code"] for r in rows if r["province_code"] is not None)
    version = app_version_text(app_version)
    _touch(db, row["login_id"], row["last_seen"], lifetime,
           version if version and version != row["app_version"] else None)
    return Principal(row["user_id"], row["username"], row["role"], provinces,
                     row["device_id"])


def _expired(row: dict, lifetime: timedelta) -> bool:
    """Past ``expires_at``; a login from before tokens expired (no expires_at) counts its
    lifetime from when it was last seen. An unreadable time counts as expired."""
    try:
        if row["expires_at"]:
            ends = _parse_iso(row["expires_at"])
        else:
            ends = _parse_iso(row["last_seen"] or row["created_at"]) + lifetime
    except (TypeError, ValueError):
        return True
    return _parse_iso(now_iso()) >= ends


LAST_SEEN_EVERY = 60.0  # seconds: a device's last_seen is refreshed at most this often


def _touch(db: Database, login_id: str, last_seen: str | None, lifetime: timedelta,
           new_version: str | None = None) -> None:
    """Record that a device was seen (``devices list``) and renew its token, at most once a
    minute per login, so that a sync's dozens of requests do not each queue for a write
    transaction; a newly reported app version is recorded at once."""
    now = now_iso()
    if new_version:
        try:
            with db.blob_write() as c:
                c.run("UPDATE devices SET app_version = ? WHERE id = ?", (new_version, login_id))
        except Exception:  # noqa: BLE001
            log.warning("could not record the app version of login %s", login_id,
                        exc_info=True)
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
            c.run("UPDATE devices SET last_seen = ?, expires_at = ? WHERE id = ?",
                  (now, _iso(_parse_iso(now) + lifetime), login_id))
    except Exception:  # noqa: BLE001
        log.warning("could not record last_seen of login %s", login_id, exc_info=True)


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def list_devices(db: Database) -> list[dict]:
    with db.read() as c:
        return c.all("SELECT d.id, u.username, d.device_id, d.name, d.created_at, "
                     "d.last_seen, d.revoked FROM devices d JOIN users u ON u.id = d.user_id "
                     "ORDER BY u.username, d.created_at")


def revoke_device(db: Database, device_row_id: str) -> None:
    """Revoke one login by its ``devices list`` id: the server's own record id. Never by the
    device id a laptop sent: a laptop chooses that itself, so another user's laptop could
    claim the same one."""
    with db.write() as c:
        changed = c.run("UPDATE devices SET revoked = 1 WHERE id = ?", (device_row_id,))
    if not changed:
        raise NotFoundError(f"ไม่พบการเข้าสู่ระบบนี้ (no login with id {device_row_id!r}: "
                            "use an id from `fieldapp-server devices list`, the first column)")
