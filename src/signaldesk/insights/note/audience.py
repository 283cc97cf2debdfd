"""Store-wide facts → the facts of one audience, plus recommended next actions (Django-free).

An audience sees what its teams own (TEAM_AUDIENCE over the reason's owner team, or the spike's
dimension owner); leadership sees the top of everything. Recommendations are rules over the facts,
each with the owner team that should act and the fact that triggered it."""

from __future__ import annotations

import dataclasses

from signaldesk.insights.note.facts import (
    TEAM_AUDIENCE,
    ActionFact,
    NextAction,
    NoteFacts,
    ReasonFact,
    SpikeFact,
    ThemeFact,
)
from signaldesk.insights.note.render import keywords_text, money, short_date

TOP_REASONS = 6
TOP_SPIKES = 5
TOP_THEMES = 3
MAX_NEXT_ACTIONS = 5
THEME_GROWTH_PCT = 100  # a theme at least doubling gets a recommendation
RISING_PCT = 25  # a reason rising at least this much week over week ...
RISING_MIN_CONTACTS = 10  # ... with at least this many contacts gets a recommendation
ACTING = ("proposed", "in_progress", "done")  # an action in these states covers its reason
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


def audience_of(team: str) -> str:
    return TEAM_AUDIENCE.get(team, "operations")


def _mine(team: str, audience: str) -> bool:
    return audience == "leadership" or audience_of(team) == audience


def spike_order(s: SpikeFact) -> tuple[int, float, str]:
    return (SEVERITY_RANK.get(s.severity, 3), -s.ratio, s.label)


def recommend(
    reasons: tuple[ReasonFact, ...],
    spikes: tuple[SpikeFact, ...],
    themes: tuple[ThemeFact, ...],
    actions: tuple[ActionFact, ...],
    currency: str,
) -> tuple[NextAction, ...]:
    """Next actions, most pressing first: open spikes nobody acts on, new themes, rising
    reasons without a spike, actions measured without effect, then the costliest reason."""
    acted = {a.reason for a in actions if a.reason and a.status in ACTING}
    out: list[NextAction] = []
    spiked = set()
    for s in spikes:
        spiked.add(s.reason)
        if s.status == "open" and s.reason not in acted:
            out.append(
                NextAction(
                    f"Open a root-cause action for {s.label}.",
                    s.owner_team,
                    f"{s.observed} contacts against {s.expected} expected since "
                    f"{short_date(s.onset)}.",
                )
            )
    for t in themes:
        if t.new:
            out.append(
                NextAction(
                    f"Read the tickets of the new theme “{keywords_text(t.keywords, 3)}” and "
                    "decide whether it needs a fix or its own contact reason.",
                    t.owner_team,
                    f"{t.recent} tickets in the last window, none in the one before.",
                )
            )
        elif t.growth_pct is not None and t.growth_pct >= THEME_GROWTH_PCT:
            out.append(
                NextAction(
                    f"Look into the growing theme “{keywords_text(t.keywords, 3)}”.",
                    t.owner_team,
                    f"{t.recent} tickets in the last window against {t.previous} in the one "
                    "before.",
                )
            )
    for r in reasons:
        rising = r.change_pct is not None and r.change_pct >= RISING_PCT
        if rising and r.contacts >= RISING_MIN_CONTACTS and r.reason not in spiked:
            out.append(
                NextAction(
                    f"Find out why {r.label} is rising.",
                    r.owner_team,
                    f"{r.contacts} contacts, up {r.change_pct}% on the week before.",
                )
            )
    for a in actions:
        if a.verdict and a.significant is False:
            out.append(
                NextAction(
                    f"Revisit “{a.title}”: it has not moved the contact rate yet.",
                    a.owner_team,
                    a.verdict,
                )
            )
    costly = sorted((r for r in reasons if r.cost > 0), key=lambda r: (-r.cost, r.reason))
    if costly:
        r = costly[0]
        out.append(
            NextAction(
                f"Review what drives the cost of {r.label}.",
                r.owner_team,
                f"{money(r.cost, currency)} in refunds, replacements and discounts this week.",
            )
        )
    return tuple(out[:MAX_NEXT_ACTIONS])


def facts_for_audience(store: NoteFacts, audience: str) -> NoteFacts:
    """The part of the store-wide facts that ``audience`` owns, with its recommendations and
    the counts the note's summary line prints."""
    reasons = tuple(r for r in store.reasons if _mine(r.owner_team, audience))
    reasons = tuple(sorted(reasons, key=lambda r: (-r.contacts, r.reason))[:TOP_REASONS])
    spikes = tuple(
        sorted((s for s in store.spikes if _mine(s.owner_team, audience)), key=spike_order)
    )[:TOP_SPIKES]
    themes = tuple(t for t in store.themes if _mine(t.owner_team, audience))[:TOP_THEMES]
    actions = tuple(a for a in store.actions if _mine(a.owner_team, audience))
    area = [r for r in store.reasons if _mine(r.owner_team, audience)]
    counts = {
        "area_contacts": sum(r.contacts for r in area),
        "area_cost": sum(r.cost for r in area),
        "spikes": len(spikes),
        "new_themes": sum(1 for t in themes if t.new),
        "actions": len(actions),
    }
    return dataclasses.replace(
        store,
        audience=audience,
        reasons=reasons,
        spikes=spikes,
        themes=themes,
        actions=actions,
        next_actions=recommend(reasons, spikes, themes, actions, store.currency),
        counts=counts,
    )
