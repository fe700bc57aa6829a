"""Naming an inspection as a person does: by its record number as printed (``2569/05DACDDB``,
or ``05DACDDB`` without the year), by its id, or by enough of the start of its id to name
one (at least 8 characters). The command line takes any of them; a name two records share
is refused with both, never guessed."""

from __future__ import annotations

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.store.db import Store

SHORTEST_PREFIX = 8


def resolve_inspection(store: Store, text: str) -> str:
    """The id of the one inspection ``text`` names; NotFoundError or ValidationError (two
    or more named) with the reason."""
    ref = (text or "").strip()
    if not ref:
        raise ValidationError("ระบุบันทึกการตรวจ (name an inspection: its record number, e.g. "
                              "2569/05DACDDB, or its id)")
    exact = store.query("SELECT id FROM inspections WHERE id = ?", (ref,))
    if exact:
        return exact[0]["id"]
    rows = store.query("SELECT id, record_no, started_at FROM inspections "
                       "WHERE deleted = 0 AND upper(record_no) = upper(?)", (ref,))
    if not rows and "/" not in ref:
        # The record number without its year, as it is read off the paper aloud.
        rows = store.query("SELECT id, record_no, started_at FROM inspections "
                           "WHERE deleted = 0 AND upper(record_no) LIKE '%/' || upper(?) "
                           "LIMIT 5", (ref.replace("%", "").replace("_", ""),))
    if not rows and len(ref) >= SHORTEST_PREFIX and "/" not in ref:
        rows = store.query("SELECT id, record_no, started_at FROM inspections "
                           "WHERE deleted = 0 AND id LIKE ? ESCAPE '\\' LIMIT 5",
                           (ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                            + "%",))
    if len(rows) == 1:
        return rows[0]["id"]
    if not rows:
        raise NotFoundError(f"ไม่พบบันทึกการตรวจ {ref} (no inspection {ref!r} here: give its "
                            f"record number, e.g. 2569/05DACDDB, or its id; `fieldapp "
                            f"inspections` lists them)")
    named = ", ".join(f"{r['id']} ({r['record_no']})" for r in rows)
    raise ValidationError(f"ระบุได้หลายบันทึก (more than one inspection is {ref!r}: {named}) — "
                          f"give the full id")
