"""Console pages of the taxonomy: /taxonomy/ (active version) and /taxonomy/audit/ (findings,
mapping decisions, apply and revert), on the planted tickets of planted.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.taxonomy.audit import tag_audit
from signaldesk.taxonomy.mappings import tag_mapping_approve, tag_mappings_propose
from signaldesk.taxonomy.models import RelabelBatch, TagMapping
from signaldesk.taxonomy.relabel import tag_mappings_apply
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.testing.factories import UserFactory
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

FIELDS = ("id", "contact_reason", "reason_confidence", "reason_source", "taxonomy_version")
AUDIT = "/taxonomy/audit/"


def state() -> list[tuple[object, ...]]:
    return list(Ticket.objects.order_by("id").values_list(*FIELDS))


def client_for(user: AbstractUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The latest audit report is cached; every test starts without one."""
    cache.clear()


@pytest.fixture
def manager(db: None) -> AbstractUser:
    return UserFactory(username="tx-manager", role="manager")


@pytest.fixture
def agent(db: None) -> AbstractUser:
    return UserFactory(username="tx-agent", role="agent")


@pytest.fixture
def stakeholder(db: None) -> AbstractUser:
    return UserFactory(username="tx-stakeholder", role="stakeholder")


def test_audit_page_renders_the_findings(
    planted: dict[str, list[Ticket]], manager: AbstractUser, stakeholder: AbstractUser
) -> None:
    run = client_for(manager).post("/taxonomy/audit/run/", follow=True)
    assert run.redirect_chain == [(AUDIT, 302)]
    assert "Audit run on 35 tickets: 8 new and 0 refreshed proposals." in run.content.decode()

    response = client_for(stakeholder).get(AUDIT)

    assert response.status_code == 200
    recent = date_filter(planted["shipping"][0].created_at, "Y-m-d")
    old = date_filter(planted["old-promo"][0].created_at, "Y-m-d")
    version = active_taxonomy().version
    html = response.content.decode()
    assert f"against taxonomy\n    {version}: 35 tickets scanned,\n    35 tagged." in html
    assert f'<tr><th scope="row">shipping</th><td>6</td><td>{recent}</td><td>1</td></tr>' in html
    assert f'<tr><th scope="row">old-promo</th><td>1</td><td>{old}</td><td>1</td></tr>' in html
    assert (
        '<tr><th scope="row">shiping</th><td>shipping</td><td>spelling</td><td>0.93</td>'
        "<td>shipping</td></tr>"
    ) in html
    assert (
        '<tr><th scope="row">order-query</th><td>wismo</td><td>meaning</td><td>0.73</td>'
        "<td>wismo</td></tr>"
    ) in html
    assert (
        '<tr><th scope="row">general</th><td>9</td><td>sizing</td><td>0.11</td><td>9</td>'
        "<td>0.34</td><td>generic name; spread over 9 contact reasons (top share 11%)</td></tr>"
    ) in html
    assert (
        f'<tr><th scope="row">old-promo</th><td>{old}</td>'
        "<td>not used in the last 90 days</td></tr>"
    ) in html
    assert '<th scope="row">order-query, wismo</th>' in html
    assert "<li>ana → wismo (1.00, 5)</li><li>ben → order-query (1.00, 5)</li>" in html
    assert "<td>0.0114</td>" in html
    assert (
        '<th scope="row">wismo</th>\n      <td>order_status</td>\n      <td>1.00</td>\n'
        "      <td>Proposed</td>"
    ) in html
    assert "<td>(no mapping)</td>\n      <td>0.00</td>\n      <td>Proposed</td>\n" in html
    assert "<caption>Tag usage, most used first</caption>" in html
    # A stakeholder reads; the write buttons are not rendered.
    assert ("Run audit" in html, ">Approve<" in html, "Apply approved" in html) == (
        False,
        False,
        False,
    )


def test_get_reuses_the_cached_report_and_computes_it_when_missing(
    planted: dict[str, list[Ticket]], stakeholder: AbstractUser
) -> None:
    client = client_for(stakeholder)
    first = client.get(AUDIT)
    Ticket.objects.create(
        subject="x", tags=["brand-new"], created_at=timezone.now(), updated_at=timezone.now()
    )
    second = client.get(AUDIT)

    assert (first.status_code, second.status_code) == (200, 200)
    assert ('<th scope="row">brand-new</th>' in second.content.decode()) is False
    assert TagMapping.objects.count() == 0  # GET never stores proposals
    assert "Mappings proposed by the latest report (not stored)" in second.content.decode()


