"""The office's registry on the server: importing a registry file, and the factories
laptops reported from the field.

A registry file is read with the laptop's own importer (``fieldapp.store.registry_import``)
into a throw-away local store, and only what it changes enters the server, through the same
push path as any laptop's changes (``office.write_rows``' batching): one importer, one set
of rules about who owns which column, one change sequence.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from fieldapp.core.errors import NotFoundError
from fieldapp.core.registry_fields import REGISTRY_FIELDS
from fieldapp.server import history
from fieldapp.server.office import BATCH, OFFICE, push_rows
from fieldapp.server.records import Record
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import now_iso
from fieldapp.store.db import open_store
from fieldapp.store.factories import FIELD_OWNED, factory_id
from fieldapp.store.registry_import import ImportReport, import_factories
from fieldapp.sync import protocol as P

# progress(stage, done, total): "read" counts lines (or sheet rows) of the file, "send" the
# factories entering the server's registry.
ImportProgress = Callable[[str, int, int], None]


def import_registry(db: Database, path: str | Path,
                    progress: ImportProgress | None = None,
                    mapping: dict[str, str] | None = None) -> tuple[ImportReport, dict]:
    """Import a DIW registry file (CSV/xlsx) with the laptop importer; returns its report
    and the push counts. ``mapping``: {file column: field} for a layout the importer does
    not know (``--map``, store/registry_import.parse_mapping)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "import.db")
        try:
            report = import_factories(
                store, path, mapping=mapping,
                progress=(lambda done, total: progress("read", done, total)) if progress
                else None)
            rows = store.query("SELECT * FROM factories ORDER BY fid")
        finally:
            store.close()
    changes, seen = registry_changes(db, rows)
    # The throw-away store compared the file with nothing: the counts are the office's.
    report.imported = sum(1 for _, fields in changes if fields is None)
    report.updated = len(changes) - report.imported
    report.unchanged = len(rows) - len(changes)
    sent = [{**(fields or {k: row.get(k) for k in P.COLUMNS["factories"]}), "id": row["id"]}
            for row, fields in changes]
    counts = push_rows(db, "factories", sent, seen=seen,
                        progress=(lambda done: progress("send", done, len(sent))) if progress
                        else None)
    _accept_imported(db, [row["id"] for row in rows])
    return report, counts


def registry_changes(db: Database, rows: list[dict]
                     ) -> tuple[list[tuple[dict, dict | None]], int]:
    """What a registry file changes at the office, row by row: ``(row, None)`` for a factory
    the office lacks (all of it is sent), ``(row, fields)`` for the fields of one it holds
    that change; rows that change nothing are left out (laptops are not sent them again).
    Also the change sequence the office stood at when it was compared: the changes are
    pushed as having seen that far, so an inspector's edit made meanwhile is not
    overwritten unseen (a conflict is recorded, as for any two writes that race).

    Who owns what, as on a laptop (store/factories.py): the registry's fields are the file's;
    the phone and contact person are the field's, filled from the file only while empty; the
    coordinates are the file's only while they are a registry import's own (not an
    inspector's at the gate, nor a value the office chose, e.g. settling a conflict), and a
    file row without coordinates keeps the ones known. A deleted factory stays deleted; it
    is compared like any other."""
    changes: list[tuple[dict, dict | None]] = []
    with db.read() as c:
        head = history.head(c)
        # A chunk at a time: a national registry's rows, held all at once with their
        # field clocks, would take gigabytes of the server that also serves sync.
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            held: dict[str, Record] = {}
            for where, params in c.any_of("id", [row["id"] for row in chunk]):
                for found in c.all(f"SELECT * FROM records WHERE tbl = 'factories' "
                                   f"AND {where}", params):
                    held[found["id"]] = Record.from_row(found)
            # Whose coordinates they are is asked only where the file would move them.
            chosen = _coordinates_chosen(c, {
                row["id"]: held[row["id"]] for row in chunk if row["id"] in held
                and None not in (row.get("lat"), row.get("lng"))
                and (row.get("lat"), row.get("lng")) != (held[row["id"]].data.get("lat"),
                                                         held[row["id"]].data.get("lng"))})
            for row in chunk:
                current = held.get(row["id"])
                if current is None:
                    changes.append((row, None))
                    continue
                fields = _registry_fields(row, current.data, row["id"] in chosen)
                if fields:
                    changes.append((row, fields))
    return changes, head


