"""Office work on the server database: write the office's rows, publish templates, assign
inspections, export finalized inspections, list conflicts. The registry's import and the
factories reported from the field are in ``office_registry``.

Templates are read with the laptop's own code (``fieldapp.core.templates``) into a
throw-away local store, and the resulting rows enter the server through the same push path
as any laptop's changes: one set of rules, one change sequence.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.core.template_model import Template
from fieldapp.core.templates import TemplateError, parse_template
from fieldapp.core.thaidate import arabic_digits, parse_date
from fieldapp.server import history
from fieldapp.server.auth import Principal
from fieldapp.server.push import Op, push
from fieldapp.server.records import Record
from fieldapp.server.storage import Database
from fieldapp.store.db import open_store
from fieldapp.store.factories import factory_id
from fieldapp.store.templates import publish_template
from fieldapp.sync import protocol as P

log = logging.getLogger(__name__)
OFFICE = Principal("office", "office", "admin", frozenset(), "office")
BATCH = 1000


def _clock(db: Database) -> HybridClock:
    """The office's clock, after every stamp already in the database."""
    with db.read() as c:
        newest = c.value("SELECT max(updated_hlc) FROM records")
    clock = HybridClock("office")
    if newest:
        clock.observe(newest)
    return clock


def _head(db: Database) -> int:
    """The office's cursor for its own writes: it has seen every change made so far (the
    real last change number, never one past it: that would say nothing true)."""
    with db.read() as c:
        return history.head(c)


def push_rows(db: Database, table: str, rows: list[dict], who: Principal = OFFICE,
               progress: Callable[[int], None] | None = None, seen: int | None = None) -> dict:
    """Push ``rows`` as ``who``, having seen every change up to ``seen`` (by default, each
    batch: up to the moment it goes)."""
    clock = _clock(db)
    counts = {P.APPLIED: 0, P.REJECTED: 0, "reasons": []}
    for start in range(0, len(rows), BATCH):
        # The fields each row names (a registry update names only those that change).
        ops = [Op(uuid7(), table, row["id"], "upsert",
                  {k: row[k] for k in P.COLUMNS[table] if k in row}, clock.now())
               for row in rows[start:start + BATCH]]
        for ack in push(db, who, ops, _head(db) if seen is None else seen):
            counts[ack["outcome"]] = counts.get(ack["outcome"], 0) + 1
            if ack["reason"]:
                counts["reasons"].append(ack["reason"])
        if progress:
            progress(start + len(ops))
    return counts


def write_fields(db: Database, who: Principal, table: str, row_id: str,
                 fields: dict) -> dict:
    """Change fields of one synced row as the office (device "office", the office's clock,
    having seen every change so far), on behalf of the console user ``who``: an ordinary
    change laptops receive by sync, checked by the push rules like any other (a finalized
    record stays as it is). Returns the push's acknowledgement."""
    writer = Principal(who.user_id, who.username, "admin", frozenset(), "office")
    op = Op(uuid7(), table, row_id, "upsert", dict(fields), _clock(db).now())
    return push(db, writer, [op], _head(db))[0]


def write_rows(db: Database, who: Principal, changes: list[tuple[str, str, dict]]) -> list[dict]:
    """``write_fields`` for many rows ``(table, row_id, fields)`` in ONE push (one
    transaction: all are answered together; each answer says whether its row changed)."""
    if not changes:
        return []
    writer = Principal(who.user_id, who.username, "admin", frozenset(), "office")
    clock = _clock(db)
    ops = [Op(uuid7(), table, row_id, "upsert", dict(fields), clock.now())
           for table, row_id, fields in changes]
    return push(db, writer, ops, _head(db))


def publish_template_file(db: Database, path: str | Path) -> dict:
    """Validate a template file with the laptop's loader and publish it to every laptop.
    The same version published again changes nothing; the push checks the row once more
    (server/template_check.py)."""
    from fieldapp.core.templates import load_template

    return publish_template_version(db, load_template(path))


def publish_template_version(db: Database, template: Template) -> dict:
    """Publish a checked template (from a file, or an upload in the console) to every
    laptop; the same version again changes nothing, a different body under a published
    version is refused by the push (server/template_check.py, push._guard_template)."""
    with db.read() as c:
        held = c.one("SELECT * FROM records WHERE tbl = 'template_versions' AND id = ?",
                     (template.version_id,))
    if held is not None:
        old = Record.from_row(held)
        if not old.deleted and old.data.get("content_hash") == template.content_hash:
            return {**old.data, "id": old.id}   # not even a new publish time for laptops
        if not old.deleted and old.data.get("status") != "draft":
            raise ValidationError(
                f"แบบตรวจ {template.key} ฉบับที่ {template.version} เผยแพร่แล้วด้วยเนื้อหาอื่น "
                f"แก้ไขไม่ได้ (template {template.key} v{template.version} is already published "
                f"with different content, and a published version never changes) — set "
                f"\"version\": {next_template_version(db, template.key)} in the file and "
                f"publish it again")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "publish.db")
        try:
            row = publish_template(store, template)
        finally:
            store.close()
    counts = push_rows(db, "template_versions", [row])
    if counts[P.REJECTED]:
        raise ValidationError(counts["reasons"][0])
    return row


