"""One inspection as the console shows it: header, factory, every template item with its
answer, photos, signatures and refusals, findings, participants, the amendment chain both
ways, conflicts recorded on it and its rows, and which laptop sent which change when.

Unknown and out-of-scope inspections look the same (None): the console must not confirm
that an id exists to someone who may not read it.
"""

from __future__ import annotations

import json
import threading

from fieldapp.core import detection
from fieldapp.core.canonical import factory_text, signed_factory
from fieldapp.core.templates import Template, TemplateError, judgement, parse_template
from fieldapp.server import blob_access
from fieldapp.server.auth import Principal
from fieldapp.server.queries.scoping import owned, province_name, usable_id
from fieldapp.server.records import Record
from fieldapp.server.scope import may_read
from fieldapp.server.storage import Conn, Database
from fieldapp.sync import protocol as P

_HEADER = ("record_no", "state", "kind", "started_at", "finalized_at", "purpose", "amends_id",
           "created_by", "content_hash", "template_version_id")
_FACTORY = ("fid", "facreg", "name", "operator", "business", "factory_class", "address",
            "moo", "soi", "road", "subdistrict", "district", "province", "province_code",
            "phone", "contact_person", "lat", "lng", "status", "workers", "horsepower")
_templates: dict[tuple[str, str], Template | None] = {}


def _changed_since(inspection: Record, factory: Record | None) -> dict | None:
    signed = signed_factory(inspection.data)
    if signed is None:
        return None
    # Compared as the record would keep the registry's row now (text as text, ...), so a
    # number stored as text is no change.
    if signed == json.loads(factory_text(factory.data if factory is not None else {})):
        return None
    return signed
_templates_lock = threading.Lock()


def _template(row: Record | None) -> Template | None:
    """The parsed template of a version row (published versions never change: cached by
    id and content hash)."""
    if row is None:
        return None
    key = (row.id, str(row.data.get("content_hash")))
    with _templates_lock:
        if key in _templates:
            return _templates[key]
    try:
        template = parse_template(json.loads(row.data.get("body") or ""), row.id)
    except (ValueError, TemplateError):
        template = None     # shown without its checklist rather than not at all
    with _templates_lock:
        if len(_templates) > 200:
            _templates.clear()
        _templates[key] = template
    return template


def _decimal(value: object) -> str | None:
    return None if value is None else format(value, "f")


def _items(template: Template | None, answers: dict[str, dict]) -> list[dict]:
    """Every item of the template in order, with its answer; answers to items the template
    lacks come last (a row the office should see rather than lose)."""
    out = []
    if template is not None:
        for section in template.sections:
            for item in section.items:
                a = answers.get(item.id, {})
                out.append({
                    "item_id": item.id, "number": item.number, "section_id": section.id,
                    "section_number": section.number, "section_title": dict(section.title),
                    "label": dict(item.label), "type": item.type, "required": item.required,
                    "legal_basis": item.legal_basis, "unit": item.unit,
                    "limit_min": _decimal(item.limits.min) if item.limits else None,
                    "limit_max": _decimal(item.limits.max) if item.limits else None,
                    "limit_text": item.limits.text(item.unit) if item.limits else "",
                    "choices": [{"id": ch.id, "label": dict(ch.label)} for ch in item.choices],
                    "answer_id": a.get("id"), "value": a.get("value"),
                    "result": a.get("result"), "note": a.get("note"),
                    "exceeded": bool(a.get("exceeded")) if a else False,
                    **_measured(item, a.get("value"))})
    known = {i["item_id"] for i in out}
    for item_id, a in sorted(answers.items()):
        if item_id not in known:
            out.append({"item_id": item_id, "number": None, "section_id": None,
                        "section_number": None, "section_title": None, "label": None,
                        "type": None, "required": False, "legal_basis": None, "unit": None,
                        "limit_min": None, "limit_max": None, "limit_text": "", "choices": [],
                        "answer_id": a.get("id"), "value": a.get("value"),
                        "result": a.get("result"), "note": a.get("note"),
                        "exceeded": bool(a.get("exceeded")), "value_text": None,
                        "undecided": False})
    return out


def _measured(item, value: object) -> dict:
    """A lab's "<2" or "ND" as the paper prints it (``value_text``, unit included), and
    whether the value alone cannot be judged against the limit (``undecided``: the
    inspector's result is the decision; core/detection.py)."""
    if item.type != "number" or not isinstance(value, str):
        return {"value_text": None, "undecided": False}
    return {"value_text": detection.printed_text(value, item.unit),
            "undecided": judgement(item, value) == detection.UNDECIDED}


