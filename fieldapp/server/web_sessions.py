"""Browser sessions of the office console, kept on the server so that they can be listed and
ended (by their user signing out, or by an administrator), and expire after an idle time.

The cookie holds a random token; only its SHA-256 is stored, like device tokens
(server/auth.py), so a copy of the database signs no one in. Each session has its own
CSRF token, which every console form sends back.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fieldapp.core.ids import uuid7
from fieldapp.server.auth import Principal, hash_token
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import iso, now_iso

IDLE_ENV = "FIELDAPP_CONSOLE_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30
TOUCH_EVERY = timedelta(seconds=60)  # a session's last_seen is written at most this often


@dataclass(frozen=True)
class WebSession:
    id: str
    who: Principal
    csrf_token: str


def idle_timeout() -> timedelta:
    """How long an unused session lives: ``$FIELDAPP_CONSOLE_IDLE_MINUTES``, else 30 minutes."""
    raw = os.environ.get(IDLE_ENV, "")
    try:
        minutes = float(raw) if raw else DEFAULT_IDLE_MINUTES
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    if not 0 < minutes <= 7 * 24 * 60:
        minutes = DEFAULT_IDLE_MINUTES
    return timedelta(minutes=minutes)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def start(db: Database, user_id: str, address: str, user_agent: str) -> tuple[str, str]:
    """A new session for ``user_id``; returns (cookie token, session id)."""
    token, session_id = secrets.token_urlsafe(32), uuid7()
    now = datetime.now(UTC)
    with db.blob_write() as c:
        c.run("INSERT INTO web_sessions (id, token_hash, user_id, csrf_token, created_at, "
              "last_seen, expires_at, address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              (session_id, hash_token(token), user_id, secrets.token_urlsafe(32), iso(now),
               iso(now), iso(now + idle_timeout()), address[:100], user_agent[:300]))
    return token, session_id


def find(db: Database, token: str | None) -> WebSession | None:
    """The live session behind a cookie token, renewed for another idle period; None when
    unknown, ended, expired, or its user is disabled."""
    if not token or len(token) > 200:
        return None
    with db.read() as c:
        row = c.one("SELECT s.id, s.csrf_token, s.last_seen, s.expires_at, s.ended_at, "
                    "u.id AS user_id, u.username, u.role, u.disabled FROM web_sessions s "
                    "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                    (hash_token(token),))
        if row is None or row["ended_at"] or row["disabled"]:
            return None
        now = datetime.now(UTC)
        if _parse(row["expires_at"]) <= now:
            return None
        provinces = frozenset(r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (row["user_id"],)))
    if now - _parse(row["last_seen"]) >= TOUCH_EVERY:
        with db.blob_write() as c:
            c.run("UPDATE web_sessions SET last_seen = ?, expires_at = ? WHERE id = ?",
                  (iso(now), iso(now + idle_timeout()), row["id"]))
    who = Principal(row["user_id"], row["username"], row["role"], provinces, "console")
    return WebSession(row["id"], who, row["csrf_token"])


def end(db: Database, session_id: str, ended_by: str) -> bool:
    """End one session; False when there was no live session with that id."""
    with db.blob_write() as c:
        return bool(c.run("UPDATE web_sessions SET ended_at = ?, ended_by = ? "
                          "WHERE id = ? AND ended_at IS NULL",
                          (now_iso(), ended_by, session_id)))


def end_all_of(db: Database, user_id: str, ended_by: str, keep: str | None = None) -> int:
    """End every live session of a user (a password changed, an account disabled), but
    ``keep``: the session that changed its own password stays signed in."""
    with db.blob_write() as c:
        return c.run("UPDATE web_sessions SET ended_at = ?, ended_by = ? WHERE user_id = ? "
                     "AND ended_at IS NULL AND id <> ?",
                     (now_iso(), ended_by, user_id, keep or ""))


def live(db: Database) -> list[dict]:
    """Sessions not ended and not expired, newest first (for the administrator's page)."""
    with db.read() as c:
        return c.all("SELECT s.id, u.username, u.role, s.created_at, s.last_seen, "
                     "s.expires_at, s.address, s.user_agent FROM web_sessions s "
                     "JOIN users u ON u.id = s.user_id WHERE s.ended_at IS NULL "
                     "AND s.expires_at > ? ORDER BY s.last_seen DESC", (now_iso(),))
