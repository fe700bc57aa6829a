"""The console's menu: the pages a user's role may open, in the order an office works."""

from __future__ import annotations

from fieldapp.server.auth import Principal
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.rules import allowed

# (path, label, action): shown when the role may perform the action.
ITEMS = (
    ("/", N_("Dashboard"), "dashboard"),
    ("/inspections", N_("Inspections"), "inspections.read"),
    ("/factories", N_("Factories"), "factories.read"),
    # The office's loop: review queue and corrective orders.
    ("/reviews", N_("Awaiting review"), "reviews.manage"),
    ("/orders", N_("Corrective orders"), "orders.read"),
    ("/verify", N_("Verify a paper"), "verify"),
    ("/complaints", N_("Complaints"), "complaints.read"),
    ("/planning", N_("Plan inspections"), "plans.manage"),
    ("/plans", N_("Plans"), "plans.read"),
    ("/conflicts", N_("Conflicts"), "conflicts.resolve"),
    ("/reports/monthly", N_("Monthly report"), "reports.monthly"),
    ("/admin/users", N_("Users"), "users.manage"),
    ("/admin/devices", N_("Devices"), "devices.manage"),
    ("/admin/templates", N_("Templates"), "templates.manage"),
    ("/admin/registry", N_("Registry import"), "registry.import"),
    ("/admin/sessions", N_("Sessions"), "sessions.manage"),
    ("/audit", N_("Audit log"), "audit.read"),
    ("/settings", N_("Office settings"), "settings.read"),
)


def menu(who: Principal) -> list[tuple[str, str]]:
    """(path, untranslated label) of each page ``who`` may open."""
    return [(path, label) for path, label, action in ITEMS if allowed(who, action)]
