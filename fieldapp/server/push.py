"""Applying a pushed outbox batch: idempotent by operation id, one answer per operation.

Runs in ONE write transaction (``Database.push_write``). On SQLite it holds the write lock
throughout. On PostgreSQL pushes work side by side: each locks the rows it touches as it
reads them and works out its changes under provisional change sequence numbers, then
reserves as many real ones (held until commit), renumbers (``_number``) and writes, so they
still commit in order. A push that clashed with another is run again whole
(``Database.retryable``). An operation seen before gets the answer it got the first time.
An operation that breaks a rule is *rejected* with a reason, never dropped silently: the
laptop keeps it visible. Nothing a client sends can raise out of here except a malformed
envelope, which the app turns into a 400.
"""

from __future__ import annotations

import json
import logging
from functools import cached_property

from fieldapp.core.gcpause import collector_paused
from fieldapp.core.ids import uuid7
from fieldapp.server.auth import Principal
from fieldapp.server.blob_access import NOT_YOURS, may_name, uploaded_all_of
from fieldapp.server.clocks import latest_allowed
from fieldapp.server.content_guards import ContentGuards
from fieldapp.server.derive import OFFICE_WRITER, Derived
from fieldapp.server.derive import log as derive_log
from fieldapp.server.frozen_records import FrozenRecords
from fieldapp.server.merge import merge_fields
from fieldapp.server.push_body import Op
from fieldapp.server.push_checks import Checked, check_all, check_op
from fieldapp.server.records import Record, RecordCache
from fieldapp.server.sealed_copies import NotYet, SealedCopies
from fieldapp.server.storage import Conn, Database
from fieldapp.server.timeutil import now_iso
from fieldapp.server.write_scope import Rejected, WriteScope
from fieldapp.sync import protocol as P

OP_ID_USED = ("รหัสการเปลี่ยนแปลงนี้ถูกใช้แล้ว (op id already used by another user's change) "
              "— nothing was applied")

# Rows that name attachment bytes (``records.blob_sha``; server/blob_access.py).
BLOB_TABLES = frozenset({"attachments", "complaint_files", "order_photos"})
# Change sequence numbers of a batch still being worked out, before it reserves real ones
# (``_Push._number``): above every real one, so that to the merge's "has the pusher seen
# this write?" they are as new as the real numbers they become.
PROVISIONAL = 1 << 62
# What an inspection names that its push reads but does not change (write_scope.py).
_LOOKED_AT = (("factory_id", "factories"), ("template_version_id", "template_versions"))
# Runs of one push that clashed with concurrent pushes before it gives up (the laptop then
# gets an error and sends the batch again later; nothing is lost).
ATTEMPTS = 8

log = logging.getLogger(__name__)


class _Vanished(Exception):
    """Bytes a new row names were removed (blob_gc) while the push was worked out."""


def push(db: Database, who: Principal, ops: list[Op], seen_seq: int) -> list[dict]:
    """Apply ``ops`` in order; return one acknowledgement per operation. ``seen_seq`` is
    the laptop's pull cursor (a push never renames the server's history, server/history.py,
    so the epoch the laptop names with it changes nothing here)."""
    # Checked before the transaction: the checks read nothing stored (server/push_checks.py).
    # A run again checks afresh: the first run's fields may have become its rows.
    checked: list[Checked | None] | None = check_all(who, ops)
    attempt = 1
    while True:
        try:
            return _push_once(db, who, ops, seen_seq, checked)
        except Exception as exc:
            checked = None
            if attempt >= ATTEMPTS or not (isinstance(exc, _Vanished) or db.retryable(exc)):
                raise
            log.info("push of %d operation(s) clashed with another (%s); run again",
                     len(ops), type(exc).__name__)
            attempt += 1


def _push_once(db: Database, who: Principal, ops: list[Op], seen_seq: int,
               checked: list[Checked | None] | None = None) -> list[dict]:
    # The collector pauses only once the transaction has begun (on SQLite: the write lock is
    # held), not while waiting for it.
    with db.push_write() as c, collector_paused():
        batch = _Push(c, who, seen_seq)
        acks = batch.run(ops, checked)
        if batch.finalized_now or batch.approved_now:
            derived = Derived(batch)
            for inspection_id in sorted(batch.finalized_now):
                derived.followed_up(inspection_id)
            for inspection_id, reviewer in sorted(batch.approved_now.items()):
                derived.approved(inspection_id, reviewer)
            _apply_derived(c, derived)
            del derived
        # Freed here, before the collector is back on: its first collection would otherwise
        # walk every record of the batch (a finalize batch loads a hundred thousand) while
        # the transaction is still open.
        del batch
        return acks


