"""Drafting core: macro filling with sources and missing markers, redaction, summaries."""

from __future__ import annotations

from signaldesk.knowledge.retrieval import make_passage
from signaldesk.replies.drafting.redact import redact, restore
from signaldesk.replies.drafting.render import Fact, compose_draft
from signaldesk.replies.drafting.summary import SummaryFact, ThreadMessage, summarise_thread

TEMPLATE = (
    "Hi {customer_name}, I'm sorry order {order_number} is running late. {carrier} now expects "
    "to deliver it on {expected_date}; you can follow it here: {tracking_url}."
)
FACTS = {
    "customer_name": Fact("Ana", "customer.name"),
    "order_number": Fact("#10023", "order.number"),
    "carrier": Fact("DHL", "shipment.carrier"),
    "tracking_link": Fact("https://www.dhl.com/track?tracking-id=JJD1", "shipment.tracking_number"),
}
PASSAGE = make_passage(
    slug="delivery", index=0, text="Standard delivery takes 2–4 business days from dispatch."
)


def test_missing_variable_becomes_a_visible_marker_never_a_guess() -> None:
    draft = compose_draft(macro_id="delivery_delay_update", template=TEMPLATE, facts=FACTS)
    assert draft.text == (
        "Hi Ana, I'm sorry order #10023 is running late. DHL now expects to deliver it on "
        "[missing: promised_date]; you can follow it here: "
        "https://www.dhl.com/track?tracking-id=JJD1."
    )
    assert draft.missing == ("promised_date",)


def test_every_sentence_with_a_fact_has_its_source() -> None:
    draft = compose_draft(
        macro_id="delivery_delay_update", template=TEMPLATE, facts=FACTS, passages=[PASSAGE]
    )
    assert [(s.text, s.sources, s.missing) for s in draft.sentences] == [
        ("Hi Ana, I'm sorry order #10023 is running late.", ("customer.name", "order.number"), ()),
        (
            "DHL now expects to deliver it on [missing: promised_date]; you can follow it "
            "here: https://www.dhl.com/track?tracking-id=JJD1.",
            ("shipment.carrier", "shipment.tracking_number"),
            ("promised_date",),
        ),
        ("Standard delivery takes 2–4 business days from dispatch.", ("kb:delivery#0",), ()),
    ]
    assert draft.articles == ("delivery",)
    assert draft.macro_id == "delivery_delay_update"


def test_redaction_round_trip_replaces_every_identifier() -> None:
    text = (
        "Ana Lopez (ana.lopez@example.com, +49 151 12345678) asked about order #10023; "
        "ship to 12 Baker Street. Ana says thanks."
    )
    red = redact(text, names=["Ana Lopez"])
    assert red.text == (
        "[NAME_1] ([EMAIL_1], [PHONE_1]) asked about order #[ORDER_1]; "
        "ship to [ADDRESS_1]. [NAME_2] says thanks."
    )
    assert red.mapping == {
        "[EMAIL_1]": "ana.lopez@example.com",
        "[PHONE_1]": "+49 151 12345678",
        "[ORDER_1]": "10023",
        "[ADDRESS_1]": "12 Baker Street",
        "[NAME_1]": "Ana Lopez",
        "[NAME_2]": "Ana",
    }
    assert restore(red.text, red.mapping) == text


def test_summary_picks_the_ask_what_was_tried_and_what_is_pending() -> None:
    summary = summarise_thread(
        messages=[
            ThreadMessage("inbound", "Hello. My parcel is late. Where is my order #10023?"),
            ThreadMessage("outbound", "Sorry for the delay. DHL expects it on Monday."),
            ThreadMessage("note", "Checked with the warehouse."),
            ThreadMessage("inbound", "Still nothing!"),
        ],
        facts=[SummaryFact("Order", "#10023", "order.number")],
        macros_used=["delivery_delay_update"],
        pending=["Refund/credit approval is open"],
    )
    assert summary.ask == "Where is my order #10023?"
    assert summary.tried == (
        "Replied: Sorry for the delay.",
        "Macro used: delivery_delay_update",
    )
    assert summary.as_text() == (
        "Customer asks: Where is my order #10023?\n"
        "- Order: #10023\n"
        "Tried: Replied: Sorry for the delay.\n"
        "Tried: Macro used: delivery_delay_update\n"
        "Pending: Refund/credit approval is open"
    )
