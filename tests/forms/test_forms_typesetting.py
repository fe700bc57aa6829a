"""How the paper writes things, from an audit of 80 printed records: times the official
Thai way, numbers by one rule, no empty boxes for characters Sarabun lacks, place names of
an address kept whole, the office's name on its line, a witness who signs."""

from __future__ import annotations

import pytest
from test_forms_builders import build_inspection
from test_forms_render import flat, page_texts

from fieldapp.core.thaidate import thai_digits
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.settings import PrintSettings
from fieldapp.store.inspections import set_answer


@pytest.mark.parametrize(("digits", "expected"), [
    (False, "20 พฤศจิกายน 2569 เวลา 09.30 น."), (True, "๒๐ พฤศจิกายน ๒๕๖๙ เวลา ๐๙.๓๐ น.")])
def test_the_inspection_time_is_written_as_official_thai_documents_write_it(
        store, digits, expected):
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    text = flat(page_texts(render_inspection_pdf(
        store, iid, settings=PrintSettings(thai_digits=digits)))[0])
    assert flat(expected) in text
    assert ":30" not in text and ":๓๐" not in text


@pytest.mark.parametrize("digits", [False, True])
def test_measured_values_limits_and_counts_follow_one_number_rule(store, digits):
    """Thousands grouped from 1,000 up in values as in limits (12500 printed beside its
    limit's 3,000), the recorded decimals kept (7.20 is not 7.2), Thai digits respected."""
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    for item_id, value in (("ww.tds", "12500"), ("lic.workers", "1250"), ("ww.ph", "7.20"),
                           ("ww.oil_grease", "0.005")):
        set_answer(store, iid, item_id, value=value)
    text = flat("".join(page_texts(render_inspection_pdf(
        store, iid, settings=PrintSettings(thai_digits=digits)))))
    shown = thai_digits if digits else str
    for expected in ("12,500 mg/L", "≤ 3,000 mg/L", "1,250 คน", "7.20", "0.005 mg/L"):
        assert flat(shown(expected)) in text, expected
    assert shown("12500") not in text and shown("1250คน") not in text
