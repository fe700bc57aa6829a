"""Laptops as the console shows them: one row per laptop and user, with when it last
synced, the FieldApp version it last reported and whether its login still works.

The server keeps one ``devices`` row per login; a laptop that logged in five times has five.
Here they are folded into one row per (user, device id), the newest login first. An admin
sees every laptop, a supervisor the laptops of users who share one of their provinces, an
inspector their own.
"""

from __future__ import annotations

from fieldapp.server.auth import Principal
from fieldapp.server.storage import Conn, Database


def _scope(who: Principal) -> tuple[str, list]:
    if who.is_admin:
        return "1 = 1", []
    if who.is_supervisor:
        provinces = sorted(who.provinces)
        marks = ", ".join("?" * len(provinces)) or "NULL"
        return (f"(d.user_id = ? OR d.user_id IN (SELECT user_id FROM user_provinces "
                f"WHERE province_code IN ({marks})))", [who.user_id, *provinces])
    return "d.user_id = ?", [who.user_id]


def laptops(c: Conn, who: Principal) -> list[dict]:
    """Within a read transaction: the laptops ``who`` may see, most recently seen first.
    ``logins``: how many logins the row folds; ``active``: one of them still works
    (not revoked; expiry is checked at use)."""
    scope, params = _scope(who)
    rows = c.all(f"SELECT d.id, d.device_id, d.name, d.created_at, d.last_seen, d.revoked, "
                 f"d.expires_at, d.app_version, u.id AS user_id, u.username, u.role, "
                 f"u.disabled FROM devices d JOIN users u ON u.id = d.user_id WHERE {scope} "
                 f"ORDER BY d.created_at DESC, d.id DESC", params)
    folded: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["user_id"], row["device_id"])
        seen = row["last_seen"] or row["created_at"]
        if key not in folded:
            folded[key] = {**row, "last_seen": seen, "logins": 0, "active": False}
        laptop = folded[key]
        laptop["logins"] += 1
        laptop["active"] = laptop["active"] or not row["revoked"]
        if seen and seen > (laptop["last_seen"] or ""):
            laptop["last_seen"] = seen
        if not laptop["app_version"] and row["app_version"]:
            laptop["app_version"] = row["app_version"]
    for laptop in folded.values():
        laptop["revoked"] = not laptop["active"]
    return sorted(folded.values(), key=lambda d: (d["last_seen"] or "", d["id"]), reverse=True)


def list_devices(db: Database, who: Principal) -> list[dict]:
    """``laptops`` in its own read transaction."""
    with db.read() as c:
        return laptops(c, who)
