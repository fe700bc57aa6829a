"""Template versions in the local database: publish, read, list, install the shipped ones.

A published version is immutable: publishing the same body again changes nothing, a
different body under the same key and version is refused (and a trigger in the schema
refuses a raw UPDATE too). Inspections point at one exact version by its id.
"""

from __future__ import annotations

import json
import logging
import threading

from fieldapp.core.canonical import canonical_bytes
from fieldapp.core.errors import FieldAppError, ImmutableRecordError, NotFoundError
from fieldapp.core.resources import resource_path
from fieldapp.core.templates import Template, load_template, parse_template, version_id
from fieldapp.store.changes import get_row, now_iso, save_row
from fieldapp.store.db import Store

log = logging.getLogger(__name__)

# Parsed templates by (row id, content hash): a published body never changes, so the pair
# names one Template for the life of the process, whichever database it came from.
_cache: dict[tuple[str, str], Template] = {}
_cache_lock = threading.Lock()


def publish_template(store: Store, template: Template, *, send: bool = True) -> dict:
    """Store ``template`` as a published version; returns the row.

    Idempotent for an identical body. A different body under an existing key and version
    raises ImmutableRecordError: published versions never change, bump the version instead.
    ``send=False`` publishes it on this laptop only (nothing for the server: only the
    office publishes there).
    """
    row_id = version_id(template.key, template.version)
    with store.transaction():
        old = get_row(store, "template_versions", row_id)
        if old is not None and not old["deleted"] and old["status"] != "draft":
            if old["content_hash"] == template.content_hash:
                return old  # the same version again (or a retired one): nothing to do
            raise ImmutableRecordError(
                f"แม่แบบ {template.key} ฉบับที่ {template.version} เผยแพร่แล้ว แก้ไขไม่ได้ "
                f"(template {template.key} v{template.version} is already published with "
                "different content; a published version is immutable; bump the version)")
        return save_row(store, "template_versions", {
            "id": row_id, "template_key": template.key, "version": template.version,
            "status": "published", "title": template.title["th"],
            # Stored as its canonical text, so the body hashes to content_hash byte for byte.
            "body": canonical_bytes(template.body).decode("utf-8"),
            "content_hash": template.content_hash, "published_at": now_iso()}, send=send)


def _from_row(row: dict) -> Template:
    key = (row["id"], row["content_hash"])
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    source = f"template {row['template_key']} v{row['version']}"
    template = parse_template(json.loads(row["body"]), source)
    if template.content_hash != row["content_hash"]:
        # Someone edited the stored body outside the app: refuse to inspect against it.
        raise ImmutableRecordError(
            f"แม่แบบ {source} ในฐานข้อมูลไม่ตรงกับค่าแฮชที่บันทึกไว้ (stored body of {source} "
            "does not match its content hash); sync again to restore it")
    with _cache_lock:
        _cache[key] = template
    return template


def get_template(store: Store, template_version_id: str) -> Template:
    """The template version with this id; NotFoundError if it is not in this database."""
    row = get_row(store, "template_versions", template_version_id)
    if row is None or row["deleted"]:
        raise NotFoundError(f"ไม่พบแม่แบบรายการตรวจ (no template version {template_version_id})")
    return _from_row(row)


def latest_published(store: Store, key: str) -> Template | None:
    """The highest published version of template ``key`` this laptop can read, or None."""
    rows = store.query(
        "SELECT * FROM template_versions WHERE template_key = ? AND status = 'published' "
        "AND deleted = 0 ORDER BY version DESC", (key,))
    return next((t for t in (_readable(row, None) for row in rows) if t is not None), None)


def unreadable_reason(row: dict) -> str:
    """Why the stored version ``row`` cannot be used, in words a person reads."""
    return (f"ข้ามแบบตรวจ {row['template_key']} ฉบับที่ {row['version']} ที่อ่านไม่ได้ "
            f"(skipped unreadable template {row['template_key']} v{row['version']}) — "
            "sync again, or ask the office")


def _readable(row: dict, skipped: list[str] | None) -> Template | None:
    """The template of ``row``, or None if this laptop cannot read it (a body that is not
    JSON, fails the schema or does not hash to its content_hash): one bad version must
    never stop a list of templates, or the new-inspection dialog that shows one."""
    try:
        return _from_row(row)
    except (ValueError, TypeError, KeyError, AttributeError, FieldAppError) as exc:
        log.warning("template version %s unreadable: %s", row.get("id"), exc)
        if skipped is not None:
            skipped.append(unreadable_reason(row))
        return None


def list_templates(store: Store, skipped: list[str] | None = None) -> list[dict]:
    """Every template version in the database: id, key, version, title (Thai and English),
    form code, kind, status, item count, published_at; by key, newest version first.
    A version this laptop cannot read is left out, a message saying so appended to
    ``skipped``."""
    out = []
    for row in store.query("SELECT * FROM template_versions WHERE deleted = 0 "
                           "ORDER BY template_key, version DESC"):
        template = _readable(row, skipped)
        if template is None:
            continue
        out.append({"id": row["id"], "key": row["template_key"], "version": row["version"],
                    "title": template.title["th"], "title_en": template.title["en"],
                    "form_code": template.form_code, "kind": template.kind,
                    "status": row["status"], "items": len(template.items),
                    "published_at": row["published_at"]})
    return out


def bundled_template_files() -> list:
    """The template files shipped with the app (resources/templates/*.json), sorted."""
    folder = resource_path("templates")
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def install_bundled_templates(store: Store) -> list[dict]:
    """Publish every shipped template version that this database does not have yet.

    Returns the rows newly published. A shipped file whose key and version are already
    published with other content is skipped with a warning, not an error: the app must
    still start; the release that shipped it forgot to bump the version.

    They stay on this laptop (never pushed): only the office publishes on the server, and
    the office server publishes the same shipped versions itself (server/office.py), so
    the laptop's copy and the office's are the same version with the same id.
    """
    published = []
    for path in bundled_template_files():
        template = load_template(path)
        existing = get_row(store, "template_versions", template.version_id)
        if existing is not None and not existing["deleted"] \
                and existing["status"] != "draft":
            if existing["content_hash"] != template.content_hash:
                log.warning("bundled template %s v%s differs from the published one; skipped "
                            "(bump its version)", template.key, template.version)
            continue
        published.append(publish_template(store, template, send=False))
    return published
