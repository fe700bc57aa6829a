"""The office's sealed copies kept on the laptop (store/office_copies.py, migration 8): the
last copy of each row, from pages and snapshots, never replaced by an older one, applied in
the pull's transaction, and given back as operations named by the row and its seal."""

from __future__ import annotations

from fieldapp.store import office_copies
from fieldapp.store.sync_apply import apply_rows
from fieldapp.store.wirejson import loads
from fieldapp.sync import protocol as P


def _plan(rid: str, hlc: str, status: str = "planned") -> dict:
    return {"id": rid, "factory_id": None, "template_key": "env-general", "kind": "routine",
            "planned_on": "2026-02-10", "assignee": "u1", "status": status,
            "updated_hlc": hlc, "device_id": "office", "deleted": 0}


def _kept(store) -> dict:
    return {(r["tbl"], r["id"]): loads(r["sealed"])
            for r in store.query("SELECT tbl, id, sealed FROM office_copies")}


def test_the_newest_sealed_copy_is_kept_with_its_page(store):
    old = _plan("p1", "1767225600000-0000-office")
    new = _plan("p1", "1767225600001-0000-office", "started")
    apply_rows(store, [{"t": "plans", "row": old, "seal": {"mac": "A"}}], P.COLUMNS, 5)
    apply_rows(store, [{"t": "plans", "row": new, "seal": {"mac": "B", "clocks": {
        "*": ["1767225600001-0000-office", "office"]}}}], P.COLUMNS, 6)
    assert _kept(store) == {("plans", "p1"): {"row": new, "mac": "B", "clocks": {
        "*": ["1767225600001-0000-office", "office"]}}}
    # An older copy (a page carrying the row again as an earlier run saw it) replaces nothing.
    apply_rows(store, [{"t": "plans", "row": old, "seal": {"mac": "A"}}], P.COLUMNS, 7)
    assert _kept(store)[("plans", "p1")]["mac"] == "B"
    # Rows without a seal, or with a seal of another shape, keep nothing.
    apply_rows(store, [{"t": "plans", "row": _plan("p2", "1767225600002-0000-office")},
                       {"t": "plans", "row": _plan("p3", "1767225600002-0000-office"),
                        "seal": "bad"}], P.COLUMNS, 8)
    assert set(_kept(store)) == {("plans", "p1")}


def test_snapshot_rows_keep_their_seal_and_drop_what_the_row_lacks():
    columns = ["id", *P.COLUMNS["plans"], "updated_hlc", "device_id", "deleted", "seal"]
    row = _plan("p1", "1767225600000-0000-office")
    values = [row.get(c) for c in columns[:-1]] + [{"mac": "M", "absent": ["note"]}]
    [(table, got, seal)] = office_copies.snapshot_copies("plans", columns, [values])
    expected = {c: row.get(c) for c in columns[:-1] if c != "note"}
    assert (table, got, seal["mac"]) == ("plans", expected, "M")


def test_copies_are_given_back_parents_first_under_ids_of_row_and_seal(store):
    apply_rows(store, [
        {"t": "plans", "row": _plan("p1", "1767225600000-0000-office"), "seal": {"mac": "P"}},
        {"t": "orders", "row": {"id": "o1", "updated_hlc": "1767225600000-0000-office",
                                "device_id": "office", "deleted": 0}, "seal": {"mac": "O"}},
    ], P.COLUMNS, 3)
    office_copies.mark_all(store)   # the office was restored
    ops = office_copies.copies_to_give_back(store, "1767225600009-0000-dev")
    assert [(o["table"], o["row_id"]) for o in ops] == [("plans", "p1")]   # not orders
    assert ops[0]["payload"] == {} and ops[0]["sealed"]["mac"] == "P"
    again = office_copies.copies_to_give_back(store, "1767225600010-0000-dev")
    assert again[0]["op_id"] == ops[0]["op_id"]   # a replay is recognised


def test_a_change_refused_with_the_offices_row_is_not_sent_again_after_a_restore():
    """Review: every refusal of the sync that found the office restored went again, also one
    refused because another laptop had finalized the record, whose row this laptop had
    taken instead: the office would then have applied an edit the laptop had undone."""
    from fieldapp.store.office_restored import resend_if_restored

    assert resend_if_restored({"op_id": "a", "outcome": "rejected", "current": None})
    assert resend_if_restored({"op_id": "b", "outcome": "duplicate",
                               "first_outcome": "rejected"})
    assert not resend_if_restored({"op_id": "c", "outcome": "rejected",
                                   "current": {"id": "r", "state": "finalized"}})
    assert not resend_if_restored({"op_id": "d", "outcome": "applied"})


def _marks(store) -> dict:
    return {(r["tbl"], r["id"]): r["give_back"]
            for r in store.query("SELECT tbl, id, give_back FROM office_copies")}


def _pulled_plans(store, *ids: str) -> None:
    apply_rows(store, [{"t": "plans", "row": _plan(i, "1767225600000-0000-office"),
                        "seal": {"mac": f"M{i}"}} for i in ids], P.COLUMNS, 3)


