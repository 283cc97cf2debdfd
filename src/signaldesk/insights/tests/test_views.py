import datetime as dt

from django.test import Client

from signaldesk.core.audit import Actor
from signaldesk.insights.models import NoteRecipient, WeeklyNote
from signaldesk.insights.services import note_publish, notes_draft_week
from signaldesk.testing.factories import UserFactory


def _client(username: str, role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=username, role=role))
    return client


def _notes(week: dt.date) -> tuple[WeeklyNote, WeeklyNote]:
    notes = notes_draft_week(week_start=week, actor=Actor.system("test"), themes=False)
    published = note_publish(note=notes[1], actor=Actor.system("test"))
    return notes[0], published


def test_stakeholders_read_published_notes_only(week: dt.date) -> None:
    draft, published = _notes(week)
    client = _client("stake", "stakeholder")

    archive = client.get("/insights/")
    shown = client.get(f"/insights/{published.pk}/")
    hidden = client.get(f"/insights/{draft.pk}/")
    api = client.get("/api/v1/insights/notes").json()

    assert archive.status_code == 200
    assert archive.content.decode().count('data-testid="note-row"') == 1
    assert shown.status_code == 200
    assert "<h1>Operations insight note — week of 16 Nov 2026</h1>" in shown.content.decode()
    assert "Edit</a>" not in shown.content.decode()
    assert hidden.status_code == 404
    assert [(n["id"], n["status"]) for n in api] == [(published.pk, "published")]
    assert client.get(f"/api/v1/insights/notes/{draft.pk}").status_code == 404


def test_a_lead_edits_then_publishes_a_draft_and_it_is_emailed(week: dt.date) -> None:
    draft, _ = _notes(week)
    NoteRecipient.objects.create(audience="product", email="pm@example.com")
    client = _client("lead", "lead")

    form = client.get(f"/insights/{draft.pk}/edit/")
    saved = client.post(
        f"/insights/{draft.pk}/edit/",
        {"body_md": "# Product\n\nFit is **up**. <script>alert(1)</script>"},
    )
    page = client.get(f"/insights/{draft.pk}/").content.decode()
    published = client.post(f"/insights/{draft.pk}/publish/")
    draft.refresh_from_db()

    assert form.status_code == 200
    assert saved.status_code == 302
    assert "<p>Fit is <strong>up</strong>. </p>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Publish and email 1 recipient" in page
    assert published.status_code == 302
    assert (draft.status, draft.editor.get_username(), draft.emailed_to) == (
        "published", "lead", ["pm@example.com"],
    )  # fmt: skip


def test_the_api_lists_drafts_for_leads_and_publishes(week: dt.date) -> None:
    draft, _ = _notes(week)
    client = _client("manager", "manager")

    listed = client.get("/api/v1/insights/notes?audience=product").json()
    done = client.post(f"/api/v1/insights/notes/{draft.pk}/publish")
    again = client.post(f"/api/v1/insights/notes/{draft.pk}/publish")

    assert [(n["audience"], n["status"]) for n in listed] == [("product", "draft")]
    assert listed[0]["facts"]["week_start"] == "2026-11-16"
    assert listed[0]["body_html"].startswith("<h1>Product insight note — week of 16 Nov 2026</h1>")
    assert (done.status_code, done.json()["status"]) == (200, "published")
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
