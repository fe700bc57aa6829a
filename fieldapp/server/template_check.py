"""Checking a template version before the server stores it, whoever sends it (an admin's
push, ``fieldapp-server templates publish``): every laptop inspects against what is stored
here, so a body a laptop cannot read must never be stored.

A version is stored only if its body is JSON, passes the template schema and rules (the
laptops' own loader, core/template_loading.py), hashes to its ``content_hash`` (the SHA-256
of the body's canonical JSON, core/canonical.py) and agrees with its row: key, version and
the name-based row id every device derives (core/template_model.version_id).
"""

from __future__ import annotations

import json

from fieldapp.core.templates import TemplateError, parse_template, version_id

STATUSES = ("draft", "published", "retired")


def template_problem(row_id: str, row: dict) -> str | None:
    """What is wrong with template version ``row`` (its stored fields after this change)
    as the reason a laptop or the office reads, or None if it may be stored."""
    source = f"template_versions {row_id}"
    if row.get("status") not in STATUSES:
        return f"{source}: status is one of {', '.join(STATUSES)}"
    body = row.get("body")
    if not isinstance(body, str):
        return f"{source}: body must be the template's JSON text"
    try:
        template = parse_template(json.loads(body), source)
    except ValueError as exc:   # not JSON (TemplateError is not a ValueError)
        return f"แบบตรวจไม่ใช่ JSON (template body is not JSON): {source}: {exc}"
    except TemplateError as exc:
        return str(exc)
    if template.content_hash != row.get("content_hash"):
        return (f"แบบตรวจไม่ตรงกับค่าแฮช (template body does not match its content_hash): "
                f"{source}: the body hashes to {template.content_hash}")
    if (template.key, template.version) != (row.get("template_key"), row.get("version")):
        return (f"{source}: template_key and version must be those of the body "
                f"({template.key} v{template.version})")
    if row_id != version_id(template.key, template.version):
        return (f"{source}: the id of {template.key} v{template.version} is "
                f"{version_id(template.key, template.version)}")
    return None