def next_template_version(db: Database, key: str) -> int:
    """One more than the highest version of template ``key`` on the server (1 for a new
    key): the number a changed template is published under."""
    return max((int(r["version"] or 0) for r in template_versions(db, usage=False)
                if r["key"] == key), default=0) + 1


def template_of_version(db: Database, row_id: str) -> Template | None:
    """The parsed template of the published (not deleted) version row ``row_id``; None for
    an unknown id or a body that no longer parses."""
    with db.read() as c:
        held = c.one("SELECT * FROM records WHERE tbl = 'template_versions' AND id = ? "
                     "AND deleted = 0", (row_id,))
    if held is None:
        return None
    try:
        return parse_template(json.loads(Record.from_row(held).data.get("body") or ""),
                              row_id)
    except (ValueError, TemplateError):
        return None


def template_versions(db: Database, usage: bool = True) -> list[dict]:
    """Every template version on the server, by key and newest version first: id, key,
    version, title, status, published_at, and how many inspections (not deleted) use it
    (0 for all with ``usage=False``). Listed from the rows, without parsing bodies."""
    with db.read() as c:
        versions = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE tbl = 'template_versions' AND deleted = 0")]
        # From the console's projection (schema V5), indexed: not by reading every
        # inspection's JSON, which at national scale took seconds a page view.
        used: dict[str, int] = dict(c.tuples(
            "SELECT template_version_id, count(*) FROM inspection_index WHERE deleted = 0 "
            "GROUP BY template_version_id")) if usage else {}
    out = [{"id": v.id, "key": v.data.get("template_key"), "version": v.data.get("version"),
            "title": v.data.get("title") or "", "status": v.data.get("status"),
            "published_at": v.data.get("published_at"), "inspections": used.get(v.id, 0)}
           for v in versions]
    out.sort(key=lambda r: (str(r["key"]), -int(r["version"] or 0)))
    return out


def publish_shipped_templates(db: Database) -> list[dict]:
    """Publish the templates shipped with FieldApp (resources/templates) that the server
    lacks, as the office (laptops keep their shipped copies to themselves). Returns the rows
    newly published; a shipped file that conflicts with what the office published under
    its version is skipped with a warning (the office's version stands)."""
    from fieldapp.store.templates import bundled_template_files

    with db.read() as c:
        before = {r["id"] for r in c.all("SELECT id FROM records "
                                         "WHERE tbl = 'template_versions'")}
    published = []
    for path in bundled_template_files():
        try:
            row = publish_template_file(db, path)
        except ValidationError as exc:
            log.warning("shipped template %s not published: %s", path.name, exc)
            continue
        if row["id"] not in before:
            published.append(row)
    return published


