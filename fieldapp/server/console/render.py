"""Jinja2 pages: one template per page under ``resources/console/templates``, a base layout,
autoescaping everywhere, and the filters every page shares (Buddhist-era dates in
Asia/Bangkok, numbers).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from fieldapp.core import thaidate
from fieldapp.core.resources import resource_path
from fieldapp.server.auth import Principal
from fieldapp.server.console import i18n, nav, security
from fieldapp.server.console.date_fields import field_text
from fieldapp.server.console.i18n import N_

ROLE_LABELS = {"admin": N_("Administrator"), "supervisor": N_("Supervisor"),
               "inspector": N_("Inspector")}

EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")


def be_date(value: date | datetime | str | None, lang: str = "th",
            style: str = "long") -> str:
    """A date in the Buddhist era: ``5 ธันวาคม 2569`` / ``5 Dec 2569 BE``; '' for none
    and the raw text for something unreadable (never a crashed page)."""
    if not value:
        return ""
    try:
        if lang == "th":
            return thaidate.format_date(value, style)
        d = thaidate._as_date(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year + thaidate.BE_OFFSET} BE"


def be_month(value: date | str | None, lang: str = "th") -> str:
    """``ธันวาคม 2569`` / ``Dec 2569 BE``."""
    if not value:
        return ""
    try:
        d = thaidate._as_date(value)
    except (TypeError, ValueError):
        return str(value)
    year = d.year + thaidate.BE_OFFSET
    if lang == "th":
        return f"{thaidate.MONTHS[d.month - 1]} {year}"
    return f"{EN_MONTHS[d.month - 1]} {year} BE"


def be_datetime(value: datetime | str | None, lang: str = "th") -> str:
    if not value:
        return ""
    try:
        local = thaidate.to_local(value)
    except (TypeError, ValueError):
        return str(value)
    if lang == "th":
        return f"{thaidate.format_date(local.date(), 'short')} {local:%H:%M} น."
    return f"{be_date(local.date(), 'en')} {local:%H:%M}"


def number(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(resource_path("console", "templates"))),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = number
    return env


def language(request: Request) -> str:
    return i18n.language_of(request.cookies.get(security.LANG_COOKIE))


def with_query(request: Request, **changes) -> str:
    """This page's URL with some query parameters changed (sorting, paging)."""
    params = {k: v for k, v in request.query_params.multi_items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(request: Request, who: Principal | None, template: str, status: int = 200,
           **context) -> HTMLResponse:
    """A page: the template with the language, the user, their CSRF token and the helpers
    every page uses."""
    lang = language(request)
    session = getattr(request.state, "session", None)
    html = environment().get_template(template).render(
        _=i18n.gettext_for(lang), lang=lang, who=who, request=request,
        csrf=session.csrf_token if session else "",
        menu=nav.menu(who) if who else [], role_labels=ROLE_LABELS,
        here=security.quote(request.url.path + (f"?{request.url.query}"
                                                if request.url.query else "")),
        date=lambda v, style="long": be_date(v, lang, style),
        datetime=lambda v: be_datetime(v, lang),
        month=lambda v: be_month(v, lang),
        date_field=field_text,
        with_query=lambda **kw: with_query(request, **kw),
        **context)
    return HTMLResponse(html, status_code=status)


ERRORS = {
    400: (N_("Bad request"), N_("The form could not be read. Go back, reload the page and "
                                "try again.")),
    401: (N_("Please sign in"), N_("Your session has ended. Sign in again; nothing was "
                                   "changed.")),
    403: (N_("Not allowed"), N_("Your role does not allow this page. Ask the office "
                                "administrator if you need it.")),
    404: (N_("Not found"), N_("There is no such page or record here, or it is outside your "
                              "provinces.")),
    405: (N_("Not found"), N_("There is no such page or record here, or it is outside your "
                              "provinces.")),
    500: (N_("Server error"), N_("Something went wrong on the server. Nothing was lost; try "
                                 "again, and tell the administrator if it keeps happening.")),
    413: (N_("Too large"), N_("The file is larger than the console accepts.")),
}
CSRF_TEXT = N_("The form had expired or did not come from this console, so nothing was "
               "changed. Reload the page and try again.")


async def error_page(request: Request, who: Principal | None, status: int,
                     kind: str | None = None) -> Response:
    title, text = ERRORS.get(status, ERRORS[400])
    if kind == "csrf":
        text = CSRF_TEXT
    return render(request, who, "error.html", status=status, title=title, text=text)
