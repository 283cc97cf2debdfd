"""Self-service in Debian's Chromium: a customer tracks a late order, starts a sizing return and
gets an RMA with an exchange size and a printable document, asks a question, and escalates to a
ticket; an agent then sees the context on the ticket without asking again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from signaldesk.commerce.models import Return
from signaldesk.core.audit import Actor
from signaldesk.knowledge.services import articles_load
from signaldesk.selfservice.models import SelfServiceSession
from signaldesk.selfservice.tests.conftest import EMAIL, make_store
from signaldesk.testing.factories import TEST_PASSWORD, UserFactory
from signaldesk.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db_with_audit_log")]

Shot = Callable[..., Path]


def test_customer_tracks_returns_asks_and_escalates(
    live_server, page: Page, screenshot: Shot
) -> None:
    store = make_store()
    articles_load(actor=Actor.system("test"))
    UserFactory(username="agent", role="agent")
    # 127.0.0.1, not "localhost": on this machine ::1 is tried first and hangs for ~10 s
    base = live_server.url.replace("//localhost:", "//127.0.0.1:")

    # 1. Where is my order? (number written without '#', email in capitals)
    # the first request imports every router (~10 s on a busy machine): give it time once
    page.goto(f"{base}/help/order-status/", timeout=60_000)
    page.get_by_label("Order number").fill("order 20002")
    page.get_by_label("Email address used for the order").fill(EMAIL.upper())
    page.get_by_role("button", name="Show status").click()
    expect(page.get_by_test_id("status-headline")).to_have_text("Your parcel is late.")
    expect(page.get_by_test_id("shipment")).to_contain_text("1Z999AA10123456784")
    expect(page.get_by_test_id("shipment")).to_contain_text("9 days late")
    expect(page.get_by_label("Your email")).to_have_value(EMAIL)
    screenshot(page, "1-order-status")
    page.get_by_role("button", name="Thanks, that answers it").click()
    expect(page.get_by_test_id("resolved")).to_be_visible()

    # 2. Return the shirt that is too small; the next size up is offered in exchange.
    page.goto(f"{base}/help/returns/")
    page.get_by_label("Order number").fill("#20001")
    page.get_by_label("Email address used for the order").fill(EMAIL)
    page.get_by_role("button", name="Find my order").click()
    expect(page.get_by_test_id("return-line")).to_contain_text("You can return this item until")
    screenshot(page, "2-return-lines")
    page.get_by_role("link", name="Return this item").click()
    page.get_by_label("Why are you returning it?").select_option("too_small")
    page.get_by_label("What condition is it in?").select_option("unused")
    expect(page.get_by_test_id("exchange-offer")).to_contain_text("Too small? We can send size L")
    page.get_by_label("Yes, exchange it for the other size").check()
    screenshot(page, "3-return-form")
    page.get_by_role("button", name="Get my return number").click()
    expect(page.get_by_test_id("rma")).to_have_text("RMA-20001-1")
    expect(page.get_by_test_id("exchange-sku")).to_contain_text("LIN-L-SND")
    screenshot(page, "4-rma")
    with page.context.expect_page() as popup:
        page.get_by_role("link", name="Print the return document").click()
    document = popup.value
    document.wait_for_load_state()
    expect(document.get_by_test_id("document-rma")).to_have_text("RMA-20001-1")
    expect(document.locator("table.doc")).to_contain_text("Size L (LIN-L-SND)")
    expect(document.locator("table.doc")).to_contain_text("Send it by")
    document.emulate_media(media="print")
    screenshot(document, "5-return-document-print")
    document.close()

    # 3. A question the knowledge base answers, then "still need help".
    page.goto(f"{base}/help/")
    page.get_by_label("Your question").fill("My parcel is late, what should I do?")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("answer").first).to_contain_text("Delivery times")
    screenshot(page, "6-answers")
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("Order number (optional)").fill("20002")
    page.get_by_label("Anything to add?").fill("It is a <b>gift</b> for Friday.")
    page.get_by_role("button", name="Send to the support team").click()
    expect(page.get_by_test_id("handover-done")).to_contain_text("Your reference is")
    screenshot(page, "7-handed-over")

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.order_id, ticket.customer_id) == (
        "self_service", store.late.pk, store.customer.pk,
    )  # fmt: skip
    assert ticket.custom_fields["selfservice"]["articles_shown"][0] == "delivery"
    assert ticket.subject == "Question: My parcel is late, what should I do?"
    assert Return.objects.get().rma == "RMA-20001-1"
    assert sorted(SelfServiceSession.objects.values_list("flow", "outcome")) == [
        ("order_status", "resolved"), ("question", "handed_over"), ("returns", "open"),
    ]  # fmt: skip

    # 4. The agent sees the question, the articles shown and the order on the ticket.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/tickets/{ticket.pk}/")
    expect(page.locator("body")).to_contain_text("Handed over from self-service.")
    expect(page.locator("body")).to_contain_text("Question asked: My parcel is late")
    expect(page.locator("body")).to_contain_text("It is a <b>gift</b> for Friday.")
    screenshot(page, "8-agent-ticket")
