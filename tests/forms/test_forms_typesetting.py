"""How the paper writes things, from an audit of 80 printed records: times the official
Thai way, numbers by one rule, no empty boxes for characters Sarabun lacks, place names of
an address kept whole, the office's name on its line, a witness who signs."""

from __future__ import annotations

import pytest
from test_forms_builders import build_inspection
from test_forms_render import flat, page_texts

from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.settings import PrintSettings


@pytest.mark.parametrize(("digits", "expected"), [
    (False, "20 พฤศจิกายน 2569 เวลา 09.30 น."), (True, "๒๐ พฤศจิกายน ๒๕๖๙ เวลา ๐๙.๓๐ น.")])
def test_the_inspection_time_is_written_as_official_thai_documents_write_it(
        store, digits, expected):
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    text = flat(page_texts(render_inspection_pdf(
        store, iid, settings=PrintSettings(thai_digits=digits)))[0])
    assert flat(expected) in text
    assert ":30" not in text and ":๓๐" not in text
