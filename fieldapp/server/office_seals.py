"""Seals on the office's own rows, so that a laptop can give back what a restore lost.

Rows of the office's tables (complaints, plans, reviews, orders and their files; no laptop
may create them) that the office made or changed after its last backup are lost when it is
restored from that backup, although the laptops that pulled them hold copies. The office
trusts no laptop, so a copy is taken back only with proof that the office itself sent it:
each such row in a pull page (and in the streamed snapshot) carries a seal, an HMAC-SHA256
under a key only this office holds (``server_meta``, created once), over exactly what the
laptop received for it (table, id, the row as on the wire, with its clock, device and
tombstone) and the per-field clocks the office merged it by, when they are not all the
row's own clock. The laptop keeps the last sealed copy of each such row and, after a
restore, sends it back (store/office_copies.py); ``unseal`` checks it here, and push.py
merges it field by field with those clocks, as the office's own write.

The key lives in the database (made when the server opens one without it,
server/database.py), so a backup holds it with the rows it sealed; a backup taken before the
key existed holds none, and copies sealed after it cannot be checked once it is restored
(they are refused, and the rows stay lost as before).
This module never trusts what a laptop says about a row beyond what its seal covers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fieldapp.server.records import Record
from fieldapp.server.storage import Conn, Database
from fieldapp.store.wirejson import dumps_sorted_text
from fieldapp.sync import protocol as P

KEY = "office_row_seal_key"
# Bound into every seal: a MAC made for anything else under the same key never fits.
_PURPOSE = "fieldapp office row seal 1"
_META = ("id", "updated_hlc", "device_id", "deleted")


class BadSeal(ValueError):
    """A sealed copy this office did not send as it stands; the message says why."""


def held_key(c: Conn, meta: dict[str, str] | None = None) -> bytes | None:
    """The key, read in the caller's transaction (``meta``: its ``server_meta`` values, read
    already); None if this database has none yet."""
    held = c.meta_value(KEY, meta)
    return bytes.fromhex(held) if held else None


def ensure_key(db: Database) -> bytes:
    """The key, made now if this database has none (two servers racing keep the first)."""
    with db.write() as c:
        c.run("INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
              (KEY, secrets.token_hex(32)))
        return held_key(c)


def _clocks_on_wire(rec_data: dict, clocks: dict, updated_hlc: str,
                    device_id: str) -> dict | None:
    """The row's field clocks as sealed: None when every field of ``data`` was set by the
    row's own clock (most rows); ``{"*": [hlc, device]}`` (plus ``deleted`` when the
    tombstone is a field of ``data``) when one other write set them all; otherwise
    ``{field: [hlc, device]}``. The change sequence of each is this database's own and
    means nothing to another history: it is left out."""
    if "deleted" not in rec_data and len(clocks) == len(rec_data) and all(
            clock[0] == updated_hlc and clock[1] == device_id for clock in clocks.values()) \
            and clocks.keys() == rec_data.keys():
        return None   # most rows, decided without building anything (pull's hot path)
    pairs = {name: [clock[0], clock[1]] for name, clock in clocks.items()}
    first = next(iter(pairs.values()), None)
    if first is not None and pairs.keys() == rec_data.keys() and all(
            pair == first for pair in pairs.values()):
        if first == [updated_hlc, device_id] and "deleted" not in rec_data:
            return None
        shared: dict = {"*": first}
        if "deleted" in rec_data:
            shared["deleted"] = first
        return shared
    return pairs


def _mac(key: bytes, table: str, row: dict, clocks: dict | None) -> str:
    """HMAC-SHA256 truncated to its first 128 bits (RFC 2104 allows half), base64url: a
    seal is random bytes that gzip cannot shrink, and a pull carries one per office row."""
    message = dumps_sorted_text([_PURPOSE, table, row.get("id"), row, clocks])
    digest = hmac.new(key, message.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def seal(key: bytes, rec: Record) -> dict:
    """``{"mac": ..., ["clocks": ...]}`` for ``rec`` as ``rec.wire()`` sends it."""
    clocks = _clocks_on_wire(rec.data, rec.clocks, rec.updated_hlc, rec.device_id)
    out = {"mac": _mac(key, rec.tbl, rec.wire(), clocks)}
    if clocks is not None:
        out["clocks"] = clocks
    return out


def seal_values(key: bytes, table: str, columns: list[str], values: list, data: dict,
                clocks: dict) -> dict:
    """The seal of a snapshot row (``values`` in ``columns`` order, as the laptop gets
    it), with ``absent``: the columns the row does not hold (sent as null), which the
    laptop leaves out again to have the row as a page would carry it."""
    row = dict(zip(columns, values, strict=True))
    absent = [name for name in P.COLUMNS[table] if name not in data]
    for name in absent:
        row.pop(name, None)
    clocks_wire = _clocks_on_wire(data, clocks, row["updated_hlc"], row["device_id"])
    out: dict = {"mac": _mac(key, table, row, clocks_wire)}
    if clocks_wire is not None:
        out["clocks"] = clocks_wire
    if absent:
        out["absent"] = absent
    return out


def unseal(key: bytes | None, table: str, row_id: str, sealed: object
           ) -> tuple[dict, dict[str, tuple[str, str]]]:
    """The content fields of a sealed copy a laptop sent back and the clock ``(hlc,
    device)`` of each; BadSeal (nothing trusted) unless this office sealed exactly this
    row of this table. The MAC is compared in constant time."""
    if key is None:
        raise BadSeal("this office holds no seal key (restored from a backup taken before "
                      "it sealed any row)")
    if not isinstance(sealed, dict) or not isinstance(sealed.get("row"), dict) \
            or not isinstance(sealed.get("mac"), str):
        raise BadSeal("a sealed copy is {row, mac, [clocks]}")
    row, clocks = sealed["row"], sealed.get("clocks")
    if row.get("id") != row_id:
        raise BadSeal("the sealed row is not the row named")
    if not hmac.compare_digest(_mac(key, table, row, clocks).encode(),
                               sealed["mac"].encode("utf-8", "surrogatepass")):
        raise BadSeal("ตราประทับไม่ตรงกับข้อมูล (the seal does not match this row: it was "
                      "changed, is of another row or table, or another office sealed it) — "
                      "nothing was applied")
    # Sealed by this office: what follows reads its own words, so a shape it never writes
    # is a bug here, not an attack; still refused rather than trusted.
    fields = {name: value for name, value in row.items() if name not in _META}
    if not isinstance(row.get("updated_hlc"), str) or not isinstance(row.get("device_id"), str):
        raise BadSeal("a sealed row names its clock")
    if clocks is None:
        return fields, {name: (row["updated_hlc"], row["device_id"]) for name in fields}
    if not isinstance(clocks, dict) or not all(
            isinstance(c, list) and len(c) == 2 and all(isinstance(x, str) for x in c)
            for c in clocks.values()):
        raise BadSeal("sealed clocks are [hlc, device] pairs")
    if "*" in clocks:
        named = {name: tuple(clocks["*"]) for name in fields}
        if "deleted" in clocks:
            fields["deleted"] = row.get("deleted")
            named["deleted"] = tuple(clocks["deleted"])
        return fields, named
    if "deleted" in clocks:
        fields["deleted"] = row.get("deleted")
    if set(clocks) != set(fields):
        raise BadSeal("sealed clocks name other fields than the row")
    return fields, {name: tuple(clock) for name, clock in clocks.items()}
