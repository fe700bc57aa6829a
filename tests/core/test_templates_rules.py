"""Which items show (show_if, transitive) and what stops an inspection from finalizing."""

from __future__ import annotations

from template_samples import sample_doc

from fieldapp.core.templates import finalize_problems, is_exceeded, is_visible, parse_template

T = parse_template(sample_doc(), "sample")


def visible(answers) -> set[str]:
    return {i.id for i in T.items.values() if is_visible(i, answers)}


def test_items_without_show_if_always_show():
    assert {"has_boiler", "fuel", "ph", "bod", "outlet"} <= visible({})
    assert "boiler_ok" not in visible({})


def test_show_if_equals_on_a_choice():
    assert "boiler_ok" in visible({"has_boiler": {"value": "yes"}})
    assert "boiler_ok" not in visible({"has_boiler": {"value": "no"}})
    assert "boiler_ok" not in visible({"has_boiler": {"value": None, "result": "na"}})


def test_show_if_in_on_a_result():
    answers = {"has_boiler": {"value": "yes"}, "boiler_ok": {"result": "fail"}}
    assert "valve_detail" in visible(answers)
    answers["boiler_ok"] = {"result": "pass"}
    assert "valve_detail" not in visible(answers)


def test_hidden_controller_hides_its_dependants_even_with_a_stale_answer():
    # The boiler item still holds "fail" from before, but the factory has no boiler now.
    answers = {"has_boiler": {"value": "no"}, "boiler_ok": {"result": "fail"}}
    assert "boiler_ok" not in visible(answers)
    assert "valve_detail" not in visible(answers)


def test_show_if_on_a_multi_choice_matches_any_chosen_id():
    assert "coal_store" in visible({"fuel": {"value": '["coal","oil"]'}})
    assert "coal_store" not in visible({"fuel": {"value": '["gas","oil"]'}})
    assert "coal_store" not in visible({"fuel": {"value": "not json"}})


def complete_answers() -> tuple[dict, dict]:
    answers = {
        "has_boiler": {"result": None, "value": "no", "note": None},
        "bod": {"result": None, "value": "12", "note": None, "exceeded": 0},
        "lab_report": {"result": None, "value": '{"date":null,"number":"1"}', "note": None},
    }
    return answers, {"outlet": 1}


def test_complete_answers_have_no_problems():
    answers, photos = complete_answers()
    assert finalize_problems(T, answers, photos) == []


def test_every_missing_required_item_is_named_in_thai_and_english():
    problems = finalize_problems(T, {}, {})
    assert problems == [
        "ข้อ 1.1 มีหม้อน้ำ: ต้องกรอกข้อมูล (item 1.1 Has a boiler: an answer is required "
        "(or mark it not applicable or not checked))",
        "ข้อ 2.2 ค่า BOD: ต้องกรอกข้อมูล (item 2.2 BOD: an answer is required (or mark it not "
        "applicable or not checked))",
        "ข้อ 2.5 รายงานผลวิเคราะห์: ต้องกรอกข้อมูล (item 2.5 Laboratory report: an answer is "
        "required (or mark it not applicable or not checked))",
        "ข้อ 2.6 ภาพจุดระบาย: ต้องแนบภาพถ่ายอย่างน้อย 1 ภาพ (item 2.6 Outlet photo: at least "
        "one photo is required (or mark it not applicable))",
    ]


def test_not_applicable_satisfies_a_required_value_item_but_not_a_result_item():
    answers, photos = complete_answers()
    answers["lab_report"] = {"result": "na", "value": None}
    answers["has_boiler"] = {"value": "yes"}
    answers["boiler_ok"] = {"result": None, "value": None}
    assert finalize_problems(T, answers, {**photos}) == [
        "ข้อ 1.2 หม้อน้ำปลอดภัย: ต้องระบุผลการตรวจ (item 1.2 Boiler safe: a result is required)"]
    answers["boiler_ok"] = {"result": "na"}
    assert finalize_problems(T, answers, photos) == []
    answers["outlet"] = {"result": "not_checked"}
    assert finalize_problems(T, answers, {}) == []


def test_failed_item_needs_its_note_and_photo_and_a_required_dependant():
    answers, photos = complete_answers()
    answers["has_boiler"] = {"value": "yes"}
    answers["boiler_ok"] = {"result": "fail", "note": "  "}
    problems = finalize_problems(T, answers, photos)
    assert problems == [
        "ข้อ 1.2 หม้อน้ำปลอดภัย: ต้องระบุหมายเหตุ (item 1.2 Boiler safe: a note is required for "
        "a failed item)",
        "ข้อ 1.2 หม้อน้ำปลอดภัย: ต้องแนบภาพถ่ายประกอบ (item 1.2 Boiler safe: a photo is "
        "required for a failed item)",
        "ข้อ 1.3 รายละเอียดลิ้นนิรภัย: ต้องกรอกข้อมูล (item 1.3 Safety valve details: an answer "
        "is required (or mark it not applicable or not checked))",
    ]
    answers["boiler_ok"]["note"] = "ลิ้นนิรภัยถูกมัดไว้"
    answers["valve_detail"] = {"value": "ลิ้นนิรภัยถูกมัดไว้ด้วยลวด"}
    assert finalize_problems(T, answers, {**photos, "boiler_ok": 2}) == []


def test_exceeded_number_needs_a_note():
    answers, photos = complete_answers()
    answers["bod"] = {"value": "25", "exceeded": 1, "note": None}
    assert finalize_problems(T, answers, photos) == [
        "ข้อ 2.2 ค่า BOD: ต้องระบุหมายเหตุ (item 2.2 BOD: the value exceeds the legal limit: "
        "a note is required)"]
    answers["bod"]["note"] = "ระบบเติมอากาศเสีย"
    assert finalize_problems(T, answers, photos) == []


def test_exceeded_is_computed_when_the_row_has_no_flag():
    answers, photos = complete_answers()
    answers["ph"] = {"value": "4.0"}
    assert is_exceeded(T.item("ph"), "4.0") is True
    assert len(finalize_problems(T, answers, photos)) == 1


def test_hidden_items_are_ignored_even_when_failed():
    answers, photos = complete_answers()
    answers["boiler_ok"] = {"result": "fail"}   # stale: has_boiler is "no"
    assert finalize_problems(T, answers, photos) == []
