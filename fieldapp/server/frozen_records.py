"""A finalized record does not change: the refusals, the server's copy sent back with them,
and the signed hash checked on finalize.

A mixin of server/push.py's push (``self.c``, ``self.cache``, ``self._own`` from
write_scope.py, ``self._record_conflict``), kept apart because these are the rules behind
"signed records never change".
"""

from __future__ import annotations

from fieldapp.server.records import Record
from fieldapp.server.signed import adopt_signed, parse_signed, record_hash
from fieldapp.server.write_scope import Frozen, Rejected
from fieldapp.sync import protocol as P

FROZEN_REASON = ("บันทึกนี้ลงนามและปิดแล้วบนเซิร์ฟเวอร์ (inspection is finalized on the server "
                 "and cannot change) — make an amendment instead")


class FrozenRecords:
    def _current(self, table: str, row_id: str, payload: dict) -> dict | None:
        """For a change refused because its record is finalized here: the server's row as
        it stands (``row`` None: the server has no such row), so that a laptop holding an
        older draft of the record takes the office's copy (store/resync.py) while its own
        change stays visible as refused. None if the caller may not read the record."""
        rec = self.cache.get(table, row_id)
        if table == "inspections":
            record = rec
        else:
            parent_id = rec.parent_id if rec is not None else payload.get("inspection_id")
            record = self.cache.get("inspections", parent_id) \
                if isinstance(parent_id, str) else None
        if record is None or not record.frozen:
            return None
        try:
            self._own(record.owner, record.province)
        except Rejected:
            return None
        return {"t": table, "id": row_id, "row": rec.wire() if rec is not None else None}

    def _guard_frozen(self, rec: Record, fields: dict) -> bool:
        """Frozen if the record (or its inspection) is finalized here and the change differs
        from it; True if it is finalized and the change repeats what it holds."""
        if rec.tbl == "inspections":
            frozen = rec.frozen
        elif rec.tbl in P.CHILD_TABLES:
            parent = self.cache.get("inspections", rec.parent_id)
            frozen = parent.frozen if parent else 0
            if frozen and not rec.stored and not rec.dirty and rec.tbl == "attachments" \
                    and fields.get("kind") == "scan":
                return False  # the scan of the ink-signed paper arrives after finalizing
        else:
            return False
        if not frozen:
            return False
        if any(rec.data.get(k, 0 if k == "deleted" else None) != v for k, v in fields.items()):
            raise Frozen(FROZEN_REASON)
        return True

    def _check_signed_hash(self, rec: Record, signed: object) -> None:
        """On finalize, compare the hash the laptop signed with the server's copy. A
        difference (one draft edited on two laptops) is settled for the signed copy when
        the finalize carries it (server/signed.py), each overwritten value recorded for the
        office; a difference left over is recorded too, never hidden."""
        claimed = rec.data.get("content_hash")
        ours = self._hash(rec)
        if claimed and ours != claimed:
            rows = parse_signed(signed)
            if rows is not None and adopt_signed(self, rec, rows):
                ours = self._hash(rec)
        if claimed and ours != claimed:
            self._record_conflict(rec, "content_hash", claimed, rec.updated_hlc,
                                  rec.device_id, ours, "", "server")

    def _hash(self, rec: Record) -> str:
        return record_hash({**rec.data, "id": rec.id},
                           [(c.tbl, {**c.data, "id": c.id, "deleted": c.deleted})
                            for c in self.cache.children(rec.id)])
