"""What the office server knows of a printed record, for ``fieldapp verify``.

The content hash is recomputed from the rows the server holds (the inspection and its
children), not read from the inspection row, so a paper is checked against what the server
actually stores. The version is the number of the newest amendment in the record's chain,
counted the same way as on the laptop (fieldapp.forms.inspection_form.record_state).
"""

from __future__ import annotations

from fieldapp.core.canonical import content_hash, inspection_document
from fieldapp.server.auth import Principal
from fieldapp.server.scope import visible
from fieldapp.server.storage import Database
from fieldapp.store.wirejson import loads

CHILD_TABLES = ("answers", "findings", "participants", "attachments")


def record_state(db: Database, who: Principal, record_id: str) -> dict | None:
    """``{"content_hash", "version", "state"}`` of an inspection the caller may read, or
    None when there is no such record (or it is outside the caller's provinces)."""
    where, params = visible(who)
    with db.read() as c:
        row = c.one(f"SELECT data, deleted FROM records WHERE tbl = 'inspections' AND id = ? "
                    f"AND {where}", [record_id, *params])
        if row is None or row["deleted"]:
            return None
        inspection = {**loads(row["data"]), "id": record_id}
        version = _depth(c, inspection)
        newest, frontier = version, [record_id]
        while frontier:
            # Rows keep their data as sorted JSON text, compact or with ", " spacing (older
            # rows); an id is a UUID, so it holds no LIKE wildcards.
            children = [r["id"] for fid in frontier for r in c.all(
                "SELECT id FROM records WHERE tbl = 'inspections' AND deleted = 0 "
                "AND (data LIKE ? OR data LIKE ?)",
                [f'%"amends_id":"{fid}"%', f'%"amends_id": "{fid}"%'])]
            if children:
                version += 1
                newest = version
            frontier = children
        digest = None
        if inspection.get("state") == "finalized":
            parts = {t: [] for t in CHILD_TABLES}
            for child in c.all("SELECT tbl, id, data, deleted FROM records WHERE parent_id = ?",
                               [record_id]):
                if child["tbl"] in parts and not child["deleted"]:
                    parts[child["tbl"]].append({**loads(child["data"]), "id": child["id"]})
            digest = content_hash(inspection_document(
                inspection, parts["answers"], parts["findings"], parts["participants"],
                parts["attachments"]))
    return {"content_hash": digest, "version": newest, "state": inspection.get("state")}


def _depth(c, inspection: dict) -> int:
    """0 for an original record, n for the n-th amendment in its chain."""
    depth, seen, parent = 0, {inspection["id"]}, inspection.get("amends_id")
    while parent and parent not in seen:
        seen.add(parent)
        depth += 1
        row = c.one("SELECT data FROM records WHERE tbl = 'inspections' AND id = ?", [parent])
        parent = loads(row["data"]).get("amends_id") if row else None
    return depth
