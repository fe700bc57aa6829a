"""A push that asks for the first pull page gets in its answer the page a pull right after it
would get (server/pull_ask.py), on both backends; a malformed ask changes nothing."""

from __future__ import annotations

import pytest
from test_server_api import Device, inspection_ops, login, push_ok
from test_server_api import api as api  # noqa: F401  (the fixture, shared)

from fieldapp.server.pull_ask import exact_ranges


def _own(ranges) -> str | None:
    return ",".join(f"{low}-{high}" for low, high in ranges) or None


def _page_then_pull(api, auth, ops, cursor, epoch, limit, own=None):
    """The page a push brings back, and what a pull at once after it answers, asked as the
    laptop would ask it (its earlier ranges and the push's exact ones)."""
    ask = {"limit": limit, "rescope": True, **({"own": own} if own else {})}
    r = api.post("/v1/push", json={"ops": ops, "cursor": cursor, "epoch": epoch,
                                   "pull": ask}, headers=auth)
    assert r.status_code == 200, r.text
    answer = r.json()
    ranges = [tuple(map(int, p.split("-"))) for p in own.split(",")] if own else []
    params = {"cursor": cursor, "limit": limit, "rescope": 1, "epoch": epoch}
    named = _own([*ranges, *exact_ranges(answer["acks"])])
    if named:
        params["own"] = named
    pulled = api.get("/v1/pull", params=params, headers=auth).json()
    return answer, pulled


@pytest.mark.parametrize("limit", [3, 500])
def test_the_page_a_push_brings_is_the_page_a_pull_after_it_gets(api, limit):
    anong, boon = login(api, "anong"), login(api, "boon")
    dev, other = Device("anong"), Device("boon")
    start = api.get("/v1/pull", params={"cursor": 0}, headers=anong).json()
    cursor, epoch = start["cursor"], start["epoch"]
    while start["more"]:
        start = api.get("/v1/pull", params={"cursor": start["cursor"]}, headers=anong).json()
        cursor = start["cursor"]
    factory = api.factories[0]
    # Changes after anong's cursor: her own from another push, and boon's (not hers to see).
    _, earlier = inspection_ops(dev, factory)
    earlier_acks = push_ok(api, anong, earlier, cursor)
    push_ok(api, boon, inspection_ops(other, factory)[1], cursor)
    # What her push brings back skips what she named and what this push made exactly.
    _, ops = inspection_ops(dev, factory)
    answer, pulled = _page_then_pull(api, anong, ops, cursor, epoch, limit,
                                     own=_own(exact_ranges(earlier_acks)))
    page = answer["page"]
    assert [a["outcome"] for a in answer["acks"]] == ["applied"] * len(ops)
    assert page == pulled
    seqs = {c["seq"] for c in page["changes"]}
    assert not seqs & {a["seq"] for a in answer["acks"] if a.get("exact")}
    # and a push that asks nothing is answered as before
    r = api.post("/v1/push", json={"ops": [], "cursor": cursor}, headers=anong)
    assert r.status_code == 200 and set(r.json()) == {"acks"}


@pytest.mark.parametrize("ask", [[], "page", {"limit": 0}, {"limit": True}, {"limit": 10**9},
                                 {"own": "5-1"}, {"own": 7}, {"known": ""}, {"known": 5},
                                 {"own": ",".join(f"{n}-{n}" for n in range(1, 200, 2))}])
def test_a_malformed_ask_is_refused_whole_and_applies_nothing(api, server_db, ask):
    anong = login(api, "anong")
    iid, ops = inspection_ops(Device("anong"), api.factories[0])
    r = api.post("/v1/push", json={"ops": ops, "cursor": 0, "pull": ask}, headers=anong)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request", r.text
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE id = ?", (iid,)) == 0


def test_a_page_that_cannot_be_made_still_lets_the_push_answer(api, server_db, monkeypatch):
    """The push is committed before its page is made: if the page fails, the answers still
    reach the laptop (without a page, so it pulls as always)."""
    from fieldapp.server import pull as pull_module

    def broken(*args, **kwargs):
        raise RuntimeError("injected: the page failed")
    monkeypatch.setattr(pull_module, "pull", broken)
    anong = login(api, "anong")
    iid, ops = inspection_ops(Device("anong"), api.factories[0])
    r = api.post("/v1/push", json={"ops": ops, "cursor": 0, "pull": {"limit": 10}},
                 headers=anong)
    assert r.status_code == 200, r.text
    assert r.json()["page"] is None
    assert [a["outcome"] for a in r.json()["acks"]] == ["applied"] * len(ops)
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE id = ?", (iid,)) == 1


def test_exact_ranges_are_runs_of_the_exactly_created_rows():
    acks = [{"seq": 5, "exact": True, "outcome": "applied"},
            {"seq": 6, "exact": True, "outcome": "applied"},
            {"seq": 7, "outcome": "applied"},
            {"seq": 8, "exact": True, "outcome": "applied"},
            {"seq": 9, "exact": True, "outcome": "duplicate"},
            {"seq": "10", "exact": True, "outcome": "applied"},
            {"outcome": "rejected", "reason": "x"}]
    assert exact_ranges(acks) == ((5, 6), (8, 8))
