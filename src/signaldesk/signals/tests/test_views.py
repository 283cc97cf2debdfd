"""Console pages of signals: alert list filters, alert detail (explanation, SVG chart, example
tickets), acknowledge/snooze/resolve by a lead, themes page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from signaldesk.signals.models import SpikeAlert, Theme, ThemeRun
from signaldesk.signals.services import local_day, rollup_refresh
from signaldesk.signals.tests.alerts import ONSET, make_alert
from signaldesk.signals.tests.conftest import bulk_orders, make_ticket
from signaldesk.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=role, role=role))
    return client


def test_alert_list_filters_by_severity_and_status() -> None:
    warn = make_alert(dedup_key="w", segment_label="reason=damaged_item x sku=BAD")
    make_alert(dedup_key="c", segment_label="reason=sizing x sku=DRS", severity="critical")
    make_alert(dedup_key="r", segment_label="reason=fit x sku=OLD", status="resolved")
    page = client_for("stakeholder").get("/signals/alerts/?severity=warning&status=open")
    body = page.content.decode()
    assert page.status_code == 200
    assert (f"/signals/alerts/{warn.pk}/" in body, "sku=DRS" in body, "sku=OLD" in body) == (
        True, False, False,
    )  # fmt: skip


def test_alert_detail_shows_explanation_chart_and_example_tickets() -> None:
    days = [ONSET - dt.timedelta(days=k) for k in range(40, -1, -1)]
    for n, day in enumerate(days):
        bulk_orders(day, 5, "BAD", start=5 * n)
    ticket = make_ticket(ONSET, "damaged_item", sku="BAD")
    rollup_refresh(days=days)
    alert = make_alert(example_ticket_ids=[ticket.pk], explanation="8 contacts vs 1.2 <expected>")
    body = client_for("agent").get(f"/signals/alerts/{alert.pk}/").content.decode()
    assert "8 contacts vs 1.2 &lt;expected&gt;" in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and "<polyline" in body
    assert f'href="/tickets/{ticket.pk}/"' in body
    assert "5 orders of the segment" in body
    assert 'value="acknowledge"' not in body  # agents do not manage alerts


def test_a_lead_acknowledges_snoozes_and_resolves() -> None:
    alert = make_alert()
    lead = client_for("lead")
    url = f"/signals/alerts/{alert.pk}/change/"
    statuses = []
    for data in ({"op": "acknowledge"}, {"op": "snooze", "until": "2026-12-01"}, {"op": "resolve"}):
        assert lead.post(url, data).status_code == 302
        statuses.append(SpikeAlert.objects.get(pk=alert.pk).status)
    assert statuses == ["acknowledged", "snoozed", "resolved"]
    assert client_for("agent").post(url, {"op": "resolve"}).status_code == 403
    assert 'value="acknowledge"' in lead.get(f"/signals/alerts/{alert.pk}/").content.decode()


def test_themes_page_lists_quotes_with_links_and_the_propose_button_for_managers() -> None:
    run = ThemeRun.objects.create(
        as_of=ONSET, window_days=28, n_texts=9, n_themes=1, created_at=timezone.now()
    )
    Theme.objects.create(
        run=run, scope="unexplained", label="zipper / jacket", keywords=["zipper", "jacket"],
        size=9, recent_count=7, previous_count=2, growth=3.5, sources={"ticket": 6, "review": 3},
        quotes=[{"text": "Zipper <b>broke</b>", "kind": "ticket", "id": 41},
                {"text": "bad zip", "kind": "review", "id": 7}],
        top_skus=[["JKT-1", 0.75]], sku_concentration=0.75, customers=8,
    )  # fmt: skip
    manager = client_for("manager").get("/signals/themes/").content.decode()
    agent = client_for("agent").get("/signals/themes/").content.decode()
    assert "Zipper &lt;b&gt;broke&lt;/b&gt;" in manager
    assert 'href="/tickets/41/"' in manager and "review #7" in manager
    assert "JKT-1 (75%)" in manager and "ticket 6, review 3" in manager
    assert ("Propose taxonomy entry" in manager, "Propose taxonomy entry" in agent) == (True, False)


def test_ranking_page_renders_for_stakeholders() -> None:
    yesterday = local_day(timezone.now()) - dt.timedelta(days=1)
    make_alert(onset=yesterday, first_alert_day=yesterday, last_alert_day=yesterday)
    page = client_for("stakeholder").get("/signals/")
    assert page.status_code == 200
    assert "Spike: reason=damaged_item x sku=BAD" in page.content.decode()
