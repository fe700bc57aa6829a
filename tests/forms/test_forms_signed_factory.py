"""A record keeps its factory as it was signed: a reprint after the registry changed shows
what the factory representative signed, and the hash (the QR on the paper) covers it."""

from __future__ import annotations

import json

import pytest
from test_forms_builders import build_inspection
from test_forms_render import flat, page_texts

from fieldapp.core.canonical import FACTORY_FIELDS, content_hash, inspection_document
from fieldapp.forms.inspection_form import record_state, render_inspection_pdf
from fieldapp.forms.verification import MATCH, read_pdf_payload, verify_payload
from fieldapp.store.changes import save_row
from fieldapp.store.inspections import compute_content_hash, get_inspection, load_bundle
from fieldapp.store.signing import finalize_check

SIGNED_NAME = "บริษัท ไทยอุตสาหกรรมอาหารสัตว์ จำกัด"
NEW_NAME = "บริษัท อาหารสัตว์ใหม่ จำกัด (มหาชน)"


def _rename_factory(store, inspection_id, name=NEW_NAME, district="ลำลูกกา"):
    """What a registry import does to the factory after the visit."""
    factory_id = get_inspection(store, inspection_id)["factory_id"]
    save_row(store, "factories", {"id": factory_id, "name": name, "district": district})


def test_a_reprint_after_the_registry_changed_shows_the_factory_as_signed(store):
    iid = build_inspection(store, photos=0)
    record = get_inspection(store, iid)
    kept = json.loads(record["signed_factory"])
    assert set(kept) == set(FACTORY_FIELDS)
    assert kept["name"] == SIGNED_NAME and kept["district"] == "คลองหลวง"
    first = flat(page_texts(render_inspection_pdf(store, iid))[0])

    _rename_factory(store, iid)
    pdf = render_inspection_pdf(store, iid)
    page = flat(page_texts(pdf)[0])
    assert flat(SIGNED_NAME) in page and flat(NEW_NAME) not in page
    assert "คลองหลวง" in page and "ลำลูกกา" not in page
    assert page == first
    # The paper still verifies: the record, factory included, is what was signed.
    assert compute_content_hash(store, iid) == record["content_hash"]
    verdict = verify_payload(read_pdf_payload(pdf), lambda rid: record_state(store, rid))
    assert verdict.outcome == MATCH


def test_a_registry_change_between_signing_and_finalizing_needs_new_signatures(store):
    """The representative signed a form naming the factory as it was; finalizing with
    another name would put their signature under what they did not sign."""
    iid = build_inspection(store, photos=0, final=False)
    assert finalize_check(store, iid) == []
    _rename_factory(store, iid)
    problems = finalize_check(store, iid)
    assert problems and all("signed" in p for p in problems)


def test_the_hash_covers_the_kept_factory_and_records_without_one_hash_as_before(store):
    iid = build_inspection(store, photos=0)
    b = load_bundle(store, iid)
    parts = (b["answers"], b["findings"], b["participants"], b["attachments"])
    kept = b["inspection"]["signed_factory"]
    assert content_hash(inspection_document(b["inspection"], *parts)) == \
        b["inspection"]["content_hash"]
    altered = kept.replace("คลองหลวง", "ลำลูกกา")
    assert content_hash(inspection_document({**b["inspection"], "signed_factory": altered},
                                            *parts)) != b["inspection"]["content_hash"]
    # A record finalized before records kept their factory: no "factory" member at all.
    before = {k: v for k, v in b["inspection"].items() if k != "signed_factory"}
    assert "factory" not in inspection_document(before, *parts)
    assert "factory" not in inspection_document({**before, "signed_factory": None}, *parts)


@pytest.mark.parametrize("damaged", ["not json", "[1, 2]", '{"name": {"th": "x"}}',
                                     '{"lat": "14.0"}', '{"owner_id_card": "3100"}'])
def test_a_kept_factory_that_is_no_such_fields_is_not_taken(damaged):
    """The office refuses such a copy (server/values.py); a laptop that holds one anyway
    prints the registry's factory (forms/inspection_form.py) instead of failing to print."""
    from fieldapp.core.canonical import signed_factory
    assert signed_factory({"signed_factory": damaged}) is None
