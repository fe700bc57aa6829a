"""``fieldapp inspections``: the inspections on this laptop, newest first, with the record
number a person reads on the paper and the id the other commands take."""

from __future__ import annotations

import argparse
import json

from fieldapp.commands import store_from
from fieldapp.core.errors import FieldAppError

_STATES = {"draft": "ฉบับร่าง", "finalized": "ปิดการตรวจแล้ว"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "inspections", help="list the inspections on this laptop, newest first",
        description="Each line: record number, start date (B.E.), state, factory, id. "
                    "`fieldapp print` takes the record number or the id.")
    parser.add_argument("--state", choices=sorted(_STATES), help="only drafts or finalized")
    parser.add_argument("--factory", metavar="FID", help="only this factory (its 14-digit ID)")
    parser.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fieldapp.core.fid import normalize_fid
    from fieldapp.core.thaidate import format_date, to_local
    from fieldapp.store.factories import factory_id
    from fieldapp.store.inspections import list_inspections

    factory = None
    if args.factory:
        fid = normalize_fid(args.factory)
        if not (fid.isascii() and fid.isdigit() and len(fid) == 14):
            raise FieldAppError(f"เลขทะเบียนโรงงานต้องมี 14 หลัก (--factory takes a 14-digit "
                                f"factory ID, not {args.factory!r})")
        factory = factory_id(fid)
    with store_from(args, existing=True) as store:
        rows = list_inspections(store, state=args.state, factory_id=factory,
                                limit=max(args.limit, 0))
    if args.json:
        keep = ("id", "record_no", "state", "kind", "started_at", "finalized_at",
                "factory_fid", "factory_name", "unsynced")
        print(json.dumps([{k: r.get(k) for k in keep} for r in rows], ensure_ascii=False,
                         indent=2))
        return 0
    for r in rows:
        started = format_date(to_local(r["started_at"]), "numeric") if r["started_at"] else "-"
        waiting = " · ยังไม่ได้ส่ง (not synced)" if r["unsynced"] else ""
        print(f"{r['record_no'] or '-':<15} {started:<10}  {_STATES.get(r['state'], r['state'])}"
              f"  {r['factory_name'] or '(ไม่มีชื่อ)'} [{r['factory_fid'] or '-'}]  "
              f"{r['id']}{waiting}")
    if not rows:
        print("ไม่มีบันทึกการตรวจ (no inspections)")
    return 0
