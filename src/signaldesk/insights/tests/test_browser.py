"""A lead drafts, reads, edits and publishes a weekly note in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from signaldesk.core.audit import Actor
from signaldesk.insights.models import NoteRecipient, WeeklyNote
from signaldesk.insights.services import notes_draft_week
from signaldesk.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db_with_audit_log")]


def test_a_lead_edits_and_publishes_the_operations_note(
    live_server, page: Page, screenshot: Callable[..., Path], week: dt.date
) -> None:
    UserFactory(username="lead", role="lead")
    NoteRecipient.objects.create(audience="operations", email="ops-head@example.com")
    notes_draft_week(week_start=week, actor=Actor.system("test"), themes=False)
    note = WeeklyNote.objects.get(audience="operations")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/insights/")
    expect(page.get_by_test_id("note-row")).to_have_count(5)
    page.get_by_test_id("note-row").filter(has_text="Operations").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Operations insight note — week of 16 Nov 2026"
    )
    screenshot(page, "draft")
    page.get_by_role("link", name="Edit").click()
    body = page.get_by_label("Note")
    body.fill(body.input_value().replace("Drafted from SignalDesk data.", "Reviewed by Sam."))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Publish and email 1 recipient").click()

    expect(page.get_by_test_id("note-status")).to_contain_text("emailed to ops-head@example.com")
    expect(page.get_by_test_id("note-body")).to_contain_text("Reviewed by Sam.")
    screenshot(page, "published")
    note.refresh_from_db()
    assert (note.status, note.editor.get_username()) == ("published", "lead")
