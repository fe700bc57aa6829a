"""Forgetting the office's rows that left this inspector's scope, when a new snapshot
arrives (sync/snapshot.py): registry rows of provinces no longer held, and rows the snapshot
no longer lists. Called inside the snapshot's transaction; never writes the outbox (this is
not a change to send) and never removes the inspector's own records.
"""

from __future__ import annotations

from fieldapp.store.db import Store
from fieldapp.store.wirejson import dumps


def forget_revoked(store: Store, old_scope: str | None, new_scope: str | None) -> int:
    """Remove the registry rows of provinces the inspector no longer holds, when a new
    snapshot brings a narrower scope (``scope_of`` on the server: "admin" or the granted
    province codes joined by commas). Call inside the snapshot's transaction.

    Only the office's rows of provinces that WERE in the old scope go (a registry file
    imported on this laptop stays: ``local_only``), and of them no factory that an inspection here refers to or that holds an
    unsent change. Rows are removed without outbox entries: this is not a change to send.
    Returns the number of factories removed."""
    if not old_scope or not new_scope or "admin" in (old_scope, new_scope) \
            or old_scope == new_scope:
        return 0   # an admin's laptop held everything: nothing says which rows came how
    gone = sorted(set(old_scope.split(",")) - set(new_scope.split(",")) - {""})
    if not gone:
        return 0
    return store.conn.execute(
        f"DELETE FROM factories WHERE province_code IN ({', '.join('?' * len(gone))}) "
        "AND local_only = 0 AND id NOT IN (SELECT factory_id FROM inspections) "
        "AND id NOT IN (SELECT row_id FROM outbox WHERE status = 'pending' "
        "AND table_name = 'factories')", gone).rowcount


def forget_unlisted(store: Store, listed: dict[str, set[str]]) -> int:
    """Mark deleted the office's rows (``listed``'s tables) this laptop holds that a new
    snapshot did not list: they left this user's scope (re-assigned to another inspector,
    a province revoked) before the snapshot's cursor, where no pull will tell of them. As
    for a tombstone of a row that left (sync_apply.RowApplier._gone), without outbox
    entries, and over a local change still unsent. Call inside the snapshot's
    transaction. Returns how many rows were marked."""
    marked = 0
    for table, ids in listed.items():
        shown = dumps(sorted(i for i in ids if isinstance(i, str))).decode("utf-8")
        marked += store.conn.execute(
            f"UPDATE {table} SET deleted = 1 WHERE deleted = 0 AND id NOT IN "
            "(SELECT value FROM json_each(?))", (shown,)).rowcount
        # Their sealed copies go too, but one still to be given back (right after a
        # restore the office lacks the rows it lost, so the snapshot lists none of them).
        store.conn.execute(
            "DELETE FROM office_copies WHERE tbl = ? AND give_back = 0 AND id NOT IN "
            "(SELECT value FROM json_each(?))", (table, shown))
    return marked
