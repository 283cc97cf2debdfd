"""Theme discovery through the service on a crafted set: two themes among tickets the taxonomy
explains poorly, reviews and return reasons; growth, channels, SKUs and quotes with links; and
a proposed taxonomy entry that lands as a draft version through the taxonomy services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from signaldesk.commerce.models import Return, Review
from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.signals.models import Theme
from signaldesk.signals.themes_service import (
    ReasonProposal,
    theme_propose_reason,
    themes_discover,
)
from signaldesk.taxonomy.models import TaxonomyVersion
from signaldesk.taxonomy.services import taxonomy_load_yaml
from signaldesk.testing.factories import (
    CustomerFactory,
    MessageFactory,
    OrderFactory,
    TicketFactory,
)
from signaldesk.triage.models import TicketEnrichment

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 10, 31)
ACTOR = Actor.system("test")
ZIP = [
    "The zipper broke on my jacket after one day",
    "Jacket zipper broke, the zip came off",
    "zipper stuck and broke on the new jacket",
    "My jacket zipper is broken already",
    "The zip of the jacket broke when I closed it",
    "broken zipper on jacket, zip teeth came apart",
]
APP = [
    "The app login fails with a password error",
    "Cannot log in to the app, password rejected",
    "app login error every time I enter my password",
    "Login in the app says wrong password",
    "the app keeps rejecting my password at login",
    "password error on app login screen",
]


def at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(AS_OF - dt.timedelta(days=days_ago), dt.time(12), tzinfo=dt.UTC)


def ticket(text: str, days_ago: int, *, channel: str = "email", reason: str = "other",
           sku: str = "", vip: bool = False, confidence: float = 0.9) -> int:  # fmt: skip
    customer = CustomerFactory(loyalty_tier="vip" if vip else "none")
    t = TicketFactory(
        subject="", channel=channel, contact_reason=reason, reason_confidence=confidence,
        created_at=at(days_ago), customer=customer,
    )  # fmt: skip
    MessageFactory(ticket=t, body_text=text, created_at=at(days_ago))
    if sku:
        TicketEnrichment.objects.create(
            ticket=t, as_of=t.created_at, computed_at=timezone.now(), sku=sku
        )
    return int(t.pk)


def crafted() -> dict[str, list[int]]:
    zip_ids = [ticket(text, 3 + k, sku="JKT-1", vip=k == 0) for k, text in enumerate(ZIP[:4])]
    zip_ids.append(ticket(ZIP[4], 40, channel="chat", sku="JKT-1"))
    app_ids = [  # classified, but with low confidence: the taxonomy explains them poorly
        ticket(text, 35 + k, reason="account_issue", confidence=0.3)
        for k, text in enumerate(APP[:2])
    ]
    app_ids += [ticket(text, 5 + k) for k, text in enumerate(APP[2:])]
    for k, text in enumerate(["Zipper broke after a week, poor jacket", "jacket zip broke"]):
        Review.objects.create(
            external_id=f"R{k}", sku="JKT-1", rating=2, body=text, created_at=at(2 + k)
        )
    Return.objects.create(
        rma="RMA-1", order=OrderFactory(), sku="JKT-1", reason_text=ZIP[5], requested_at=at(1)
    )
    return {"zip": zip_ids, "app": app_ids}


def test_themes_are_clustered_with_growth_channels_skus_and_quotes() -> None:
    ids = crafted()
    run = themes_discover(as_of=AS_OF, actor=ACTOR, window_days=28)
    themes = list(Theme.objects.filter(run=run).order_by("-size", "id"))
    assert (run.n_texts, run.n_themes) == (14, 2)
    zip_theme, app_theme = themes
    assert zip_theme.scope == app_theme.scope == "unexplained"
    assert (zip_theme.label, app_theme.label) == (
        "jacket / broke / zipper",
        "app / password / login",
    )
    assert zip_theme.keywords[:5] == ["jacket", "broke", "zipper", "zip", "zipper broke"]
    assert (zip_theme.size, zip_theme.recent_count, zip_theme.previous_count) == (8, 7, 1)
    assert zip_theme.growth == 7.0
    assert zip_theme.sources == {"ticket": 4, "review": 2, "chat": 1, "return": 1}
    assert (zip_theme.top_skus, zip_theme.sku_concentration) == ([["JKT-1", 1.0]], 1.0)
    assert (zip_theme.customers, zip_theme.vip_share) == (6, 0.1667)
    assert sorted(zip_theme.ticket_ids) == sorted(ids["zip"])
    assert (app_theme.size, app_theme.recent_count, app_theme.previous_count) == (6, 4, 2)
    assert app_theme.growth == 2.0
    assert {q["kind"] for q in zip_theme.quotes} <= {"ticket", "chat", "review", "return"}
    assert len(zip_theme.quotes) == 3


def test_a_confidently_classified_reason_is_clustered_on_its_own_above_the_minimum() -> None:
    for k, text in enumerate(ZIP + APP):
        ticket(text, 2 + k, reason="quality_issue")
    ticket("Where is my parcel?", 1)  # one unexplained text: below the minimum, not clustered
    run = themes_discover(as_of=AS_OF, actor=ACTOR, min_texts=12, min_reason=12)
    assert sorted(run.themes.values_list("scope", "size")) == [
        ("quality_issue", 6), ("quality_issue", 6)
    ]  # fmt: skip


def test_propose_a_reason_from_a_theme_creates_a_draft_taxonomy_version() -> None:
    taxonomy_load_yaml(actor=ACTOR)
    crafted()
    run = themes_discover(as_of=AS_OF, actor=ACTOR)
    theme = run.themes.order_by("-size", "id").first()
    assert theme is not None
    proposed = theme_propose_reason(theme=theme, actor=ACTOR)
    draft = proposed.proposed_version
    assert draft is not None and draft.is_active is False
    active = TaxonomyVersion.objects.get(is_active=True)
    assert draft.parent_id == active.pk
    new = draft.reasons.exclude(reason_id__in=active.reasons.values("reason_id"))
    assert [(r.reason_id, r.name, r.group, r.owner_team) for r in new] == [
        ("jacket_broke", "Jacket broke", "other", "operations")
    ]
    assert len(new[0].examples) == 6
    clash = ReasonProposal(reason_id="sizing", name="Sizing")
    with pytest.raises(ValidationError, match="already has a reason 'sizing'"):
        theme_propose_reason(theme=theme, actor=ACTOR, proposal=clash)