def _registry_fields(row: dict, have: dict, chosen: bool) -> dict:
    """The fields of ``row`` (the file's) that change the office's ``have``."""
    # A name the file leaves empty ("-", which the cleaning empties) keeps the office's: a
    # damaged export never wipes a name every laptop shows. Other fields may truly become
    # empty (a soi dropped from an address).
    fields = {name: row.get(name) for name in REGISTRY_FIELDS
              if name not in ("lat", "lng") and row.get(name) != have.get(name)
              and (name != "name" or row.get(name) or not have.get(name))}
    for name in FIELD_OWNED:
        if row.get(name) and not have.get(name):
            fields[name] = row[name]
    place = (row.get("lat"), row.get("lng"))
    if None not in place and place != (have.get("lat"), have.get("lng")) and not chosen:
        fields["lat"], fields["lng"] = place
    return fields


def _coordinates_chosen(c, held: dict[str, Record]) -> set[str]:
    """The factories of ``held`` whose coordinates someone chose: last written by a laptop,
    or by a person at the office (their writes are the office's device too, but not the
    registry import's own account, whose operations name it)."""
    chosen, ask = set(), {}
    for rid, rec in held.items():
        for name in ("lat", "lng"):
            clock = rec.clocks.get(name)
            if clock is None or rec.data.get(name) is None:
                continue
            if clock[1] != OFFICE.device_id:
                chosen.add(rid)
            else:
                ask.setdefault(rid, set()).add(clock[2])
    ask = {rid: seqs for rid, seqs in ask.items() if rid not in chosen}
    for where, params in c.any_of("row_id", sorted(ask)):
        for op in c.all(f"SELECT row_id, seq, user_id FROM ops WHERE tbl = 'factories' "
                        f"AND {where}", params):
            if op["seq"] in ask[op["row_id"]] and op["user_id"] != OFFICE.user_id:
                chosen.add(op["row_id"])
    return chosen


def _accept_imported(db: Database, ids: list[str]) -> None:
    """Reports from the field of factories the registry now holds are settled: the office's
    row has taken over (its registry fields win), so they leave the list of reports."""
    with db.write() as c:
        for cond, params in c.any_of("factory_id", ids):
            c.run(f"UPDATE field_reports SET accepted_at = ?, accepted_by = ? "
                  f"WHERE accepted_at IS NULL AND {cond}",
                  [now_iso(), "registry import", *params])


def reported_factories(db: Database, include_accepted: bool = False) -> list[dict]:
    """Factories a laptop brought with its work because the office's registry lacked them
    (server/push.py), oldest report first: not yet accepted, or all."""
    where = "" if include_accepted else "WHERE f.accepted_at IS NULL "
    with db.read() as c:
        rows = c.all("SELECT f.factory_id, f.reported_at, f.accepted_at, f.accepted_by, "
                     "u.username, r.data FROM field_reports f "
                     "LEFT JOIN users u ON u.id = f.user_id "
                     "LEFT JOIN records r ON r.tbl = 'factories' AND r.id = f.factory_id "
                     f"{where}ORDER BY f.reported_at, f.factory_id")
    out = []
    for row in rows:
        data = json.loads(row["data"]) if row["data"] else {}
        out.append({"fid": data.get("fid"), "name": data.get("name"),
                    "province_code": data.get("province_code"),
                    "reported_by": row["username"], "reported_at": row["reported_at"],
                    "accepted_at": row["accepted_at"], "accepted_by": row["accepted_by"]})
    return out


def accept_factory(db: Database, fid: str, accepted_by: str) -> None:
    """Accept a factory reported from the field into the office's registry: it leaves the
    list of reports (its row is already an ordinary factory every laptop receives)."""
    with db.write() as c:
        # A report's row id is the one every device gives this ID (server/push.py).
        waiting = c.value("SELECT count(*) FROM field_reports WHERE factory_id = ? "
                          "AND accepted_at IS NULL", (factory_id(fid),))
        if not waiting:
            raise NotFoundError(f"ไม่มีโรงงานเลขทะเบียน {fid} ที่รอรับเข้าทะเบียน (no factory "
                                f"{fid} reported from the field waits to be accepted; see "
                                f"`fieldapp-server factories reported`)")
        c.run("UPDATE field_reports SET accepted_at = ?, accepted_by = ? WHERE factory_id = ?",
              (now_iso(), accepted_by, factory_id(fid)))
