"""Taking the office's copy of rows the server refused to change because they are frozen.

Two laptops of one inspector can hold the same draft. When one finalizes it and syncs first,
the office freezes the record; the other laptop's later edits to it (answers, photos, its own
finalize) are refused with a reason. Those edits stay in the outbox as ``rejected``, visible
and readable (never lost), but the laptop's ROWS must become the office's finalized record,
or the two copies of a signed record would differ for good. So a refusal of that kind carries
the server's current row (``None``: the server has no such row, e.g. a photo added only
here), and this module writes it over the local row, past the local frozen guards
(migration 4, ``frozen_override``), inside the caller's transaction.

A row that still has an unsent change is left alone: that change has not been answered yet;
its own refusal brings the server's row again. Rows that point at a row the server does not
have (a signature drawn here over a photo refused with it) go with it, whatever their own
changes: under a record finalized on the server they can never be accepted, their changes
stay in the outbox, and a row left pointing at nothing would fail the transaction.
"""

from __future__ import annotations

from fieldapp.store.db import Store


def take_server_rows(store: Store, currents: list[dict],
                     columns: dict[str, tuple[str, ...]]) -> int:
    """Make each local row equal to the server's (``{"t": table, "id": row id, "row":
    wire row or None}``); call inside ``store.transaction()``. Returns rows written."""
    wanted = [c for c in currents if c.get("t") in columns and isinstance(c.get("id"), str)]
    if not wanted:
        return 0
    written = 0
    store.conn.execute("INSERT INTO frozen_override (id) VALUES (1)")
    try:
        for current in wanted:
            table, row_id, row = current["t"], current["id"], current.get("row")
            if store.conn.execute("SELECT 1 FROM outbox WHERE status = 'pending' "
                                  "AND table_name = ? AND row_id = ?",
                                  (table, row_id)).fetchone():
                continue
            if row is None:
                written += _delete_with_dependents(store, table, row_id, columns)
                continue
            if row.get("id") != row_id:
                continue
            names = ["id", *columns[table], "updated_hlc", "device_id", "deleted"]
            cols = [n for n in names if n in row]
            store.conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                f"ON CONFLICT(id) DO UPDATE SET "
                f"{', '.join(f'{c} = excluded.{c}' for c in cols if c != 'id')}",
                [row[c] for c in cols])
            written += 1
    finally:
        store.conn.execute("DELETE FROM frozen_override")
    return written


def _delete_with_dependents(store: Store, table: str, row_id: str,
                            columns: dict[str, tuple[str, ...]]) -> int:
    """Delete a row and, first, the rows that reference it (found from the schema's own
    foreign keys, so a new reference is covered without touching this code)."""
    removed = 0
    for other in columns:
        for fk in store.conn.execute(f"PRAGMA foreign_key_list({other})").fetchall():
            # (id, seq, table, from, to, on_update, on_delete, match)
            if fk[2] != table:
                continue
            for (child,) in store.conn.execute(
                    f"SELECT id FROM {other} WHERE {fk[3]} = ?", (row_id,)).fetchall():
                removed += _delete_with_dependents(store, other, child, columns)
    return removed + store.conn.execute(f"DELETE FROM {table} WHERE id = ?",
                                        (row_id,)).rowcount
