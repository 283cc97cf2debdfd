"""The console in Debian's Chromium: sign in as each role, work a ticket end to end, stay out of
agent pages as a stakeholder, see the throttling message, and never run injected script."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from playwright.sync_api import Page, expect

from signaldesk.console.tests.test_xss import PAYLOAD
from signaldesk.testing.factories import (
    TEST_PASSWORD,
    CustomerFactory,
    MessageFactory,
    TicketFactory,
)
from signaldesk.tickets.models import Direction, Ticket, TicketStatus

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db_with_audit_log")]

Shot = Callable[..., Path]


def sign_in(page: Page, base: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("role", "path", "heading"),
    [
        ("agent", "/queues/now/", "Needs an answer now"),
        ("lead", "/queues/now/", "Needs an answer now"),
        ("manager", "/queues/now/", "Needs an answer now"),
        ("admin", "/queues/now/", "Needs an answer now"),
        ("stakeholder", "/dashboards/", "Dashboards"),
    ],
)
def test_each_role_lands_on_its_page(
    live_server,
    page: Page,
    screenshot: Shot,
    users: dict[str, AbstractUser],
    ticket: Ticket,
    role: str,
    path: str,
    heading: str,
) -> None:
    sign_in(page, live_server.url, role)

    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".role-badge")).to_have_text(role)
    screenshot(page)


def test_agent_works_a_ticket_end_to_end(
    live_server, page: Page, screenshot: Shot, users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    sign_in(page, live_server.url, "agent")
    expect(page.locator("#queue-counts")).to_contain_text("Needs an answer now")
    screenshot(page, "queue")

    page.keyboard.press("j")
    expect(page.locator("tr.selected")).to_contain_text("Where is my parcel?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Where is my parcel?")

    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_test_id("assignee")).to_have_text("agent")

    page.get_by_label("Correct the contact reason").select_option("lost_parcel")
    page.get_by_role("button", name="Save reason").click()
    expect(page.get_by_test_id("reason-value")).to_have_text("lost_parcel")
    expect(page.locator("#reason-panel")).to_contain_text("set by agent")

    page.keyboard.press("r")
    page.keyboard.type("Sorry for the wait. A replacement ships today.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".msg-outbound")).to_contain_text("A replacement ships today.")
    screenshot(page, "ticket")

    page.keyboard.press("e")
    expect(page.get_by_test_id("ticket-status")).to_have_text("Solved")
    screenshot(page, "solved")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.contact_reason, ticket.reason_source) == (
        TicketStatus.SOLVED,
        "lost_parcel",
        "agent",
    )
    assert ticket.messages.filter(direction=Direction.OUTBOUND).count() == 1


def test_shortcut_help_opens_with_question_mark(
    live_server, page: Page, screenshot: Shot, users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    sign_in(page, live_server.url, "agent")

    page.keyboard.press("?")

    expect(page.get_by_role("dialog")).to_be_visible()
    screenshot(page)


def test_stakeholder_cannot_reach_agent_pages(
    live_server, page: Page, screenshot: Shot, users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    sign_in(page, live_server.url, "stakeholder")

    response = page.goto(f"{live_server.url}/tickets/{ticket.pk}/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You don't have access to this page")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Queues")
    screenshot(page)


def test_login_throttling_message(
    live_server, page: Page, screenshot: Shot, users: dict[str, AbstractUser]
) -> None:
    for _ in range(5):
        sign_in(page, live_server.url, "agent", "wrong-password")

    sign_in(page, live_server.url, "agent")

    expect(page.get_by_test_id("login-locked")).to_contain_text("Too many failed sign-in attempts")
    screenshot(page)


def test_injected_markup_never_runs(
    live_server, page: Page, screenshot: Shot, users: dict[str, AbstractUser]
) -> None:
    customer = CustomerFactory(name=PAYLOAD)
    hostile = TicketFactory(subject=PAYLOAD, customer=customer, status=TicketStatus.OPEN)
    MessageFactory(ticket=hostile, body_text=PAYLOAD)
    MessageFactory(ticket=hostile, body_text="", body_html=f"<p>Hi</p>{PAYLOAD}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, live_server.url, "agent")
    expect(page.locator("table.tickets")).to_contain_text("<script>alert(1)</script>")
    page.goto(f"{live_server.url}/tickets/{hostile.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("<script>alert(1)</script>")
    page.wait_for_timeout(300)
    screenshot(page)

    assert dialogs == []


def test_lead_approves_a_refund_an_agent_requested(
    live_server, page: Page, screenshot: Shot, users: dict[str, AbstractUser], ticket: Ticket
) -> None:
    # the agent asks for a refund above the auto-approval limit: it waits for a lead
    sign_in(page, live_server.url, "agent")
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    panel = page.get_by_test_id("approvals-panel")
    panel.get_by_label("Kind").select_option("refund")
    panel.get_by_label("Amount").fill("150.00")
    panel.get_by_label("Reason").fill("Parcel lost, customer wants the money back")
    panel.get_by_role("button", name="Request").click()
    expect(page.get_by_test_id("money-request")).to_contain_text("Pending")
    page.get_by_role("button", name="Log out").click()

    sign_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/approvals/")
    row = page.get_by_test_id("approval-row")
    expect(row).to_contain_text("150.00")
    row.get_by_label("Reason").fill("Carrier confirmed the loss")
    screenshot(page, "pending")
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("approvals-table")).to_contain_text("Nothing waiting for approval.")

    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.get_by_test_id("money-request")).to_contain_text("Approved")
    screenshot(page, "approved")
