"""Set-based SQL that recomputes the rollups of one day (SQLite and PostgreSQL).

Each statement is ``INSERT INTO <rollup> SELECT ... GROUP BY ...`` over the rows of one day; the
caller (services.rollup_refresh) deletes that day's rows first, inside the same transaction.
Days are calendar days in ``settings.TIME_ZONE``. Contacts count the tickets created that day
(not merged away) that have a contact reason; exposure counts the orders created that day and
the units shipped that day in each segment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from signaldesk.commerce.models import (
    Batch,
    Order,
    OrderLine,
    Product,
    Refund,
    Return,
    Shipment,
    ShipmentItem,
    Supplier,
    Variant,
)
from signaldesk.signals.models import ContactRollup, CostRollup, ExposureRollup
from signaldesk.tickets.models import Ticket
from signaldesk.triage.models import TicketEnrichment

T = {
    "ticket": Ticket._meta.db_table,
    "enr": TicketEnrichment._meta.db_table,
    "order": Order._meta.db_table,
    "line": OrderLine._meta.db_table,
    "variant": Variant._meta.db_table,
    "product": Product._meta.db_table,
    "supplier": Supplier._meta.db_table,
    "batch": Batch._meta.db_table,
    "ship": Shipment._meta.db_table,
    "item": ShipmentItem._meta.db_table,
    "ret": Return._meta.db_table,
    "refund": Refund._meta.db_table,
    "contact": ContactRollup._meta.db_table,
    "exposure": ExposureRollup._meta.db_table,
    "cost": CostRollup._meta.db_table,
}

ALL = "*"
# Contact dimensions: SQL value expression over t (ticket), e (enrichment), o (order, left join).
CONTACT_DIMENSIONS: dict[str, str] = {
    "all": f"'{ALL}'",
    "sku": "e.sku",
    "size": "e.size",
    "batch": "e.batch_code",
    "supplier": "e.supplier",
    "carrier": "e.carrier",
    "warehouse": "e.warehouse",
    "region": "e.region",
    "carrier_region": "CASE WHEN e.carrier <> '' AND e.region <> '' "
    "THEN e.carrier || '|' || e.region ELSE '' END",
    "channel": "t.channel",
    "campaign": "e.campaign",
    "discount_code": "e.discount_code",
    "source": "o.source",
}
DIMENSIONS = tuple(CONTACT_DIMENSIONS)

_ORDERS = "{order} o"
_LINES = "{order} o JOIN {line} l ON l.order_id = o.id"
_SHIPS = "{order} o JOIN {ship} s ON s.order_id = o.id"
_ITEMS = "{order} o JOIN {ship} s ON s.order_id = o.id JOIN {item} si ON si.shipment_id = s.id"
_CR = "CASE WHEN s.carrier <> '' AND s.region <> '' THEN s.carrier || '|' || s.region ELSE '' END"
# Orders created that day: (FROM clause, value expression); COUNT(DISTINCT o.id) per value.
ORDER_EXPOSURE: dict[str, tuple[str, str]] = {
    "all": (_ORDERS, f"'{ALL}'"),
    "sku": (_LINES, "l.sku"),
    "size": (_LINES + " JOIN {variant} v ON v.id = l.variant_id", "v.size"),
    "batch": (_ITEMS + " JOIN {batch} b ON b.id = si.batch_id", "b.code"),
    "supplier": (
        _LINES + " JOIN {variant} v ON v.id = l.variant_id JOIN {product} p ON p.id = v.product_id"
        " JOIN {supplier} sp ON sp.id = p.supplier_id",
        "sp.name",
    ),
    "carrier": (_SHIPS, "s.carrier"),
    "warehouse": (_SHIPS, "s.warehouse"),
    "region": (_ORDERS, "o.region"),
    "carrier_region": (_SHIPS, _CR),
    "campaign": (_ORDERS, "o.campaign"),
    "discount_code": (_ORDERS, "o.discount_code"),
    "source": (_ORDERS, "o.source"),
}
_SHIPPED = "{ship} s JOIN {item} si ON si.shipment_id = s.id"
_SHIPPED_O = _SHIPPED + " JOIN {order} o ON o.id = s.order_id"
# Units shipped that day: (FROM clause, value expression); SUM(si.quantity) per value.
UNIT_EXPOSURE: dict[str, tuple[str, str]] = {
    "all": (_SHIPPED, f"'{ALL}'"),
    "sku": (_SHIPPED, "si.sku"),
    "size": (_SHIPPED + " JOIN {variant} v ON v.id = si.variant_id", "v.size"),
    "batch": (_SHIPPED + " JOIN {batch} b ON b.id = si.batch_id", "b.code"),
    "supplier": (
        _SHIPPED + " JOIN {variant} v ON v.id = si.variant_id JOIN {product} p"
        " ON p.id = v.product_id JOIN {supplier} sp ON sp.id = p.supplier_id",
        "sp.name",
    ),
    "carrier": (_SHIPPED, "s.carrier"),
    "warehouse": (_SHIPPED, "s.warehouse"),
    "region": (_SHIPPED_O, "o.region"),
    "carrier_region": (_SHIPPED, _CR),
    "campaign": (_SHIPPED_O, "o.campaign"),
    "discount_code": (_SHIPPED_O, "o.discount_code"),
    "source": (_SHIPPED_O, "o.source"),
}


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar day in the default time zone, as aware datetimes."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _params(day: dt.date) -> tuple[Any, Any, Any]:
    start, end = day_bounds(day)
    ops = connection.ops
    return (
        ops.adapt_datefield_value(day),
        ops.adapt_datetimefield_value(start),
        ops.adapt_datetimefield_value(end),
    )


def _contacts_sql(dimension: str) -> str:
    expr = CONTACT_DIMENSIONS[dimension]
    return (
        "INSERT INTO {contact} (day, reason, dimension, value, contacts) "
        f"SELECT %s, t.contact_reason, '{dimension}', {expr}, COUNT(*) "
        "FROM {ticket} t JOIN {enr} e ON e.ticket_id = t.id "
        "LEFT JOIN {order} o ON o.id = e.order_id "
        "WHERE t.created_at >= %s AND t.created_at < %s AND t.merged_into_id IS NULL "
        f"AND t.contact_reason <> '' AND {expr} IS NOT NULL AND {expr} <> '' "
        "GROUP BY 2, 4"  # by position: PostgreSQL refuses a literal ('*') in GROUP BY
    ).format(**T)


def _exposure_sql(dimension: str) -> str:
    o_from, o_expr = ORDER_EXPOSURE[dimension]
    u_from, u_expr = UNIT_EXPOSURE[dimension]
    return (
        "INSERT INTO {exposure} (day, dimension, value, orders, units) "
        f"SELECT %s, '{dimension}', x.value, SUM(x.orders), SUM(x.units) FROM ("
        f"SELECT {o_expr} AS value, COUNT(DISTINCT o.id) AS orders, 0 AS units FROM {o_from} "
        f"WHERE o.created_at >= %s AND o.created_at < %s AND {o_expr} IS NOT NULL "
        f"AND {o_expr} <> '' GROUP BY 1 "
        "UNION ALL "
        f"SELECT {u_expr} AS value, 0 AS orders, SUM(si.quantity) AS units FROM {u_from} "
        f"WHERE s.shipped_at >= %s AND s.shipped_at < %s AND {u_expr} IS NOT NULL "
        f"AND {u_expr} <> '' GROUP BY 1"
        ") x GROUP BY x.value"
    ).format(**T)


# Cost per (reason, sku) of the tickets created that day. Repeat contacts (repeat_contact_7d)
# count as tickets but carry no cost, so a refund is not counted once per follow-up. Refunds:
# approved/paid refunds of the ticket's order; replacements: the line price x quantity of
# exchanged returns of the ticket's SKU on that order; discounts: the order's discount_amount.
_NOT_REPEAT = "CASE WHEN e.repeat_contact_7d THEN 0 ELSE {x} END"
_REFUNDS = (
    "(SELECT COALESCE(SUM(rf.amount), 0) FROM {refund} rf WHERE rf.order_id = e.order_id "
    "AND rf.status IN ('approved', 'paid'))"
)
_REPLACEMENTS = (
    "(SELECT COALESCE(SUM(l.price * r.quantity), 0) FROM {ret} r JOIN {line} l "
    "ON l.order_id = r.order_id AND l.sku = r.sku WHERE r.order_id = e.order_id "
    "AND r.sku = e.sku AND r.exchange_sku <> '')"
)
_COST_SQL = (
    "INSERT INTO {cost} (day, reason, sku, tickets, refunds, replacements, discounts, "
    "handling_minutes) "
    "SELECT %s, t.contact_reason, e.sku, COUNT(*), "
    f"COALESCE(SUM({_NOT_REPEAT.format(x=_REFUNDS)}), 0), "
    f"COALESCE(SUM({_NOT_REPEAT.format(x=_REPLACEMENTS)}), 0), "
    f"COALESCE(SUM({_NOT_REPEAT.format(x='COALESCE(o.discount_amount, 0)')}), 0), NULL "
    "FROM {ticket} t JOIN {enr} e ON e.ticket_id = t.id "
    "LEFT JOIN {order} o ON o.id = e.order_id "
    "WHERE t.created_at >= %s AND t.created_at < %s AND t.merged_into_id IS NULL "
    "AND t.contact_reason <> '' GROUP BY t.contact_reason, e.sku"
)


def recompute_day(day: dt.date) -> None:
    """Delete and re-insert every rollup row of ``day`` (caller holds the transaction)."""
    d, start, end = _params(day)
    with connection.cursor() as cur:
        for table in ("contact", "exposure", "cost"):
            cur.execute(f"DELETE FROM {T[table]} WHERE day = %s", [d])
        for dim in CONTACT_DIMENSIONS:
            cur.execute(_contacts_sql(dim), [d, start, end])
        for dim in ORDER_EXPOSURE:
            cur.execute(_exposure_sql(dim), [d, start, end, start, end])
        cur.execute(_COST_SQL.format(**T), [d, start, end])
