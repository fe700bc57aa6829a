"""What a pushed row may hold beyond its type and scope, by what it is: a template version
every laptop can read (and a published one never changed), an answer's measured value in a
form a laptop stores. A mixin of server/push.py's push."""

from __future__ import annotations

from fieldapp.server.answer_values import answer_value_problem
from fieldapp.server.records import Record
from fieldapp.server.template_check import template_problem
from fieldapp.server.write_scope import Rejected


class ContentGuards:
    """Mixin: ``self.cache`` of the push."""

    def _guard_template(self, rec: Record, fields: dict) -> None:
        """A published version never changes; any other version is stored only if every
        laptop can read it (server/template_check.py)."""
        if rec.tbl != "template_versions":
            return
        if rec.data.get("status") == "published":
            for name in ("body", "version", "template_key", "content_hash"):
                if name in fields and fields[name] != rec.data.get(name):
                    raise Rejected("a published template version cannot change")
            return
        if fields.get("deleted"):
            return
        problem = template_problem(rec.id, {**rec.data, **fields})
        if problem:
            raise Rejected(problem)

    def _guard_answer(self, rec: Record, fields: dict) -> None:
        """A measured value a laptop would not store is refused (server/answer_values.py).
        After the scope, which names the answer's inspection (``parent_id``)."""
        if rec.tbl != "answers" or fields.get("value") is None:
            return
        inspection = self.cache.get("inspections", rec.parent_id)
        version = self.cache.get("template_versions",
                                 inspection.data.get("template_version_id")) \
            if inspection is not None else None
        problem = answer_value_problem(version, fields.get("item_id",
                                                           rec.data.get("item_id")),
                                       fields["value"])
        if problem:
            raise Rejected(problem)
