"""Builders of realistic inspections for the printed-form tests and benchmark, with checks
that the builders themselves produce what the tests rely on."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from fieldapp.core.ids import uuid7
from fieldapp.core.templates import is_visible, parse_template
from fieldapp.store.changes import save_row
from fieldapp.store.inspections import (
    add_attachment,
    add_finding,
    add_participant,
    answers_by_item,
    create_inspection,
    set_answer,
)
from fieldapp.store.signing import finalize, refuse, sign
from fieldapp.store.templates import install_bundled_templates, latest_published, publish_template

LONG_NOTE = ("ระบบบำบัดน้ำเสียของโรงงานทำงานปกติ แต่ค่าบีโอดีของน้ำทิ้งที่ตรวจวัดได้เกินเกณฑ์มาตรฐาน "
             "ให้ผู้ประกอบกิจการปรับปรุงแก้ไขระบบบำบัดน้ำเสียภายใน 30 วัน และส่งผลการตรวจวิเคราะห์"
             "จากห้องปฏิบัติการที่ขึ้นทะเบียนกับกรมโรงงานอุตสาหกรรม")


def add_factory(store) -> str:
    row = save_row(store, "factories", {
        "id": uuid7(), "fid": "10180000125417", "facreg": "3-22(3)-1/41ชน",
        "name": "บริษัท ไทยอุตสาหกรรมอาหารสัตว์ จำกัด", "operator": "นายสมศักดิ์ ทองดี",
        "business": "ผลิตอาหารสัตว์สำเร็จรูปและบำบัดน้ำเสียจากกระบวนการผลิต",
        "factory_type": "22(3)", "factory_class": 3, "address": "99/9", "moo": "4",
        "road": "พหลโยธิน", "subdistrict": "คลองหนึ่ง", "district": "คลองหลวง",
        "province": "ปทุมธานี", "lat": 14.037216, "lng": 100.612236, "status": 1})
    return row["id"]


def photo(seed: int, size=(1600, 1200), exif_rotate: bool = False) -> bytes:
    """A noisy photo-like JPEG (noise keeps it as hard to compress as a real photo)."""
    rng = random.Random(seed)
    img = Image.effect_noise(size, 40).convert("RGB")
    tint = Image.new("RGB", size, tuple(rng.randint(40, 200) for _ in range(3)))
    img = Image.blend(img, tint, 0.6)
    ImageDraw.Draw(img).rectangle((20, 20, size[0] // 2, size[1] // 3), fill=(250, 250, 250))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_rotate:
        exif[0x0112] = 6  # "rotate 90° clockwise to display"
    img.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def signature_image(seed: int) -> bytes:
    rng = random.Random(seed)
    img = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    points = [(20 + 22 * i, rng.randint(20, 100)) for i in range(15)]
    ImageDraw.Draw(img).line(points, fill=(20, 30, 110, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def synthetic_template(items: int, key: str = "bench-synthetic"):
    """A published-shaped template with ``items`` items over 8 sections."""
    count_sections = min(8, items)
    per = items // count_sections
    sections, n = [], 0
    for s in range(count_sections):
        count = per if s < count_sections - 1 else items - per * (count_sections - 1)
        rows = []
        for _ in range(count):
            n += 1
            if n % 3 == 0:
                rows.append({"id": f"it{n:03d}", "type": "number", "unit": "mg/L",
                             "label": {"th": f"ค่าบีโอดีของน้ำทิ้งจากบ่อบำบัดน้ำเสียจุดที่ {n}",
                                       "en": f"BOD {n}"},
                             "limits": {"max": "20"},
                             "legal_basis": "ประกาศกระทรวงอุตสาหกรรม เรื่อง กำหนดคุณลักษณะ"
                                            "ของน้ำทิ้งที่ระบายออกจากโรงงาน พ.ศ. 2560"})
            else:
                rows.append({"id": f"it{n:03d}", "type": "result",
                             "label": {"th": f"สถานที่เก็บกากอุตสาหกรรมมีหลังคาและพื้นกันซึม "
                                             f"ภาชนะบรรจุมีฉลากระบุชนิดและวันที่เริ่มเก็บ ข้อ {n}",
                                       "en": f"Item {n}"},
                             "legal_basis": "พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 8"})
        sections.append({"id": f"s{s}", "title": {"th": f"หมวดทดสอบที่ {s + 1} น้ำเสียและกากของเสีย",
                                                  "en": f"Section {s + 1}"}, "items": rows})
    return parse_template({"format": "fieldapp.template/1", "key": key, "version": 1,
                           "kind": "routine", "form_code": "สอจ.ทส.99",
                           "title": {"th": "แบบตรวจโรงงานทดสอบ", "en": "Synthetic"},
                           "sections": sections})


def build_inspection(store, *, template=None, photos: int = 2, fail_every: int = 7,
                     signatures: str = "images", final: bool = True) -> str:
    """A complete inspection: every visible item answered, some failed with notes and
    findings, ``photos`` photos, and signatures as ``images``, ``refused`` or ``none``."""
    if template is None:
        install_bundled_templates(store)
        template = latest_published(store, "env-general")
    else:
        publish_template(store, template)
    factory = add_factory(store)
    insp = create_inspection(store, factory_id=factory, template_version_id=template.version_id,
                             purpose="ตรวจกำกับดูแลประจำปีตามแผนงานธรรมาภิบาลสิ่งแวดล้อม",
                             started_at="2026-11-20T02:30:00.000Z")
    iid = insp["id"]
    inspector = add_participant(store, iid, role="inspector", name="นางสาวสุดารัตน์ ตรวจการ",
                                position="นักวิชาการอุตสาหกรรมชำนาญการ")
    rep = add_participant(store, iid, role="representative", name="นายสมชาย ใจดี",
                          position="ผู้จัดการโรงงาน")
    for n, item in enumerate(template.items.values()):
        if not is_visible(item, answers_by_item(store, iid)):
            continue
        failed = fail_every and n % fail_every == 3
        if item.type == "result":
            set_answer(store, iid, item.id, result="fail" if failed else "pass",
                       note=LONG_NOTE if failed else None)
        elif item.type == "number":
            low, high = (item.limits.min, item.limits.max) if item.limits else (None, None)
            if high is None:
                value = (low or 0) + 12
            elif failed:
                value = high * 2
            else:
                value = (low + high) / 2 if low is not None else high / 2
            set_answer(store, iid, item.id, value=str(value), note=LONG_NOTE if failed else None)
        elif item.type == "choice":
            set_answer(store, iid, item.id, value=item.choices[0].id)
        elif item.type == "multi_choice":
            set_answer(store, iid, item.id, value=[item.choices[0].id])
        elif item.type == "text":
            set_answer(store, iid, item.id, value="ตรวจสอบแล้ว เรียบร้อย")
        elif item.type == "date":
            set_answer(store, iid, item.id, value="2026-10-01")
        elif item.type == "document":
            set_answer(store, iid, item.id, value={"number": "อก 0301/1234", "date": "2026-09-15"})
        elif item.type == "gps":
            set_answer(store, iid, item.id, value={"lat": "14.037216", "lng": "100.612236"})
        if failed:
            add_finding(store, iid, item_id=item.id, description=f"{item.label['th']} ไม่เป็นไปตามที่กำหนด",
                        legal_basis=item.legal_basis or "พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 37",
                        order_text="ให้ปรับปรุงแก้ไขให้ถูกต้องตามกฎหมาย", deadline="2026-12-20")
        needs_photo = item.type == "photo" or (failed and item.on_fail.get("photo"))
        if needs_photo:
            add_attachment(store, iid, photo(n, (640, 480)), item_id=item.id,
                           caption=f"ภาพประกอบ {item.label['th']}")
    for k in range(photos):
        add_attachment(store, iid, photo(1000 + k, exif_rotate=(k == 0)),
                       caption=f"ภาพถ่ายบริเวณบ่อบำบัดน้ำเสียจุดที่ {k + 1}")
    if signatures in ("images", "refused"):
        sign(store, iid, signer_name=inspector["name"], signer_role="inspector",
             image_png=signature_image(1), participant_id=inspector["id"])
    if signatures == "images":
        sign(store, iid, signer_name=rep["name"], signer_role="representative",
             image_png=signature_image(2), participant_id=rep["id"])
    elif signatures == "refused":
        refuse(store, iid, signer_name=rep["name"], participant_id=rep["id"],
               reason="ผู้แทนโรงงานไม่เห็นด้วยกับผลการตรวจวัดค่าน้ำทิ้ง",
               witness_name="นายวีระ พยานดี")
    if final:
        finalize(store, iid, require_signatures=signatures != "none")
    return iid


def test_builder_makes_a_finalized_signed_inspection(store):
    from fieldapp.store.inspections import load_bundle
    iid = build_inspection(store, photos=3)
    bundle = load_bundle(store, iid)
    assert bundle["inspection"]["state"] == "finalized"
    assert {s["signer_role"] for s in bundle["signatures"]} == {"inspector", "representative"}
    assert sum(a["kind"] == "photo" for a in bundle["attachments"]) >= 3
    assert bundle["findings"]


def test_synthetic_template_has_the_asked_number_of_items():
    assert len(synthetic_template(100).items) == 100
    assert len(synthetic_template(200).items) == 200