def test_approve_apply_revert_round_trip_through_the_views(
    planted: dict[str, list[Ticket]], manager: AbstractUser
) -> None:
    client = client_for(manager)
    client.post("/taxonomy/audit/run/")
    before = state()
    wismo = TagMapping.objects.get(tag="wismo")
    query = TagMapping.objects.get(tag="order-query")
    general = TagMapping.objects.get(tag="general")

    client.post(f"/taxonomy/mappings/{wismo.pk}/approve/", {"reason_id": "order_status"})
    client.post(f"/taxonomy/mappings/{query.pk}/approve/", {"reason_id": ""})
    client.post(f"/taxonomy/mappings/{general.pk}/reject/")
    applied = client.post("/taxonomy/mappings/apply/", follow=True)

    batch = RelabelBatch.objects.get()
    assert list(TagMapping.objects.order_by("tag").values_list("tag", "status")) == [
        ("general", "rejected"),
        ("late-delivery", "proposed"),
        ("late_delivery", "proposed"),
        ("old-promo", "proposed"),
        ("order-query", "approved"),
        ("shiping", "proposed"),
        ("shipping", "proposed"),
        ("wismo", "approved"),
    ]
    assert f"Relabelled 10 tickets (batch #{batch.pk})." in applied.content.decode()
    relabelled = planted["wismo"] + planted["order-query"]
    assert sorted(
        Ticket.objects.filter(reason_source="tag_mapping").values_list("id", flat=True)
    ) == sorted(t.pk for t in relabelled)
    assert set(
        Ticket.objects.filter(pk__in=[t.pk for t in relabelled]).values_list(
            "contact_reason", "reason_confidence"
        )
    ) == {("order_status", 1.0), ("order_status", 0.844)}
    assert f'aria-label="Revert batch {batch.pk}"' in applied.content.decode()

    reverted = client.post(f"/taxonomy/relabels/{batch.pk}/revert/", follow=True)

    assert state() == before
    assert (
        f"Reverted batch #{batch.pk}: 10 tickets restored, 0 changed since and left alone."
        in reverted.content.decode()
    )
    batch.refresh_from_db()
    assert (batch.reverted_count, batch.reverted_at is not None) == (10, True)
    again = client.post(f"/taxonomy/relabels/{batch.pk}/revert/", follow=True)
    assert f"Relabel batch {batch.pk} was already reverted." in again.content.decode()


def test_apply_with_nothing_approved_says_so(
    planted: dict[str, list[Ticket]], manager: AbstractUser
) -> None:
    response = client_for(manager).post("/taxonomy/mappings/apply/", follow=True)

    assert "Nothing to relabel: 0 tickets changed." in response.content.decode()
    assert RelabelBatch.objects.count() == 0


def test_tag_with_markup_is_escaped(
    planted: dict[str, list[Ticket]], manager: AbstractUser
) -> None:
    now = timezone.now()
    for _ in range(3):
        Ticket.objects.create(
            subject="Odd tag", tags=["<script>alert(1)</script>"], created_at=now, updated_at=now
        )
    client = client_for(manager)
    client.post("/taxonomy/audit/run/")

    html = client.get(AUDIT).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert '<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>' in html
    assert "Reason for tag &lt;script&gt;alert(1)&lt;/script&gt;</label>" in html


def test_agent_reads_but_every_post_is_forbidden(
    planted: dict[str, list[Ticket]], agent: AbstractUser, system_actor: Actor
) -> None:
    tag_mappings_propose(report=tag_audit(), actor=system_actor)
    wismo = TagMapping.objects.get(tag="wismo")
    tag_mapping_approve(mapping_id=wismo.pk, actor=system_actor)
    batch_id = tag_mappings_apply(actor=system_actor).batch_id
    shipping = TagMapping.objects.get(tag="shipping")
    before = (state(), list(TagMapping.objects.order_by("tag").values_list("tag", "status")))
    client = client_for(agent)

    page = client.get(AUDIT)
    codes = [
        client.post("/taxonomy/audit/run/").status_code,
        client.post(f"/taxonomy/mappings/{shipping.pk}/approve/").status_code,
        client.post(f"/taxonomy/mappings/{shipping.pk}/reject/").status_code,
        client.post("/taxonomy/mappings/apply/").status_code,
        client.post(f"/taxonomy/relabels/{batch_id}/revert/").status_code,
    ]

    assert page.status_code == 200
    assert ("Run audit" in page.content.decode(), ">Revert<" in page.content.decode()) == (
        False,
        False,
    )
    assert codes == [403, 403, 403, 403, 403]
    assert (
        state(),
        list(TagMapping.objects.order_by("tag").values_list("tag", "status")),
    ) == before
    assert RelabelBatch.objects.get().reverted_at is None


def test_anonymous_is_sent_to_login(planted: dict[str, list[Ticket]]) -> None:
    client = Client()
    responses = [
        client.get("/taxonomy/"),
        client.get(AUDIT),
        client.post("/taxonomy/audit/run/"),
        client.post("/taxonomy/mappings/apply/"),
    ]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, "/accounts/login/?next=/taxonomy/"),
        (302, "/accounts/login/?next=/taxonomy/audit/"),
        (302, "/accounts/login/?next=/taxonomy/audit/run/"),
        (302, "/accounts/login/?next=/taxonomy/mappings/apply/"),
    ]
    assert (TagMapping.objects.count(), RelabelBatch.objects.count()) == (0, 0)


def test_taxonomy_page_shows_the_active_version_read_only(
    planted: dict[str, list[Ticket]], stakeholder: AbstractUser
) -> None:
    version = active_taxonomy().version

    response = client_for(stakeholder).get("/taxonomy/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<strong data-testid="active-version">{version}</strong>' in html
    assert (
        '<th scope="row">Damaged item <span class="muted">(damaged_item)</span></th>\n'
        "        <td>Order problem</td>\n        <td>supplier</td>\n        <td>daily</td>\n"
        "        <td>refund_or_replace up to 100</td>"
    ) in html
    assert "<li>value ≥ 100</li>" in html
    assert "<li>2 contacts in 30 days</li>" in html
    assert f'<th scope="row">{version} <strong>active</strong></th>' in html
    assert '<a href="/taxonomy/" aria-current="page">Taxonomy</a>' in html
    assert 'method="post"' not in html.split("<main", 1)[1].split("</main>", 1)[0]
