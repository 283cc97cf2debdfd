"""Console and API of the action tracker: stakeholders read and update their own team's actions
only; one-click creation from an alert; the detail page shows the verdict."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from signaldesk.accounts.models import Team
from signaldesk.actions.models import Action
from signaldesk.actions.services import ActionDraft, action_create
from signaldesk.core.audit import Actor
from signaldesk.signals.tests.alerts import make_alert
from signaldesk.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


def make(title: str, team: str) -> Action:
    return action_create(
        draft=ActionDraft(title=title, action_type="faq", owner_team=team), actor=ACTOR
    )


def client_for(role: str, team_kind: str = "support") -> Client:
    team = Team.objects.create(slug=f"t-{role}-{team_kind}", name=team_kind, kind=team_kind)
    client = Client()
    client.force_login(UserFactory(username=f"{role}-{team_kind}", role=role, role__team=team))
    return client


def test_stakeholders_see_and_change_only_their_teams_actions() -> None:
    mine, theirs = make("Size chart", "merchandising"), make("Promo code repair", "ecommerce")
    merch = client_for("stakeholder", "merchandising")
    listed = merch.get("/api/v1/actions").json()
    assert [a["title"] for a in listed] == ["Size chart"]
    assert merch.get(f"/actions/{theirs.pk}/").status_code == 404
    page = merch.get("/actions/").content.decode()
    assert ("Size chart" in page, "Promo code repair" in page) == (True, False)
    ok = merch.post(f"/api/v1/actions/{mine.pk}/transition", json.dumps({"to": "in_progress"}),
                    content_type="application/json")  # fmt: skip
    other = merch.patch(f"/api/v1/actions/{theirs.pk}", json.dumps({"title": "x"}),
                        content_type="application/json")  # fmt: skip
    wrong_team = merch.post("/api/v1/actions", json.dumps(
        {"title": "x", "action_type": "faq", "owner_team": "product"}),
        content_type="application/json")  # fmt: skip
    assert (ok.status_code, ok.json()["status"]) == (200, "in_progress")
    assert (other.status_code, wrong_team.status_code) == (404, 422)
    lead = client_for("lead")
    assert [a["title"] for a in lead.get("/api/v1/actions").json()] == [
        "Promo code repair", "Size chart"
    ]  # fmt: skip
    agent = client_for("agent")
    assert agent.post(f"/actions/{mine.pk}/status/", {"to": "done"}).status_code == 403


def test_one_click_from_an_alert_page_and_the_detail_page() -> None:
    alert = make_alert()
    lead = client_for("lead")
    response = lead.post("/actions/from-signal/", {"signal": f"spike:{alert.pk}"})
    action = Action.objects.get()
    assert response["Location"] == f"/actions/{action.pk}/"
    page = lead.get(f"/actions/{action.pk}/").content.decode()
    assert "Fix damaged item on reason=damaged_item x sku=BAD" in page
    assert f'href="/signals/alerts/{alert.pk}/"' in page and 'value="in_progress"' in page
    invalid = lead.post(f"/actions/{action.pk}/status/", {"to": "done"}, follow=True)
    assert "cannot go from proposed to done" in invalid.content.decode()
