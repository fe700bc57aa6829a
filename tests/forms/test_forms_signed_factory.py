"""A record keeps its factory as it was when it was first signed: a reprint after the
registry changed shows what the factory representative signed, the hash (the QR on the
paper) covers it, and a registry import never makes its signatures stale."""

from __future__ import annotations

import json

import pytest
from test_forms_builders import build_inspection
from test_forms_render import flat, page_texts

from fieldapp.core.canonical import (
    FACTORY_FIELDS,
    content_hash,
    factory_text,
    inspection_document,
    signed_factory,
)
from fieldapp.forms.inspection_form import record_state, render_inspection_pdf
from fieldapp.forms.verification import MATCH, read_pdf_payload, verify_payload
from fieldapp.store.changes import save_row
from fieldapp.store.inspections import compute_content_hash, get_inspection, load_bundle
from fieldapp.store.signing import finalize, finalize_check

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


def test_the_factory_is_kept_at_the_first_signature_and_an_import_after_it_changes_nothing(
        store):
    """A registry import synced in between (the representative has gone) neither makes the
    signatures stale nor changes the form they signed."""
    iid = build_inspection(store, photos=0, final=False)
    kept = get_inspection(store, iid)["signed_factory"]
    assert json.loads(kept)["name"] == SIGNED_NAME
    before = compute_content_hash(store, iid)
    _rename_factory(store, iid)
    assert compute_content_hash(store, iid) == before
    assert finalize_check(store, iid) == []
    digest = finalize(store, iid)
    assert digest == before and get_inspection(store, iid)["signed_factory"] == kept


def test_a_draft_nobody_signed_follows_the_registry_until_it_is_signed(store):
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    assert get_inspection(store, iid)["signed_factory"] is None
    before = compute_content_hash(store, iid)
    _rename_factory(store, iid)
    assert compute_content_hash(store, iid) != before        # the form would show the new name
    finalize(store, iid, require_signatures=False)           # printed for ink: kept now
    assert json.loads(get_inspection(store, iid)["signed_factory"])["name"] == NEW_NAME


def test_a_draft_signed_before_records_kept_their_factory_finalizes_with_its_signatures(store):
    """Signed on this laptop before the update: its signatures hold hashes of format 1,
    which stay true; it is finalized as such a record, keeping no factory."""
    iid = build_inspection(store, photos=0, final=False)
    b = load_bundle(store, iid)
    old = content_hash(inspection_document(
        {**b["inspection"], "signed_factory": None}, b["answers"], b["findings"],
        b["participants"], b["attachments"]))
    store.conn.execute("UPDATE inspections SET signed_factory = NULL WHERE id = ?", (iid,))
    store.conn.execute("UPDATE signatures SET content_hash = ? WHERE inspection_id = ?",
                       (old, iid))
    assert compute_content_hash(store, iid) == old
    _rename_factory(store, iid)
    assert finalize_check(store, iid) == []
    assert finalize(store, iid) == old
    assert get_inspection(store, iid)["signed_factory"] is None


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


GOOD = json.loads(factory_text({"name": "ก", "lat": 14.0, "lng": 100.5}))


@pytest.mark.parametrize("damaged", [
    "not json", "[1, 2]", "{}", json.dumps({"name": "ก"}),
    json.dumps({**GOOD, "name": {"th": "x"}}), json.dumps({**GOOD, "lat": "14.0"}),
    json.dumps({**GOOD, "owner_id_card": "3100"}), json.dumps({**GOOD, "province": 5}),
    json.dumps({**GOOD, "name": "ก" * 2001}), json.dumps({**GOOD, "lat": 95.0}),
    json.dumps({**GOOD, "factory_class": 3.5}), json.dumps({**GOOD, "moo": True})])
def test_a_kept_factory_that_is_not_what_a_laptop_makes_is_not_taken(damaged):
    """The office refuses such a copy (server/values.py); a laptop that holds one anyway
    prints the registry's factory (forms/inspection_form.py) instead of failing to print."""
    assert signed_factory({"signed_factory": damaged}) is None


def test_whatever_a_registry_row_holds_the_kept_text_is_one_the_office_takes():
    odd = {"fid": 10180000125417, "name": "ก" * 5000, "moo": 4, "factory_class": 3.5,
           "lat": "abc", "lng": float("inf"), "province": None, "status": 1}
    kept = signed_factory({"signed_factory": factory_text(odd)})
    assert kept is not None
    assert kept["fid"] == "10180000125417" and kept["moo"] == "4"
    assert kept["factory_class"] == "3.5" and kept["lat"] is None and kept["lng"] is None
    assert len(kept["name"]) == 2000
    assert signed_factory({"signed_factory": factory_text(
        {"lat": 14.03, "lng": 100.61, "factory_class": 3})})["factory_class"] == 3


def test_a_factory_with_very_long_fields_still_prints(store):
    """A field longer than a table row can hold goes on in rows below (it made the record
    unprintable: one row taller than a page)."""
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    factory_id = get_inspection(store, iid)["factory_id"]
    long_name = "บริษัท ผลิตอาหารสัตว์และบำบัดน้ำเสีย จำกัด " * 45          # ~1,900 characters
    save_row(store, "factories", {"id": factory_id, "name": long_name,
                                  "business": "ผลิตอาหารสัตว์ " * 140})
    finalize(store, iid, require_signatures=False)
    pages = [flat(text) for text in page_texts(render_inspection_pdf(store, iid))]
    # On the first page, after its heading (not pushed whole to the next page), from its
    # first words to its last, possibly across a page.
    assert flat("1. ข้อมูลโรงงาน" + "ชื่อโรงงาน" + long_name[:60]) in pages[0]
    assert flat(long_name[-60:]) in "".join(pages)