def _record(c: Conn, tbl: str, rid: str | None) -> Record | None:
    if not rid:
        return None
    row = c.one("SELECT * FROM records WHERE tbl = ? AND id = ?", (tbl, rid))
    return Record.from_row(row) if row else None


def _chain(c: Conn, who: Principal, inspection: Record) -> dict:
    """What this inspection amends and what amends it, as far as the caller may read."""
    scope, params = owned(who)
    older, seen = [], {inspection.id}
    current = inspection.data.get("amends_id")
    while current and current not in seen and len(older) < 50:
        seen.add(current)
        row = c.one(f"SELECT id, record_no, state, started_at, finalized_at, amends_id "
                    f"FROM inspection_index WHERE id = ? AND deleted = 0 AND {scope}",
                    (current, *params))
        if row is None:
            break
        older.append(row)
        current = row["amends_id"]
    newer, frontier = [], [inspection.id]
    while frontier and len(newer) < 50:
        found = c.all(f"SELECT id, record_no, state, started_at, finalized_at, amends_id "
                      f"FROM inspection_index WHERE amends_id = ? AND deleted = 0 AND {scope} "
                      f"ORDER BY started_at, id", (frontier.pop(0), *params))
        for row in found:
            if row["id"] not in seen:
                seen.add(row["id"])
                newer.append(row)
                frontier.append(row["id"])
    return {"amends": older, "amended_by": newer}


