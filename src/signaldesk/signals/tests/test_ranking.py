"""Attention ranking of a spike, a theme and a recurring reason on a SKU, with exact scores.

Weights (signals.stats.attention): cost 0.35 (c / (c + 1000)), growth 0.20 (log2 g / 2),
breadth 0.20 (n / (n + 25)), severity 0.15 (info .25, warning .6), VIP share 0.10."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from signaldesk.signals.models import CostRollup, Theme, ThemeRun
from signaldesk.signals.ranking import signals_ranked
from signaldesk.signals.tests.alerts import make_alert
from signaldesk.signals.tests.conftest import make_ticket
from signaldesk.testing.factories import CustomerFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 10, 31)


def cost(day: dt.date, reason: str, sku: str, tickets: int, refunds: str, repl: str = "0") -> None:
    CostRollup.objects.create(
        day=day, reason=reason, sku=sku, tickets=tickets, refunds=Decimal(refunds),
        replacements=Decimal(repl), discounts=Decimal("0"),
    )  # fmt: skip


def setup_signals() -> dict[str, int]:
    # Window 10-04..10-31: sizing on DRS-1 10 tickets, 400 of cost; 5 tickets the window before.
    cost(dt.date(2026, 10, 20), "sizing", "DRS-1", 10, "300", "100")
    cost(dt.date(2026, 9, 25), "sizing", "DRS-1", 5, "50")
    cost(dt.date(2026, 10, 20), "damaged_item", "BAD", 4, "200")  # 50 per damaged_item ticket
    for k in range(4):
        t = make_ticket(dt.date(2026, 10, 21), "sizing", minute=k, sku="DRS-1")
        t.customer = CustomerFactory(loyalty_tier="vip" if k == 0 else "none")
        t.save(update_fields=["customer"])
    for k in range(2):
        make_ticket(dt.date(2026, 10, 29), "damaged_item", minute=k, sku="BAD")
    alert = make_alert(
        onset=dt.date(2026, 10, 28), first_alert_day=dt.date(2026, 10, 28),
        last_alert_day=dt.date(2026, 10, 30), observed=8, expected=2.0,
    )  # fmt: skip
    run = ThemeRun.objects.create(
        as_of=AS_OF, window_days=28, n_texts=8, n_themes=1, created_at=timezone.now()
    )
    theme = Theme.objects.create(
        run=run, scope="unexplained", label="app / login", keywords=["app", "login"], size=8,
        recent_count=6, previous_count=2, growth=3.0, customers=5, vip_share=0.2,
    )  # fmt: skip
    return {"alert": alert.pk, "theme": theme.pk}


def test_signals_rank_by_score_with_breakdown() -> None:
    ids = setup_signals()
    ranked = signals_ranked(as_of=AS_OF)
    assert [(r.kind, r.key, round(r.score.score, 4)) for r in ranked] == [
        ("spike", f"spike:{ids['alert']}", 40.4815),  # cost 400, growth 4x, 2 customers, warning
        ("theme", f"theme:{ids['theme']}", 37.342),  # cost 42.857 x 6, growth 3x, 5, warning
        ("recurring", "recurring:sizing|DRS-1", 29.0086),  # cost 400, 2x, 4 customers, 1 VIP
    ]
    spike, theme, recurring = ranked
    assert (spike.inputs.cost, spike.inputs.growth, spike.inputs.customers) == (400.0, 4.0, 2)
    assert (theme.inputs.cost, theme.inputs.severity) == (257.14, "warning")
    assert (recurring.inputs.growth, recurring.inputs.customers) == (2.0, 4)
    assert recurring.inputs.vip_share == 0.25
    assert [(name, round(pts, 4)) for name, pts in spike.score.contributions] == [
        ("cost", 10.0), ("growth", 20.0), ("breadth", 1.4815), ("severity", 9.0), ("vip", 0.0),
    ]  # fmt: skip
    assert spike.score.explanation == "Score 40/100, mainly growth (20 pts) and cost (10 pts)."
    assert [r.score.rank for r in ranked] == [1, 2, 3]
