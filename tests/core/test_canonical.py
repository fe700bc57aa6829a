"""Golden vectors for the canonical form and content hash (docs/content-hash.md).

If one of these fails, the hash of already-signed records would change: do not update the
expected values, fix the code.
"""

import hashlib
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.core.canonical import canonical_bytes, content_hash, inspection_document

INSPECTION = {"id": "01890a5d-ac96-774b-bcce-b302099a8057", "factory_id": "f1",
              "template_version_id": "t1", "kind": "routine",
              "started_at": "2023-12-21T03:00:00.000Z", "purpose": "ตรวจประจำปี",
              "amends_id": None, "state": "draft", "updated_hlc": "ignored"}
ANSWERS = [
    {"item_id": "ww.ph", "result": None, "value": "7.20", "note": None},
    {"item_id": "lic.match", "result": "pass", "value": None, "note": "ตรงตามทะเบียน"},
    {"item_id": "old", "result": "fail", "value": None, "note": None, "deleted": 1},
]
FINDINGS = [{"id": "a1", "item_id": "ww.bod", "description": "ค่าบีโอดีเกินมาตรฐาน",
             "legal_basis": "มาตรา 8", "order_text": "ปรับปรุงระบบบำบัดน้ำเสีย",
             "deadline": "2024-01-20", "status": "open"}]
PARTICIPANTS = [
    {"id": "p2", "role": "representative", "name": "นายสมชาย ใจดี", "position": "ผู้จัดการ",
     "organisation": None, "phone": "0812345678", "sort_order": 0},
    {"id": "p1", "role": "inspector", "name": "นางสาวสุดา ตรวจดี", "position": "นักวิชาการ",
     "organisation": "สอจ.ปทุมธานี", "phone": None, "sort_order": 0},
]
ATTACHMENTS = [
    {"id": "x2", "item_id": "ww.ph", "kind": "photo", "sha256": "bb" * 32, "size": 1234,
     "mime": "image/jpeg", "caption": "บ่อบำบัด"},
    {"id": "s1", "item_id": None, "kind": "signature", "sha256": "cc" * 32, "size": 99,
     "mime": "image/png", "caption": None},
]

EXPECTED_TEXT = (
    '{"answers":[{"item_id":"lic.match","note":"ตรงตามทะเบียน","result":"pass","value":null},'
    '{"item_id":"ww.ph","note":null,"result":null,"value":"7.20"}],'
    '"attachments":[{"caption":"บ่อบำบัด","id":"x2","item_id":"ww.ph","kind":"photo",'
    '"mime":"image/jpeg","sha256":"' + "bb" * 32 + '","size":1234}],'
    '"findings":[{"deadline":"2024-01-20","description":"ค่าบีโอดีเกินมาตรฐาน","id":"a1",'
    '"item_id":"ww.bod","legal_basis":"มาตรา 8","order_text":"ปรับปรุงระบบบำบัดน้ำเสีย",'
    '"status":"open"}],"format":"fieldapp.inspection/1",'
    '"inspection":{"amends_id":null,"factory_id":"f1",'
    '"id":"01890a5d-ac96-774b-bcce-b302099a8057","kind":"routine","purpose":"ตรวจประจำปี",'
    '"started_at":"2023-12-21T03:00:00.000Z","template_version_id":"t1"},'
    '"participants":[{"id":"p1","name":"นางสาวสุดา ตรวจดี","organisation":"สอจ.ปทุมธานี",'
    '"phone":null,"position":"นักวิชาการ","role":"inspector","sort_order":0},'
    '{"id":"p2","name":"นายสมชาย ใจดี","organisation":null,"phone":"0812345678",'
    '"position":"ผู้จัดการ","role":"representative","sort_order":0}]}'
)


def document():
    return inspection_document(INSPECTION, ANSWERS, FINDINGS, PARTICIPANTS, ATTACHMENTS)


def test_golden_inspection_canonical_text():
    assert canonical_bytes(document()).decode("utf-8") == EXPECTED_TEXT


def test_golden_inspection_hash():
    expected = "8c2953ff248aebe5fe978490c996c9afd12bbdc2af26b7179cf97a7b16cfea49"
    assert content_hash(document()) == expected
    assert hashlib.sha256(EXPECTED_TEXT.encode("utf-8")).hexdigest() == expected


def test_golden_inspection_with_its_factory_as_signed():
    """Format 2 (docs/content-hash.md): the /1 document with the factory's printed fields
    as the record keeps them, one string."""
    kept = ('{"address":"99/9","business":null,"district":"คลองหลวง","facreg":null,'
            '"factory_class":3,"factory_type":"22(3)","fid":"10180000125417","lat":14.037216,'
            '"lng":100.612236,"moo":"4","name":"บริษัท ทดสอบ จำกัด","operator":null,'
            '"province":"ปทุมธานี","road":null,"soi":null,"subdistrict":"คลองหนึ่ง"}')
    from fieldapp.core.canonical import factory_text
    assert factory_text({"fid": "10180000125417", "name": "บริษัท ทดสอบ จำกัด",
                         "factory_type": "22(3)", "factory_class": 3, "address": "99/9",
                         "moo": "4", "subdistrict": "คลองหนึ่ง", "district": "คลองหลวง",
                         "province": "ปทุมธานี", "lat": 14.037216, "lng": 100.612236,
                         "phone": "not printed", "status": 1}) == kept
    signed = inspection_document({**INSPECTION, "signed_factory": kept}, ANSWERS, FINDINGS,
                                 PARTICIPANTS, ATTACHMENTS)
    text = EXPECTED_TEXT.replace('"findings"', '"factory":' + json.dumps(
        kept, ensure_ascii=False) + ',"findings"').replace("inspection/1", "inspection/2")
    assert canonical_bytes(signed).decode("utf-8") == text
    expected = "55182fa993ebd58ccecb9b79a78635ffbe7cad4e0fac6453b58475581e4165d0"
    assert content_hash(signed) == expected
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == expected
    # Given for a draft, the same text makes the same document.
    assert inspection_document(INSPECTION, ANSWERS, FINDINGS, PARTICIPANTS, ATTACHMENTS,
                               kept) == signed


