from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from signaldesk.core.audit import Actor
from signaldesk.signals.models import SpikeAlert
from signaldesk.signals.scan import signals_scan
from signaldesk.signals.services import alert_snooze, rollup_refresh
from signaldesk.signals.tests.conftest import bulk_orders, make_ticket

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 10, 5)
ACTOR = Actor.system("test")


def planted_spike() -> list[int]:
    """75 days of 5 orders/day of SKU BAD; one damaged_item ticket every 5th day; 8 on AS_OF."""
    days = [AS_OF - dt.timedelta(days=k) for k in range(75, -2, -1)]
    for n, day in enumerate(days):
        bulk_orders(day, 5, "BAD", start=5 * n)
        if n % 5 == 0 and day < AS_OF - dt.timedelta(days=7):
            make_ticket(day, "damaged_item", sku="BAD")
    spike = [make_ticket(AS_OF, "damaged_item", minute=k, sku="BAD").pk for k in range(8)]
    rollup_refresh(days=days)
    return spike


def test_scan_finds_a_planted_spike_with_example_tickets() -> None:
    spike = planted_spike()
    result = signals_scan(as_of=AS_OF, actor=ACTOR)
    assert result.n_series == 2
    alerts = SpikeAlert.objects.order_by("-primary", "id")
    assert [(a.segment, a.primary, a.rolled_into) for a in alerts] == [
        ({"reason": "damaged_item", "sku": "BAD"}, True, ""),
        ({"reason": "damaged_item"}, False, "reason=damaged_item x sku=BAD"),
    ]
    alert = alerts[0]
    assert (alert.reason, alert.dimension, alert.value) == ("damaged_item", "sku", "BAD")
    assert (alert.onset, alert.first_alert_day, alert.last_alert_day) == (AS_OF, AS_OF, AS_OF)
    assert (alert.observed, alert.window_days, alert.exposure, alert.status) == (8, 1, 5.0, "open")
    assert alert.example_ticket_ids == spike[::-1][:5]
    assert alert.dedup_key == "reason=damaged_item x sku=BAD@2026-10-05"
    assert alert.explanation.startswith("8 contacts vs ")
    assert alert.severity == "warning"
    assert [a.pk for a in result.notify] == [alert.pk]


def test_the_same_incident_on_the_next_day_updates_its_alert() -> None:
    planted_spike()
    signals_scan(as_of=AS_OF, actor=ACTOR)
    nxt = AS_OF + dt.timedelta(days=1)
    for k in range(6):
        make_ticket(nxt, "damaged_item", minute=k, sku="BAD")
    rollup_refresh(days=[nxt])
    result = signals_scan(as_of=nxt, actor=ACTOR)
    assert result.new == []
    assert result.notify == []
    alert = SpikeAlert.objects.get(primary=True)
    assert SpikeAlert.objects.count() == 2
    assert (alert.onset, alert.first_alert_day, alert.last_alert_day) == (AS_OF, AS_OF, nxt)
    assert (alert.n_alert_days, alert.observed, alert.window_days) == (2, 14, 2)
    again = signals_scan(as_of=nxt, actor=ACTOR)  # re-running a day changes nothing
    assert (again.alerts, SpikeAlert.objects.get(primary=True).n_alert_days) == ([], 2)
    signals_scan(as_of=AS_OF, actor=ACTOR)  # nor does re-scanning an earlier day
    alert.refresh_from_db()
    assert (alert.last_alert_day, alert.n_alert_days, alert.observed) == (nxt, 2, 14)


def test_a_snoozed_alert_is_updated_but_not_re_alerted() -> None:
    planted_spike()
    signals_scan(as_of=AS_OF, actor=ACTOR)
    alert = SpikeAlert.objects.get(primary=True)
    until = AS_OF + dt.timedelta(days=10)
    alert_snooze(alert=alert, until=until, actor=ACTOR)
    nxt = AS_OF + dt.timedelta(days=1)
    for k in range(6):
        make_ticket(nxt, "damaged_item", minute=k, sku="BAD")
    rollup_refresh(days=[nxt])
    result = signals_scan(as_of=nxt, actor=ACTOR)
    alert.refresh_from_db()
    assert (alert.status, alert.snoozed_until, alert.last_alert_day) == ("snoozed", until, nxt)
    assert result.notify == []


def test_alert_api(api_key_for: Callable[..., str]) -> None:
    planted_spike()
    signals_scan(as_of=AS_OF, actor=ACTOR)
    alert = SpikeAlert.objects.get(primary=True)
    client = Client()
    stakeholder = {"Authorization": f"Bearer {api_key_for(role='stakeholder', scopes=['read'])}"}
    listed = client.get("/api/v1/signals/alerts", headers=stakeholder)
    assert (listed.status_code, [a["id"] for a in listed.json()]) == (200, [alert.pk])
    assert listed.json()[0]["segment"] == {"reason": "damaged_item", "sku": "BAD"}
    url = f"/api/v1/signals/alerts/{alert.pk}/snooze"
    body = '{"until": "2026-10-20"}'
    denied = client.post(url, body, content_type="application/json", headers=stakeholder)
    lead = {"Authorization": f"Bearer {api_key_for(role='lead', scopes=['write'])}"}
    lead_read = {"Authorization": f"Bearer {api_key_for(role='lead', scopes=['read'])}"}
    no_scope = client.post(url, body, content_type="application/json", headers=lead_read)
    ok = client.post(url, body, content_type="application/json", headers=lead)
    anonymous = client.post(url, body, content_type="application/json")
    assert [denied.status_code, no_scope.status_code, ok.status_code, anonymous.status_code] == [
        403, 403, 200, 401,
    ]  # fmt: skip
    assert (ok.json()["status"], ok.json()["snoozed_until"]) == ("snoozed", "2026-10-20")
    # last week 8 contacts / 35 orders; the week before 1 ticket (day AS_OF-10) / 35 orders
    rates = client.get(
        "/api/v1/signals/contact-rates?dimension=sku&reason=damaged_item&since=2026-10-05"
        "&until=2026-10-05",
        headers=stakeholder,
    )
    assert rates.json() == [
        {
            "reason": "damaged_item", "dimension": "sku", "value": "BAD", "contacts": 8,
            "orders": 5, "units": 0, "per_1000_orders": 1600.0, "per_1000_units": None,
            "last_week_per_1000_orders": 228.5714, "prev_week_per_1000_orders": 28.5714,
            "wow_change": 7.0,
        }
    ]  # fmt: skip
