"""The console's role rules, in one table: which role may perform which action. Province
scope is the read layer's (``fieldapp.server.queries``); ``access.page`` applies this table
to every route.
"""

from __future__ import annotations

from fieldapp.server.auth import Principal

ADMIN, SUPERVISOR, INSPECTOR = "admin", "supervisor", "inspector"
EVERYONE = frozenset({ADMIN, SUPERVISOR, INSPECTOR})
OFFICE = frozenset({ADMIN, SUPERVISOR})
ADMINS = frozenset({ADMIN})

# Every action a console route performs, and the roles that may perform it. An inspector
# sees their own inspections, read-only, and nothing else.
RULES: dict[str, frozenset[str]] = {
    "account": EVERYONE,            # change one's own password, sign out
    "dashboard": OFFICE,
    "inspections.read": EVERYONE,   # the list, one inspection, its PDF and photos, export
    "factories.read": OFFICE,
    "verify": OFFICE,
    "conflicts.resolve": OFFICE,
    "users.manage": ADMINS,
    "devices.manage": ADMINS,
    "sessions.manage": ADMINS,
    "templates.manage": ADMINS,
    "registry.import": ADMINS,
    "audit.read": ADMINS,
    "reports.monthly": OFFICE,      # the monthly report of a province, and its files
    # The office's loop: complaints (the complainant is seen by these roles only) and
    # planned work. Each action also needs the row's province (``in_province``).
    "complaints.read": OFFICE,
    "complaints.manage": OFFICE,
    "plans.read": OFFICE,
    "plans.manage": OFFICE,
    # The office's loop: review, corrective orders, the office's settings.
    "reviews.manage": OFFICE,       # the review queue; approve, return, reopen a record
    "orders.read": OFFICE,          # orders, their photos and history
    "orders.manage": OFFICE,        # report done, verify, responsible, escalate, follow-up, letter
    "settings.read": OFFICE,
    "settings.manage": ADMINS,
}


def allowed(who: Principal, action: str) -> bool:
    """Whether ``who``'s role may perform ``action`` (unknown actions: nobody)."""
    return who.role in RULES.get(action, frozenset())


def in_province(who: Principal, province: str | None) -> bool:
    """Whether ``who`` may act on a row of ``province``: an administrator anywhere, everyone
    else in the provinces granted to them."""
    return who.is_admin or (province is not None and province in who.provinces)


def home_of(who: Principal) -> str:
    """Where a user lands after signing in."""
    return "/" if allowed(who, "dashboard") else "/inspections"
