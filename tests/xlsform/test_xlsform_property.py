"""Any valid template survives the trip to a workbook and back (Hypothesis).

The one spelling a workbook cannot keep is a multi_choice controller's ``equals``: it is
written ``selected(${x}, 'v')``, which reads back as ``in: ["v"]`` (the same condition)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.core.templates import parse_template
from fieldapp.xlsform import parse_workbook, write_xlsform

# Words as offices type them: Thai, Latin, digits, punctuation an XLSForm author might
# use (quotes, '=' at the start, '${', '::'), inner spaces and line breaks.
_CHARS = st.sampled_from(list("กขคงจฉชซดตนบปผพฟมยรลวสหอะาิีุู่้็์ำเแโใไ") +
                         list("abcXYZ019 .,;:'\"=$(){}-_/%&<>\n") + ["${", "::", "_x0041_"])
_WORDS = st.lists(_CHARS, min_size=1, max_size=12).map("".join).map(str.strip).filter(bool)


def _thai():
    return _WORDS.map(lambda t: "ก" + t)


def _text():
    return st.fixed_dictionaries({"th": _thai(), "en": _WORDS})


_DECIMAL = st.from_regex(r"-?(0|[1-9][0-9]{0,4})(\.[0-9]{1,3})?", fullmatch=True)


@st.composite
def templates(draw) -> dict:
    ids = iter(f"i{n}" for n in range(1000))
    sections = []
    earlier: list[dict] = []
    for s in range(draw(st.integers(1, 3))):
        items = []
        for _ in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(["result", "number", "text", "choice", "multi_choice",
                                         "date", "document", "photo", "gps"]))
            item: dict = {"id": next(ids), "type": kind, "label": draw(_text())}
            if draw(st.booleans()):
                item["help"] = draw(_text())
            if draw(st.booleans()):
                item["required"] = True
            if kind == "number":
                low, high = draw(st.none() | _DECIMAL), draw(st.none() | _DECIMAL)
                if low is not None and high is not None and float(low) > float(high):
                    low, high = high, low
                limits = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
                if limits:
                    item["limits"] = limits
                if draw(st.booleans()):
                    item["unit"] = draw(_WORDS)
            if kind in ("result", "number"):
                on_fail = {k: True for k in ("note", "photo") if draw(st.booleans())}
                if on_fail:
                    item["on_fail"] = on_fail
            if kind in ("choice", "multi_choice"):
                count = draw(st.integers(1, 4))
                item["choices"] = [{"id": f"c{n}", "label": draw(_text())} for n in range(count)]
            if draw(st.booleans()):
                item["legal_basis"] = draw(_thai())
                if draw(st.booleans()):
                    item["legal_basis_en"] = draw(_WORDS)
            if draw(st.booleans()):
                item["order_text"] = draw(_thai())
                item["deadline_days"] = draw(st.integers(1, 3650))
            controllers = [c for c in earlier if c["type"] in ("result", "choice",
                                                              "multi_choice")]
            if controllers and draw(st.booleans()):
                controller = draw(st.sampled_from(controllers))
                answers = (["pass", "fail", "na", "not_checked"] if controller["type"] == "result"
                           else [c["id"] for c in controller["choices"]])
                values = draw(st.lists(st.sampled_from(answers), min_size=1, unique=True))
                if len(values) == 1 and draw(st.booleans()):
                    item["show_if"] = {"item": controller["id"], "equals": values[0]}
                else:
                    item["show_if"] = {"item": controller["id"], "in": values}
            items.append(item)
            earlier.append(item)
        # A section may share its id with an item: they are separate sets of names.
        section_id = draw(st.sampled_from([f"s{s}", items[0]["id"]]))
        sections.append({"id": section_id, "title": draw(_text()), "items": items})
    document = {"format": "fieldapp.template/1", "key": "prop-test",
                "version": draw(st.integers(1, 10**6)),
                "kind": draw(st.sampled_from(["routine", "complaint", "follow_up"])),
                "form_code": draw(_WORDS), "title": draw(_text()), "sections": sections}
    if draw(st.booleans()):
        document["description"] = draw(_text())
    return document


def _as_written(body: dict) -> dict:
    body = copy.deepcopy(body)
    types = {i["id"]: i["type"] for s in body["sections"] for i in s["items"]}
    for section in body["sections"]:
        for item in section["items"]:
            show_if = item.get("show_if")
            if show_if and "equals" in show_if and types[show_if["item"]] == "multi_choice":
                item["show_if"] = {"item": show_if["item"], "in": [show_if["equals"]]}
    return body


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_any_template_round_trips(document):
    original = parse_template(document, "generated")
    back, problems = parse_workbook(write_xlsform(original))
    assert problems == []
    assert parse_template(back, "xlsx").body == _as_written(original.body)
