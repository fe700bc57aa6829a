"""Signing, finalizing and amending an inspection.

A signature binds to the content hash of the inspection at the moment of signing. Finalizing
recomputes the hash; a signature made before a later change no longer matches and finalizing
refuses, so nobody's signature ends up under text they did not see.
"""

from __future__ import annotations

from fieldapp.core.errors import ImmutableRecordError, NotFoundError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.core.office_words import ORDER_ITEM_PREFIX
from fieldapp.core.templates import finalize_problems
from fieldapp.store.changes import delete_row, get_row, now_iso, save_row
from fieldapp.store.db import Store
from fieldapp.store.inspections import (
    FROZEN_MESSAGE,
    ROLES,
    _draft,
    add_attachment,
    add_finding,
    add_participant,
    answers_by_item,
    children,
    compute_content_hash,
    create_inspection,
    get_inspection,
    keep_factory,
    set_answer,
)
from fieldapp.store.office_loop import (
    amendment_refusal,
    followup_problems,
    mark_plan_done,
    record_followup,
)
from fieldapp.store.templates import get_template


def sign(store: Store, inspection_id: str, *, signer_name: str, signer_role: str,
         image_png: bytes | None = None, participant_id: str | None = None) -> dict:
    """Record a signature (captured image, or none when signed in ink on paper later)."""
    if signer_role not in ROLES:
        raise ValidationError(f"signer role must be one of {', '.join(ROLES)}")
    if not signer_name.strip():
        raise ValidationError("a signature needs the signer's name")
    with store.transaction():
        _draft(store, inspection_id)
        _replace_previous(store, inspection_id, signer_role, participant_id)
        keep_factory(store, inspection_id)   # what this signature signs includes it
        attachment = None
        if image_png:
            attachment = add_attachment(store, inspection_id, image_png, kind="signature",
                                        mime="image/png", caption=signer_name.strip())
        return save_row(store, "signatures", {
            "id": uuid7(), "inspection_id": inspection_id, "participant_id": participant_id,
            "signer_name": signer_name.strip(), "signer_role": signer_role,
            "signed_at": now_iso(), "attachment_id": attachment["id"] if attachment else None,
            "content_hash": compute_content_hash(store, inspection_id), "refused": 0,
            "refusal_reason": None, "witness_name": None})


def refuse(store: Store, inspection_id: str, *, signer_name: str, reason: str,
           witness_name: str, participant_id: str | None = None) -> dict:
    """The factory representative refused to sign (ผู้แทนโรงงานปฏิเสธการลงนาม): the reason and a
    witness are recorded in place of the signature."""
    if not reason.strip() or not witness_name.strip():
        raise ValidationError("a refusal to sign needs a reason and a witness")
    with store.transaction():
        _draft(store, inspection_id)
        _replace_previous(store, inspection_id, "representative", participant_id)
        keep_factory(store, inspection_id)
        return save_row(store, "signatures", {
            "id": uuid7(), "inspection_id": inspection_id, "participant_id": participant_id,
            "signer_name": signer_name.strip(), "signer_role": "representative",
            "signed_at": now_iso(), "attachment_id": None,
            "content_hash": compute_content_hash(store, inspection_id), "refused": 1,
            "refusal_reason": reason.strip(), "witness_name": witness_name.strip()})


def _replace_previous(store: Store, inspection_id: str, role: str,
                      participant_id: str | None) -> None:
    """Signing again (after "clear") replaces the same person's earlier signature."""
    for old in children(store, "signatures", inspection_id):
        if old["signer_role"] == role and old["participant_id"] == participant_id:
            delete_row(store, "signatures", old["id"])
            if old["attachment_id"]:
                delete_row(store, "attachments", old["attachment_id"])


def remove_signature(store: Store, signature_id: str) -> None:
    with store.transaction():
        row = get_row(store, "signatures", signature_id)
        if row is None or row["deleted"]:
            raise NotFoundError(f"no signature {signature_id}")
        _draft(store, row["inspection_id"])
        delete_row(store, "signatures", signature_id)
        if row["attachment_id"]:
            delete_row(store, "attachments", row["attachment_id"])


