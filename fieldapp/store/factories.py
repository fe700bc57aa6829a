"""Factory records: upsert from the registry, read one, edit the few fields the field owns.

A factory is named by its 14-digit ID on every device (``id = name_id("factory", fid)``), so
two laptops importing the same registry create one record, not two.

Who owns which column:
- The registry owns everything in ``REGISTRY_FIELDS``. A re-import updates a row when the
  cleaned registry fields hash differently from ``source_hash`` (the hash of what the
  registry said last time), and leaves it alone otherwise. A name or coordinates the new file
  leaves empty (or gives as a placeholder the cleaning empties: a name "-", 0,0) keep the
  values stored: a damaged export never wipes good rows.
- The field owns ``phone`` and ``contact_person``: a registry import only fills them while
  they are empty, never overwrites them.
- ``lat``/``lng`` are shared. The registry's coordinates are often rough; a GPS fix taken at
  the gate is better. A re-import overwrites the stored coordinates only if they are still
  the registry's own: we recompute the hash of the stored registry fields, and if it equals
  ``source_hash`` the coordinates are untouched since the last import. If they were edited in
  the field (or arrived by sync without a local source hash) the field's values are kept.

The office's registry is authoritative. A registry file imported on a laptop is local: its
rows are written without outbox entries and marked ``local_only``; they serve search and the
inspections made on them, and never travel as registry rows. A row that came from the office
(by sync) is left alone by an import. A local factory travels only when an inspection or a
field edit refers to it (store/reports.py); a pulled copy from the office replaces it.
"""

from __future__ import annotations

import json

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.ids import name_id
from fieldapp.core.registry_fields import FIELD_EDITABLE, LAT_RANGE, LNG_RANGE, REGISTRY_FIELDS
from fieldapp.store.changes import rows_by_id, save_row, save_rows
from fieldapp.store.db import Store

FIELD_OWNED = ("phone", "contact_person")


def factory_id(fid: str) -> str:
    """The record id every device gives the factory with this 14-digit ID."""
    return name_id("factory", fid)


def source_hash(record: dict) -> str:
    """A short hash of the registry fields of ``record`` (a clean row or a stored row)."""
    values = [record.get(name) for name in REGISTRY_FIELDS]
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # here: not on the window's start-up path
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _coordinates_from_registry(old: dict) -> bool:
    """True if the stored lat/lng are still what the last import wrote (see module doc)."""
    if old["lat"] is None and old["lng"] is None:
        return True
    return old["source_hash"] is not None and source_hash(old) == old["source_hash"]


def prepare_record(clean: dict) -> dict:
    """Add the record id and source hash to a clean record ahead of ``upsert_factories``.

    Optional: the importer calls it on its reading thread so the writing thread has less to
    do; upsert_factories computes whatever is missing.
    """
    clean["id"] = factory_id(clean["fid"])
    clean["source_hash"] = source_hash(clean)
    return clean


def plan_upsert(clean: dict, old: dict | None, row_id: str | None = None) -> dict | None:
    """The row to save for one clean registry record, or None if nothing would change
    (or the row is the office's: see ``from_office``)."""
    digest = clean.get("source_hash") or source_hash(clean)
    if from_office(old) or (old is not None and old["source_hash"] == digest
                            and not old["deleted"]):
        return None
    row = {"id": row_id or clean.get("id") or factory_id(clean["fid"])}
    row.update({name: clean.get(name) for name in REGISTRY_FIELDS})
    row["source_hash"] = digest
    row["local_only"] = 1
    if old is None:
        for name in FIELD_OWNED:
            row[name] = clean.get(name)
        return row
    for name in FIELD_OWNED:
        if clean.get(name) and not old.get(name):
            row[name] = clean[name]
    # A factory never loses its name nor its place to a file that gives none ("-" as the
    # name, 0,0 as coordinates, which the cleaning empties): a damaged export must not
    # wipe good rows. Other fields may truly become empty (a soi dropped from an address),
    # so the file's empty cell stands for them.
    kept = not row["name"] and bool(old.get("name"))
    if kept:
        row["name"] = old["name"]
    registry_place = _coordinates_from_registry(old)
    if not registry_place or row["lat"] is None or row["lng"] is None:
        row["lat"], row["lng"] = old["lat"], old["lng"]
    if kept:
        # The hash of what is stored, with the coordinates as the file has them unless the
        # stored ones are the registry's: a GPS fix taken at the gate must not start
        # counting as the registry's (``_coordinates_from_registry``). The same file again
        # then changes nothing.
        hashed = row if registry_place else {**row, "lat": clean.get("lat"),
                                             "lng": clean.get("lng")}
        row["source_hash"] = source_hash(hashed)
        if all(row[name] == old.get(name) for name in row if name != "local_only"):
            return None
    return row


