"""Amendments on the server, both backends: a record cannot amend itself or close a loop of
amendments, an inspector amends only a finalized record they may read (and cannot learn
whether someone else's record exists by trying), and verification walks a chain safely and
counts only finalized amendments the caller may read."""

from __future__ import annotations

import json
import threading

from test_server_api import Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)

from fieldapp.core.ids import uuid7
from fieldapp.server import verification
from fieldapp.server.auth import Principal


def draft(api, auth, dev, factory, amends=None):
    """A draft inspection pushed by ``auth``; returns (id, the inspection's ack)."""
    iid, ops = inspection_ops(dev, factory)
    if amends is not None:
        ops[1]["payload"]["amends_id"] = amends
    return iid, push_ok(api, auth, ops)[1]


def finalized(api, auth, dev, factory, amends=None):
    iid, ack = draft(api, auth, dev, factory, amends)
    assert ack["outcome"] == "applied", ack
    ack = push_ok(api, auth, [dev.op("inspections", iid, {"state": "finalized",
                                                          "content_hash": "claimed"})])[0]
    assert ack["outcome"] == "applied", ack
    return iid


def verify(api, auth, record_id):
    return api.get(f"/v1/records/{record_id}/verification", headers=auth)


def answers_within(fn, seconds=15.0):
    """``fn()``, failing (not hanging) when it does not return in time: a walk round a loop
    never returns. The thread is a daemon so a hung walk cannot keep pytest alive."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"no answer within {seconds} s: the walk does not end"
    return box["value"]


# -- finding: an amendment loop hung the server --------------------------------------------

def test_an_inspection_cannot_amend_itself(api):
    anong, dev = login(api, "anong"), Device("anong")
    iid, _ = draft(api, anong, dev, api.factories[0])
    ack = push_ok(api, anong, [dev.op("inspections", iid, {"amends_id": iid})])[0]
    assert ack["outcome"] == "rejected"
    assert "itself" in ack["reason"]
    r = answers_within(lambda: verify(api, anong, iid))
    assert r.status_code == 200 and r.json()["version"] == 0


def test_amendments_cannot_close_a_loop(api):
    anong, dev = login(api, "anong"), Device("anong")
    f10 = api.factories[0]
    # Two records pointing at each other, and three round a loop.
    a, _ = draft(api, anong, dev, f10)
    b, ack_b = draft(api, anong, dev, f10, amends=a)
    ack_a = push_ok(api, anong, [dev.op("inspections", a, {"amends_id": b})])[0]
    assert "applied" not in (ack_a["outcome"], ack_b["outcome"]), (ack_a, ack_b)
    x = finalized(api, anong, dev, f10)
    y = finalized(api, anong, dev, f10, amends=x)
    z, ack_z = draft(api, anong, dev, f10, amends=y)
    assert ack_z["outcome"] == "applied"
    ack_x = push_ok(api, anong, [dev.op("inspections", x, {"amends_id": z})])[0]
    assert ack_x["outcome"] == "rejected"
    for rid in (a, b, x, y, z):
        assert answers_within(lambda rid=rid: verify(api, anong, rid)).status_code in (200, 404)


def test_a_loop_already_stored_is_walked_safely_and_never_extended(api, server_db):
    """Rows written before the server checked amendments may already loop: verification
    still answers, and nothing new may amend a record of that loop."""
    anong, dev = login(api, "anong"), Device("anong")
    f10 = api.factories[0]
    a = finalized(api, anong, dev, f10)
    b = finalized(api, anong, dev, f10, amends=a)
    with server_db.write() as c:
        data = json.loads(c.value("SELECT data FROM records WHERE tbl = 'inspections' "
                                  "AND id = ?", (a,)))
        c.run("UPDATE records SET data = ? WHERE tbl = 'inspections' AND id = ?",
              (json.dumps({**data, "amends_id": b}, sort_keys=True), a))
    who = Principal(_user_id(server_db, "anong"), "anong", "inspector", frozenset({"10"}))
    for rid in (a, b):
        state = answers_within(lambda rid=rid: verification.record_state(server_db, who, rid))
        assert state is not None and state["version"] >= 0
        assert answers_within(lambda rid=rid: verify(api, anong, rid)).status_code == 200
    _, ack = draft(api, anong, dev, f10, amends=b)
    assert ack["outcome"] == "rejected" and "loop" in ack["reason"]


def test_verification_of_a_chain_answers_with_its_newest_version(api):
    anong, dev = login(api, "anong"), Device("anong")
    f10 = api.factories[0]
    chain = [finalized(api, anong, dev, f10)]
    for _ in range(3):
        chain.append(finalized(api, anong, dev, f10, amends=chain[-1]))
    for rid in chain:
        r = answers_within(lambda rid=rid: verify(api, anong, rid))
        assert r.status_code == 200 and r.json()["version"] == 3


# -- finding: a draft made someone else's genuine paper read MODIFIED -----------------------

def test_an_amendment_names_only_a_finalized_record_the_caller_may_read(api):
    anong, boon, chai = login(api, "anong"), login(api, "boon"), login(api, "chai")
    f10, _, f20 = api.factories
    original = finalized(api, anong, Device("anong"), f10)
    before = verify(api, anong, original).json()
    # boon (same province) and chai (another province) both hold the paper's record id.
    _, by_boon = draft(api, boon, Device("boon"), f10, amends=original)
    _, by_chai = draft(api, chai, Device("chai"), f20, amends=original)
    _, unknown = draft(api, boon, Device("boon"), f10, amends=uuid7())
    assert [a["outcome"] for a in (by_boon, by_chai, unknown)] == ["rejected"] * 3
    # The same answer whether the record exists or not: no way to probe for ids.
    assert by_boon["reason"] == unknown["reason"] == by_chai["reason"]
    # A draft of anong's own record is refused too: only a finalized record is amended.
    pending, _ = draft(api, anong, Device("anong"), f10)
    _, of_draft = draft(api, anong, Device("anong"), f10, amends=pending)
    assert of_draft["outcome"] == "rejected" and "finalized" in of_draft["reason"]
    # anong's paper still matches her record.
    after = verify(api, anong, original).json()
    assert after["version"] == before["version"] == 0
    assert after["content_hash"] == before["content_hash"]
    assert after["amendment_in_progress"] is False


def test_unknown_and_unreadable_records_answer_alike(api):
    anong, boon = login(api, "anong"), login(api, "boon")
    original = finalized(api, anong, Device("anong"), api.factories[0])
    theirs, unknown = verify(api, boon, original), verify(api, boon, uuid7())
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()


def test_verification_counts_only_finalized_amendments_the_caller_may_read(api):
    anong, admin = login(api, "anong"), login(api, "admin")
    f10 = api.factories[0]
    original = finalized(api, anong, Device("anong"), f10)
    # The office amends anong's record: its amendment is not anong's to read.
    finalized(api, admin, Device("admin"), f10, amends=original)
    assert verify(api, anong, original).json()["version"] == 0
    assert verify(api, admin, original).json()["version"] == 1


def test_a_draft_amendment_is_in_progress_until_finalized(api):
    anong, dev = login(api, "anong"), Device("anong")
    f10 = api.factories[0]
    original = finalized(api, anong, dev, f10)
    amendment, ack = draft(api, anong, dev, f10, amends=original)
    assert ack["outcome"] == "applied"
    state = verify(api, anong, original).json()
    assert state["version"] == 0 and state["amendment_in_progress"] is True
    push_ok(api, anong, [dev.op("inspections", amendment, {"state": "finalized",
                                                            "content_hash": "c"})])
    state = verify(api, anong, original).json()
    assert state["version"] == 1 and state["amendment_in_progress"] is False


def _user_id(db, username):
    with db.read() as c:
        return c.value("SELECT id FROM users WHERE username = ?", (username,))