def test_golden_small_vectors():
    assert content_hash({}) == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    # Tone mark typed before the lower vowel normalises (NFC) to the same text.
    typed = {"b": 1, "a": "ก\u0e48\u0e38"}
    stored = {"a": "ก\u0e38\u0e48", "b": 1}
    assert content_hash(typed) == content_hash(stored) == (
        "a37014566735fa1c5bf2d8788f2cbc6e929a4dff3297aace4b723ffc9e4a56c2")


def test_input_order_does_not_matter():
    shuffled = inspection_document(INSPECTION, list(reversed(ANSWERS)), FINDINGS,
                                   list(reversed(PARTICIPANTS)), list(reversed(ATTACHMENTS)))
    assert content_hash(shuffled) == content_hash(document())


def test_signature_and_scan_attachments_are_outside_the_hash():
    extra = ATTACHMENTS + [{"id": "z", "item_id": None, "kind": "scan", "sha256": "dd" * 32,
                            "size": 5, "mime": "application/pdf", "caption": None}]
    assert content_hash(inspection_document(INSPECTION, ANSWERS, FINDINGS, PARTICIPANTS,
                                            extra)) == content_hash(document())


def test_any_content_change_changes_the_hash():
    changed = [dict(ANSWERS[0], value="7.2"), *ANSWERS[1:]]
    assert content_hash(inspection_document(INSPECTION, changed, FINDINGS, PARTICIPANTS,
                                            ATTACHMENTS)) != content_hash(document())


def test_floats_are_refused():
    with pytest.raises(TypeError):
        canonical_bytes({"x": 7.2})
    with pytest.raises(TypeError):
        canonical_bytes({"x": [{"y": 0.5}]})


def _plain_normalise(value):
    """The canonical form's normalisation as first written (one rule per type, recursing):
    the reference the faster one must match byte for byte."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {_plain_normalise(k): _plain_normalise(v) for k, v in value.items()}
    return [_plain_normalise(v) for v in value]


class _Text(str):
    pass


# Thai with its combining marks in either order, Latin with combining accents, ASCII, and
# what JSON escapes or may not (controls, quote, backslash, line separators, astral).
_TEXT = st.text(alphabet=st.sampled_from(
    list("ab7.") + ["ก", "\u0e48", "\u0e38", "\u0e33", "\u0e4d", "\u0e32", "e", "\u0301",
                    "\u00e9", "\u212b", "A", "\u030a", "\x00", "\x1f", "\n", "\t", "\x7f",
                    '"', "\\", "/", "\u2028", "\ufeff", "\U0001f600", "\uffff"]), max_size=8)
# Integers on both sides of 64 bits (orjson writes the ones within, the standard library the
# rest).
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(),
                    st.integers(min_value=2**63 - 2, max_value=2**64 + 1), _TEXT,
                    _TEXT.map(_Text))
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=20)


@given(_VALUE)
def test_canonical_bytes_match_the_plain_normalisation(value):
    plain = json.dumps(_plain_normalise(value), sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert canonical_bytes(value) == plain


def test_text_json_cannot_carry_is_refused_as_before():
    # A lone surrogate is not Unicode text: no UTF-8 for it, so no hash of it.
    with pytest.raises(UnicodeEncodeError):
        canonical_bytes({"note": "a\ud800"})


def test_keys_that_are_not_text_are_written_as_the_standard_library_writes_them():
    assert canonical_bytes({1: "a", 2: True}) == b'{"1":"a","2":true}'


def test_golden_inspection_with_values_below_detection_limits():
    """A lab's "<2" and "ND<0.5" are hashed as the text the store keeps (core/detection.py),
    beside a plain decimal that hashes as it always did (test_golden_inspection_hash)."""
    answers = [
        {"item_id": "ww.bod", "result": None, "value": "<2", "note": None},
        {"item_id": "ww.cod", "result": None, "value": "ND<0.5", "note": None},
        {"item_id": "ww.ph", "result": None, "value": "7.20", "note": None},
        {"item_id": "ww.ss", "result": "fail", "value": "<60", "note": "ตัดสินโดยผู้ตรวจ"}]
    doc = inspection_document(INSPECTION, answers, FINDINGS, PARTICIPANTS, ATTACHMENTS)
    assert canonical_bytes(doc).decode("utf-8").startswith(
        '{"answers":[{"item_id":"ww.bod","note":null,"result":null,"value":"<2"},'
        '{"item_id":"ww.cod","note":null,"result":null,"value":"ND<0.5"},')
    assert content_hash(doc) == \
        "83d6b385dcc3c5413f39d7d5f77e8ddb4dfa45c125b724775a922e4ab38e9709"
