"""The printed form of a synced inspection, rendered on the office server.

The office must hand out exactly the paper the laptop prints, so that ``fieldapp verify``
says MATCH for either. Rather than a second renderer that reads ``records`` (and drifts from
the laptop's), the server copies the rows the laptop's renderer reads into a scratch local
store, as a pull would give them to a laptop (``Record.wire`` applied by the laptop's own
``sync_apply``), and calls ``fieldapp.forms.inspection_form.render_inspection_pdf`` with the
attachment bytes it holds. The scratch store lives in memory and is gone when the render
ends; nothing is written to the server database or to disk.

Only rows ``who`` may read are copied (server/scope.py), so the printed amendment number
counts ancestors the way the server's verification does (server/verification.py): an
ancestor the caller may not read is counted, and the walk stops there, as on a laptop that
lacks the row.

Print settings (office name, logo, Thai digits) are the laptop's defaults unless the caller
passes its own ``PrintSettings`` (``settings_from_environment`` reads the office's).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from fieldapp.core.errors import FieldAppError
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.settings import PrintSettings
from fieldapp.server.amendments import walk_up
from fieldapp.server.auth import Principal
from fieldapp.server.records import Record
from fieldapp.server.scope import visible
from fieldapp.server.storage import Conn, Database
from fieldapp.store.db import Store
from fieldapp.store.sync_apply import apply_rows
from fieldapp.sync import protocol as P

# How an office names its printed forms on the server (the laptop keeps them in its settings).
OFFICE_NAME_ENV = "FIELDAPP_OFFICE_NAME"
OFFICE_LOGO_ENV = "FIELDAPP_OFFICE_LOGO"
THAI_DIGITS_ENV = "FIELDAPP_THAI_DIGITS"


def settings_from_environment(environ: dict | None = None) -> PrintSettings:
    """The office's print settings for server renders: ``FIELDAPP_OFFICE_NAME``,
    ``FIELDAPP_OFFICE_LOGO`` (path to a PNG/JPEG) and ``FIELDAPP_THAI_DIGITS`` (1/true/yes),
    each falling back to the laptop's default. They change the look of the paper, not its
    verification payload."""
    env = os.environ if environ is None else environ
    default = PrintSettings()
    logo = env.get(OFFICE_LOGO_ENV)
    return PrintSettings(
        office_name=env.get(OFFICE_NAME_ENV) or default.office_name,
        office_logo=Path(logo) if logo else default.office_logo,
        thai_digits=(env.get(THAI_DIGITS_ENV, "").strip().lower() in ("1", "true", "yes")
                     or default.thai_digits))


def render_printed_form(db: Database, who: Principal, inspection_id: str, *,
                        settings: PrintSettings | None = None) -> bytes | None:
    """The PDF the laptop prints for ``inspection_id``, or None when the server holds no such
    live inspection or ``who`` may not read it (the two answer alike). FieldAppError when
    bytes it prints (photos, signatures) have not reached the server yet: a form without
    them would not be the laptop's."""
    found = form_rows(db, who, inspection_id)
    if found is None:
        return None
    records, blobs = found
    store = scratch_store(records)
    try:
        return render_inspection_pdf(store, inspection_id, settings=settings,
                                     blob=blobs.__getitem__)
    finally:
        store.close()


def form_rows(db: Database, who: Principal, inspection_id: str
              ) -> tuple[list[Record], dict[str, bytes]] | None:
    """What the printed form of ``inspection_id`` is made of, as ``who`` may read it: the
    rows (see ``_printed_rows``) and the attachment bytes it prints, by SHA-256; None when
    there is no such readable live inspection."""
    with db.read() as c:
        found = _printed_rows(c, who, inspection_id)
        if found is None:
            return None
        records, hashes = found
        blobs = _blob_bytes(c, hashes)
    if len(blobs) < len(hashes):
        raise FieldAppError(
            f"รูปถ่ายหรือลายมือชื่อของบันทึกนี้ยังส่งมาไม่ครบ (the server does not hold whole bytes "
            f"of {len(hashes) - len(blobs)} photo(s) or signature(s) of inspection "
            f"{inspection_id} yet) — sync the inspector's laptop, then print again")
    return records, blobs


