"""The registry: search factories with the laptop's trigram search, and one factory with its
inspections over time and its open orders."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.server.console.access import page
from fieldapp.server.console.inspections_page import KINDS, STATES
from fieldapp.server.console.orders_page import STATUSES as ORDER_STATES
from fieldapp.server.console.render import error_page, render
from fieldapp.server.queries.factories import factory_detail, search_factories
from fieldapp.server.queries.inspections import filter_choices

SHOWN = ("name", "fid", "facreg", "operator", "business", "factory_class", "address", "moo",
         "soi", "road", "subdistrict", "district", "phone", "contact_person")


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 9 \
        else default


@page("factories.read")
async def factories(request: Request, who) -> Response:
    db = request.app.state.db
    q = request.query_params
    text = (q.get("q") or "")[:200]
    found = await run_in_threadpool(search_factories, db, who, text,
                                    q.get("province") or None, q.get("district") or None,
                                    _int(q.get("page"), 1))
    choices = await run_in_threadpool(filter_choices, db, who)
    return render(request, who, "factories.html", found=found, text=text,
                  province=q.get("province") or "", choices=choices)


@page("factories.read", personal=True)
async def factory(request: Request, who) -> Response:
    found = await run_in_threadpool(factory_detail, request.app.state.db, who,
                                    request.path_params["factory_id"])
    if found is None:
        return await error_page(request, who, 404)
    # A registry row may lack any column (the real registry leaves many empty).
    fields = {name: found["fields"].get(name) for name in SHOWN}
    return render(request, who, "factory.html", f=found, fields=fields,
                  states=STATES, kinds=KINDS, order_states=ORDER_STATES)