def test_answers_unmark_drop_or_keep_for_the_next_sync(store):
    """Taken: unmarked. Refused for good (a seal the office cannot check): dropped.
    Refused for now (``retry``: its complaint not back yet) or not answered: given back
    again next sync, until its tries run out."""
    from fieldapp.store.office_restored import resend_acknowledged

    _pulled_plans(store, "taken", "bad", "later", "lost")
    assert set(_marks(store).values()) == {0}    # nothing to give back in normal operation
    assert office_copies.copies_to_give_back(store, "1767225600009-0000-dev") == []
    resend_acknowledged(store, "e2")
    assert set(_marks(store).values()) == {office_copies.TRIES}
    ops = office_copies.copies_to_give_back(store, "1767225600009-0000-dev")
    ids = {o["row_id"]: o["op_id"] for o in ops}
    acks = [{"op_id": ids["taken"], "outcome": "applied"},
            {"op_id": ids["bad"], "outcome": "rejected", "reason": "the seal does not match"},
            {"op_id": ids["later"], "outcome": "rejected", "reason": "no complaint",
             "retry": True}]                       # "lost": its answer never came
    assert office_copies.answered(store, ops, acks) == 2
    assert _marks(store) == {("plans", "taken"): 0, ("plans", "later"): 29,
                             ("plans", "lost"): 29}
    again = office_copies.copies_to_give_back(store, "1767225600010-0000-dev")
    assert {o["row_id"] for o in again} == {"later", "lost"}
    assert office_copies.left_to_give_back(store) == 2
    for _ in range(office_copies.TRIES):
        office_copies.answered(store, again, [{**a, "op_id": ids["later"]} for a in acks[2:]])
    assert office_copies.left_to_give_back(store) == 0   # tried enough: left as it is
    assert ("plans", "later") in _marks(store)
    # A newer copy pulled from the office unmarks: the office holds the row again.
    resend_acknowledged(store, "e3")
    apply_rows(store, [{"t": "plans", "row": _plan("later", "1767225600005-0000-office"),
                        "seal": {"mac": "N"}}], P.COLUMNS, 4)
    assert _marks(store)[("plans", "later")] == 0


def test_a_change_refused_for_lacking_a_row_still_to_give_back_waits_for_it(store):
    """The inspector's change to a plan the office lost waits (pending, under a new op id)
    while the plan's copy is still to be given back; once the copy is no longer marked
    (taken, dropped, or its tries ran out) a refusal stands."""
    from fieldapp.store.changes import save_row
    from fieldapp.store.office_restored import rearm, resend_acknowledged
    from fieldapp.store.push_answers import record_acks
    from fieldapp.store.sync_state import rejected_changes

    _pulled_plans(store, "waits", "tried-out", "not-kept")
    store.conn.execute("DELETE FROM office_copies WHERE id = 'not-kept'")
    resend_acknowledged(store, "e2")
    store.conn.execute("UPDATE office_copies SET give_back = 0 WHERE id = 'tried-out'")
    for rid in ("waits", "tried-out", "not-kept"):
        save_row(store, "plans", {"id": rid, "status": "started"})
    sent = {r["row_id"]: r["op_id"] for r in store.query("SELECT row_id, op_id FROM outbox")}
    record_acks(store, [{"op_id": op_id, "outcome": "rejected",
                         "reason": f"{P.NO_ROW}plans row {rid} (...)"}
                        for rid, op_id in sent.items()])
    waiting = office_copies.awaiting_give_back(store, list(sent.values()))
    assert waiting == [sent["waits"]]
    with store.transaction():
        assert rearm(store, waiting) == 1
    assert {r["row_id"] for r in rejected_changes(store)} == {"tried-out", "not-kept"}
    [row] = store.query("SELECT op_id, status, outcome, reason FROM outbox "
                        "WHERE row_id = 'waits'")
    assert row["status"] == "pending" and row["op_id"] != sent["waits"]
    assert (row["outcome"], row["reason"]) == (None, None)
    assert office_copies.awaiting_give_back(store, []) == []


def test_copies_go_with_rows_that_leave_the_laptop(store):
    from fieldapp.store.left_scope import forget_unlisted

    _pulled_plans(store, "left", "unlisted", "removed", "kept")
    # The office deleted one: its tombstone is sealed, and that copy is kept.
    apply_rows(store, [{"t": "plans", "row": {**_plan("kept", "1767225600001-0000-office"),
                                              "deleted": 1}, "seal": {"mac": "D"}}],
               P.COLUMNS, 4)
    apply_rows(store, [{"t": "plans", "seq": 5, "gone": True, "row": {
        "id": "left", "deleted": 1, "updated_hlc": "1767225600002-0000-office",
        "device_id": "office"}}], P.COLUMNS, 5)
    assert ("plans", "left") not in _marks(store)
    with store.transaction():
        forget_unlisted(store, {"plans": {"removed", "kept"}})
        store.conn.execute("DELETE FROM plans WHERE id = 'removed'")
    assert set(_marks(store)) == {("plans", "kept")}


def test_a_copy_still_to_give_back_outlives_the_snapshot_that_lacks_its_row(store):
    """Right after a restore the office lacks what it lost: the new snapshot lists none of
    those rows, yet their copies are what is to be given back."""
    from fieldapp.store.left_scope import forget_unlisted
    from fieldapp.store.office_restored import resend_acknowledged

    _pulled_plans(store, "lost")
    resend_acknowledged(store, "e2")
    with store.transaction():
        forget_unlisted(store, {"plans": set()})
        store.conn.execute("DELETE FROM plans WHERE id = 'lost'")
    assert _marks(store) == {("plans", "lost"): office_copies.TRIES}
