"""Amendment chains on the server: which record a pushed inspection may amend, and walking
a chain without trusting it to end.

An amendment names, in ``amends_id``, the finalized record it corrects. Rows stored before
the server checked this may point anywhere, even round a loop, so every walk keeps a visited
set and stops after ``MAX_CHAIN`` links. Nothing here answers differently for a record that
does not exist and one the caller may not read: a refusal must not tell which it was.
"""

from __future__ import annotations

from collections.abc import Callable

# APPROVED, why an approved record takes no amendment, is in core/office_words.py: the
# laptop refuses with the same words before it ever sends one.

MAX_CHAIN = 100  # amendments of one record; real chains have a handful

NOT_READABLE = ("ไม่พบบันทึกที่จะแก้ไขในบันทึกที่ท่านมีสิทธิ์ (the amended inspection is not "
                "one you may read on the server)")
ITSELF = "บันทึกแก้ไขตัวเองไม่ได้ (an inspection cannot amend itself)"
LOOP = ("การแก้ไขนี้ทำให้ลำดับการแก้ไขวนกลับมาที่เดิม (this amendment would make the chain of "
        "amendments loop back on itself)")
TOO_LONG = (f"บันทึกนี้ถูกแก้ไขเกิน {MAX_CHAIN} ครั้งแล้ว (the chain of amendments is longer "
            f"than {MAX_CHAIN})")
OTHER_FACTORY = ("บันทึกแก้ไขต้องเป็นของโรงงานเดียวกับบันทึกเดิม (an amendment is of the same "
                 "factory as the record it corrects)")
NOT_FINALIZED = ("แก้ไขได้เฉพาะบันทึกที่ปิดแล้ว (only a finalized inspection can be amended; "
                 "the server holds this one as a draft)")


def walk_up(start: str | None, parent_of: Callable[[str], str | None]) -> tuple[list[str], str]:
    """The ids from ``start`` up its chain, ``start`` first, and how the walk ended: "whole"
    (at an original record), "loop" (an id came round again) or "long" (past MAX_CHAIN)."""
    chain: list[str] = []
    seen: set[str] = set()
    current = start
    while current:
        if current in seen:
            return chain, "loop"
        if len(chain) > MAX_CHAIN:
            return chain, "long"
        seen.add(current)
        chain.append(current)
        current = parent_of(current)
    return chain, "whole"


def amendment_problem(row_id: str, target_id: str, get: Callable[[str], object],
                      may_read: Callable[[object], bool], factory_id: str) -> str | None:
    """Why inspection ``row_id`` of factory ``factory_id`` may not amend ``target_id``, or
    None when it may. ``get(id)`` is the server's inspection Record (or None); ``may_read``
    the caller's scope. The target must be a record of the same factory that the caller may
    read, finalized, and its chain must neither loop nor lead back to ``row_id``."""
    if target_id == row_id:
        return ITSELF
    target = get(target_id)
    if target is None or target.deleted or not may_read(target):
        return NOT_READABLE
    if target.data.get("factory_id") != factory_id:
        # An amendment corrects a record of its own factory (store/signing.amend copies
        # it). Of another factory, it would reach across provinces: its approval would
        # cancel the orders, and its page show the review, of a province its reviewer lacks.
        return OTHER_FACTORY

    def parent_of(rid: str) -> str | None:
        row = get(rid)
        return row.data.get("amends_id") if row is not None else None

    chain, end = walk_up(target_id, parent_of)
    if row_id in chain or end == "loop":
        return LOOP
    if end == "long":
        return TOO_LONG
    if not target.frozen:
        return NOT_FINALIZED
    return None
