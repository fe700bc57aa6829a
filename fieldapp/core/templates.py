"""Checklist templates: the public face of the template modules, plus the rules that read
answers against a template (which items show, what still stops finalizing).

The model lives in template_model, reading and checking files in template_loading, and
answer values in template_values; import from here. Pure Python: no database, no Qt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from fieldapp.core.detection import UNDECIDED
from fieldapp.core.template_loading import (
    SCHEMA_PATH,
    TemplateError,
    load_template,
    parse_template,
    template_schema,
)
from fieldapp.core.template_model import (
    ANSWER_TYPES,
    KINDS,
    RESULTS,
    Choice,
    Condition,
    Item,
    Limits,
    Section,
    Template,
    version_id,
)
from fieldapp.core.template_values import (
    decimal_text,
    is_exceeded,
    judgement,
    normalize_value,
    outside_limits,
    parse_decimal,
)

__all__ = [
    "ANSWER_TYPES", "KINDS", "RESULTS", "SCHEMA_PATH", "Choice", "Condition", "Item",
    "Limits", "Section", "Template", "TemplateError", "decimal_text", "finalize_problems",
    "is_exceeded", "is_failed", "is_visible", "judgement", "load_template", "needs_decision",
    "normalize_value",
    "outside_limits", "parse_decimal", "parse_template", "template_schema", "version_id",
]


def _holds(condition: Condition, answer: Mapping | None) -> bool:
    if not answer:
        return False
    if condition.controller_type == "result":
        return answer.get("result") in condition.values
    value = answer.get("value")
    if value is None:
        return False
    if condition.controller_type == "multi_choice":
        try:
            chosen = json.loads(value)
        except (TypeError, ValueError):
            return False
        return isinstance(chosen, list) and bool(condition.values.intersection(chosen))
    return value in condition.values


def is_visible(item: Item, answers: Mapping[str, Mapping]) -> bool:
    """Whether ``item`` shows, given the answers so far (item id -> row with result/value/note).

    Transitive: an item whose controlling item is itself hidden is hidden too, even when the
    stale answer of that hidden controller would match.
    """
    return all(_holds(c, answers.get(c.controller)) for c in item.conditions)


def is_failed(item: Item, answer: Mapping | None) -> bool:
    """A failed answer: result "fail", or a number over its legal limit."""
    if not answer:
        return False
    if answer.get("result") == "fail":
        return True
    if item.type != "number":
        return False
    exceeded = answer.get("exceeded") if "exceeded" in answer else is_exceeded(
        item, answer.get("value"))
    return bool(exceeded)


def needs_decision(item: Item, answer: Mapping | None) -> bool:
    """A measured value that cannot be judged by itself ("<30" against ≤ 20: the lab's
    detection limit is above the legal one, core/detection.py) and still lacks the
    inspector's result: pass or fail (with the lab, in the note), or not applicable / not
    checked. Never decided for them, so a record is not finalized passing or failing it
    silently."""
    return bool(answer) and item.type == "number" and answer.get("result") is None and \
        judgement(item, answer.get("value")) == UNDECIDED


def _answered(item: Item, answer: Mapping | None, photos: int) -> bool:
    if not answer and not photos:
        return False
    answer = answer or {}
    if item.type == "result":
        return answer.get("result") is not None
    if answer.get("result") in ("na", "not_checked"):
        return True
    if item.type == "photo":
        return photos > 0
    return answer.get("value") is not None


def _message(item: Item, thai: str, english: str) -> str:
    return f"{item.name('th')}: {thai} ({item.name('en')}: {english})"


def finalize_problems(template: Template, answers: Mapping[str, Mapping],
                      photos_by_item: Mapping[str, int]) -> list[str]:
    """Everything in the answers that stops finalizing, in template order, Thai + English.

    Hidden items are ignored. A visible required item must be answered (result items need a
    result; others a value, or the result "na"/"not_checked"); a failed item whose template
    says so needs a note and/or at least one photo.
    """
    problems: list[str] = []
    for item in template.items.values():
        if not is_visible(item, answers):
            continue
        answer = answers.get(item.id)
        photos = photos_by_item.get(item.id, 0)
        if item.required and not _answered(item, answer, photos):
            if item.type == "result":
                problems.append(_message(item, "ต้องระบุผลการตรวจ", "a result is required"))
            elif item.type == "photo":
                problems.append(_message(item, "ต้องแนบภาพถ่ายอย่างน้อย 1 ภาพ",
                                         "at least one photo is required (or mark it "
                                         "not applicable)"))
            else:
                problems.append(_message(item, "ต้องกรอกข้อมูล",
                                         "an answer is required (or mark it not applicable "
                                         "or not checked)"))
        if needs_decision(item, answer):
            problems.append(_message(
                item, "ค่าต่ำกว่าขีดจำกัดการตรวจวัดที่สูงกว่าเกณฑ์ ตัดสินจากค่านี้ไม่ได้: "
                "ผู้ตรวจต้องระบุว่าผ่านหรือไม่ผ่าน",
                "the lab's detection limit is above the legal limit, so the value alone "
                "cannot be judged: choose pass or fail (and say why in the note)"))
        if not is_failed(item, answer):
            continue
        why = ("a note is required for a failed item" if answer.get("result") == "fail"
               else "the value exceeds the legal limit: a note is required")
        if item.on_fail["note"] and not (answer.get("note") or "").strip():
            problems.append(_message(item, "ต้องระบุหมายเหตุ", why))
        if item.on_fail["photo"] and photos < 1:
            problems.append(_message(item, "ต้องแนบภาพถ่ายประกอบ",
                                     why.replace("a note", "a photo")))
    return problems
