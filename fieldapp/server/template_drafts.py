"""A checked template held between the console's preview and its publish step, without a
table: the preview page carries the template document in a hidden field together with a
seal, an HMAC of the document under a key only the server knows (kept in server_meta,
created once), bound to the user who previewed it. The publish step accepts the document
only with a matching seal, and then checks it again in full, so neither a changed field
nor a seal copied from another person's preview can publish content nobody previewed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from fieldapp.server.storage import Database

KEY = "console_seal_key"


def _key(db: Database) -> bytes:
    with db.read() as c:
        held = c.value("SELECT value FROM server_meta WHERE key = ?", (KEY,))
    if held is None:
        with db.write() as c:     # two servers racing here keep the first key
            c.run("INSERT INTO server_meta (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO NOTHING", (KEY, secrets.token_hex(32)))
            held = c.value("SELECT value FROM server_meta WHERE key = ?", (KEY,))
    return bytes.fromhex(held)


def _mac(db: Database, user_id: str, name: str, text: str) -> str:
    message = f"{user_id}\n{name}\n{text}".encode()
    return hmac.new(_key(db), message, hashlib.sha256).hexdigest()


def seal(db: Database, user_id: str, name: str, document: dict) -> tuple[str, str]:
    """The document as the text the preview form carries, and its seal (which covers the
    uploaded file's ``name`` too: the audit log names the file)."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, _mac(db, user_id, name, text)


def unseal(db: Database, user_id: str, name: object, text: object,
           mark: object) -> dict | None:
    """The document ``text`` if ``mark`` is its seal for ``user_id`` and ``name``; None
    otherwise."""
    if not all(isinstance(v, str) for v in (name, text, mark)):
        return None
    if not hmac.compare_digest(_mac(db, user_id, name, text).encode(), mark.encode()):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None
