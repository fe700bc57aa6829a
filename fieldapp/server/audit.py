"""The console's audit log: every sign-in (and failed try), every change made in the console,
and every view of a page holding personal data (names, phone numbers, signatures,
complainants): who, when, what and from where. Thailand's PDPA expects this of a data
controller; entries are kept at least two years (``prune`` refuses anything younger).

Writing an entry never fails the request it records silently: the caller's transaction
either has its entry or the request fails.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fieldapp.core.errors import ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.server.auth import Principal
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import iso, now_iso

KEEP_AT_LEAST = timedelta(days=731)

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
VIEW = "view"            # a page holding personal data was shown
CHANGE = "change"        # something was changed in the console
EXPORT = "export"        # rows left the server as a file
ACTIONS = (SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, VIEW, CHANGE, EXPORT)

PAGE_SIZE = 100


def record(db: Database, who: Principal | None, action: str, target: str = "",
           detail: str = "", address: str = "", username: str | None = None) -> None:
    """Append one entry. ``username`` names the account tried when nobody is signed in (a
    failed sign-in)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with db.blob_write() as c:
        c.run("INSERT INTO audit_log (id, at, user_id, username, action, target, detail, "
              "address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              (uuid7(), now_iso(), who.user_id if who else None,
               (who.username if who else username or "")[:200], action, target[:500],
               detail[:2000], address[:100]))


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    text: str = ""          # in target or detail
    since: str = ""         # ISO date, Bangkok day boundaries are close enough for a log
    until: str = ""
    page: int = 1


def _where(f: AuditFilter) -> tuple[str, list]:
    clauses, params = ["1 = 1"], []
    if f.username:
        clauses.append("username = ?")
        params.append(f.username)
    if f.action in ACTIONS:
        clauses.append("action = ?")
        params.append(f.action)
    if f.text:
        clauses.append("(target LIKE ? OR detail LIKE ?)")
        like = "%" + f.text.replace("\\", "").replace("%", "").replace("_", "") + "%"
        params += [like, like]
    if f.since:
        clauses.append("at >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("at < ?")
        params.append(f.until + "T24")  # the whole last day (ISO text sorts)
    return " AND ".join(clauses), params


def search(db: Database, f: AuditFilter) -> tuple[list[dict], int]:
    """One page of entries, newest first, and how many match."""
    where, params = _where(f)
    page = max(1, min(f.page, 10**6))
    with db.read() as c:
        total = int(c.value(f"SELECT count(*) FROM audit_log WHERE {where}", params))
        rows = c.all(f"SELECT at, user_id, username, action, target, detail, address "
                     f"FROM audit_log "
                     f"WHERE {where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                     (*params, PAGE_SIZE, (page - 1) * PAGE_SIZE))
    return rows, total


def export_csv(db: Database, f: AuditFilter) -> bytes:
    """Every matching entry as UTF-8 CSV with a BOM (Excel opens Thai text right)."""
    where, params = _where(f)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "username", "action", "target", "detail", "address"])
    with db.read() as c:
        for row in c.tuples(f"SELECT at, username, action, target, detail, address "
                            f"FROM audit_log WHERE {where} ORDER BY at, id", params):
            writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def prune(db: Database, older_than: timedelta) -> int:
    """Delete entries older than ``older_than``, which must be at least two years."""
    if older_than < KEEP_AT_LEAST:
        raise ValidationError("the audit log is kept at least two years (PDPA)")
    with db.blob_write() as c:
        return c.run("DELETE FROM audit_log WHERE at < ?",
                     (iso(datetime.now(UTC) - older_than),))


def usernames(db: Database) -> list[str]:
    with db.read() as c:
        return [r[0] for r in c.tuples("SELECT DISTINCT username FROM audit_log "
                                       "WHERE username <> '' ORDER BY username")]


def user_names(db: Database) -> dict[str, str]:
    """Every account's id -> username (entries name users by id in their pages and
    details: ``/admin/users/<id>``, "planned ... for user <id>")."""
    with db.read() as c:
        return dict(c.tuples("SELECT id, username FROM users"))
