"""The selected factory's details beside the search results (``factoryDetail``)."""

from __future__ import annotations

from fieldapp.gui import ops
from fieldapp.gui.i18n import tr
from fieldapp.gui.main.factory_model import status_label, unnamed


def factory_html(f: dict) -> str:
    """The factory's name as a heading and its registry and field facts as a table (rows
    without a value left out)."""
    import html  # here: not on the way to the first window (gui/preload.py)
    rows = [
        (tr("Factory ID"), f.get("fid")),
        (tr("Old registration no."), f.get("facreg")),
        (tr("Operator"), f.get("operator")),
        (tr("Business"), f.get("business")),
        (tr("Type / class"), " / ".join(str(x) for x in (f.get("factory_type"),
                                                           f.get("factory_class")) if x)),
        (tr("Address"), ops.address_text(f)),
        (tr("Coordinates"), ops.coordinates_text(f)),
        (tr("Workers"), f.get("workers")),
        (tr("Status"), status_label(f.get("status"))),
        (tr("Phone"), f.get("phone")),
        (tr("Contact person"), f.get("contact_person")),
    ]
    body = "".join(f"<tr><td style='color:#555;padding-right:12px'>{html.escape(k)}</td>"
                   f"<td>{html.escape(str(v))}</td></tr>" for k, v in rows if v)
    name = (f.get("name") or "").strip() or unnamed()
    return f"<h3>{html.escape(name)}</h3><table>{body}</table>"