def _by_table(keys: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tbl, rid in keys:
        out.setdefault(tbl, []).append(rid)
    return out


def _conflicts(c: Conn, keys: list[tuple[str, str]]) -> list[dict]:
    out = []
    for tbl, ids in _by_table(keys).items():
        for where, params in c.any_of("row_id", ids):
            out += c.all(f"SELECT id, tbl, row_id, field, kept_value, kept_hlc, kept_device, "
                         f"lost_value, lost_hlc, lost_device, recorded_at, resolved_at, "
                         f"resolved_by, choice FROM conflicts WHERE tbl = ? AND {where}",
                         [tbl, *params])
    for r in out:
        r["kept_value"] = _json(r["kept_value"])
        r["lost_value"] = _json(r["lost_value"])
    return sorted(out, key=lambda r: (r["recorded_at"], r["id"]))


def _json(text: str | None):
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return text


def sync_history(c: Conn, keys: list[tuple[str, str]], limit: int = 500) -> list[dict]:
    """The applied operations on these rows (recorded since schema V5): when, which laptop
    and user sent each, and the change number it got, newest first."""
    out = []
    for tbl, ids in _by_table(keys).items():
        for where, params in c.any_of("o.row_id", ids):
            out += c.all(f"SELECT o.received_at, o.tbl, o.row_id, o.device_id, u.username, "
                         f"o.outcome, o.seq FROM ops o LEFT JOIN users u ON u.id = o.user_id "
                         f"WHERE o.outcome = 'applied' AND o.tbl = ? AND {where}",
                         [tbl, *params])
    out.sort(key=lambda r: (r["received_at"], r["seq"] or 0), reverse=True)
    return out[:limit]


def inspection_detail(db: Database, who: Principal, inspection_id: str) -> dict | None:
    """Everything the console shows of one inspection, or None when there is no such
    inspection or ``who`` may not read it (deleted ones too: None)."""
    if not usable_id(inspection_id):
        return None
    with db.read() as c:
        inspection = _record(c, "inspections", inspection_id)
        if inspection is None or inspection.deleted or not may_read(who, inspection):
            return None
        factory = _record(c, "factories", inspection.data.get("factory_id"))
        version = _record(c, "template_versions", inspection.data.get("template_version_id"))
        children = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE parent_id = ? ORDER BY tbl, id", (inspection.id,))]
        children = [r for r in children if r.tbl in P.CHILD_TABLES and not r.deleted]
        owner = c.value("SELECT username FROM users WHERE id = ?", (inspection.owner,))
        chain = _chain(c, who, inspection)
        keys = [("inspections", inspection.id)] + [(r.tbl, r.id) for r in children]
        conflicts = _conflicts(c, keys)
        history = sync_history(c, keys)
    rows: dict[str, list[Record]] = {t: [] for t in P.CHILD_TABLES}
    for r in children:
        rows[r.tbl].append(r)
    answers = {r.data.get("item_id"): {**r.data, "id": r.id} for r in rows["answers"]}
    attachments = {r.id: r for r in rows["attachments"]}
    template = _template(version)
    return {
        "id": inspection.id,
        **{name: inspection.data.get(name) for name in _HEADER},
        "province": inspection.province, "province_name": province_name(inspection.province),
        "owner": inspection.owner, "inspector": owner, "frozen": bool(inspection.frozen),
        "updated_hlc": inspection.updated_hlc, "device_id": inspection.device_id,
        "template": None if version is None else {
            "id": version.id, "key": version.data.get("template_key"),
            "version": version.data.get("version"), "title": version.data.get("title"),
            "form_code": template.form_code if template else None,
            "title_en": template.title.get("en") if template else None},
        "factory": None if factory is None else {
            "id": factory.id, **{name: factory.data.get(name) for name in _FACTORY}},
        # What the record was signed with (what its printed form shows), where the registry
        # has changed it since; None when they agree or the record kept none.
        "signed_factory": _changed_since(inspection, factory),
        "items": _items(template, answers),
        "photos": [{"id": r.id, "sha256": r.data.get("sha256"), "kind": r.data.get("kind"),
                    "mime": r.data.get("mime"), "size": r.data.get("size"),
                    "caption": r.data.get("caption"), "item_id": r.data.get("item_id"),
                    "taken_at": r.data.get("taken_at")}
                   for r in sorted(rows["attachments"],
                                   key=lambda r: (str(r.data.get("taken_at")), r.id))
                   if r.data.get("kind") != "signature"],
        "signatures": [{
            "id": r.id, "signer_name": r.data.get("signer_name"),
            "signer_role": r.data.get("signer_role"), "signed_at": r.data.get("signed_at"),
            "participant_id": r.data.get("participant_id"),
            "refused": bool(r.data.get("refused")),
            "refusal_reason": r.data.get("refusal_reason"),
            "witness_name": r.data.get("witness_name"),
            "attachment_id": r.data.get("attachment_id"),
            "sha256": (attachments[r.data["attachment_id"]].data.get("sha256")
                       if r.data.get("attachment_id") in attachments else None)}
            for r in sorted(rows["signatures"], key=lambda r: (str(r.data.get("signed_at")), r.id))],
        "findings": [{"id": r.id, **{k: r.data.get(k) for k in (
            "item_id", "description", "legal_basis", "order_text", "deadline", "status")}}
            for r in sorted(rows["findings"], key=lambda r: (str(r.data.get("item_id")), r.id))],
        "participants": [{"id": r.id, **{k: r.data.get(k) for k in (
            "role", "name", "position", "organisation", "phone", "sort_order")}}
            for r in sorted(rows["participants"],
                            key=lambda r: (r.data.get("sort_order") or 0, r.id))],
        "amends": chain["amends"], "amended_by": chain["amended_by"],
        "conflicts": conflicts, "sync_history": history}


def may_read_blob(db: Database, who: Principal, sha256: str) -> bool:
    """Whether ``who`` may see the attachment bytes ``sha256`` (a thumbnail, a signature):
    the rule the sync API applies (server/blob_access.py)."""
    if not usable_id(sha256) or len(sha256) != 64:
        return False
    with db.read() as c:
        return blob_access.may_read(c, who, sha256.lower())


def shows_blob(db: Database, who: Principal, inspection_id: str, sha256: str) -> bool:
    """Whether the bytes ``sha256`` are a photo or signature of inspection
    ``inspection_id`` that ``who`` may open (its page's scope: an inspector their own
    records). The photo link names the record: bytes of another record, even ones the sync
    rules let this user read (an approved record's order photos), are not served under it."""
    if not usable_id(inspection_id) or not usable_id(sha256) or len(sha256) != 64:
        return False
    scope, params = owned(who, "i")
    with db.read() as c:
        return c.one(
            "SELECT 1 FROM records a JOIN records i ON i.tbl = 'inspections' "
            "AND i.id = a.parent_id WHERE a.tbl = 'attachments' AND a.parent_id = ? "
            f"AND a.blob_sha = ? AND a.deleted = 0 AND i.deleted = 0 AND {scope}",
            (inspection_id, sha256.lower(), *params)) is not None
