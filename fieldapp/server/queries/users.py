"""Users as the console lists them: name, role, provinces, whether disabled, and when their
laptops were last seen. An admin sees everyone, a supervisor the users who share one of
their provinces (and themselves), an inspector only themselves. Password hashes never leave
``auth``.
"""

from __future__ import annotations

from fieldapp.server.auth import Principal
from fieldapp.server.storage import Database


def list_users(db: Database, who: Principal) -> list[dict]:
    """``[{id, username, role, disabled, created_at, provinces, last_seen}]`` by name."""
    if who.is_admin:
        scope, params = "1 = 1", []
    elif who.is_supervisor:
        provinces = sorted(who.provinces)
        marks = ", ".join("?" * len(provinces)) or "NULL"
        scope = (f"(u.id = ? OR u.id IN (SELECT user_id FROM user_provinces "
                 f"WHERE province_code IN ({marks})))")
        params = [who.user_id, *provinces]
    else:
        scope, params = "u.id = ?", [who.user_id]
    with db.read() as c:
        users = c.all(f"SELECT u.id, u.username, u.role, u.disabled, u.created_at, "
                      f"(SELECT max(d.last_seen) FROM devices d WHERE d.user_id = u.id) "
                      f"AS last_seen FROM users u WHERE {scope} ORDER BY u.username", params)
        grants: dict[str, list[str]] = {}
        for where, ids in c.any_of("user_id", [u["id"] for u in users]):
            for user_id, code in c.tuples(f"SELECT user_id, province_code FROM user_provinces "
                                          f"WHERE {where} ORDER BY province_code", ids):
                grants.setdefault(user_id, []).append(code)
    for user in users:
        user["provinces"] = grants.get(user["id"], [])
        user["disabled"] = bool(user["disabled"])
    return users
