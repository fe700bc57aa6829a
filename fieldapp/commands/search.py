"""``fieldapp search QUERY``: find factories in the local registry by name, ID or address."""

from __future__ import annotations

import argparse
import json

from fieldapp.commands import store_from
from fieldapp.core.errors import FieldAppError
from fieldapp.core.provinces import find_province
from fieldapp.store.search import search_factories

_STATUS = {0: "ยังไม่ประกอบกิจการ", 1: "ประกอบกิจการ", 2: "ถูกเพิกถอน", 3: "หยุดกิจการ"}
_NO_STATUS = "ไม่ระบุสถานะ"   # FFLAG empty, as in DIW's own sample files


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search", help="search factories by name, 14-digit ID, registration number or address",
        description="Thai substrings work (ยามาซากิ, ซากิ); IDs and registration numbers are "
                    "found with or without separators.")
    parser.add_argument("query", help="text to look for")
    parser.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    parser.add_argument("--province", help="only this province (name, abbreviation or code)")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    province = args.province
    if province and find_province(province) is None:
        # A province no province is filtered every factory out: "no factory found".
        raise FieldAppError(f"ไม่รู้จักจังหวัด {province!r} (unknown province {province!r}: give "
                            f"a name, an abbreviation or a code, e.g. นครปฐม, นฐ or 73)")
    code = province if province and province.isdigit() else None
    with store_from(args, existing=True) as store:
        rows = search_factories(store, args.query, limit=max(args.limit, 0),
                                province_code=code, province=None if code else province)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        place = " / ".join(p for p in (row["subdistrict"], row["district"], row["province"]) if p)
        print(f"{row['fid']}  {row['facreg'] or '-':<18} {row['name'] or '(ไม่มีชื่อ)'}  "
              f"[{place}] {_STATUS.get(row['status'], _NO_STATUS)}")
    if not rows:
        print("ไม่พบโรงงาน (no factory found)")
    return 0
