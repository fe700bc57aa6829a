"""Template files: JSON Schema and rule checks, every problem reported with its path."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from template_samples import sample_doc

from fieldapp.core.canonical import content_hash
from fieldapp.core.errors import ValidationError
from fieldapp.core.resources import resource_path
from fieldapp.core.templates import (
    ANSWER_TYPES,
    TemplateError,
    load_template,
    parse_template,
)

SHIPPED = sorted(resource_path("templates").glob("*.json"))


def write(tmp_path, doc, name="t.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)


def problems_of(path_or_doc) -> list[str]:
    with pytest.raises(TemplateError) as info:
        if isinstance(path_or_doc, str):
            load_template(path_or_doc)
        else:
            parse_template(path_or_doc, "doc")
    assert isinstance(info.value, ValidationError)
    return info.value.problems


def test_sample_parses_into_items_in_order():
    t = parse_template(sample_doc(), "sample")
    assert list(t.items)[:3] == ["has_boiler", "boiler_ok", "valve_detail"]
    assert t.item("bod").number == "2.2" and t.item("bod").section == "water"
    assert t.item("nope") is None
    assert t.item("ph").limits.min == Decimal("5.5") and t.item("ph").limits.max == Decimal("9.0")
    assert t.item("bod").limit_text() == "≤ 20 mg/L"
    assert t.item("boiler_ok").deadline_days == 30
    assert t.item("flow").on_fail == {"note": False, "photo": False}
    # valve_detail depends on boiler_ok which depends on has_boiler: both conditions kept.
    assert [c.controller for c in t.item("valve_detail").conditions] == ["boiler_ok",
                                                                          "has_boiler"]


def test_items_sections_and_templates_can_key_a_dict():
    t = parse_template(sample_doc(), "sample")
    again = parse_template(sample_doc(), "sample")
    widgets = {item: item.id for item in t.items.values()}
    assert widgets[again.item("bod")] == "bod"
    assert len({*t.sections, *again.sections}) == 2
    assert len({t, again}) == 1 and {c for c in t.item("fuel").choices}


def test_limits_are_stored_as_decimal_text_and_hash_like_the_file(tmp_path):
    from_dict = parse_template(sample_doc(), "dict with floats")
    from_file = load_template(write(tmp_path, sample_doc()))
    limits = from_dict.body["sections"][1]["items"][0]["limits"]
    assert limits == {"min": "5.5", "max": "9.0"}
    assert from_dict.body["sections"][1]["items"][1]["limits"] == {"max": "20"}
    assert from_dict.content_hash == from_file.content_hash == content_hash(from_file.body)
    # Re-reading the stored body gives the same template (what get_template does).
    again = parse_template(json.loads(json.dumps(from_file.body)), "stored")
    assert again.content_hash == from_file.content_hash and again == from_file


def test_broken_file_lists_every_problem_with_its_path(tmp_path):
    doc = sample_doc()
    items = doc["sections"][1]["items"]
    items[0]["limits"] = {"min": 9, "max": 5.5}             # min above max
    del items[1]["label"]["en"]                              # English label missing
    items[2]["type"] = "numbr"                               # unknown type
    items[3]["requird"] = True                               # typo in a key
    items[4]["id"] = "bod"                                   # duplicate id
    doc["sections"][0]["items"][1]["show_if"] = {"item": "coal_store", "equals": "pass"}
    doc["sections"][0]["items"][3]["choices"] = []           # empty choices
    src = write(tmp_path, doc)
    problems = problems_of(src)
    expected = [
        f"{src}: /sections/0/items/3/choices: [] should be non-empty",
        f"{src}: /sections/1/items/1/label: 'en' is a required property",
        f"{src}: /sections/1/items/2/type: 'numbr' is not one of " + repr(list(ANSWER_TYPES)),
        f"{src}: /sections/1/items/3: Additional properties are not allowed ('requird' was "
        "unexpected)",
        f"{src}: /sections/0/items/1/show_if/item: 'coal_store' is not an item above this one; "
        "show_if may only depend on an earlier item of the same template",
        f"{src}: /sections/0/items/3: a multi_choice item needs a non-empty list of choices",
        f"{src}: /sections/1/items/0/limits: min 9 is above max 5.5",
        f"{src}: /sections/1/items/4/id: item id 'bod' is used twice (also at "
        "/sections/1/items/1); every item needs its own id",
    ]
    for line in expected:
        assert line in problems, f"missing: {line}\n got: {problems}"
    assert len(problems) == len(expected), problems


def test_invalid_json_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "key": "x",\n  "version": 1\n  "kind": "routine"\n}\n',
                    encoding="utf-8")
    assert problems_of(str(path)) == [
        f"{path}: line 4 column 3: Expecting ',' delimiter (not valid JSON)"]


def test_unreadable_and_non_utf8_files(tmp_path):
    missing = tmp_path / "missing.json"
    assert "cannot read the file" in problems_of(str(missing))[0]
    latin = tmp_path / "cp874.json"
    latin.write_bytes('{"key": "ทดสอบ"}'.encode("cp874"))
    assert "not UTF-8" in problems_of(str(latin))[0]


def test_duplicate_keys_in_one_object_are_caught(tmp_path):
    path = tmp_path / "dup.json"
    text = json.dumps(sample_doc(), ensure_ascii=False, indent=2)
    text = text.replace('"id": "bod",', '"id": "bod", "unit": "g/L",', 1)
    path.write_text(text, encoding="utf-8")
    problems = problems_of(str(path))
    assert problems == [f"{path}: /: key 'unit' appears twice in the object with id 'bod' "
                        "(only the last one would count; remove the other)"]


@pytest.mark.parametrize("change, path, reason", [
    (lambda d: d["sections"][0]["items"][2].update(show_if={"item": "boiler_ok",
                                                            "equals": "broken"}),
     "/sections/0/items/2/show_if",
     "'broken' is not a possible answer of 'boiler_ok' (possible: fail, na, not_checked, "
     "pass)"),
    (lambda d: d["sections"][0]["items"][2].update(show_if={"item": "has_boiler"}),
     "/sections/0/items/2/show_if",
     'show_if needs exactly one of "equals" (one value) or "in" (a list of values)'),
    (lambda d: d["sections"][1]["items"][7].update(show_if={"item": "ph", "equals": "7"}),
     "/sections/1/items/7/show_if/item",
     "show_if can depend only on a result, choice or multi_choice item; 'ph' is a number item"),
    (lambda d: d["sections"][1]["items"][7].update(limits={"max": 3}),
     "/sections/1/items/7/limits", "limits is only for number items (this item is 'text')"),
    (lambda d: d["sections"][1]["items"][7].update(on_fail={"note": True}),
     "/sections/1/items/7/on_fail", "on_fail is only for result and number items "
     "(only they can fail)"),
    (lambda d: d["sections"][1]["title"].update(th="Effluent"),
     "/sections/1/title/th", "the Thai text 'Effluent' has no Thai letters; write the Thai "
     "wording here and the English one under \"en\""),
    (lambda d: d["sections"][1].update(id="general"),
     "/sections/1/id", "section id 'general' is used twice (also at /sections/0); every "
     "section needs its own id"),
    (lambda d: d.update(key="Env General"),
     "/key", "'Env General': the key is lower-case letters, digits and '-', starting with "
     "a letter (e.g. env-general)"),
    (lambda d: d["sections"][1]["items"][0]["limits"].update(max="9,0"),
     "/sections/1/items/0/limits/max", "'9,0': a limit is a plain number such as 20 or 5.5 "
     "(no thousands separator)"),
    (lambda d: d["sections"][0]["items"][0]["choices"].append(
        {"id": "yes", "label": {"th": "ใช่", "en": "Yes"}}),
     "/sections/0/items/0/choices/2/id", "choice id 'yes' is used twice in this item"),
    (lambda d: d["sections"][1]["items"][7].update(legal_basis_en="Factory Act s.8"),
     "/sections/1/items/7/legal_basis_en", "legal_basis_en is the English wording of "
     "legal_basis; give legal_basis (Thai) too"),
])
def test_each_rule_names_the_spot(change, path, reason):
    doc = sample_doc()
    change(doc)
    assert problems_of(doc) == [f"doc: {path}: {reason}"]


def test_a_float_version_is_refused_from_a_dict_as_from_a_file(tmp_path):
    doc = sample_doc()
    doc["version"] = 1.0
    assert problems_of(doc) == ["doc: /version: 1.0 is not of type 'integer'"]
    path = tmp_path / "v.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert problems_of(str(path)) == [f"{path}: /version: 1.0 is not of type 'integer'"]


def test_error_message_counts_problems_and_shows_the_first():
    doc = sample_doc()
    doc["version"] = 0
    doc["kind"] = "weekly"
    with pytest.raises(TemplateError) as info:
        parse_template(doc, "x.json")
    assert "x.json: 2 problems" in str(info.value)
    assert info.value.problems[0].startswith("x.json: /kind: ")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_templates_validate(path):
    t = load_template(path)
    assert t.key == path.stem
    assert t.description["th"] and t.description["en"]
    for item in t.items.values():
        assert item.label["th"] and item.label["en"]


def test_three_templates_are_shipped_one_per_kind():
    kinds = {load_template(p).kind for p in SHIPPED}
    assert kinds == {"routine", "complaint", "follow_up"}


def test_env_general_covers_design_sections_types_and_limits():
    t = load_template(resource_path("templates", "env-general.json"))
    assert len(t.items) >= 60
    assert {i.type for i in t.items.values()} == set(ANSWER_TYPES)
    assert {s.id for s in t.sections} >= {"licence", "wastewater", "air", "noise", "waste",
                                          "hazardous", "boilers", "fire", "staff", "reports",
                                          "community"}
    limits = {i.id: (i.limits.min, i.limits.max) for i in t.items.values() if i.limits}
    assert limits["ww.ph"] == (Decimal("5.5"), Decimal("9.0"))
    for item_id, high in [("ww.bod", 20), ("ww.cod", 120), ("ww.ss", 50), ("ww.tds", 3000),
                          ("ww.oil_grease", 5), ("ww.temperature", 40),
                          ("noise.leq24", 70), ("noise.lmax", 115)]:
        assert limits[item_id] == (None, Decimal(high)), item_id
    # Boiler items show only when the factory has a boiler; failed items ask for evidence.
    assert all(i.conditions[-1].controller == "boiler.has"
               for i in t.items.values() if i.section == "boilers" and i.id != "boiler.has")
    assert any(i.on_fail["photo"] for i in t.items.values())
    assert sum(1 for i in t.items.values() if i.legal_basis) >= 40
    assert all(i.deadline_days for i in t.items.values() if i.order_text)


def test_follow_up_rechecks_findings_one_slot_after_another():
    t = load_template(resource_path("templates", "follow-up.json"))
    chain = [c.controller for c in t.item("f3.new_deadline").conditions]
    assert chain == ["f3.status", "f2.more", "f1.more"]
    statuses = {c.id for c in t.item("f1.status").choices}
    assert statuses == {"done", "partly", "not_done"}


def test_english_legal_basis_is_kept_beside_the_thai():
    doc = sample_doc()
    doc["sections"][0]["items"][1]["legal_basis_en"] = "Boiler Regulation B.E. 2549"
    item = parse_template(doc, "doc").item("boiler_ok")
    assert item.legal_basis.startswith("กฎกระทรวง")
    assert item.legal_basis_en == "Boiler Regulation B.E. 2549"


def test_a_version_no_database_column_holds_is_a_problem_not_a_crash():
    doc = sample_doc()
    doc["version"] = 10 ** 30        # publishing it raised OverflowError in SQLite
    problems = problems_of(doc)
    assert problems and any("version" in p for p in problems), problems
