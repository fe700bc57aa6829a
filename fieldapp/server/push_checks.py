"""What a pushed operation must be on its own, before anything stored is looked at: a known
table and operation, a clock of the caller's own device and not far ahead, known fields, each
a value every laptop can store.

Nothing here reads the database, so a push checks its whole batch before its transaction
begins (server/push.py): on SQLite the write lock is then not held for it, and the photo
uploads queued behind a push of thousands of operations wait that much less.
"""

from __future__ import annotations

from fieldapp.server.auth import Principal
from fieldapp.server.clocks import check_clock, latest_allowed
from fieldapp.server.push_body import Op
from fieldapp.server.values import factory_problem, field_problem, storable_problem, value_problem
from fieldapp.server.write_scope import Rejected
from fieldapp.sync import protocol as P

# The fields a pushed payload may carry, per table (computed once, checked per operation).
ALLOWED = {table: frozenset(columns) | {"deleted"} for table, columns in P.COLUMNS.items()}
_NUMBERS = (int, float, bool)

# One operation checked: the fields to merge and the writing device, or why it is refused.
Checked = tuple[dict, str] | Rejected


def check_all(who: Principal, ops: list[Op]) -> list[Checked | None]:
    """Each operation of a batch checked, in order; None for a sealed copy, which is judged
    otherwise (server/sealed_copies.py). The latest clock allowed is taken once, now."""
    latest = latest_allowed()
    out: list[Checked | None] = []
    for op in ops:
        if op.sealed is not None:
            out.append(None)
            continue
        try:
            out.append(check_op(op, who, latest))
        except Rejected as exc:
            out.append(exc)
    return out


def check_op(op: Op, who: Principal, latest: int) -> tuple[dict, str]:
    """The fields to merge and the writing device; Rejected if the operation is bad. Takes
    a repeated ``id`` out of ``op.payload``; the fields are a copy of the rest."""
    if op.table not in P.TABLES:
        raise Rejected(f"unknown table {op.table!r}")
    if op.op not in ("upsert", "delete"):
        raise Rejected(f"unknown operation {op.op!r}")
    try:
        # The caller's own device, and not far in the future: one laptop's clock must never
        # win every merge nor carry the other laptops' clocks along.
        device = check_clock(op.hlc, who.device_id, latest)
    except ValueError as exc:
        raise Rejected(str(exc)) from None
    if "id" in op.payload and op.payload["id"] != op.row_id:
        raise Rejected("payload id differs from row_id")
    op.payload.pop("id", None)  # a new row's payload repeats its id
    table = op.table
    if not ALLOWED[table].issuperset(op.payload):
        unknown = sorted(set(op.payload) - ALLOWED[table])
        raise Rejected(f"unknown field(s) {', '.join(unknown)} for {table}")
    text_only = P.NAMING[table]
    # A laptop's factory fields are held to the sizes every laptop can carry
    # (server/values.py); the office's registry import is not.
    field_factory = table == "factories" and not who.is_admin
    for name, value in op.payload.items():
        kind = type(value)
        if kind is not str:
            if value is not None and kind not in _NUMBERS:
                raise Rejected(f"field {name} must be text, a number or null")
            if value is not None and name in text_only:
                raise Rejected(f"field {name} must be text")
        if field_factory:
            problem = value_problem(name, value) or factory_problem(name, value) \
                or storable_problem(table, name, value)
        else:
            # What a laptop's schema would refuse, a laptop that pulls the row could not
            # store: refused here, for every laptop's sake (a supervisor's reads them all).
            problem = field_problem(table, name, value)
        if problem:
            raise Rejected(problem)
    if op.op == "delete":
        return {"deleted": 1}, device
    fields = dict(op.payload)
    if "deleted" in fields:
        fields["deleted"] = int(bool(fields["deleted"]))
    return fields, device
