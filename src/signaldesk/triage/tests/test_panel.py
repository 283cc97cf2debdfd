import pytest
from django.test import Client

from signaldesk.accounts.models import Role
from signaldesk.testing.factories import TicketFactory, UserFactory
from signaldesk.triage.models import TicketEnrichment

pytestmark = pytest.mark.django_db


def _enrich(ticket, **values):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    now = timezone.now()
    return TicketEnrichment.objects.create(ticket=ticket, as_of=now, computed_at=now, **values)


def test_ticket_page_shows_what_triage_found(client: Client) -> None:
    ticket = TicketFactory()
    _enrich(
        ticket,
        language="de",
        sentiment=-0.62,
        risk_flags=[{"kind": "legal_threat", "evidence": "<b>Anwalt</b>"}],
        sku="DRS-01-M",
        size="M",
        batch_code="B-DRS-2607A",
        supplier="Atelier Nord",
        carrier="DHL",
        shipment_status="delayed",
        days_late=3,
        warnings=[{"code": "order_of_other_customer", "detail": "Order #1 is not theirs"}],
    )
    client.force_login(UserFactory(role=Role.AGENT))

    html = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert '<dd data-testid="triage-language">de</dd>' in html
    assert "<dd>-0.62</dd>" in html
    # evidence is customer text: escaped
    assert "<strong>legal_threat</strong> — “&lt;b&gt;Anwalt&lt;/b&gt;”" in html
    assert "DRS-01-M, size M" in html
    assert "DHL · delayed" in html
    assert "<dt>Days late</dt><dd>3</dd>" in html
    assert "Order #1 is not theirs" in html


def test_ticket_page_says_when_triage_has_not_run(client: Client) -> None:
    ticket = TicketFactory()
    client.force_login(UserFactory(role=Role.AGENT))

    html = client.get(f"/tickets/{ticket.pk}/").content.decode()

    assert '<p class="muted">Not triaged yet.</p>' in html
