"""A push request's body: the operations a laptop sends, checked for shape only.

What each operation may do is decided in ``push.py``; here a body that is not a list of
operations with string ids, table, row id, kind and clock, and an object payload, is refused
whole (the app answers 400), so nothing past this point has to ask what type a field is.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.sync import protocol as P


@dataclass
class Op:
    op_id: str
    table: str
    row_id: str
    op: str
    payload: dict
    hlc: str
    # On a finalize: the record as the laptop signed it (server/signed.py), else None.
    signed: object = None
    # Create the row only if the server lacks it; a row it holds stays as it is (a laptop
    # sending again a row the office made, after the office was restored from a backup:
    # store/recreations.py).
    if_absent: bool = False
    # A row of the office's tables as this office sent it, with its seal ``{row, mac,
    # [clocks]}``: given back by a laptop after the office was restored from a backup
    # (server/sealed_copies.py); the payload is then empty.
    sealed: object = None


def parse_ops(body: object) -> tuple[list[Op], int]:
    """The operations and the client's pull cursor from a push body; ValueError if malformed."""
    if not isinstance(body, dict) or not isinstance(body.get("ops"), list):
        raise ValueError("a push body is {\"ops\": [...], \"cursor\": n}")
    cursor = body.get("cursor", 0)
    if not isinstance(cursor, int) or isinstance(cursor, bool) or cursor < 0:
        raise ValueError("cursor must be a non-negative integer")
    if len(body["ops"]) > P.MAX_PUSH_OPS:
        raise ValueError(f"at most {P.MAX_PUSH_OPS} operations per push")
    ops = []
    for raw in body["ops"]:
        if not isinstance(raw, dict):
            raise ValueError("each operation is an object")
        try:
            op = Op(raw["op_id"], raw["table"], raw["row_id"], raw["op"], raw["payload"],
                    raw["hlc"], raw.get("signed"), raw.get("if_absent") is True,
                    raw.get("sealed"))
        except KeyError as exc:
            raise ValueError(f"operation lacks {exc.args[0]!r}") from None
        if not all(isinstance(v, str) and 0 < len(v) <= 200 and "\x00" not in v
                   for v in (op.op_id, op.table, op.row_id, op.op, op.hlc)):
            raise ValueError("op_id, table, row_id, op and hlc are non-empty strings "
                             "without NUL")
        if not isinstance(op.payload, dict):
            raise ValueError("payload is an object")
        ops.append(op)
    return ops, cursor
