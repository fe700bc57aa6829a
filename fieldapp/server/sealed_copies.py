"""A laptop giving back a row of the office's tables that a restore lost: a mixin of
server/push.py's push, beside WriteScope.

After the office is restored from an older backup, a laptop sends the last copy it pulled of
each complaint and plan it holds, with the seal this office put on it
(server/office_seals.py), before its own changes. Only a copy whose seal is good is taken,
and then as the office's own write: field by field, each with the clock the office had
merged it by, so a copy older than what the office holds changes nothing, and one newer
brings the office forward to what it had sent. Its province and owner are computed here,
as for any office write. Who sends it does not matter: the office sealed that content
itself, so it is authentic, and a copy can only bring back values the office had at a time
newer than what it holds now (docs/sync-protocol.md, "Rows the office lost").
"""

from __future__ import annotations

from functools import cached_property

from fieldapp.server.clocks import check_clock
from fieldapp.server.derive import OFFICE_WRITER
from fieldapp.server.loop_scope import loop_value_problem
from fieldapp.server.merge import merge_fields, row_clock
from fieldapp.server.office_seals import BadSeal, held_key, unseal
from fieldapp.server.push_body import Op
from fieldapp.server.records import Record
from fieldapp.server.write_scope import Rejected

# The office's tables a sealed copy may bring back. Not yet: files and photos (their bytes
# may be lost too), reviews and orders (a review approved again would issue orders anew).
RESTORABLE = ("complaints", "plans")


class NotYet(Rejected):
    """A good copy refused for now: a row it names (its complaint, its factory) is not here
    yet, or the sender's clock is ahead. It may pass later (the complaint given back by
    another laptop), so the answer says ``retry`` and the office does not remember it: the
    same operation sent again is judged afresh (taking a sealed copy twice changes
    nothing, so no replay needs the first answer)."""


# "Has the sender seen this write?": yes, always. A sealed copy repeats the office's own
# history; none of it is a concurrent edit to record for review.
_SEEN_ALL = 1 << 63


class SealedCopies:
    """Mixin: ``self.c``, ``self.who``, ``self.cache``, ``self.seq``, ``_latest_clock``,
    ``_scope_loop``, ``_placed_merged`` and ``_carry_to_children`` of the push."""

    @cached_property
    def _seal_key(self) -> bytes | None:
        return held_key(self.c)

    def _apply_sealed(self, op: Op) -> int | None:
        """Merge a sealed copy (``op.sealed``) as the office's write; Rejected (nothing
        changed) if it is not one this office sealed for this row of a restorable table."""
        if op.table not in RESTORABLE:
            raise Rejected(f"the office takes back sealed copies of "
                           f"{', '.join(RESTORABLE)} only, not of {op.table}")
        if op.op != "upsert" or op.payload:
            raise Rejected("a sealed copy is an upsert with an empty payload")
        try:
            fields, clocks = unseal(self._seal_key, op.table, op.row_id, op.sealed)
        except BadSeal as exc:
            raise Rejected(str(exc)) from None   # never passes: the laptop drops the copy
        try:
            # The sender's stamp, taken afresh each sync: a clock set right passes.
            check_clock(op.hlc, self.who.device_id, self._latest_clock)
        except ValueError as exc:
            raise NotYet(str(exc)) from None
        problem = loop_value_problem(op.table, fields)
        if problem:
            raise Rejected(problem)   # sealed here, yet no longer a value the office takes
        rec = self.cache.get(op.table, op.row_id)
        new = rec is None
        if rec is None:
            rec = Record(op.table, op.row_id, {}, {}, stored=False)
        # Placed and checked as the office's own write (its factory, its complaint): a row
        # it names that is missing may come later (given back after it, or by another
        # laptop), so that refusal is NotYet.
        sender, self.who = self.who, OFFICE_WRITER
        try:
            self._scope_loop(rec, dict(fields), new, NotYet)
        finally:
            self.who = sender
        by_clock: dict[tuple[str, str], dict] = {}
        for name, value in fields.items():
            by_clock.setdefault(clocks[name], {})[name] = value
        changed = False
        for (hlc, device), part in sorted(by_clock.items()):
            changed |= merge_fields(rec.data, rec.clocks, part, hlc, device, self.seq + 1,
                                    _SEEN_ALL).changed
        if not changed:
            # Older than (or the same as) what the office holds: nothing moves, not even the
            # row's change number, so a flood of old copies costs the laptops nothing.
            self._placed_merged(rec)
            return rec.seq if rec.stored or rec.dirty else None
        self.seq += 1
        rec.seq = self.seq
        rec.updated_hlc, rec.device_id = row_clock(rec.clocks)
        rec.deleted = int(bool(rec.data.get("deleted", 0)))
        self._placed_merged(rec)
        if rec.stored:
            rec.dirty = True
        elif not rec.dirty:
            self.cache.add(rec)
        self._carry_to_children(rec)
        return rec.seq