def finalize_check(store: Store, inspection_id: str, *,
                   require_signatures: bool = True) -> list[str]:
    """Everything that stops this inspection from being finalized, in words (empty = ready)."""
    inspection = get_inspection(store, inspection_id)
    if inspection["state"] != "draft":
        return [FROZEN_MESSAGE.format(id=inspection_id)]
    template = get_template(store, inspection["template_version_id"])
    photos: dict[str, int] = {}
    for att in children(store, "attachments", inspection_id):
        if att["kind"] == "photo" and att["item_id"]:
            photos[att["item_id"]] = photos.get(att["item_id"], 0) + 1
    problems = list(finalize_problems(template, answers_by_item(store, inspection_id), photos))
    problems += followup_problems(store, inspection)
    current = compute_content_hash(store, inspection_id)
    signatures = children(store, "signatures", inspection_id)
    for sig in signatures:
        if sig["content_hash"] != current:
            problems.append(f"บันทึกถูกแก้ไขหลังจาก {sig['signer_name']} ลงนาม ต้องลงนามใหม่ "
                            f"(the record changed after {sig['signer_name']} signed)")
    if require_signatures:
        problems += missing_signatures(signatures)
    return problems


def missing_signatures(signatures: list[dict]) -> list[str]:
    """The signatures (or refusal) a record still needs before it is finalized signed on
    screen, in words; ``signatures``: its live signature rows."""
    roles = {s["signer_role"] for s in signatures}
    missing = []
    if "inspector" not in roles:
        missing.append("ยังไม่มีลายมือชื่อพนักงานเจ้าหน้าที่ (the inspector has not signed)")
    if "representative" not in roles:
        missing.append("ยังไม่มีลายมือชื่อหรือการปฏิเสธของผู้แทนโรงงาน "
                       "(no signature or refusal from the factory representative)")
    return missing


def finalize(store: Store, inspection_id: str, *, require_signatures: bool = True) -> str:
    """Lock the inspection and return its content hash.

    ``require_signatures=False`` is for forms printed to be signed in ink: the record is
    locked unsigned and a scan of the signed paper is attached afterwards.
    """
    with store.transaction():
        _draft(store, inspection_id)
        problems = finalize_check(store, inspection_id, require_signatures=require_signatures)
        if problems:
            raise ValidationError("ยังปิดการตรวจไม่ได้ (cannot finalize yet): " + problems[0],
                                  problems)
        keep_factory(store, inspection_id)   # finalized unsigned: kept now
        digest = compute_content_hash(store, inspection_id)
        save_row(store, "inspections", {"id": inspection_id, "state": "finalized",
                                        "content_hash": digest, "finalized_at": now_iso()})
        mark_plan_done(store, inspection_id)
        return digest


def amend(store: Store, inspection_id: str, *, created_by: str | None = None) -> dict:
    """A new draft that corrects a finalized inspection: a copy of its answers, findings,
    participants and photos, linked to it by ``amends_id``. Signatures are not copied: the
    amendment is signed afresh. An approved record is refused, in the office's words
    (office_loop.amendment_refusal): the server would refuse the amendment anyway."""
    with store.transaction():
        original = get_inspection(store, inspection_id)
        if original["state"] != "finalized":
            raise ImmutableRecordError("only a finalized inspection is amended; "
                                       "a draft can simply be edited")
        refusal = amendment_refusal(store, inspection_id)
        if refusal:
            raise ImmutableRecordError(refusal)
        new = create_inspection(
            store, factory_id=original["factory_id"],
            template_version_id=original["template_version_id"], kind=original["kind"],
            started_at=original["started_at"], purpose=original["purpose"],
            created_by=created_by or original["created_by"], amends_id=inspection_id)
        for a in children(store, "answers", inspection_id):
            if a["item_id"].startswith(ORDER_ITEM_PREFIX):
                # A follow-up's result for an order: no template item, copied as it is.
                record_followup(store, new["id"], a["item_id"][len(ORDER_ITEM_PREFIX):],
                                a["value"], a["note"])
                continue
            set_answer(store, new["id"], a["item_id"], result=a["result"], value=a["value"],
                       note=a["note"])
        for f in children(store, "findings", inspection_id):
            add_finding(store, new["id"], description=f["description"], item_id=f["item_id"],
                        legal_basis=f["legal_basis"], order_text=f["order_text"],
                        deadline=f["deadline"], status=f["status"])
        for p in children(store, "participants", inspection_id):
            add_participant(store, new["id"], role=p["role"], name=p["name"],
                            position=p["position"], organisation=p["organisation"],
                            phone=p["phone"])
        for att in children(store, "attachments", inspection_id):
            if att["kind"] in ("photo", "document"):
                # Same bytes, same hash: the blob is shared, only the row is new.
                save_row(store, "attachments", {
                    **{k: att[k] for k in ("item_id", "kind", "sha256", "size", "mime",
                                           "caption", "taken_at")},
                    "id": uuid7(), "inspection_id": new["id"]})
        return new
