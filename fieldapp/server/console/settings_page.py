"""The office's settings (loop/settings.py): periods and the wording of its letters. An
administrator changes them; a supervisor may read them. Every value is checked before any
is saved (a letter's wording names only placeholders the letter knows); a refusal shows the
form again with what was typed and the reason beside the field."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import ValidationError
from fieldapp.server import audit
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import render
from fieldapp.server.console.rules import allowed
from fieldapp.server.loop import settings
from fieldapp.server.loop.wording import PLACEHOLDERS

# key -> (label, what it means). Every key of settings.DEFAULTS has one (a test checks).
MEANINGS = {
    "complaint_reply_days": (N_("Days to answer a complaint"), N_(
        "A complainant is told the outcome within this many days of receipt; later, the "
        "complaint is overdue.")),
    "order_default_days": (N_("Days an order gives"), N_(
        "The period to correct when the inspector set no deadline.")),
    "office_name": (N_("Office name"), N_(
        "Heads the office's letters (top right); {province} is the factory's province "
        "(จังหวัดชลบุรี, or กรุงเทพมหานคร).")),
    "office_address": (N_("Office address"), N_(
        "Under the office's name on letters; one line of the address a line.")),
    "letter_number_prefix": (N_("Letter number prefix"), N_(
        "ที่ of a letter: the running number is left blank and written in when the letter "
        "is sent.")),
    "letter_signer_name": (N_("Signer's name"), N_(
        "Printed in brackets under the signature.")),
    "letter_signer_position": (N_("Signer's position"), N_(
        "Printed under the signer's name; one line a line; {province} as in the office's "
        "name.")),
    "letter_contact": (N_("Unit and phone"), N_(
        "The office's unit, phone and fax at the bottom left of a letter.")),
    "escalation_subject": (N_("Escalation letter: subject"), N_(
        "เรื่อง of the letter for an order a follow-up found not corrected (Factory Act "
        "s.39). May use the placeholders below.")),
    "escalation_body": (N_("Escalation letter: body"), N_(
        "The body; each line is a paragraph. Placeholders in braces are filled from the "
        "order, its record and its factory.")),
}
SAVED = N_("The settings were saved.")


@page("settings.read")
async def settings_form(request: Request, who) -> Response:
    values = await run_in_threadpool(settings.get_all, request.app.state.db)
    return _page(request, who, values, {}, 200,
                 SAVED if request.query_params.get("done") == "saved" else None)


def _page(request, who, values, errors, status, done=None) -> Response:
    return render(request, who, "settings.html", status=status, values=values, errors=errors,
                  done=done, meanings=MEANINGS, kinds={k: v[1] for k, v in
                                                       settings.DEFAULTS.items()},
                  placeholders=PLACEHOLDERS, may_edit=allowed(who, "settings.manage"))


@page("settings.manage")
async def save_settings(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    typed = {key: str(form.get(key) or "")[:6000] for key in settings.DEFAULTS
             if form.get(key) is not None}
    errors = {}
    for key, value in typed.items():
        try:
            settings.check(key, value)
        except ValidationError as exc:
            errors[key] = str(exc)
    if errors:
        current = await run_in_threadpool(settings.get_all, db)
        return _page(request, who, {**current, **typed}, errors, 400)
    changed = await run_in_threadpool(settings.save, db, who.username, typed)
    for key, value in changed.items():
        await run_in_threadpool(audit.record, db, who, audit.CHANGE, f"/settings#{key}",
                                f"{key} = {value}", security.address(request))
    return RedirectResponse("/settings?done=saved", 303)
