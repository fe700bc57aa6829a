"""Demo inspections in every state, on top of the demo factories.

Deterministic for a given seed, built only through the store's own functions (so the demo also
exercises the real rules): a draft half-way through, a finalized record signed on the laptop,
one signed in ink, a refused signature, an amended record, a complaint and a follow-up.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

from PIL import Image, ImageDraw

from fieldapp.core.templates import Template, is_visible
from fieldapp.store.db import Store
from fieldapp.store.inspections import (
    add_attachment,
    add_finding,
    add_participant,
    answers_by_item,
    create_inspection,
)
from fieldapp.store.inspections import set_answer as store_answer
from fieldapp.store.signing import amend, finalize, refuse, sign
from fieldapp.store.templates import install_bundled_templates, latest_published

INSPECTORS = [("นางสาวสุดารัตน์ ตรวจการ", "นักวิชาการอุตสาหกรรมชำนาญการ"),
              ("นายวีระพงษ์ รักษ์สิ่งแวดล้อม", "วิศวกรชำนาญการ")]
REPRESENTATIVES = [("นายสมชาย ใจดี", "ผู้จัดการโรงงาน"), ("นางมาลี ศรีสุข", "เจ้าหน้าที่สิ่งแวดล้อม"),
                   ("นายประเสริฐ มั่นคง", "ผู้จัดการฝ่ายผลิต")]


def signature_png(name: str, seed: int) -> bytes:
    """A scribble that looks like a signature: transparent background, dark blue ink."""
    rng = random.Random(seed)
    img = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    x, y = 20, 70
    points = [(x, y)]
    for _ in range(14 + len(name) % 6):
        x += rng.randint(10, 24)
        y = max(20, min(100, y + rng.randint(-35, 35)))
        points.append((x, y))
    draw.line(points, fill=(20, 30, 110, 255), width=4, joint="curve")
    out = io.BytesIO()
    img.crop(img.getbbox()).save(out, "PNG")
    return out.getvalue()


def photo_jpeg(label: str, seed: int) -> bytes:
    """A plain coloured placeholder photo (demo data carries no real pictures)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (640, 480), tuple(rng.randint(60, 200) for _ in range(3)))
    ImageDraw.Draw(img).rectangle((40, 40, 600, 440), outline=(255, 255, 255), width=6)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


def _answer_all(store: Store, template: Template, inspection_id: str, rng: random.Random,
                *, fail_rate: float = 0.08, fraction: float = 1.0) -> None:
    """Answer the visible items plausibly; a few fail, with the note and photo they need."""
    for item in template.items.values():
        if rng.random() > fraction:
            continue
        if not is_visible(item, answers_by_item(store, inspection_id)):
            continue
        failed = rng.random() < fail_rate
        note = "พบข้อบกพร่องระหว่างการตรวจ" if failed else None
        if item.type == "result":
            store_answer(store, inspection_id, item.id,
                         result="fail" if failed else "pass", note=note)
        elif item.type == "number":
            value = _number_for(item, failed)
            store_answer(store, inspection_id, item.id, value=value,
                         note=note if failed else None)
        elif item.type == "choice":
            store_answer(store, inspection_id, item.id, value=item.choices[-1].id)
        elif item.type == "multi_choice":
            store_answer(store, inspection_id, item.id, value=[item.choices[0].id])
        elif item.type == "text":
            store_answer(store, inspection_id, item.id, value="ตรวจสอบแล้ว")
        elif item.type == "date":
            store_answer(store, inspection_id, item.id, value="2026-10-01")
        elif item.type == "document":
            store_answer(store, inspection_id, item.id,
                         value={"number": f"อก 0{rng.randint(100, 999)}/{rng.randint(1, 999)}",
                                "date": "2026-09-15"})
        elif item.type == "gps":
            store_answer(store, inspection_id, item.id,
                         value={"lat": "14.037216", "lng": "100.612236"})
        else:
            store_answer(store, inspection_id, item.id, result="na")
            continue
        if failed and (item.on_fail.get("photo") or item.type == "result"):
            add_attachment(store, inspection_id, photo_jpeg(item.id, rng.randint(0, 10**6)),
                           item_id=item.id, caption="สภาพที่พบระหว่างการตรวจ")
        if failed:
            add_finding(store, inspection_id, item_id=item.id,
                        description=f"{item.label['th']} ไม่เป็นไปตามที่กำหนด",
                        legal_basis=item.legal_basis, order_text=item.order_text
                        or "ให้ดำเนินการแก้ไขให้ถูกต้อง",
                        deadline=(datetime(2026, 12, 1) + timedelta(days=item.deadline_days
                                                                    or 30)).date().isoformat())


