"""The console's first page, for the caller's scope: this month's inspections by state and
by kind (the Bangkok calendar month), open and overdue orders, when each laptop last synced,
and how many conflicts wait for review.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from fieldapp.server.auth import Principal
from fieldapp.server.queries.conflicts import count_waiting
from fieldapp.server.queries.devices import laptops
from fieldapp.server.queries.factories import count_orders, open_orders
from fieldapp.server.queries.scoping import BANGKOK, day_start_utc, owned
from fieldapp.server.storage import Database


def month_bounds(now: datetime | None = None) -> tuple[date, date]:
    """The first day of the Bangkok month holding ``now`` and of the month after."""
    today = (now or datetime.now(UTC)).astimezone(BANGKOK).date()
    first = today.replace(day=1)
    after = first.replace(year=first.year + 1, month=1) if first.month == 12 \
        else first.replace(month=first.month + 1)
    return first, after


def dashboard(db: Database, who: Principal, now: datetime | None = None,
              orders_shown: int = 20) -> dict:
    """``month`` (first day, ISO), ``by_state`` and ``by_kind`` ({value: count}) of
    inspections started this month; ``orders_open``, ``orders_overdue`` (counts) and
    ``overdue`` (the most overdue, at most ``orders_shown``); ``laptops``; and
    ``conflicts_waiting`` (0 for an inspector: they review none)."""
    first, after = month_bounds(now)
    scope, params = owned(who, "i")
    month = [day_start_utc(first), day_start_utc(after)]
    with db.read() as c:
        counts = c.tuples(f"SELECT i.state, i.kind, count(*) FROM inspection_index i "
                          f"WHERE i.deleted = 0 AND {scope} AND i.started_at >= ? "
                          f"AND i.started_at < ? GROUP BY i.state, i.kind",
                          [*params, *month])
        today = (now or datetime.now(UTC)).astimezone(BANGKOK).date().isoformat()
        orders_open, orders_overdue = count_orders(c, who, today)
        overdue = open_orders(c, who, limit=orders_shown, overdue_only=True, today=today)
        devices = laptops(c, who)
        waiting = count_waiting(c, who)
    by_state: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for state, kind, n in counts:
        by_state[state] = by_state.get(state, 0) + int(n)
        by_kind[kind] = by_kind.get(kind, 0) + int(n)
    return {"month": first.isoformat(), "by_state": by_state, "by_kind": by_kind,
            "inspections_this_month": sum(by_state.values()),
            "orders_open": orders_open, "orders_overdue": orders_overdue,
            "overdue": overdue, "laptops": devices,
            "conflicts_waiting": waiting}
