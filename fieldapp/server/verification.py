"""What the office server knows of a printed record, for ``fieldapp verify``.

The content hash is recomputed from the rows the server holds (the inspection and its
children), not read from the inspection row, so a paper is checked against what the server
actually stores. The version is the number of the newest FINALIZED amendment in the record's
chain, counted the same way as on the laptop (fieldapp.forms.inspection_form.record_state):
until an amendment is finalized the signed original is still the record, and the answer only
says that an amendment is in progress. Only rows the caller may read take part, so a record
the caller may not read answers exactly like one that does not exist, and nobody else's
amendment can make the caller's paper read as changed. Chains are walked with a visited set
and a length cap (server/amendments.py): rows stored before push checked amendments may loop.
"""

from __future__ import annotations

from fieldapp.core.canonical import content_hash, inspection_document
from fieldapp.server.amendments import MAX_CHAIN, walk_up
from fieldapp.server.auth import Principal
from fieldapp.server.scope import visible
from fieldapp.server.storage import Conn, Database
from fieldapp.store.wirejson import loads

CHILD_TABLES = ("answers", "findings", "participants", "attachments")


def record_state(db: Database, who: Principal, record_id: str) -> dict | None:
    """``{"content_hash", "version", "state", "amendment_in_progress"}`` of an inspection
    the caller may read, or None when there is no such record (or it is not theirs)."""
    where, params = visible(who)
    with db.read() as c:
        def readable(rid: str) -> dict | None:
            row = c.one(f"SELECT data, deleted FROM records WHERE tbl = 'inspections' "
                        f"AND id = ? AND {where}", [rid, *params])
            return None if row is None or row["deleted"] else loads(row["data"])

        inspection = readable(record_id)
        if inspection is None:
            return None
        inspection["id"] = record_id
        ancestors, _ = walk_up(record_id, lambda rid: (
            inspection if rid == record_id else readable(rid) or {}).get("amends_id"))
        version, in_progress = _newest(c, record_id, len(ancestors) - 1, set(ancestors),
                                       where, params)
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
    return {"content_hash": digest, "version": version, "state": inspection.get("state"),
            "amendment_in_progress": in_progress}


def _newest(c: Conn, record_id: str, version: int, seen: set[str], where: str,
            params: list) -> tuple[int, bool]:
    """The version of the newest finalized amendment below ``record_id`` (``version`` is the
    record's own), and whether a draft amends that newest version."""
    frontier = [record_id]
    for _ in range(MAX_CHAIN):
        finalized, drafts = [], False
        for parent in frontier:
            # Rows keep their data as sorted JSON text, compact or with ", " spacing (older
            # rows); an id is a UUID, so it holds no LIKE wildcards.
            for row in c.all(f"SELECT id, data FROM records WHERE tbl = 'inspections' "
                             f"AND deleted = 0 AND (data LIKE ? OR data LIKE ?) AND {where}",
                             [f'%"amends_id":"{parent}"%', f'%"amends_id": "{parent}"%',
                              *params]):
                if row["id"] in seen:
                    continue  # a loop stored before push refused them
                seen.add(row["id"])
                if loads(row["data"]).get("state") == "finalized":
                    finalized.append(row["id"])
                else:
                    drafts = True
        if not finalized:
            return version, drafts
        version += 1
        frontier = finalized
    return version, False