def planned_start(text: str) -> str:
    """When an assigned inspection is planned to start, as ``started_at`` holds it (UTC,
    ISO 8601 with milliseconds), from what an administrator typed: a date (ISO, Thai, or
    in the Buddhist era: 9:00 in Bangkok that day) or an ISO date and time. Anything else
    is refused: stored as typed, it broke the laptop's printing of the record."""
    raw = arabic_digits(text or "").strip()
    moment = None
    if "T" in raw or ":" in raw:
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone(timedelta(hours=7)))   # Bangkok
    else:
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is not None:
            moment = datetime.combine(day, time(9), timezone(timedelta(hours=7)))
    if moment is None or not 2000 <= moment.year <= 2200:
        raise ValidationError(f"ไม่ใช่วันที่ (not a date to plan for: {text!r}; e.g. "
                              f"2026-12-20, 20/12/2569 or 2026-12-20T09:30)")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def assign(db: Database, username: str, fid: str, template_key: str, *,
           kind: str = "routine", started_at: str, purpose: str | None = None) -> str:
    """Create a draft inspection of a factory for an inspector; it reaches their laptop on
    the next sync. Returns the inspection id."""
    with db.read() as c:
        user = c.one("SELECT id, username, role FROM users WHERE username = ?", (username,))
        # By its id, which every device derives from the 14-digit ID (push refuses a
        # factory reported under any other id): never a look-alike row naming the same ID.
        factory = c.one("SELECT id, province FROM records WHERE tbl = 'factories' AND id = ? "
                        "AND deleted = 0", (factory_id(fid),))
        granted = user is not None and factory is not None and (
            user["role"] == "admin" or c.value(
                "SELECT 1 FROM user_provinces WHERE user_id = ? AND province_code = ?",
                (user["id"], factory["province"])))
        versions = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE tbl = 'template_versions' AND deleted = 0")]
    if user is None:
        raise NotFoundError(f"ไม่มีผู้ใช้ชื่อนี้ (no user {username!r}) — `fieldapp-server "
                            f"users list` shows them")
    if factory is None:
        raise NotFoundError(f"ไม่พบโรงงานเลขทะเบียน {fid} (no factory {fid} on the server: "
                            f"check the 14-digit ID, or import the registry first with "
                            f"`fieldapp-server factories import`)")
    if not granted:
        raise ValidationError(f"ผู้ตรวจ {username} ไม่ได้รับสิทธิ์จังหวัด {factory['province']} "
                              f"ของโรงงานนี้ ({username} has no grant for province "
                              f"{factory['province']} of factory {fid}: the inspection would "
                              f"not reach them) — `fieldapp-server users grant-province` first")
    matching = [v for v in versions if v.data.get("template_key") == template_key
                and v.data.get("status") == "published"]
    if not matching:
        raise NotFoundError(f"ไม่พบแบบตรวจที่เผยแพร่แล้ว (no published template "
                            f"{template_key!r}) — e.g. env-general, complaint, follow-up; "
                            f"`fieldapp-server templates publish FILE` adds one")
    version = max(matching, key=lambda v: v.data["version"])
    inspection_id = uuid7()
    who = Principal(user["id"], user["username"], "admin", frozenset(), "office")
    clock = _clock(db)
    ack = push(db, who, [Op(uuid7(), "inspections", inspection_id, "upsert", {
        "factory_id": factory["id"], "template_version_id": version.id, "kind": kind,
        "state": "draft", "started_at": started_at, "purpose": purpose,
        "record_no": None, "created_by": username}, clock.now())], _head(db))[0]
    if ack["outcome"] != P.APPLIED:
        raise ValidationError(ack["reason"] or "assignment refused")
    return inspection_id


def export_inspections(db: Database, fmt: str = "csv", state: str | None = "finalized") -> str:
    """Inspections with their factory, for office reporting, as CSV or JSON text."""
    with db.read() as c:
        rows = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE tbl IN ('inspections', 'factories') AND deleted = 0")]
        owners = {u["id"]: u["username"] for u in c.all("SELECT id, username FROM users")}
        counts = {}
        for r in c.all("SELECT parent_id, tbl, count(*) AS n FROM records WHERE deleted = 0 "
                       "AND parent_id IS NOT NULL GROUP BY parent_id, tbl"):
            counts[(r["parent_id"], r["tbl"])] = r["n"]
    factories = {r.id: r.data for r in rows if r.tbl == "factories"}
    out = []
    for r in rows:
        if r.tbl != "inspections" or (state and r.data.get("state") != state):
            continue
        f = factories.get(r.data.get("factory_id"), {})
        out.append({
            "id": r.id, "record_no": r.data.get("record_no"), "state": r.data.get("state"),
            "kind": r.data.get("kind"), "started_at": r.data.get("started_at"),
            "finalized_at": r.data.get("finalized_at"), "fid": f.get("fid"),
            "factory": f.get("name"), "province_code": r.province,
            "inspector": owners.get(r.owner, r.owner), "content_hash": r.data.get("content_hash"),
            "amends_id": r.data.get("amends_id"),
            "answers": counts.get((r.id, "answers"), 0),
            "findings": counts.get((r.id, "findings"), 0),
            "attachments": counts.get((r.id, "attachments"), 0)})
    out.sort(key=lambda x: (x["started_at"] or "", x["id"]))
    if fmt == "json":
        return json.dumps(out, ensure_ascii=False, indent=1)
    if fmt != "csv":
        raise ValidationError("format is csv or json")
    buf = io.StringIO()
    columns = list(out[0]) if out else ["id"]
    writer = csv.DictWriter(buf, columns)
    writer.writeheader()
    writer.writerows(out)
    return buf.getvalue()


def list_conflicts(db: Database, limit: int = 500) -> list[dict]:
    """Concurrent overwrites of shared fields, newest first, for the office to review."""
    with db.read() as c:
        return c.all("SELECT recorded_at, tbl, row_id, field, kept_value, kept_device, "
                     "lost_value, lost_device FROM conflicts ORDER BY recorded_at DESC, id "
                     "LIMIT ?", (limit,))