def _number_for(item, failed: bool) -> str:
    """A measured value inside the item's legal limits, or just outside when ``failed``."""
    if item.limits is None:
        return "12.0"
    low, high = item.limits.min, item.limits.max
    if failed:
        # Below a lower limit of zero is no value at all (nothing is counted below none).
        value = high * 2 if high is not None else low - 1 if low > 0 else low + 1
    elif low is not None and high is not None:
        value = (low + high) / 2
    else:
        value = high / 2 if high is not None else low + 1
    return f"{value:.1f}"


def add_demo_inspections(store: Store, factory_ids: list[str], *, seed: int = 2535) -> list[str]:
    """Create the demo inspections and return their ids."""
    if not factory_ids:
        return []
    install_bundled_templates(store)
    rng = random.Random(seed)
    templates = {key: latest_published(store, key)
                 for key in ("env-general", "complaint", "follow-up")}
    general = templates["env-general"]
    start = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    made: list[str] = []

    def new(kind: str, tpl: Template, n: int, purpose: str) -> str:
        when = (start + timedelta(days=3 * n, hours=n % 4)).isoformat().replace("+00:00", "Z")
        row = create_inspection(store, factory_id=factory_ids[n % len(factory_ids)],
                                template_version_id=tpl.version_id, kind=kind,
                                started_at=when, purpose=purpose,
                                created_by=INSPECTORS[0][0])
        iid = row["id"]
        for name, position in INSPECTORS[: 1 + n % 2]:
            add_participant(store, iid, role="inspector", name=name, position=position,
                            organisation="สำนักงานอุตสาหกรรมจังหวัด")
        name, position = REPRESENTATIVES[n % len(REPRESENTATIVES)]
        add_participant(store, iid, role="representative", name=name, position=position,
                        phone=f"08{rng.randint(10000000, 99999999)}")
        made.append(iid)
        return iid

    def sign_both(iid: str, n: int) -> None:
        sign(store, iid, signer_name=INSPECTORS[0][0], signer_role="inspector",
             image_png=signature_png(INSPECTORS[0][0], n))
        rep = REPRESENTATIVES[n % len(REPRESENTATIVES)][0]
        sign(store, iid, signer_name=rep, signer_role="representative",
             image_png=signature_png(rep, n + 100))

    # 1. A draft half-way through the checklist.
    iid = new("routine", general, 0, "ตรวจกำกับดูแลประจำปี")
    _answer_all(store, general, iid, rng, fraction=0.5)
    # 2. Finalized, signed on the laptop.
    iid = new("routine", general, 1, "ตรวจกำกับดูแลประจำปี")
    _answer_all(store, general, iid, rng)
    sign_both(iid, 1)
    finalize(store, iid)
    # 3. Finalized for ink signing (printed, signed on paper).
    iid = new("routine", general, 2, "ตรวจติดตามตามแผนประจำปี")
    _answer_all(store, general, iid, rng, fail_rate=0)
    finalize(store, iid, require_signatures=False)
    # 4. The representative refused to sign.
    iid = new("routine", general, 3, "ตรวจกำกับดูแลประจำปี")
    _answer_all(store, general, iid, rng, fail_rate=0.15)
    sign(store, iid, signer_name=INSPECTORS[0][0], signer_role="inspector",
         image_png=signature_png(INSPECTORS[0][0], 3))
    refuse(store, iid, signer_name=REPRESENTATIVES[0][0], reason="ไม่เห็นด้วยกับผลการตรวจวัด",
           witness_name="นายสมศักดิ์ พยานดี")
    finalize(store, iid)
    # 5. An amendment of record 2, still a draft.
    made.append(amend(store, made[1])["id"])
    # 6. A complaint-driven inspection, finalized.
    iid = new("complaint", templates["complaint"], 5, "ตรวจสอบเรื่องร้องเรียนกลิ่นเหม็นจากชุมชน")
    _answer_all(store, templates["complaint"], iid, rng, fail_rate=0.3)
    sign_both(iid, 5)
    finalize(store, iid)
    # 7. A follow-up inspection, draft.
    iid = new("follow_up", templates["follow-up"], 6, "ตรวจติดตามการแก้ไขตามคำสั่ง")
    _answer_all(store, templates["follow-up"], iid, rng, fraction=0.7)
    return made
