import dataclasses

import pytest

from signaldesk.insights.note import draft_note
from signaldesk.insights.note.audience import facts_for_audience
from signaldesk.insights.note.facts import AUDIENCES, NextAction, facts_from_dict
from signaldesk.insights.note.numbers import canonical, numbers_in, unsupported_numbers
from signaldesk.insights.note.render import md, render_note
from signaldesk.insights.note.tests.sample import store_week


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_number_in_the_note_appears_in_its_facts(audience: str) -> None:
    facts, body = draft_note(store_week(), audience)

    assert unsupported_numbers(body, facts.as_dict()) == set()


def test_a_number_that_is_not_in_the_facts_is_reported() -> None:
    facts, body = draft_note(store_week(), "leadership")

    text = body.replace("412 customer contacts", "4,120 customer contacts").replace(
        "up 8%", "up 57.5%"
    )

    assert unsupported_numbers(text, facts.as_dict()) == {"4120", "57.5"}


def test_numbers_are_compared_in_canonical_form() -> None:
    assert numbers_in("€3,120 was up +12% (2.80×) on 2026-11-16, 12.0 per 1,000") == {
        "3120", "12", "2.8", "2026", "11", "16", "1000",
    }  # fmt: skip
    assert [canonical(x) for x in (2.8, 12.0, -6, "0.0004")] == ["2.8", "12", "6", "0.0004"]


def test_each_audience_sees_what_its_teams_own() -> None:
    store = store_week()
    reasons = {a: [r.reason for r in facts_for_audience(store, a).reasons] for a in AUDIENCES}
    spikes = {a: len(facts_for_audience(store, a).spikes) for a in AUDIENCES}

    assert reasons == {
        "product": ["damaged_item", "fit"],
        "operations": ["delivery_delay"],
        "ecommerce": ["promo_code"],
        "lifecycle": ["unsubscribe"],
        "leadership": ["delivery_delay", "damaged_item", "fit", "promo_code", "unsubscribe"],
    }
    assert spikes == {
        "product": 0, "operations": 1, "ecommerce": 0, "lifecycle": 0, "leadership": 1,
    }  # fmt: skip
    assert facts_for_audience(store, "product").counts == {
        "area_contacts": 122, "area_cost": 2515, "spikes": 0, "new_themes": 1, "actions": 0,
    }  # fmt: skip


def test_recommendations_name_the_owner_team_and_the_triggering_fact() -> None:
    facts = facts_for_audience(store_week(), "leadership")

    assert facts.next_actions == (
        NextAction(
            "Read the tickets of the new theme “box crushed, damaged” and decide whether it "
            "needs a fix or its own contact reason.",
            "product",
            "19 tickets in the last window, none in the one before.",
        ),
        NextAction(
            "Find out why Fit / sizing is rising.",
            "merchandising",
            "58 contacts, up 41% on the week before.",
        ),
        NextAction(
            "Find out why Promo code not working is rising.",
            "ecommerce",
            "31 contacts, up 244% on the week before.",
        ),
        NextAction(
            "Revisit “Switch East deliveries to GLS”: it has not moved the contact rate yet.",
            "operations",
            "No measurable change in delivery delay contacts relative to other regions "
            "(estimate -6%, 95% CI -31% to +27%).",
        ),
        NextAction(
            "Review what drives the cost of Damaged item.",
            "product",
            "€1,875 in refunds, replacements and discounts this week.",
        ),
    )


def test_an_open_spike_without_an_action_asks_its_owner_to_open_one() -> None:
    store = dataclasses.replace(store_week(), actions=())

    facts = facts_for_audience(store, "operations")

    assert facts.next_actions[0] == NextAction(
        "Open a root-cause action for Delivery delay — carrier DPD, region East.",
        "operations",
        "34 contacts against 11.5 expected since 18 Nov.",
    )


def test_the_operations_note_reads_as_a_summary_then_sections() -> None:
    _, body = draft_note(store_week(), "operations")
    lines = body.splitlines()

    assert lines[0] == "# Operations insight note — week of 16 Nov 2026"
    assert lines[4] == (
        "**In short.** 412 customer contacts this week, up 8% on the week before "
        "(147.0 per 1,000 orders). Reasons your teams own: 120 contacts, €0 in refunds, "
        "replacements and discounts. 1 spike needs attention."
    )
    assert [line for line in lines if line.startswith("## ")] == [
        "## Top contact reasons",
        "## Spikes",
        "## New and growing themes",
        "## Cost of issues",
        "## Actions and their measured impact",
        "## Recommended next actions",
    ]
    assert (
        "- **Delivery delay — carrier DPD, region East** (critical, since 18 Nov; owner "
        "operations): 34 contacts in 3 days against 11.5 expected (q=0.0004)."
    ) in lines


def test_a_theme_that_more_than_doubles_gets_a_recommendation() -> None:
    store = store_week()
    theme = dataclasses.replace(store.themes[0], new=False, previous=5, growth_pct=280)
    facts = facts_for_audience(dataclasses.replace(store, themes=(theme,)), "product")

    assert facts.next_actions[0] == NextAction(
        "Look into the growing theme “box crushed, damaged”.",
        "product",
        "19 tickets in the last window against 5 in the one before.",
    )


def test_text_from_data_is_escaped_for_markdown() -> None:
    assert md("<script>*x*</script> #1 | a_b") == r"\<script\>\*x\*\</script\> \#1 \| a\_b"


def test_facts_survive_the_json_round_trip() -> None:
    facts, body = draft_note(store_week(), "leadership")

    again = facts_from_dict(facts.as_dict())

    assert again == facts
    assert render_note(again) == body
