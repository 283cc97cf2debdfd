"""Impact measurement through the service on rollups with a known effect and with none: the
verdict sentence, the CI containing the truth, cost before/after and the status change."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pytest

from signaldesk.actions.measure import action_measure_impact
from signaldesk.actions.models import Action
from signaldesk.actions.services import ActionDraft, action_create, action_transition
from signaldesk.core.audit import Actor
from signaldesk.core.errors import ValidationError
from signaldesk.signals.models import ContactRollup, CostRollup, ExposureRollup

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
START = dt.date(2026, 9, 1)
DAYS = 56
SKUS = [f"DRS-{k}" for k in range(12)]
TREATED = SKUS[:3]
DONE = dt.datetime(2026, 9, 28, 15, 0, tzinfo=dt.UTC)  # action day (first day after) = 09-29


def plant(effect: float, seed: int) -> None:
    """100 orders a day per SKU, sizing contacts ~ Poisson(4) a day; the treated SKUs' rate is
    multiplied by ``effect`` from the action day on. Damaged-item contacts on the treated SKUs
    triple after the action: another reason, which the measurement must ignore."""
    rng = np.random.default_rng(seed)
    action_idx = (DONE.date() - START).days + 1
    contacts, exposure, costs = [], [], []
    for sku in SKUS:
        for t in range(DAYS):
            day = START + dt.timedelta(days=t)
            post = t >= action_idx
            rate = 0.04 * (effect if post and sku in TREATED else 1.0)
            n = int(rng.poisson(100 * rate))
            contacts.append(ContactRollup(day=day, reason="sizing", dimension="sku", value=sku,
                                          contacts=n))  # fmt: skip
            noise = int(rng.poisson(3.0 if post and sku in TREATED else 1.0))
            contacts.append(ContactRollup(day=day, reason="damaged_item", dimension="sku",
                                          value=sku, contacts=noise))  # fmt: skip
            exposure.append(ExposureRollup(day=day, dimension="sku", value=sku, orders=100))
            if sku == TREATED[0]:
                costs.append(CostRollup(day=day, reason="sizing", sku=sku, tickets=n,
                                        refunds=Decimal(10 * n)))  # fmt: skip
    ContactRollup.objects.bulk_create(contacts)
    ExposureRollup.objects.bulk_create(exposure)
    CostRollup.objects.bulk_create(costs)


def done_action() -> Action:
    action = action_create(
        draft=ActionDraft(title="New size chart", action_type="sizing_guide",
                          owner_team="merchandising", reasons=["sizing"], skus=TREATED),
        actor=ACTOR,
    )  # fmt: skip
    action_transition(action=action, to="in_progress", actor=ACTOR)
    return action_transition(action=action, to="done", actor=ACTOR, at=DONE)


AS_OF = START + dt.timedelta(days=DAYS - 1)
FELL = re.compile(
    r"^Tickets about sizing on SKUs DRS-0, DRS-1, DRS-2 fell (\d+)% \(95% CI (\d+)–(\d+)%\) "
    r"relative to comparable SKUs\.$"
)


def test_a_known_halving_is_found_with_a_ci_containing_it() -> None:
    plant(effect=0.5, seed=1)
    impact = action_measure_impact(action=done_action(), actor=ACTOR, as_of=AS_OF)
    match = FELL.match(impact.verdict)
    assert match is not None, impact.verdict
    fell, lo, hi = (int(g) for g in match.groups())
    assert lo <= 50 <= hi and lo <= fell <= hi
    assert impact.ci_low <= -0.5 <= impact.ci_high and impact.significant is True
    assert (impact.dimension, impact.treated, impact.n_control) == ("sku", TREATED, 9)
    assert (impact.action_day, impact.window_days) == (dt.date(2026, 9, 29), 28)
    assert impact.cov_type == (
        "cluster-robust by unit (12 clusters), widened to quasi-Poisson (3 treated/control "
        "clusters)"
    )
    assert impact.cost_before > impact.cost_after > Decimal("0")
    assert len(impact.series["periods"]) == 8 and impact.series["action_period"] == 4
    assert Action.objects.get().status == "measured"


def test_no_effect_gives_a_no_change_verdict_with_a_ci_containing_zero() -> None:
    plant(effect=1.0, seed=2)
    impact = action_measure_impact(action=done_action(), actor=ACTOR, as_of=AS_OF)
    assert re.match(
        r"^No measurable change in tickets about sizing on SKUs DRS-0, DRS-1, DRS-2 relative to "
        r"comparable SKUs \(estimate [+-]\d+%, 95% CI -\d+% to \+\d+%\)\.$",
        impact.verdict,
    ), impact.verdict
    assert impact.ci_low <= 0.0 <= impact.ci_high and impact.significant is False


def test_too_early_and_not_done_are_refused() -> None:
    plant(effect=1.0, seed=3)
    action = done_action()
    with pytest.raises(ValidationError, match="Too early to measure: 10 days after the change"):
        action_measure_impact(action=action, actor=ACTOR, as_of=dt.date(2026, 10, 8))
    proposed = action_create(
        draft=ActionDraft(title="x", action_type="faq", owner_team="product", reasons=["sizing"]),
        actor=ACTOR,
    )
    with pytest.raises(ValidationError, match="Only a done action can be measured"):
        action_measure_impact(action=proposed, actor=ACTOR, as_of=AS_OF)