def _apply_derived(conn: Conn, derived: Derived) -> None:
    """Apply what ``derived`` collected as the office, in the caller's transaction."""
    if derived.history:
        conn.many("INSERT INTO order_history (id, order_id, status, note, inspection_id, "
                  "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)", derived.history)
    if not derived.ops:
        return
    # The batch that caused them holds the change sequence already (on every engine): the
    # office has seen every change up to the counter, this batch's included.
    seen = int(conn.value("SELECT value FROM counters WHERE name = 'change_seq'"))
    ops = [Op(op_id, table, row_id, "upsert", payload, hlc)
           for op_id, table, row_id, payload, hlc in derived.ops]
    for ack in _Push(conn, OFFICE_WRITER, seen).run(ops):
        if ack["outcome"] == P.REJECTED:
            derive_log.warning("a change the office derived was refused: %s", ack["reason"])


class _Push(FrozenRecords, SealedCopies, ContentGuards, WriteScope):
    def __init__(self, conn: Conn, who: Principal, seen_seq: int):
        self.c = conn
        self.who = who
        self.seen_seq = seen_seq
        self.cache = RecordCache(conn)
        head = int(conn.value("SELECT value FROM counters WHERE name = 'change_seq'"))
        if seen_seq > head:
            # Past every change handed out: not a cursor of this history (a restore, or
            # made up). It renames nothing (only `fieldapp-server restored` does,
            # server/history.py); for conflicts this laptop has seen none of this history.
            self.seen_seq = 0
        # Without the change sequence held yet, changes are numbered provisionally and
        # renumbered when real numbers are reserved (_number); holding it (SQLite), they
        # are real at once.
        self.seq = PROVISIONAL if conn.late_sequence else head
        self.start_seq = self.seq
        # Bytes named by rows this batch creates: checked again once numbering (_number).
        self.named: set[str] = set()
        self.sent_all: set[str] = set()   # bytes the caller sent whole (run())
        # Rows this batch created from an operation's payload alone: op id -> (row, its
        # change number then). Still at that number at the end, the row is exactly what
        # the laptop sent, and the answer says so (``exact``: its pull may skip it).
        self.created: dict[str, tuple[Record, int]] = {}
        self.conflicts: list[tuple] = []
        # Causes of office changes (server/derive.py): follow-ups finalized in this batch,
        # and records approved in it (inspection id -> reviewer).
        self.finalized_now: set[str] = set()
        self.approved_now: dict[str, str] = {}
        # Office rows whose province or owner this batch changed (server/loop_scope.py).
        self.moved: set[tuple[str, str]] = set()
        self.repeated_frozen = False   # the last operation repeated a finalized row
        self.now = now_iso()  # one receive time for the whole batch

    def run(self, ops: list[Op], checked: list[Checked | None] | None = None) -> list[dict]:
        """``checked``: ``push_checks.check_all`` of ``ops``, done before the transaction;
        None to check each operation here."""
        done = self._known_ops([o.op_id for o in ops])
        # Locked (PostgreSQL, storage.Conn.for_update): the rows the batch changes, and the
        # inspections above the children it changes, named or stored. Whoever changes a
        # child holds its inspection, so a child cannot change while its inspection is
        # being finalized and hashed, nor be changed after it was found unfrozen.
        keys = {(o.table, o.row_id) for o in ops if o.table in P.TABLES}
        self.cache.prefetch(keys, lock=True)
        parents = {("inspections", o.payload["inspection_id"]) for o in ops
                   if o.table in P.CHILD_TABLES and isinstance(o.payload.get("inspection_id"), str)}
        parents.update(("inspections", rec.parent_id) for key in keys
                       if key[0] in P.CHILD_TABLES and (rec := self.cache.rows.get(key))
                       and rec.parent_id)
        self.cache.prefetch(parents, lock=True)
        # Rows only looked at, not locked (write_scope.py): the factory and template version
        # each inspection of the batch names, in one lookup with the rest rather than one
        # each as they are first asked for.
        self.cache.prefetch({(target, o.payload[column]) for o in ops
                             if o.table == "inspections"
                             for column, target in _LOOKED_AT
                             if isinstance(o.payload.get(column), str)})
        # Finalizing re-hashes the inspection with its children: load them all at once.
        # An inspection the server does not hold has none stored (a child is refused until
        # its inspection is there): most of a bulk push, which need not ask.
        finalizing = {o.row_id for o in ops if o.table == "inspections"
                      and o.payload.get("state") == "finalized"}
        held = {i for i in finalizing if self.cache.rows.get(("inspections", i))}
        self.cache.prefetch_children(held, none_for=finalizing - held)
        # Bytes the caller sent whole, for the new attachment rows (may_name, one by one,
        # for the rest).
        self.sent_all = uploaded_all_of(self.c, self.who.user_id, [
            o.payload["sha256"] for o in ops if o.table in BLOB_TABLES
            and isinstance(o.payload.get("sha256"), str) and o.op_id not in done])
        acks, new_ops = [], []
        user_id = self.who.user_id
        for n, op in enumerate(ops):
            if op.op_id in done:
                first = done[op.op_id]
                if first.get("user_id", user_id) != user_id:
                    # Another user's op id: neither their answer nor a second application.
                    acks.append({"op_id": op.op_id, "outcome": P.REJECTED, "seq": None,
                                 "reason": OP_ID_USED})
                    continue
                ack = {"op_id": op.op_id, "outcome": P.DUPLICATE, "seq": first["seq"],
                       "reason": first["reason"], "first_outcome": first["outcome"]}
                if first["outcome"] == P.REJECTED and op.table in P.TABLES:
                    ack["current"] = self._current(op.table, op.row_id, op.payload)   # the first answer may be lost
                acks.append(ack)
                continue
            try:
                self.repeated_frozen = False
                seq = self._apply(op, checked[n] if checked is not None else None)
                ack = {"op_id": op.op_id, "outcome": P.APPLIED, "seq": seq, "reason": None}
                if self.repeated_frozen:   # the laptop's copy takes the office's clock
                    ack["current"] = self._current(op.table, op.row_id, op.payload)
            except NotYet as exc:
                # A sealed copy refused for now: not remembered, so the same operation
                # sent again (next sync) is judged afresh (server/sealed_copies.py).
                acks.append({"op_id": op.op_id, "outcome": P.REJECTED, "seq": None,
                             "reason": str(exc), "retry": True})
                continue
            except Rejected as exc:
                ack = {"op_id": op.op_id, "outcome": P.REJECTED, "seq": None,
                       "reason": str(exc)}
                if op.table in P.TABLES:
                    # Whatever the reason (a signature may be refused first for pointing at
                    # a photo refused as frozen), a row under a record finalized here goes
                    # back with the server's copy; None when nothing is frozen.
                    ack["current"] = self._current(op.table, op.row_id, op.payload)
            done[op.op_id] = ack  # a repeat later in this batch is answered from it
            acks.append(ack)
            new_ops.append((op, ack))
        exact = {op_id for op_id, (rec, seq) in self.created.items() if rec.seq == seq}
        self._number(acks)
        for op, ack in new_ops:
            if op.op_id in exact and ack["outcome"] == P.APPLIED:
                ack["exact"] = True
        self.cache.flush()
        # tbl and row_id: the sync history of a record (who sent which change, when).
        device_id, now = self.who.device_id, self.now
        self.c.insert_rows("ops", ("op_id", "device_id", "user_id", "outcome", "reason", "seq",
                                   "received_at", "tbl", "row_id"),
                           [(op.op_id, device_id, user_id, ack["outcome"], ack["reason"],
                             ack["seq"], now, op.table, op.row_id) for op, ack in new_ops])
        self.c.many("INSERT INTO conflicts (id, tbl, row_id, field, kept_value, kept_hlc, "
                    "kept_device, lost_value, lost_hlc, lost_device, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.conflicts)
        if self.seq != self.start_seq:
            self.c.run("UPDATE counters SET value = ? WHERE name = 'change_seq'", (self.seq,))
        return acks

    def _number(self, acks: list[dict]) -> None:
        """Make the batch's provisional change sequence numbers real: reserve as many
        (held until commit, storage.Conn.reserve_sequence) and shift them there, in the
        order they were handed out. Nothing to do when they were real from the start or the
        batch changed nothing."""
        if self.seq == self.start_seq or not self.c.late_sequence:
            return
        head = self.c.reserve_sequence(self.seq - PROVISIONAL)
        if self.named:
            # Bytes checked at the start may have been collected since (blob_gc holds the
            # change sequence while it deletes): then the batch is worked out again, and
            # refused.
            complete = set()
            for where, params in self.c.any_of("sha256", sorted(self.named)):
                complete.update(sha for (sha,) in self.c.tuples(
                    f"SELECT sha256 FROM uploads WHERE complete = 1 AND {where}", params))
            if complete != self.named:
                raise _Vanished(f"{len(self.named - complete)} attachment(s) removed meanwhile")
        shift = head - PROVISIONAL

        def real(seq: int | None) -> int | None:
            return seq + shift if seq is not None and seq > PROVISIONAL else seq

        for rec in self.cache.rows.values():
            if rec is not None and rec.dirty:
                rec.seq = real(rec.seq)
                for clock in rec.clocks.values():
                    clock[2] = real(clock[2])
        for ack in acks:
            ack["seq"] = real(ack["seq"])
        self.seq += shift
        self.start_seq = self.seq  # the counter says so already

    def _known_ops(self, op_ids: list[str]) -> dict[str, dict]:
        return {row["op_id"]: {"outcome": row["outcome"], "seq": row["seq"],
                               "reason": row["reason"], "user_id": row["user_id"]}
                for row in self.c.by_key("ops", "op_id", op_ids)}

    # -- one operation ---------------------------------------------------------------------

    def _apply(self, op: Op, checked: Checked | None = None) -> int | None:
        if op.sealed is not None:
            return self._apply_sealed(op)
        if checked is None:
            checked = check_op(op, self.who, self._latest_clock)
        elif isinstance(checked, Rejected):
            raise checked
        fields, device = checked
        rec = self.cache.get(op.table, op.row_id)
        if rec is None:
            if op.op == "delete":
                return None  # deleted before the server ever heard of it: nothing to keep
            missing = [f for f in P.REQUIRED[op.table] if fields.get(f) is None]
            if missing:
                raise Rejected(f"{P.NO_ROW}{op.table} row {op.row_id} (its creation was "
                               f"refused earlier, or never sent); this change alone lacks "
                               f"{', '.join(missing)}")
            rec = Record(op.table, op.row_id, {}, {}, stored=False)
            self._scope(rec, fields, new=True)
            self._guard_answer(rec, fields)
            self._guard_frozen(rec, fields)
            self._guard_template(rec, fields)
            if op.table in BLOB_TABLES and fields["sha256"] not in self.sent_all \
                    and not may_name(self.c, self.who, fields["sha256"]):
                # Bytes first (the laptop uploads before it pushes), and only bytes the
                # caller sent or may read: a known hash alone must not open a photo.
                raise Rejected(NOT_YOURS)
            if op.table in BLOB_TABLES:
                self.named.add(fields["sha256"])
            return self._create(rec, fields, op, device)
        else:
            if op.table == "template_versions" and rec.data.get("status") == "published" \
                    and fields.get("content_hash", rec.data.get("content_hash")) == \
                    rec.data.get("content_hash") and not self.who.is_admin:
                # A laptop's copy of a version the office published (laptops from before
                # bundled templates stayed local sent theirs, with their own publish
                # time): the same version, nothing to change and nothing to refuse.
                return rec.seq
            # Before the scope, which takes a record's province from the factory it names.
            for name in P.FIXED.get(op.table, ()):
                if name in fields and fields[name] != rec.data.get(name):
                    raise Rejected(f"{name} of {op.table} {op.row_id} cannot change")
            self._scope(rec, fields, new=False)
            self._guard_answer(rec, fields)
            if op.if_absent:   # held already: nothing changes (store/recreations.py)
                return rec.seq
        if self._guard_frozen(rec, fields):
            # The same values sent again to a finalized record: nothing to do. Merging them
            # would move the row's clock and seq on a frozen record, which laptops holding
            # it finalized could never follow. The answer carries the row (run()), so the
            # laptop takes its clock too.
            self.repeated_frozen = True
            return rec.seq
        self._guard_template(rec, fields)
        was_finalized = rec.data.get("state") == "finalized"
        result = merge_fields(rec.data, rec.clocks, fields, op.hlc, device, self.seq + 1,
                              self.seen_seq)
        self._placed_merged(rec)
        for conflict in result.conflicts:
            self._record_conflict(rec, conflict.field, conflict.kept_value, conflict.kept_hlc,
                                  conflict.kept_device, conflict.lost_value, conflict.lost_hlc,
                                  conflict.lost_device)
        if not result.changed:
            if result.lost and (rec.stored or rec.dirty):
                # The laptop keeps what it sent unless the row comes to it again: a laptop
                # whose clock is behind may have stamped an edit below a value it had
                # already pulled. The row goes out again at a new seq, unchanged.
                self.seq += 1
                rec.seq = self.seq
                if rec.stored:
                    rec.dirty = True
            return rec.seq if rec.stored or rec.dirty else None
        self.seq += 1
        rec.seq = self.seq
        # The row's clock is its newest field write (merge.row_clock). This write set at
        # least one field, so that is the newer of the row's clock and this one; HLC text
        # names its device, so equal clocks mean the same write.
        if op.hlc > rec.updated_hlc:
            rec.updated_hlc, rec.device_id = op.hlc, device
        rec.deleted = int(bool(rec.data.get("deleted", 0)))
        if op.table in BLOB_TABLES:
            rec.blob_sha = rec.data.get("sha256")
        if op.table == "inspections":
            rec.frozen = int(rec.data.get("state") == "finalized")
            if rec.frozen and not was_finalized:
                self._check_signed_hash(rec, op.signed)
                self._caused(rec)
        elif op.table == "reviews" and "state" in fields:
            self._caused(rec)
        if rec.stored:
            rec.dirty = True
        elif not rec.dirty:
            self.cache.add(rec)
        seq = rec.seq
        self._carry_to_children(rec)
        return seq

    def _create(self, rec: Record, fields: dict, op: Op, device: str) -> int | None:
        """A row the server has never seen, already scoped and guarded: what merge_fields
        does on an empty row (every field is taken with this write's clock, and there is
        nothing to conflict with), without comparing field by field. Most of a bulk push
        is new rows. tests/server/test_server_push_fast.py checks it against the merge path."""
        if not fields:
            return None  # merge_fields would change nothing (REQUIRED makes this unreachable)
        self.seq += 1
        seq = rec.seq = self.seq
        self.created[op.op_id] = (rec, seq)
        hlc = op.hlc
        rec.data = fields  # push_checks.check_op's own copy of the payload
        # One clock, shared by every field: stored once (records.clocks_text), renumbered
        # once (_number), and replaced, never changed in place, by a later merge.
        rec.clocks = dict.fromkeys(fields, [hlc, device, seq])
        rec.updated_hlc, rec.device_id = hlc, device
        rec.deleted = int(bool(fields.get("deleted", 0)))
        if rec.tbl in BLOB_TABLES:
            rec.blob_sha = fields.get("sha256")
        elif rec.tbl == "inspections":
            rec.frozen = int(fields.get("state") == "finalized")
            if rec.frozen:
                self._check_signed_hash(rec, op.signed)
        self.cache.add(rec)
        self._caused(rec)
        return rec.seq  # a finalize adopting its signed copy moves it on

    def _caused(self, rec: Record) -> None:
        """Note a change the office's records follow from (server/derive.py)."""
        if rec.tbl == "inspections" and rec.frozen and rec.data.get("kind") == "follow_up":
            self.finalized_now.add(rec.id)
        elif rec.tbl == "reviews" and rec.data.get("state") == "approved" and not rec.deleted:
            self.approved_now[rec.id] = rec.data.get("reviewer") or self.who.username

    @cached_property
    def _latest_clock(self) -> int:
        """The latest clock (wall ms) a change of this batch may carry (server/clocks.py)."""
        return latest_allowed()

    def _record_conflict(self, rec: Record, name: str, kept, kept_hlc, kept_device, lost,
                         lost_hlc, lost_device) -> None:
        self.conflicts.append((uuid7(), rec.tbl, rec.id, name,
                               json.dumps(kept, ensure_ascii=False), kept_hlc, kept_device,
                               json.dumps(lost, ensure_ascii=False), lost_hlc, lost_device,
                               self.now))
