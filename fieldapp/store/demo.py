"""Deterministic synthetic factories for first runs, demonstrations and benchmarks.

Names, addresses and numbers are built from parts with a seeded random generator: the same
``(n, seed)`` always gives the same factories, on every machine. IDs pass the Luhn check and
carry real province codes, registration numbers carry the matching abbreviation, and
coordinates fall near the province's centre. Nothing here comes from the real registry
samples (those are for tests only).

Demo factories are written through the same outbox write path as an import.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from fieldapp.core.fid import facreg_key, luhn_check_digit
from fieldapp.core.provinces import BY_CODE, PROVINCES
from fieldapp.store.db import Store
from fieldapp.store.factories import factory_id, upsert_factories

BATCH = 5000

# Industrial provinces hold far more factories than the rest (weights, not data).
_HEAVY = {"10": 14, "11": 10, "74": 8, "20": 8, "13": 7, "21": 5, "12": 4, "14": 4,
          "24": 3, "73": 3, "30": 3, "50": 2, "90": 2, "19": 2, "25": 2, "40": 2}
_PROVINCE_CODES = [p.code for p in PROVINCES]
_PROVINCE_WEIGHTS = [_HEAVY.get(code, 1) for code in _PROVINCE_CODES]

_FORMS = [("บริษัท ", " จำกัด", 50), ("บริษัท ", " จำกัด (มหาชน)", 4),
          ("ห้างหุ้นส่วนจำกัด ", "", 16), ("ห้างหุ้นส่วนสามัญ ", "", 3), ("", "", 27)]
_STEMS = ["สยาม", "ไทย", "รุ่งเรือง", "เจริญ", "ศรีสุข", "ทองดี", "มงคล", "พัฒนา", "สหกิจ",
          "วัฒนา", "ชัยมงคล", "แสงทอง", "บุญมา", "ร่วมใจ", "เอเชีย", "ตะวันออก", "อุดม",
          "เกียรติ", "ประเสริฐ", "สุวรรณ", "นำชัย", "รัตนา", "กรีน", "โกลเด้น", "ยูไนเต็ด",
          "แปซิฟิค", "สตาร์", "เอ็ม ที", "เค เอส", "พี แอนด์ เอส", "ซี พี", "ที ซี",
          "นิปปอน", "ฮอนด้า", "ซันไรส์", "อินเตอร์", "ศรีไทย", "มหาชัย", "บางนา", "นวนคร"]
_TRADES = [("อาหาร", "10(1)", "1010"), ("แปรรูปอาหารทะเล", "9(1)", "1020"),
           ("โรงสีข้าว", "3(2)", "1061"), ("น้ำตาล", "14(1)", "1072"),
           ("เครื่องดื่ม", "17(1)", "1104"), ("สิ่งทอ", "22(1)", "1311"),
           ("เสื้อผ้าสำเร็จรูป", "28(1)", "1410"), ("ไม้แปรรูป", "34(1)", "1610"),
           ("เฟอร์นิเจอร์", "38(1)", "3100"), ("กระดาษ", "38(2)", "1701"),
           ("การพิมพ์", "41(1)", "1811"), ("เคมีภัณฑ์", "42(1)", "2011"),
           ("ปุ๋ย", "43(1)", "2012"), ("พลาสติก", "53(5)", "2220"),
           ("ยางพารา", "52(1)", "2219"), ("คอนกรีตผสมเสร็จ", "58(1)", "2395"),
           ("เหล็ก", "59(1)", "2410"), ("ชิ้นส่วนยานยนต์", "64(2)", "2930"),
           ("อิเล็กทรอนิกส์", "74(1)", "2610"), ("บรรจุภัณฑ์", "53(1)", "2220"),
           ("อะไหล่เครื่องจักร", "66(1)", "2819"), ("ซ่อมรถยนต์", "88", "4520"),
           ("ห้องเย็น", "101", "5210"), ("บำบัดน้ำเสีย", "101", "3700"),
           ("คัดแยกวัสดุ", "105", "3830"), ("สีและเคลือบ", "46(1)", "2022")]
_PEOPLE = ["นายสมชาย", "นางสมศรี", "นายประยูร", "นางสาวมาลี", "นายวิชัย", "นางบุญเรือน",
           "นายสุรชัย", "นางจันทร์เพ็ญ", "นายธนากร", "นางสาวพรทิพย์"]
_SURNAMES = ["ใจดี", "ศรีสวัสดิ์", "ทองคำ", "วงศ์ไทย", "แก้วมณี", "บุญประเสริฐ", "สุขสม",
             "จันทร์หอม", "พึ่งทอง", "ดวงแก้ว"]
_PLACE_HEADS = ["หนอง", "บ้าน", "ท่า", "วัง", "โคก", "ห้วย", "บาง", "ดอน", "นา", "คลอง",
                "ทุ่ง", "สระ", "บึง", "ป่า", "เขา"]
_PLACE_TAILS = ["ใหม่", "ช้าง", "น้อย", "ยาง", "บัว", "แก้ว", "ทอง", "สูง", "กลาง", "พลับ",
                "ขาม", "ไผ่", "โพธิ์", "ตะเคียน", "มะม่วง", "หิน", "ทราย", "เตย"]
_ROADS = ["พหลโยธิน", "สุขุมวิท", "เพชรเกษม", "มิตรภาพ", "บางนา-ตราด", "พระราม 2",
          "รังสิต-นครนายก", "ติวานนท์", "เศรษฐกิจ 1", "สายเอเชีย", "กาญจนาภิเษก",
          "บ่อวิน-ปลวกแดง", "ลาดกระบัง", "ศรีนครินทร์"]
_STATUS = [(1, 85), (0, 3), (2, 7), (3, 5)]
_CLASSES = [(3, 50), (2, 30), (1, 20)]


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def _place(rng: random.Random) -> str:
    return rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS)


def _name(rng: random.Random, trade: str) -> tuple[str, str | None]:
    """A company name and (for unincorporated businesses) the owner as operator."""
    prefix, suffix, _ = _pick(rng, _FORMS)
    if not prefix:
        owner = f"{rng.choice(_PEOPLE)} {rng.choice(_SURNAMES)}"
        return f"โรงงาน{trade}{rng.choice(_STEMS)}", owner
    stem = rng.choice(_STEMS)
    if rng.random() < 0.4:
        stem += rng.choice(_STEMS)
    if rng.random() < 0.15:
        suffix = " (ประเทศไทย)" + suffix if suffix else suffix
    name = f"{prefix}{stem}{trade}{suffix}"
    return name, name


def generate_factories(n: int, seed: int = 2567) -> list[dict]:
    """``n`` clean factory records (the shape ``clean_row`` produces), deterministic per seed."""
    rng = random.Random(seed)
    running: dict[tuple[str, str, str], int] = {}
    factories = []
    for _ in range(n):
        code = rng.choices(_PROVINCE_CODES, weights=_PROVINCE_WEIGHTS)[0]
        province = BY_CODE[code]
        office = "1" if rng.random() < 0.55 else "2"
        year = str(rng.randint(2520, 2567))
        key = (office, code, year)
        running[key] = number = running.get(key, 0) + 1
        if number > 99999:
            raise ValueError(f"too many demo factories for one office and year ({n})")
        body = f"{office}0{code}{number:05d}{year}"
        fid = body + luhn_check_digit(body)
        cls = _pick(rng, _CLASSES)[0]
        trade, type_number, isic = rng.choice(_TRADES)
        prefix = "จ" if office == "2" else ""
        facreg = f"{prefix}{cls}-{type_number}-{number}/{year[2:]}{province.abbr}"
        name, operator = _name(rng, trade)
        moo = str(rng.randint(1, 15))
        road = rng.choice(_ROADS) if rng.random() < 0.6 else None
        house = f"{rng.randint(1, 999)}" + (f"/{rng.randint(1, 99)}" if rng.random() < 0.4
                                             else "")
        address = f"{house} ม.{moo}" + (f" ถ.{road}" if road else "")
        district = f"เมือง{province.name_th}" if rng.random() < 0.3 else _place(rng)
        lat = round(province.centre[0] + rng.uniform(-0.15, 0.15), 6)
        lng = round(province.centre[1] + rng.uniform(-0.15, 0.15), 6)
        has_gps = rng.random() < 0.8
        workers = int(rng.lognormvariate(3.2, 1.1)) + 1
        factories.append({
            "fid": fid, "facreg": facreg, "facreg_key": facreg_key(facreg),
            "name": name, "operator": operator, "business": f"ผลิต{trade}",
            "factory_type": type_number, "factory_class": cls, "address": address,
            "moo": moo, "soi": None, "road": road, "subdistrict": _place(rng),
            "district": district, "province": province.name_th, "province_code": code,
            "capital": float(rng.randrange(500_000, 500_000_000, 50_000)),
            "workers": workers, "horsepower": round(workers * rng.uniform(2, 30), 1),
            "lat": lat if has_gps else None, "lng": lng if has_gps else None,
            "isic": isic, "estate": None, "status": _pick(rng, _STATUS)[0],
            "registry_updated": None, "phone": None, "contact_person": None,
        })
    return factories


def load_demo(store: Store, factories: int = 2000, *, seed: int = 2567,
              progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Fill ``store`` with ``factories`` synthetic factories; returns their record ids.

    Idempotent: loading the same demo again changes nothing. ``progress(done, total)`` is
    called after each batch.
    """
    records = generate_factories(factories, seed)
    for start in range(0, len(records), BATCH):
        upsert_factories(store, records[start:start + BATCH])
        if progress:
            progress(min(start + BATCH, len(records)), len(records))
    return [factory_id(r["fid"]) for r in records]
