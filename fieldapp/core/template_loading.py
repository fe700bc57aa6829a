"""Reading and checking a checklist template file: JSON Schema first, then the rules a schema
cannot say (unique ids, conditions that point at an earlier item, limits in order ...).

Every problem is reported, not just the first, as ``FILE: /json/pointer: reason`` so that an
office editor can find the spot in the file. This module reads the template file given to
``load_template`` and the schema shipped beside it; it never writes anything.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from fieldapp.core.canonical import content_hash
from fieldapp.core.errors import ValidationError
from fieldapp.core.template_model import (
    ANSWER_TYPES,
    CONTROLLER_TYPES,
    RESULTS,
    Choice,
    Condition,
    Item,
    Limits,
    Section,
    Template,
)

SCHEMA_PATH = Path(__file__).with_name("template_schema.json")
_THAI = re.compile("[\u0e01-\u0e5b]")


class TemplateError(ValidationError):
    """A template file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        count = len(problems)
        super().__init__(
            f"แม่แบบไม่ถูกต้อง (invalid template) {source}: {count} "
            f"problem{'s' if count != 1 else ''} — {problems[0]}", problems)
        self.source = source


@cache
def template_schema() -> dict:
    """The JSON Schema of template files (fieldapp/core/template_schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load_template(path: str | Path) -> Template:
    """Read, check and build the template in ``path``; TemplateError lists every problem."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError(source, [f"{source}: the file is not UTF-8 text ({exc.reason} at "
                                     f"byte {exc.start}); save it as UTF-8"]) from exc
    except OSError as exc:
        raise TemplateError(source, [f"{source}: cannot read the file ({exc.strerror})"]) from exc
    duplicates: list[str] = []

    def pairs_to_dict(pairs: list[tuple[str, Any]]) -> dict:
        # json.loads would silently keep the last of two equal keys; an editor who pasted
        # a "label" twice deserves to hear about it.
        result: dict = {}
        repeated = []
        for key, value in pairs:
            if key in result:
                repeated.append(key)
            result[key] = value
        for key in repeated:
            owner = (f"the object with id {result['id']!r}" if isinstance(result.get("id"), str)
                     else "one object")
            duplicates.append(f"key {key!r} appears twice in {owner}")
        return result

    try:
        # Decimal, not float: a limit written 9.0 stays "9.0" and 0.1 stays exact.
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=pairs_to_dict)
    except json.JSONDecodeError as exc:
        raise TemplateError(source, [
            f"{source}: line {exc.lineno} column {exc.colno}: {exc.msg} (not valid JSON)"]) \
            from exc
    dup_problems = [f"{source}: /: {d} (only the last one would count; remove the other)"
                    for d in duplicates]
    return parse_template(data, source, _extra_problems=dup_problems)


def parse_template(data: Any, source: str = "template", *,
                   _extra_problems: list[str] | None = None) -> Template:
    """Check ``data`` (a template document) and build the Template; TemplateError otherwise."""
    data = _float_safe(data)
    problems = list(_extra_problems or [])
    problems += [f"{source}: {path}: {reason}" for path, reason in _schema_problems(data)]
    problems += [f"{source}: {path}: {reason}" for path, reason in _rule_problems(data)]
    if problems:
        raise TemplateError(source, problems)
    return _build(data, source)


# -- schema --------------------------------------------------------------------------------

def _pointer(parts) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _path_key(parts) -> list:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in parts]


@cache
def _validator():
    # Imported here, not at module level: jsonschema costs ~150 ms to import and templates
    # stored in the database are already validated, so the window's start-up never needs it.
    import jsonschema

    return jsonschema.Draft202012Validator(template_schema())


def _schema_problems(data: Any) -> list[tuple[str, str]]:
    validator = _validator()
    errors = sorted(validator.iter_errors(data), key=lambda e: _path_key(e.absolute_path))
    out = []
    for error in errors:
        message = error.message
        if isinstance(error.instance, Decimal):  # say 1.0, not Decimal('1.0')
            message = message.replace(repr(error.instance), str(error.instance))
        description = error.schema.get("description") if isinstance(error.schema, dict) else None
        if error.validator == "pattern" and description:
            message = f"{error.instance!r}: {description}"
        elif error.validator == "const":
            message = f"{error.instance!r} should be {error.validator_value!r}"
        out.append((_pointer(error.absolute_path), message))
    return out


