"""Console pages, CSV export, the metrics API and who may see what."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from signaldesk.dashboards.audiences import AUDIENCES
from signaldesk.dashboards.tests.conftest import D
from signaldesk.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = {"since": D.isoformat(), "until": D.isoformat()}


def client_for(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=role, role=role))
    return client


def test_every_audience_page_renders_for_a_stakeholder(store: dict[str, Any]) -> None:
    client = client_for("stakeholder")

    statuses = {a: client.get(f"/dashboards/{a}/", DAY).status_code for a in AUDIENCES}
    two_days = {"since": D.isoformat(), "until": (D + dt.timedelta(days=1)).isoformat()}
    page = client.get("/dashboards/support/", two_days).content.decode()

    assert statuses == dict.fromkeys(AUDIENCES, 200)
    assert ('data-kpi="sla"' in page, "data-drill" in page, "<polyline" in page) == (
        True,
        False,
        True,
    )


def test_stakeholder_is_read_only(store: dict[str, Any]) -> None:
    client = client_for("stakeholder")

    drill = client.get("/dashboards/tickets/", {"metric": "created", **DAY})
    post = client.post("/dashboards/support/", DAY)

    assert (drill.status_code, post.status_code) == (403, 405)


def test_agent_numbers_link_to_the_tickets_behind_them(store: dict[str, Any]) -> None:
    client = client_for("agent")
    page = client.get("/dashboards/support/", DAY).content.decode()
    drill = client.get(
        "/dashboards/tickets/", {"metric": "sla_breached", "reason": "damaged_item", **DAY}
    )
    body = drill.content.decode()

    link = f"/dashboards/tickets/?metric=created&amp;since={D}&amp;until={D}"
    assert link in page
    assert (
        drill.status_code,
        body.count("data-ticket="),
        f'data-ticket="{store["t2"].pk}"' in body,
    ) == (
        200,
        1,
        True,
    )


def test_csv_export_of_a_table(store: dict[str, Any]) -> None:
    response = client_for("manager").get(
        "/dashboards/support/", {**DAY, "format": "csv", "table": "by_channel"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="support-by_channel-{D}-{D}.csv"'
    )
    assert rows == [
        [
            "",
            "Created",
            "First response (median)",
            "Resolution (median)",
            "SLA met",
            "Reopen rate",
            "Repeat contacts",
            "CSAT",
            "Open now",
        ],
        # email first responses 30 and 10 min: median interpolated in [0, 15) → 15.0
        ["email", "3", "15.0", "120.0", "0.6667", "0.5", "0.0", "0.5", "2"],
        ["chat", "1", "180.0", "", "0.0", "", "1.0", "1.0", "1"],
    ]


def test_csv_of_kpis_and_unknown_table(store: dict[str, Any]) -> None:
    client = client_for("lead")
    kpis = client.get("/dashboards/support/", {**DAY, "format": "csv", "table": "kpis"})
    missing = client.get("/dashboards/support/", {**DAY, "format": "csv", "table": "nope"})

    first = list(csv.reader(io.StringIO(kpis.content.decode())))[1]
    assert (first[:3], missing.status_code) == (["created", "Tickets created", "4"], 404)


def test_api_returns_the_page_numbers(store: dict[str, Any]) -> None:
    client = client_for("stakeholder")
    body = client.get("/api/v1/metrics/dashboards/leadership", DAY).json()
    listing = client.get("/api/v1/metrics/dashboards").json()

    cost = next(t for t in body["tables"] if t["key"] == "cost_by_reason")
    assert [a["key"] for a in listing] == list(AUDIENCES)
    assert body["period"] == {"since": str(D), "until": str(D), "channel": "", "reason": ""}
    assert [row[:2] + row[6:8] for row in cost["rows"]] == [
        ["damaged_item", 2, "10.00", "30.00"],
        ["delivery_delay", 1, "0.00", "0.00"],
    ]


def test_bad_filters_are_a_400_page_and_a_422(store: dict[str, Any]) -> None:
    client = client_for("agent")

    page = client.get("/dashboards/support/", {"period": "5y"})
    api = client.get("/api/v1/metrics/dashboards/support", {"channel": "pigeon"})
    unknown = client.get("/dashboards/finance/")

    assert (page.status_code, api.status_code, unknown.status_code) == (400, 422, 404)
