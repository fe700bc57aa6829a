"""What a laptop asks of a pull page, from the query of ``GET /v1/pull`` or from a push.

A push may carry ``"pull": {"limit", "known", "own", "rescope"}`` (its body's ``cursor`` and
``epoch`` are the pull's too): the office answers the push, then the first page a pull
would have got right after it, in the same answer. A day's sync is then one request and one
authentication fewer. An office from before this ignores the key and the laptop pulls as
always. Both routes check what they are given here, the same way, before anything is done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fieldapp.server import pull
from fieldapp.server.auth import Principal
from fieldapp.server.http import ApiError, natural
from fieldapp.server.storage import Database
from fieldapp.sync import protocol as P

log = logging.getLogger(__name__)

MAX_LIMIT = 5 * P.PAGE_SIZE


@dataclass(frozen=True)
class PullAsk:
    limit: int = P.PAGE_SIZE
    known: str | None = None
    epoch: str | None = None
    rescope_ok: bool = False
    own: tuple[tuple[int, int], ...] = ()

    def page(self, db: Database, who: Principal, cursor: int,
             also_own: tuple[tuple[int, int], ...] = ()) -> dict:
        return pull.pull(db, who, cursor, self.limit, self.known, self.epoch,
                         self.rescope_ok, self.own + also_own)


def from_query(query) -> PullAsk:
    """``limit``, ``known``, ``epoch``, ``rescope`` and ``own`` of a pull's query string.
    ``rescope=1``: the laptop takes a new snapshot when told to (server/scope_exits.py)."""
    raw = query.get("limit")
    limit = P.PAGE_SIZE if raw is None else natural(raw)
    return _checked(limit, query.get("known"), query.get("epoch"),
                    query.get("rescope") == "1", query.get("own"))


def from_push(body: dict) -> PullAsk | None:
    """The page a push asks for (None when it asks for none); ApiError if malformed."""
    asked = body.get("pull")
    if asked is None:
        return None
    if not isinstance(asked, dict):
        raise ApiError(P.E_BAD_REQUEST, "pull is an object: {limit, known, own, rescope}")
    limit = asked.get("limit", P.PAGE_SIZE)
    if isinstance(limit, bool) or not isinstance(limit, int):
        limit = None
    epoch = body.get("epoch")
    for name, value in (("known", asked.get("known")), ("own", asked.get("own")),
                        ("epoch", epoch)):
        if value is not None and not isinstance(value, str):
            raise ApiError(P.E_BAD_REQUEST, f"{name} must be text")
    return _checked(limit, asked.get("known"), epoch, asked.get("rescope") is True,
                    asked.get("own"))


def _checked(limit: int | None, known: str | None, epoch: str | None, rescope_ok: bool,
             own: str | None) -> PullAsk:
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        raise ApiError(P.E_BAD_REQUEST, f"limit must be an integer from 1 to {MAX_LIMIT}")
    if known is not None and not 0 < len(known) <= 200:
        raise ApiError(P.E_BAD_REQUEST, "known must be text of 1 to 200 characters")
    # The epoch the laptop's cursor belongs to decides nothing (only `restored` renames the
    # history); it only tells a cursor of an older history from one made up, for the log.
    return PullAsk(limit, known, epoch, rescope_ok, own_ranges(own))


def own_ranges(raw: str | None) -> tuple[tuple[int, int], ...]:
    """``own`` of a pull: change-number ranges ``low-high`` joined by commas (at most
    P.MAX_OWN_RANGES), the laptop's own rows it holds as the office does (server/pull.py)."""
    if not raw:
        return ()
    pieces = raw.split(",")
    ranges = []
    for piece in pieces:
        low, _, high = piece.partition("-")
        a, b = natural(low), natural(high)
        if a is None or b is None or not 0 < a <= b < 2**62:
            raise ApiError(P.E_BAD_REQUEST, "own is ranges of change numbers low-high "
                           "(decimal digits, low <= high) joined by commas")
        ranges.append((a, b))
    if len(ranges) > P.MAX_OWN_RANGES:
        raise ApiError(P.E_BAD_REQUEST, f"own names at most {P.MAX_OWN_RANGES} ranges")
    return tuple(ranges)


def exact_ranges(acks: list[dict]) -> tuple[tuple[int, int], ...]:
    """``P.exact_seqs`` of a push's answers as ranges: what the laptop would name in
    ``own`` when it pulls next."""
    seqs = sorted(P.exact_seqs(acks))
    ranges: list[list[int]] = []
    for seq in seqs:
        if ranges and seq == ranges[-1][1] + 1:
            ranges[-1][1] = seq
        else:
            ranges.append([seq, seq])
    return tuple((low, high) for low, high in ranges)


def page_after_push(db: Database, who: Principal, cursor: int, ask: PullAsk,
                    acks: list[dict]) -> dict | None:
    """The page a pull right after this push would get, or None when it cannot be made: the
    push is committed and answered whatever happens here (the laptop then pulls as always,
    and meets there whatever went wrong)."""
    try:
        return ask.page(db, who, cursor, exact_ranges(acks))
    except Exception:  # noqa: BLE001 - the push's answers must reach the laptop regardless
        log.exception("the page after a push of %s could not be made; the laptop pulls",
                      who.username)
        return None