def from_office(old: dict | None) -> bool:
    """Whether a stored row is the office's copy (it came by sync), which an import on this
    laptop never changes: the office's registry is authoritative."""
    return old is not None and not old.get("local_only", 1)


def upsert_factories(store: Store, records: list[dict]) -> list[str]:
    """Insert or update clean registry records in one transaction, as local rows: no outbox
    entry (see the module doc).

    Returns ``"inserted"``, ``"updated"``, ``"unchanged"`` or ``"kept"`` (the office's row
    stays as the office has it) per record, in order. Records must have distinct factory IDs
    (the importer rejects duplicates within a file).
    """
    with store.transaction():
        ids = [r.get("id") or factory_id(r["fid"]) for r in records]
        existing = rows_by_id(store, "factories", ids)
        outcomes = ["unchanged"] * len(records)
        to_save: list[dict] = []
        positions: list[int] = []
        for index, (record, row_id) in enumerate(zip(records, ids, strict=True)):
            old = existing.get(row_id)
            row = plan_upsert(record, old, row_id)
            if from_office(old):
                outcomes[index] = "kept"
            elif row is not None:
                to_save.append(row)
                positions.append(index)
        saved = save_rows(store, "factories", to_save, existing=existing, send=False)
        for index, outcome in zip(positions, saved, strict=True):
            outcomes[index] = outcome
    return outcomes


def get_factory(store: Store, factory_id_: str) -> dict:
    """One factory by record id (or by 14-digit ID); NotFoundError if it does not exist."""
    rows = store.query("SELECT * FROM factories WHERE (id = ? OR fid = ?) AND deleted = 0",
                       (factory_id_, factory_id_))
    if not rows:
        raise NotFoundError(f"ไม่พบโรงงาน (factory {factory_id_} not found)")
    return rows[0]


def update_field_info(store: Store, factory_id_: str, **fields) -> dict:
    """Record what the inspector found on site: phone, contact person, GPS coordinates.

    Only ``FIELD_EDITABLE`` columns may change here; coordinates must lie inside Thailand.
    Returns the stored row.
    """
    unknown = sorted(set(fields) - set(FIELD_EDITABLE))
    if unknown:
        raise ValidationError(f"แก้ไขไม่ได้ (these factory fields come from the registry and "
                              f"cannot be edited here: {', '.join(unknown)})")
    factory = get_factory(store, factory_id_)
    lat = fields.get("lat", factory["lat"])
    lng = fields.get("lng", factory["lng"])
    if ("lat" in fields or "lng" in fields) and (lat is None) != (lng is None):
        raise ValidationError("พิกัดไม่ครบ (give both latitude and longitude, or neither)")
    if lat is not None and not (LAT_RANGE[0] <= lat <= LAT_RANGE[1]
                                and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        raise ValidationError(f"พิกัดอยู่นอกประเทศไทย (lat {lat}, lng {lng} is outside "
                              f"Thailand)")
    return save_row(store, "factories", {"id": factory["id"], **fields})
