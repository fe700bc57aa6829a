"""The review queue (รอตรวจทาน): finalized records of the caller's provinces that wait for
review (no review yet, or reopened), oldest first; and the records returned to their
inspectors, with the amendment that answers each when one has arrived.

A record replaced by a finalized amendment waits for nobody: the amendment is reviewed.
"""

from __future__ import annotations

from fieldapp.server.auth import Principal
from fieldapp.server.queries.scoping import owned, province_name
from fieldapp.server.storage import Database
from fieldapp.store.wirejson import loads

WAITING, RETURNED = "waiting", "returned"
MAX_ROWS = 2000


def _reviews(c, ids: list[str]) -> dict[str, dict]:
    found = {}
    for where, params in c.any_of("id", ids):
        for rid, data in c.tuples(f"SELECT id, data FROM records WHERE tbl = 'reviews' "
                                  f"AND deleted = 0 AND {where}", params):
            found[rid] = loads(data)
    return found


def review_queue(db: Database, who: Principal, which: str = WAITING) -> list[dict]:
    """Rows (inspection fields, ``review`` and ``amendment``) of the queue ``which``."""
    scope, params = owned(who, "i")
    with db.read() as c:
        rows = c.all(f"SELECT i.id, i.record_no, i.kind, i.started_at, i.finalized_at, "
                     f"i.factory_id, i.factory_name, i.fid, i.province, i.district, "
                     f"i.amends_id, u.username AS inspector FROM inspection_index i "
                     f"LEFT JOIN users u ON u.id = i.owner WHERE i.deleted = 0 "
                     f"AND i.state = 'finalized' AND {scope} "
                     f"ORDER BY i.finalized_at, i.id", params)
        reviews = _reviews(c, [r["id"] for r in rows])
        amendments: dict[str, dict] = {}
        for where, ids in c.any_of("i.amends_id", [r["id"] for r in rows]):
            for a in c.all(f"SELECT i.id, i.record_no, i.state, i.amends_id, i.started_at "
                           f"FROM inspection_index i WHERE i.deleted = 0 AND {where} "
                           f"ORDER BY i.started_at, i.id", ids):
                # a finalized amendment answers; a draft one only says work has begun
                kept = amendments.get(a["amends_id"])
                if kept is None or (kept["state"] != "finalized" and a["state"] == "finalized"):
                    amendments[a["amends_id"]] = a
    out = []
    for row in rows:
        review = reviews.get(row["id"])
        state = review.get("state") if review else None
        amendment = amendments.get(row["id"])
        superseded = amendment is not None and amendment["state"] == "finalized"
        if which == RETURNED:
            keep = state == "returned"
        else:
            keep = state in (None, "reopened") and not superseded
        if keep:
            out.append({**row, "province_name": province_name(row["province"]),
                        "review": review, "amendment": amendment})
        if len(out) >= MAX_ROWS:
            break
    return out
