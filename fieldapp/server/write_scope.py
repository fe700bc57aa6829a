"""Who may write what, for one pushed operation: the province, owner and parent a row takes,
and the refusals (``Rejected``) that keep an inspector's changes inside their own work.

A mixin of server/push.py's push (``self.c``, ``self.who``, ``self.cache``, ``self.now``), kept
apart because these rules are what a reviewer of the server's trust reads first; it never
applies a change itself.
"""

from __future__ import annotations

from fieldapp.core.office_words import APPROVED
from fieldapp.core.registry_fields import FIELD_EDITABLE
from fieldapp.server.amendments import amendment_problem
from fieldapp.server.loop_scope import LoopScope
from fieldapp.server.records import Record
from fieldapp.server.scope import may_read
from fieldapp.store.factories import factory_id
from fieldapp.sync import protocol as P

NOT_FACTORY_ID = ("รหัสแถวโรงงานไม่ตรงกับเลขทะเบียน (a factory's row id must be the id every "
                  "device gives its 14-digit ID) — nothing was applied")
FIELD_EDITABLE_SET = frozenset(FIELD_EDITABLE)


class Rejected(Exception):
    """One operation refused; the message is the reason the laptop shows."""


class Frozen(Rejected):
    """Refused because the record is finalized here: the answer carries the server's row."""


class WriteScope(LoopScope):
    def _may_province(self, province: str | None) -> bool:
        return self.who.is_admin or (province is not None and province in self.who.provinces)

    def _scope(self, rec: Record, fields: dict, new: bool) -> None:
        """Set the row's province, owner and parent; Rejected if the caller may not write it."""
        tbl = rec.tbl
        if tbl in P.OFFICE_TABLES:
            self._scope_loop(rec, fields, new, Rejected)
            return
        if tbl == "factories":
            field = not self.who.is_admin  # not the office's own import, nor an administrator
            if field and new and (not isinstance(fields.get("fid"), str)
                                  or rec.id != factory_id(fields["fid"])):
                # Every laptop names a factory by its 14-digit ID (store/factories.py), so
                # one ID never names two rows, and an ID the office holds is its row (a
                # made-up id would let a report stand in for the office's factory).
                raise Rejected(NOT_FACTORY_ID)
            if field and not new and not FIELD_EDITABLE_SET.issuperset(fields):
                # The office's registry is authoritative: a laptop's copy of a registry row
                # (a factory reported with an inspection, or an older FieldApp's import)
                # changes nothing here. Answered as applied, so no refusal to show.
                fields.clear()
            province = fields.get("province_code", rec.data.get("province_code"))
            if not self._may_province(rec.province if not new else province) or \
                    not self._may_province(province):
                raise Rejected("โรงงานนี้อยู่นอกจังหวัดที่ได้รับสิทธิ์ (factory outside your "
                               "provinces)")
            rec.province = province
            if field and new:
                # A factory the office's registry lacks, brought by the inspection (or field
                # edit) that refers to it: kept, marked for an administrator to accept.
                self.c.run("INSERT INTO field_reports (factory_id, user_id, device_id, "
                           "reported_at) VALUES (?, ?, ?, ?) ON CONFLICT (factory_id) "
                           "DO NOTHING", (rec.id, self.who.user_id, self.who.device_id,
                                          self.now))
        elif tbl == "template_versions":
            # Every laptop inspects against what is published here: only the office
            # publishes (a laptop's copy of a published version is let through in _apply).
            if not self.who.is_admin:
                raise Rejected("แบบตรวจเผยแพร่โดยสำนักงานเท่านั้น (templates are published by "
                               "the office)")
        elif tbl == "inspections":
            factory = self.cache.get("factories", fields.get("factory_id",
                                                             rec.data.get("factory_id")))
            if factory is None:
                raise Rejected("เซิร์ฟเวอร์ไม่รู้จักโรงงานนี้ (the server does not know this "
                               "factory) — the office must import the registry first")
            template = fields.get("template_version_id")
            if new or (template is not None
                       and template != rec.data.get("template_version_id")):
                # A draft moved to another version names one too: a laptop pulling the
                # record could not store it under a version nobody holds.
                if self.cache.get("template_versions", template) is None:
                    raise Rejected("the server does not know this template version")
            if new:
                rec.owner = self.who.user_id
            amends = fields.get("amends_id")
            if amends and (new or amends != rec.data.get("amends_id")):
                problem = amendment_problem(rec.id, amends,
                                            lambda rid: self.cache.get("inspections", rid),
                                            lambda r: may_read(self.who, r),
                                            factory.id)
                if problem:
                    raise Rejected(problem)
                review = self.cache.get("reviews", amends)
                if review is not None and review.data.get("state") == "approved" \
                        and not review.deleted:
                    # An approved record is locked until a supervisor reopens it.
                    raise Rejected(APPROVED)
            self._own(rec.owner, factory.province)
            rec.province = factory.province
        else:
            parent = self.cache.get("inspections", rec.parent_id if not new
                                    else fields.get("inspection_id"))
            if parent is None:
                raise Rejected("the server does not know the inspection this belongs to")
            self._own(parent.owner, parent.province)
            rec.parent_id, rec.owner, rec.province = parent.id, parent.owner, parent.province
            for column, target in P.REFERENCES.get(tbl, ()):
                if column == "inspection_id" or not fields.get(column):
                    continue
                named = self.cache.get(target, fields[column])
                if named is None:
                    raise Rejected(f"{column} points at a {target} row unknown to the server")
                if target in P.CHILD_TABLES and named.parent_id != parent.id:
                    # A signature's participant or image is of its own record: another
                    # record's may be in a province that the people reading this one
                    # lack, and their laptops could not store the signature without it.
                    raise Rejected(f"{column} points at a {target} row of another inspection")

    def _own(self, owner: str | None, province: str | None) -> None:
        if self.who.is_admin:
            return
        if owner != self.who.user_id:
            raise Rejected("การตรวจนี้เป็นของผู้ตรวจคนอื่น (this inspection belongs to another "
                           "inspector)")
        if not self._may_province(province):
            raise Rejected("การตรวจนี้อยู่นอกจังหวัดที่ได้รับสิทธิ์ (inspection outside your "
                           "provinces)")