def _printed_rows(c: Conn, who: Principal, inspection_id: str
                  ) -> tuple[list[Record], set[str]] | None:
    """The readable rows the laptop's renderer reads: the inspection, its children, its
    factory, its template version and its amendment ancestors; and the hashes of the
    attachment bytes it prints."""
    where, params = visible(who)

    def readable(tbl: str, rid: object) -> Record | None:
        if not isinstance(rid, str):
            return None
        row = c.one(f"SELECT * FROM records WHERE tbl = ? AND id = ? AND {where}",
                    [tbl, rid, *params])
        return Record.from_row(row) if row else None

    inspection = readable("inspections", inspection_id)
    if inspection is None or inspection.deleted:
        return None
    records = [inspection]
    children = [Record.from_row(r) for r in c.all(
        f"SELECT * FROM records WHERE parent_id = ? AND deleted = 0 AND {where}",
        [inspection_id, *params]) if r["tbl"] in P.CHILD_TABLES]
    records += children
    for tbl, column in (("factories", "factory_id"),
                        ("template_versions", "template_version_id")):
        row = readable(tbl, inspection.data.get(column))
        if row is not None:
            records.append(row)
    # A follow-up prints the orders it checked (its "order:" answers; office-loop.md).
    for child in children:
        item = str(child.data.get("item_id") or "") if child.tbl == "answers" else ""
        if item.startswith(P.ORDER_ITEM_PREFIX):
            row = readable("orders", item[len(P.ORDER_ITEM_PREFIX):])
            if row is not None:
                records.append(row)
    ancestors: dict[str, Record] = {}

    def parent_of(rid: str) -> str | None:
        row = inspection if rid == inspection_id else readable("inspections", rid)
        if row is None or row.deleted:
            # Counted but not walked past, as server/verification.py counts: left out of
            # the scratch store, the laptop's walk counts the missing id and stops there.
            return None
        ancestors[rid] = row
        return row.data.get("amends_id")

    walk_up(inspection_id, parent_of)
    records += [row for rid, row in ancestors.items() if rid != inspection_id]
    # The bytes the renderer reads (inspection_form.render_inspection_pdf): signatures, and
    # photos that are images.
    hashes = {r.blob_sha for r in children if r.tbl == "attachments" and r.blob_sha and (
        r.data.get("kind") == "signature" or (r.data.get("kind") == "photo" and str(
            r.data.get("mime") or "").startswith("image/")))}
    return records, hashes


def _blob_bytes(c: Conn, hashes: set[str]) -> dict[str, bytes]:
    """The complete blobs among ``hashes``, whole. Readable by the caller already: each is
    named by an attachment row of a record they may read (server/blob_access.py)."""
    found: dict[str, list[bytes]] = {}
    for where, params in c.any_of("b.sha256", sorted(hashes)):
        for sha, data in c.tuples(
                "SELECT b.sha256, b.data FROM blob_chunks b JOIN uploads u "
                f"ON u.sha256 = b.sha256 AND u.complete = 1 WHERE {where} "
                "ORDER BY b.sha256, b.pos", params, binary=True):
            found.setdefault(sha, []).append(bytes(data))
    whole = {sha: b"".join(parts) for sha, parts in found.items()}
    # Checked as the laptop's read_blob checks its files: damaged bytes never print.
    return {sha: data for sha, data in whole.items() if hashlib.sha256(data).hexdigest() == sha}


def scratch_store(records: list[Record], path: str | Path = ":memory:") -> Store:
    """A throwaway local store (in memory unless ``path`` is given) holding ``records`` as a
    laptop would after a pull. Foreign keys are off: an ancestor or a factory the caller may
    not read is absent here, exactly as on a laptop outside its scope."""
    store = Store(path)
    store.conn.execute("PRAGMA foreign_keys = OFF")
    apply_rows(store, [{"t": r.tbl, "row": r.wire()} for r in records], P.COLUMNS, None)
    return store
