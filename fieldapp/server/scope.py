"""What a caller may read: the SQL condition on ``records`` for one principal.

An inspector reads the templates, the factories and corrective orders of their granted
provinces, and only their own inspections (with everything under them), the reviews of them,
and the complaints and plans assigned to them, in those provinces. A supervisor (the group
head) reads everything in their granted provinces. An admin reads everything.
"""

from __future__ import annotations

from fieldapp.server.auth import Principal

# What every inspector of a province reads: its factories, and the corrective orders issued
# to them (a follow-up may fall to another inspector than the one who issued the order).
_PROVINCE_WIDE = ("factories", "orders", "order_photos")
PROVINCE_WIDE = "(" + ", ".join(f"'{t}'" for t in _PROVINCE_WIDE) + ")"


def owner_scoped(tbl: str) -> bool:
    """Whether an inspector reads rows of ``tbl`` only while they own them: such a row that
    changes owner leaves the old owner's scope (records.RecordCache.flush notes it)."""
    return tbl != "template_versions" and tbl not in _PROVINCE_WIDE


def visible(who: Principal) -> tuple[str, list]:
    """``(sql, params)``: a condition on ``records`` for the rows ``who`` may read."""
    if who.is_admin:
        return "1 = 1", []
    provinces = sorted(who.provinces)
    marks = ", ".join("?" * len(provinces)) or "NULL"
    if who.is_supervisor:
        return f"(tbl = 'template_versions' OR province IN ({marks}))", provinces
    return (f"(tbl = 'template_versions' OR (province IN ({marks}) AND "
            f"(tbl IN {PROVINCE_WIDE} OR owner = ?)))", [*provinces, who.user_id])


def visible_parts(who: Principal) -> list[tuple[str, list]]:
    """``visible`` as conditions that no row meets twice, each one an index can find rows
    of in change sequence order (schema V9): an inspector's pull then reads the rows they
    may see after their cursor, not every row every other inspector pushed since (a
    province's end of day made each pull walk past all of them). One part for the other
    roles: a supervisor or an admin sees most of what changed."""
    if who.is_admin or who.is_supervisor:
        return [visible(who)]
    provinces = sorted(who.provinces)
    marks = ", ".join("?" * len(provinces)) or "NULL"
    return [("tbl = 'template_versions'", []),
            (f"tbl IN {PROVINCE_WIDE} AND province IN ({marks})", provinces),
            # (owner, seq): the caller's own rows; the other two parts' tables left out
            (f"owner = ? AND province IN ({marks}) AND tbl NOT IN {PROVINCE_WIDE} "
             f"AND tbl <> 'template_versions'", [who.user_id, *provinces])]


def may_read(who: Principal, record) -> bool:
    """``visible`` for one loaded row (a ``fieldapp.server.records.Record``)."""
    if who.is_admin or record.tbl == "template_versions":
        return True
    return record.province in who.provinces and (
        who.is_supervisor or record.tbl in _PROVINCE_WIDE or record.owner == who.user_id)
