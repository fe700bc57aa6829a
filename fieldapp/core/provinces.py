"""The 77 provinces of Thailand: Thai and English names, DOPA codes, registration abbreviations.

The DOPA code is digits 3-4 of every factory ID; the abbreviation ends every old registration
number outside Bangkok (``3-10(1)-1/46ปท``). ``find_province`` maps what registry files and
people actually write ("กรุงเทพฯ", "กทม.", "จ.นครปฐม", " นครปฐม ", "Nakhon Pathom", "นฐ") to one
entry. ``centre`` is a rough point inside the province (its capital town), used to place demo
factories and to sanity-check coordinates; it is not survey data.

Pure data and lookups, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    code: str          # DOPA two-digit code
    name_th: str
    name_en: str
    abbr: str          # registration-number abbreviation; "" for Bangkok
    centre: tuple[float, float]


# code, Thai name, English name, abbreviation, rough centre (lat, lng)
_TABLE = [
    ("10", "กรุงเทพมหานคร", "Bangkok", "", (13.75, 100.50)),
    ("11", "สมุทรปราการ", "Samut Prakan", "สป", (13.60, 100.60)),
    ("12", "นนทบุรี", "Nonthaburi", "นบ", (13.86, 100.51)),
    ("13", "ปทุมธานี", "Pathum Thani", "ปท", (14.02, 100.53)),
    ("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", "อย", (14.35, 100.57)),
    ("15", "อ่างทอง", "Ang Thong", "อท", (14.59, 100.45)),
    ("16", "ลพบุรี", "Lop Buri", "ลบ", (14.80, 100.65)),
    ("17", "สิงห์บุรี", "Sing Buri", "สห", (14.89, 100.40)),
    ("18", "ชัยนาท", "Chai Nat", "ชน", (15.19, 100.12)),
    ("19", "สระบุรี", "Saraburi", "สบ", (14.53, 100.91)),
    ("20", "ชลบุรี", "Chon Buri", "ชบ", (13.36, 100.98)),
    ("21", "ระยอง", "Rayong", "รย", (12.68, 101.28)),
    ("22", "จันทบุรี", "Chanthaburi", "จบ", (12.61, 102.10)),
    ("23", "ตราด", "Trat", "ตร", (12.24, 102.52)),
    ("24", "ฉะเชิงเทรา", "Chachoengsao", "ฉช", (13.69, 101.07)),
    ("25", "ปราจีนบุรี", "Prachin Buri", "ปจ", (14.05, 101.37)),
    ("26", "นครนายก", "Nakhon Nayok", "นย", (14.20, 101.21)),
    ("27", "สระแก้ว", "Sa Kaeo", "สก", (13.82, 102.07)),
    ("30", "นครราชสีมา", "Nakhon Ratchasima", "นม", (14.97, 102.10)),
    ("31", "บุรีรัมย์", "Buri Ram", "บร", (14.99, 103.10)),
    ("32", "สุรินทร์", "Surin", "สร", (14.88, 103.49)),
    ("33", "ศรีสะเกษ", "Si Sa Ket", "ศก", (15.12, 104.32)),
    ("34", "อุบลราชธานี", "Ubon Ratchathani", "อบ", (15.24, 104.85)),
    ("35", "ยโสธร", "Yasothon", "ยส", (15.79, 104.15)),
    ("36", "ชัยภูมิ", "Chaiyaphum", "ชย", (15.81, 102.03)),
    ("37", "อำนาจเจริญ", "Amnat Charoen", "อจ", (15.86, 104.63)),
    ("38", "บึงกาฬ", "Bueng Kan", "บก", (18.36, 103.65)),
    ("39", "หนองบัวลำภู", "Nong Bua Lam Phu", "นภ", (17.20, 102.44)),
    ("40", "ขอนแก่น", "Khon Kaen", "ขก", (16.43, 102.83)),
    ("41", "อุดรธานี", "Udon Thani", "อด", (17.41, 102.79)),
    ("42", "เลย", "Loei", "ลย", (17.49, 101.72)),
    ("43", "หนองคาย", "Nong Khai", "นค", (17.88, 102.74)),
    ("44", "มหาสารคาม", "Maha Sarakham", "มค", (16.18, 103.30)),
    ("45", "ร้อยเอ็ด", "Roi Et", "รอ", (16.05, 103.65)),
    ("46", "กาฬสินธุ์", "Kalasin", "กส", (16.43, 103.51)),
    ("47", "สกลนคร", "Sakon Nakhon", "สน", (17.16, 104.15)),
    ("48", "นครพนม", "Nakhon Phanom", "นพ", (17.41, 104.78)),
    ("49", "มุกดาหาร", "Mukdahan", "มห", (16.54, 104.72)),
    ("50", "เชียงใหม่", "Chiang Mai", "ชม", (18.79, 98.98)),
    ("51", "ลำพูน", "Lamphun", "ลพ", (18.58, 99.01)),
    ("52", "ลำปาง", "Lampang", "ลป", (18.29, 99.49)),
    ("53", "อุตรดิตถ์", "Uttaradit", "อต", (17.62, 100.10)),
    ("54", "แพร่", "Phrae", "พร", (18.14, 100.14)),
    ("55", "น่าน", "Nan", "นน", (18.78, 100.77)),
    ("56", "พะเยา", "Phayao", "พย", (19.17, 99.90)),
    ("57", "เชียงราย", "Chiang Rai", "ชร", (19.91, 99.83)),
    ("58", "แม่ฮ่องสอน", "Mae Hong Son", "มส", (19.30, 97.97)),
    ("60", "นครสวรรค์", "Nakhon Sawan", "นว", (15.70, 100.14)),
    ("61", "อุทัยธานี", "Uthai Thani", "อน", (15.38, 100.02)),
    ("62", "กำแพงเพชร", "Kamphaeng Phet", "กพ", (16.48, 99.52)),
    ("63", "ตาก", "Tak", "ตก", (16.88, 99.13)),
    ("64", "สุโขทัย", "Sukhothai", "สท", (17.01, 99.82)),
    ("65", "พิษณุโลก", "Phitsanulok", "พล", (16.82, 100.26)),
    ("66", "พิจิตร", "Phichit", "พจ", (16.44, 100.35)),
    ("67", "เพชรบูรณ์", "Phetchabun", "พช", (16.42, 101.16)),
    ("70", "ราชบุรี", "Ratchaburi", "รบ", (13.54, 99.81)),
    ("71", "กาญจนบุรี", "Kanchanaburi", "กจ", (14.02, 99.53)),
    ("72", "สุพรรณบุรี", "Suphan Buri", "สพ", (14.47, 100.12)),
    ("73", "นครปฐม", "Nakhon Pathom", "นฐ", (13.82, 100.06)),
    ("74", "สมุทรสาคร", "Samut Sakhon", "สค", (13.55, 100.27)),
    ("75", "สมุทรสงคราม", "Samut Songkhram", "สส", (13.41, 100.00)),
    ("76", "เพชรบุรี", "Phetchaburi", "พบ", (13.11, 99.94)),
    ("77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", "ปข", (11.81, 99.80)),
    ("80", "นครศรีธรรมราช", "Nakhon Si Thammarat", "นศ", (8.43, 99.96)),
    ("81", "กระบี่", "Krabi", "กบ", (8.09, 98.91)),
    ("82", "พังงา", "Phang Nga", "พง", (8.45, 98.53)),
    ("83", "ภูเก็ต", "Phuket", "ภก", (7.89, 98.40)),
    ("84", "สุราษฎร์ธานี", "Surat Thani", "สฎ", (9.14, 99.33)),
    ("85", "ระนอง", "Ranong", "รน", (9.96, 98.64)),
    ("86", "ชุมพร", "Chumphon", "ชพ", (10.49, 99.18)),
    ("90", "สงขลา", "Songkhla", "สข", (7.19, 100.60)),
    ("91", "สตูล", "Satun", "สต", (6.62, 100.07)),
    ("92", "ตรัง", "Trang", "ตง", (7.56, 99.61)),
    ("93", "พัทลุง", "Phatthalung", "พท", (7.62, 100.08)),
    ("94", "ปัตตานี", "Pattani", "ปน", (6.87, 101.25)),
    ("95", "ยะลา", "Yala", "ยล", (6.54, 101.28)),
    ("96", "นราธิวาส", "Narathiwat", "นธ", (6.43, 101.82)),
]

PROVINCES: tuple[Province, ...] = tuple(Province(*row) for row in _TABLE)
BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
BY_ABBR: dict[str, Province] = {p.abbr: p for p in PROVINCES if p.abbr}

# Other names people write for a province (compared after normalisation, see _key).
_ALIASES = {
    "10": ("กรุงเทพ", "กรุงเทพฯ", "กทม", "กรุงเทพมหานครฯ", "bkk", "krungthep"),
    "14": ("อยุธยา", "ayutthaya", "phranakhonsiayutthaya"),
    "16": ("lopburi",),
    "17": ("singburi",),
    "18": ("chainat",),
    "20": ("chonburi",),
    "25": ("prachinburi",),
    "27": ("sakaew",),
    "30": ("โคราช", "korat"),
    "31": ("buriram",),
    "33": ("sisaket",),
    "38": ("buengkan",),
    "72": ("suphanburi",),
    "84": ("suratthani",),
}

# Prefixes meaning "province" that carry no information: จ., จังหวัด, Changwat.
_PREFIX = re.compile(r"^(?:จังหวัด|จ\s*\.|changwat|province of)\s*", re.IGNORECASE)
_NOISE = re.compile(r"[\s.\-]+")


def _key(text: str) -> str:
    """Case-, space- and dot-insensitive form of a province name for lookups."""
    text = _PREFIX.sub("", " ".join(text.split()))
    return _NOISE.sub("", text).lower()


_BY_KEY: dict[str, Province] = {}
for _p in PROVINCES:
    _BY_KEY[_key(_p.name_th)] = _p
    _BY_KEY[_key(_p.name_en)] = _p
    _BY_KEY[_key(_p.code)] = _p
    if _p.abbr:
        _BY_KEY[_p.abbr] = _p
for _code, _names in _ALIASES.items():
    for _name in _names:
        _BY_KEY[_key(_name)] = BY_CODE[_code]


def find_province(text: object) -> Province | None:
    """The province a name, abbreviation, alias or code refers to, or None if unknown.

    Surrounding and inner whitespace, dots, the prefixes "จ." / "จังหวัด" and letter case
    are ignored, so " จ.นครปฐม ", "นครปฐม", "นฐ" and "Nakhon Pathom" all give code 73.
    """
    if text is None:
        return None
    key = _key(str(text))
    if not key:
        return None
    found = _BY_KEY.get(key)
    if found is None and key.endswith("ฯ"):
        found = _BY_KEY.get(key[:-1])
    return found


def province_by_code(code: str) -> Province | None:
    """The province with DOPA code ``code`` ("73"), or None."""
    return BY_CODE.get(code)


def province_by_abbr(abbr: str) -> Province | None:
    """The province a registration-number abbreviation ("นฐ") stands for, or None."""
    return BY_ABBR.get(abbr.strip())