# -- rules the schema cannot express -------------------------------------------------------

def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        result = Decimal(str(value)) if isinstance(value, (int, str, Decimal)) else None
    except InvalidOperation:
        return None
    return result if result is not None and result.is_finite() else None


def _walk_items(data: Any):
    """(section index, item index, item dict) for every well-formed item, in file order."""
    sections = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(sections, list):
        return
    for s, section in enumerate(sections):
        items = section.get("items") if isinstance(section, dict) else None
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield s, i, item


def _rule_problems(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    out: list[tuple[str, str]] = []
    _thai_text(out, "/title", data.get("title"))
    seen_sections: dict[str, str] = {}
    for s, section in enumerate(data.get("sections") or []):
        if not isinstance(section, dict):
            continue
        sid = section.get("id")
        if isinstance(sid, str):
            if sid in seen_sections:
                out.append((f"/sections/{s}/id", f"section id {sid!r} is used twice "
                            f"(also at {seen_sections[sid]}); every section needs its own id"))
            else:
                seen_sections[sid] = f"/sections/{s}"
        _thai_text(out, f"/sections/{s}/title", section.get("title"))

    earlier: dict[str, dict] = {}   # items above the current one, by id
    where: dict[str, str] = {}
    for s, i, item in _walk_items(data):
        path = f"/sections/{s}/items/{i}"
        iid, kind = item.get("id"), item.get("type")
        _thai_text(out, f"{path}/label", item.get("label"))
        if isinstance(iid, str):
            if iid in where:
                out.append((f"{path}/id", f"item id {iid!r} is used twice (also at "
                            f"{where[iid]}); every item needs its own id"))
        if kind in ANSWER_TYPES:  # an unknown type is reported by the schema already
            out += _type_problems(path, item, kind)
        out += _show_if_problems(path, item, earlier)
        if isinstance(iid, str) and iid not in where:
            where[iid] = path
            earlier[iid] = item
    return out


def _thai_text(out: list, path: str, text: Any) -> None:
    if isinstance(text, dict) and isinstance(text.get("th"), str) and text["th"].strip() \
            and not _THAI.search(text["th"]):
        out.append((f"{path}/th", f"the Thai text {text['th']!r} has no Thai letters; "
                    "write the Thai wording here and the English one under \"en\""))


def _type_problems(path: str, item: dict, kind: Any) -> list[tuple[str, str]]:
    out = []
    if kind != "number":
        for key in ("limits", "unit"):
            if key in item:
                out.append((f"{path}/{key}", f"{key} is only for number items "
                            f"(this item is {kind!r})"))
    limits = item.get("limits")
    if kind == "number" and isinstance(limits, dict):
        low, high = _as_decimal(limits.get("min")), _as_decimal(limits.get("max"))
        if low is not None and high is not None and low > high:
            out.append((f"{path}/limits", f"min {limits['min']} is above max {limits['max']}"))
    choices = item.get("choices")
    if kind in ("choice", "multi_choice"):
        if not choices:
            out.append((path, f"a {kind} item needs a non-empty list of choices"))
        elif isinstance(choices, list):
            seen: set[str] = set()
            for c, choice in enumerate(choices):
                cid = choice.get("id") if isinstance(choice, dict) else None
                if isinstance(cid, str) and cid in seen:
                    out.append((f"{path}/choices/{c}/id",
                                f"choice id {cid!r} is used twice in this item"))
                seen.add(cid)
    elif "choices" in item:
        out.append((f"{path}/choices", f"choices are only for choice and multi_choice items "
                    f"(this item is {kind!r})"))
    if "legal_basis_en" in item and "legal_basis" not in item:
        out.append((f"{path}/legal_basis_en", "legal_basis_en is the English wording of "
                    "legal_basis; give legal_basis (Thai) too"))
    if "on_fail" in item and kind not in ("result", "number"):
        out.append((f"{path}/on_fail", "on_fail is only for result and number items "
                    "(only they can fail)"))
    return out


def _show_if_problems(path: str, item: dict, earlier: dict[str, dict]) -> list:
    show_if = item.get("show_if")
    if not isinstance(show_if, dict):
        return []
    out = []
    if ("equals" in show_if) == ("in" in show_if):
        out.append((f"{path}/show_if", "show_if needs exactly one of \"equals\" (one value) "
                    "or \"in\" (a list of values)"))
    target = show_if.get("item")
    if not isinstance(target, str):
        return out
    controller = earlier.get(target)
    if controller is None:
        out.append((f"{path}/show_if/item", f"{target!r} is not an item above this one; "
                    "show_if may only depend on an earlier item of the same template"))
        return out
    ctype = controller.get("type")
    if ctype not in CONTROLLER_TYPES:
        out.append((f"{path}/show_if/item", f"show_if can depend only on a result, choice or "
                    f"multi_choice item; {target!r} is a {ctype} item"))
        return out
    if ctype == "result":
        allowed = set(RESULTS)
    else:
        allowed = {c.get("id") for c in controller.get("choices") or [] if isinstance(c, dict)}
        if not allowed:
            return out  # the controller's missing choices are reported at the controller
    values = [show_if["equals"]] if "equals" in show_if else show_if.get("in")
    if isinstance(values, list):
        for value in values:
            if isinstance(value, str) and value not in allowed:
                out.append((f"{path}/show_if", f"{value!r} is not a possible answer of "
                            f"{target!r} (possible: {', '.join(sorted(allowed))})"))
    return out


# -- building ------------------------------------------------------------------------------

def _normalised_body(data: dict) -> dict:
    """The document as stored and hashed: limits written as decimal text (the canonical form
    allows no floats), everything else as it was."""
    body = json.loads(json.dumps(data, default=str))  # deep copy; Decimal -> text
    for _s, _i, item in _walk_items(body):
        limits = item.get("limits")
        if isinstance(limits, dict):
            for bound in ("min", "max"):
                if bound in limits:
                    limits[bound] = format(_as_decimal(limits[bound]), "f")
    return body


def _float_safe(data: Any) -> Any:
    """Floats from a caller's dict become Decimals before anything else sees them, exactly
    as if the document had been read from a file (so ``"version": 1.0`` is refused either
    way, and a limit of 9.0 is stored as "9.0")."""
    if isinstance(data, float):
        return Decimal(repr(data))
    if isinstance(data, dict):
        return {k: _float_safe(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_float_safe(v) for v in data]
    return data


def _build(data: dict, source: str) -> Template:
    body = _normalised_body(data)
    items: dict[str, Item] = {}
    sections = []
    for s, section in enumerate(body["sections"]):
        built = []
        for i, raw in enumerate(section["items"]):
            item = _build_item(raw, section["id"], f"{s + 1}.{i + 1}", items)
            items[item.id] = item
            built.append(item)
        sections.append(Section(id=section["id"], number=s + 1, title=section["title"],
                                items=tuple(built)))
    return Template(key=body["key"], version=body["version"], kind=body["kind"],
                    form_code=body["form_code"], title=body["title"],
                    sections=tuple(sections), items=MappingProxyType(items), body=body,
                    content_hash=content_hash(body), source=source,
                    description=body.get("description"))


def _build_item(raw: dict, section_id: str, number: str, earlier: dict[str, Item]) -> Item:
    conditions: tuple[Condition, ...] = ()
    show_if = raw.get("show_if")
    if show_if:
        controller = earlier[show_if["item"]]
        values = [show_if["equals"]] if "equals" in show_if else show_if["in"]
        conditions = (Condition(controller.id, controller.type, frozenset(values)),
                      *controller.conditions)
    limits = raw.get("limits")
    on_fail = raw.get("on_fail") or {}
    return Item(
        id=raw["id"], section=section_id, number=number, type=raw["type"], label=raw["label"],
        help=raw.get("help"), required=bool(raw.get("required", False)),
        legal_basis=raw.get("legal_basis"), legal_basis_en=raw.get("legal_basis_en"),
        show_if=show_if,
        on_fail={"note": bool(on_fail.get("note")), "photo": bool(on_fail.get("photo"))},
        order_text=raw.get("order_text"), deadline_days=raw.get("deadline_days"),
        unit=raw.get("unit") or None,
        limits=Limits(_as_decimal(limits.get("min")), _as_decimal(limits.get("max")))
        if limits else None,
        choices=tuple(Choice(c["id"], c["label"]) for c in raw.get("choices") or ()),
        conditions=conditions)
