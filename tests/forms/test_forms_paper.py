"""What the paper must hold, as an office and a printer see it: every signer, any length of
text, the QR code clear of a printer's unprintable edge, Bangkok's own address words, ids
that can be typed back, a transparent logo on white, a value below its minimum said so."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from test_forms_builders import add_factory, build_inspection, photo, signature_image
from test_forms_render import flat, page_texts

from fieldapp.forms.images import print_ready_jpeg, render_pdf_pages
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.forms.settings import PrintSettings
from fieldapp.store.changes import save_row
from fieldapp.store.inspections import (
    add_attachment,
    add_finding,
    add_participant,
    create_inspection,
    get_inspection,
    set_answer,
)
from fieldapp.store.signing import amend, refuse, sign
from fieldapp.store.templates import install_bundled_templates, latest_published

WORDS = "ผู้แทนโรงงานไม่เห็นด้วยกับผลการตรวจวัดค่าน้ำทิ้ง เนื่องจากเก็บตัวอย่างในช่วงซ่อมบำรุง "


def _draft(store, purpose="ตรวจ"):
    install_bundled_templates(store)
    template = latest_published(store, "env-general")
    iid = create_inspection(store, factory_id=add_factory(store),
                            template_version_id=template.version_id, purpose=purpose,
                            started_at="2026-11-20T02:30:00.000Z")["id"]
    return template, iid


@pytest.mark.parametrize("where", ["purpose", "caption", "note", "legal", "order", "reason"])
def test_text_of_any_length_anywhere_prints(store, where):
    """Each of these made a signed record unprintable (one table row, or a signature block,
    taller than a page)."""
    text = (WORDS * 120)[:9000]
    template, iid = _draft(store, purpose=text if where == "purpose" else "ตรวจ")
    item = next(iter(template.items.values()))
    inspector = add_participant(store, iid, role="inspector", name="นางสาวสุดารัตน์ ตรวจการ")
    rep = add_participant(store, iid, role="representative", name="นายสมชาย ใจดี")
    if where == "caption":
        add_attachment(store, iid, photo(1, (640, 480)), caption=text)
    if where == "note":        # forty short lines: short in characters, long on paper
        set_answer(store, iid, item.id, result="fail", note="\n".join(["บรรทัดสั้น"] * 40))
    if where in ("legal", "order"):
        add_finding(store, iid, item_id=item.id, description="ข้อบกพร่อง",
                    legal_basis=text if where == "legal" else "มาตรา 8",
                    order_text=text if where == "order" else "แก้ไข", deadline="2026-12-20")
    sign(store, iid, signer_name=inspector["name"], signer_role="inspector",
         image_png=signature_image(1), participant_id=inspector["id"])
    refuse(store, iid, signer_name=rep["name"], participant_id=rep["id"],
           reason=text if where == "reason" else "ไม่เห็นด้วย", witness_name="นายวีระ พยานดี")
    printed = flat("".join(page_texts(render_inspection_pdf(store, iid))))
    if where != "note":
        assert flat(text[-80:]) in printed        # its last words are on paper too


def test_every_inspector_and_representative_signs_on_the_paper(store):
    """Only the first of each role was printed: a second inspector's signature was left
    off. A long name and official title wrap inside their block."""
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    second = add_participant(store, iid, role="inspector", name="นายวิชัย ตรวจสอบ",
                             position="รักษาราชการแทนอุตสาหกรรมจังหวัดปทุมธานี "
                                      "ผู้อำนวยการกลุ่มกำกับและตรวจสอบโรงงาน")
    witness_rep = add_participant(store, iid, role="representative",
                                  name="นางสาวกาญจนาภรณ์ ศรีสุวรรณวงศ์ไพบูลย์กิจ")
    for person, n in ((second, 3), (witness_rep, 4)):
        sign(store, iid, signer_name=person["name"], signer_role=person["role"],
             image_png=signature_image(n), participant_id=person["id"])
    text = flat("".join(page_texts(render_inspection_pdf(store, iid))))
    for name in ("นางสาวสุดารัตน์ ตรวจการ", "นายสมชาย ใจดี", "นายวิชัย ตรวจสอบ",
                 "นางสาวกาญจนาภรณ์ ศรีสุวรรณวงศ์ไพบูลย์กิจ"):
        assert flat(f"({name})") in text
    assert flat("ผู้อำนวยการกลุ่มกำกับและตรวจสอบโรงงาน") in text


def test_the_qr_code_survives_a_printer_that_leaves_the_edge_unprinted(store):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is in the [test] extra")
    iid = build_inspection(store, photos=0)
    page = render_pdf_pages(render_inspection_pdf(store, iid), dpi=200, pages=[0])[0]
    cut = round(5 / 25.4 * 200)                     # 5 mm of the paper's foot not printed
    clipped = page.copy()
    clipped.paste((255, 255, 255), (0, page.height - cut, page.width, page.height))
    digest = get_inspection(store, iid)["content_hash"]
    assert f"FA1|{iid}|0|{digest}" in [r.text for r in zxingcpp.read_barcodes(clipped)]


def test_a_bangkok_address_reads_khwaeng_and_khet(store):
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    factory_id = get_inspection(store, iid)["factory_id"]
    save_row(store, "factories", {"id": factory_id, "subdistrict": "ลาดยาว", "district": "จตุจักร",
                                  "province": "กรุงเทพมหานคร"})
    text = flat(page_texts(render_inspection_pdf(store, iid))[0])
    assert flat("แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร") in text
    assert "จังหวัดกรุงเทพมหานคร" not in text and "ตำบลลาดยาว" not in text


def test_an_amendments_reference_keeps_its_digits_with_thai_digits_on(store):
    original = build_inspection(store, photos=0)
    amendment = amend(store, original)["id"]
    text = flat("".join(page_texts(render_inspection_pdf(
        store, amendment, settings=PrintSettings(thai_digits=True)))))
    # The row may split across a page break (the footer then stands between its lines):
    # the reference and the id, in 0-9 (the footer names the amendment, not the original).
    assert flat("ครั้งที่ ๑ แก้ไขบันทึก") in text and original in text


def test_a_transparent_logo_or_photo_prints_on_white():
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (10, 10, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    data, _, _ = print_ready_jpeg(out.getvalue())
    printed = Image.open(io.BytesIO(data)).convert("RGB")
    assert min(printed.getpixel((1, 1))) > 240             # white, not a black square
    assert printed.getpixel((20, 20))[0] > 150


def test_a_value_below_its_minimum_is_not_said_to_exceed_it(store):
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    template = latest_published(store, "env-general")
    ph = next(i for i in template.items.values()
              if i.limits is not None and i.limits.min is not None and i.limits.max is not None)
    set_answer(store, iid, ph.id, value=str(ph.limits.min - 1))
    text = flat("".join(page_texts(render_inspection_pdf(store, iid))))
    assert "ต่ำกว่าเกณฑ์มาตรฐาน" in text


def test_an_answer_its_condition_later_hid_is_still_on_the_paper(store):
    """The hash covers every stored answer; one recorded before its item was hidden (the
    factory class changed) printed only as "not applicable"."""
    iid = build_inspection(store, photos=0, signatures="none", final=False)
    set_answer(store, iid, "lic.class", value="c3")
    set_answer(store, iid, "lic.licence_doc", value={"number": "อก 0301/4455",
                                                     "date": "2026-09-15"},
               note="ใบอนุญาตฉบับเดิม")
    set_answer(store, iid, "lic.class", value="c2")        # now hidden: class 2 has none
    text = flat("".join(page_texts(render_inspection_pdf(store, iid))))
    assert flat("บันทึกไว้ก่อนเงื่อนไขเปลี่ยน") in text and "0301/4455" in text
    assert flat("ใบอนุญาตฉบับเดิม") in text


def test_a_blank_form_can_be_filled_in_by_hand(store):
    """It said "no findings" in advance, a "-" in every field, and a dotted line where a
    choice was to be ticked."""
    from fieldapp.forms.inspection_form import render_blank_form
    install_bundled_templates(store)
    template = latest_published(store, "env-general")
    pages = page_texts(render_blank_form(template))
    text = flat("".join(pages))
    assert "ไม่พบข้อบกพร่อง" not in text
    assert flat("ชื่อโรงงาน" + "." * 70) in flat(pages[0])
    choice = next(i for i in template.items.values() if i.type == "choice")
    assert all(flat(f"( ) {c.label['th']}") in text for c in choice.choices)
    assert flat("ผลการตรวจตามรายการตรวจ หมวด 1") in flat(pages[1]) or \
        flat("ผลการตรวจตามรายการตรวจ") not in flat(pages[0])     # heading with its table
