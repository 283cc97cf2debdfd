"""/api/v1/proactive/campaigns: list and create campaigns, preview the audience, send, and the
response report (JSON or ?format=csv). Leads, managers and admins (proactive.manage)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound
from signaldesk.core.pagination import DEFAULT_LIMIT, keyset_page
from signaldesk.proactive.models import CampaignKind, ProactiveCampaign
from signaldesk.proactive.selectors import (
    Criteria,
    campaign_audience,
    campaign_csv,
    campaign_get,
    campaign_report,
    campaigns_list,
)
from signaldesk.proactive.services import CampaignDraft, campaign_create, campaign_send

proactive_router = Router(auth=api_auth, tags=["proactive"])
CAPABILITY = "proactive.manage"
AUDIENCE_LIMIT = 500


class CampaignIn(Schema):
    name: str = Field(..., max_length=200)
    kind: CampaignKind
    subject: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000)
    carrier: str = Field("", max_length=100)
    region: str = Field("", max_length=100)
    shipped_from: dt.date | None = None
    shipped_to: dt.date | None = None
    skus: list[str] = Field(default_factory=list, max_length=50)
    batches: list[str] = Field(default_factory=list, max_length=50)
    ordered_from: dt.date | None = None
    ordered_to: dt.date | None = None
    source_alert_id: int | None = None

    def draft(self) -> CampaignDraft:
        return CampaignDraft(
            name=self.name,
            kind=self.kind.value,
            subject=self.subject,
            body=self.body,
            carrier=self.carrier,
            region=self.region,
            shipped_from=self.shipped_from,
            shipped_to=self.shipped_to,
            skus=tuple(self.skus),
            batches=tuple(self.batches),
            ordered_from=self.ordered_from,
            ordered_to=self.ordered_to,
            source_alert_id=self.source_alert_id,
        )


class CampaignOut(Schema):
    id: int
    slug: str
    tag: str
    name: str
    kind: str
    status: str
    carrier: str
    region: str
    shipped_from: dt.date | None
    shipped_to: dt.date | None
    skus: list[str]
    batches: list[str]
    ordered_from: dt.date | None
    ordered_to: dt.date | None
    subject: str
    body: str
    source_alert_id: int | None
    created_at: dt.datetime
    sent_at: dt.datetime | None

    @staticmethod
    def of(c: ProactiveCampaign) -> CampaignOut:
        return CampaignOut(
            id=c.pk, slug=c.slug, tag=c.tag, name=c.name, kind=c.kind, status=c.status,
            carrier=c.carrier, region=c.region, shipped_from=c.shipped_from,
            shipped_to=c.shipped_to, skus=list(c.skus), batches=list(c.batches),
            ordered_from=c.ordered_from, ordered_to=c.ordered_to, subject=c.subject, body=c.body,
            source_alert_id=c.source_alert_id, created_at=c.created_at, sent_at=c.sent_at,
        )  # fmt: skip


class CampaignPage(Schema):
    items: list[CampaignOut]
    next: str | None


class ReportCounts(Schema):
    recipients: int
    notified: int
    replied: int
    asked_refund: int
    asked_replacement: int


class CampaignDetail(Schema):
    campaign: CampaignOut
    report: ReportCounts


class MemberOut(Schema):
    customer_id: int
    email: str
    order_numbers: list[str]
    wrote: bool


class AudienceOut(Schema):
    customers: int
    not_written: int
    orders: int
    no_contact: int
    orders_without_customer: int
    members: list[MemberOut] = Field(description=f"The first {AUDIENCE_LIMIT} customers.")


class SendOut(Schema):
    campaign_id: int
    notified: int
    already: int
    no_contact: int


class RecipientOut(Schema):
    customer_id: int
    email: str
    order_numbers: list[str]
    reference: str
    notified_at: dt.datetime | None
    replied_at: dt.datetime | None
    ticket_id: int | None
    contact_reason: str
    asked_refund: bool
    asked_replacement: bool


class Page(Schema):
    cursor: str | None = Field(None, description="`next` of the previous page.")
    limit: int = DEFAULT_LIMIT


class ReportQuery(Schema):
    format: str = Field("json", description="json or csv")


def _campaign(campaign_id: int) -> ProactiveCampaign:
    campaign = campaign_get(campaign_id=campaign_id)
    if campaign is None:
        raise NotFound(f"Campaign {campaign_id} does not exist.")
    return campaign


@proactive_router.get("/campaigns", response=CampaignPage)
def list_campaigns(request: HttpRequest, page: Query[Page]) -> CampaignPage:
    authorize(request, CAPABILITY)
    rows, next_cursor = keyset_page(campaigns_list(), cursor=page.cursor, limit=page.limit)
    return CampaignPage(items=[CampaignOut.of(c) for c in rows], next=next_cursor)


@proactive_router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status[CampaignOut]:
    authorize(request, CAPABILITY)
    campaign = campaign_create(
        draft=payload.draft(), actor=Actor.of_user(request.user), now=timezone.now()
    )
    return Status(201, CampaignOut.of(campaign))


@proactive_router.get("/campaigns/{campaign_id}", response=CampaignDetail)
def campaign_detail(request: HttpRequest, campaign_id: int) -> CampaignDetail:
    authorize(request, CAPABILITY)
    campaign = _campaign(campaign_id)
    counts = campaign_report(campaign=campaign).counts()
    return CampaignDetail(campaign=CampaignOut.of(campaign), report=ReportCounts(**counts))


@proactive_router.get("/campaigns/{campaign_id}/audience", response=AudienceOut)
def campaign_audience_preview(request: HttpRequest, campaign_id: int) -> AudienceOut:
    authorize(request, CAPABILITY)
    audience = campaign_audience(Criteria.of(_campaign(campaign_id)))
    return AudienceOut(
        customers=len(audience.members),
        not_written=audience.not_written,
        orders=audience.orders,
        no_contact=audience.no_contact,
        orders_without_customer=audience.orders_without_customer,
        members=[
            MemberOut(
                customer_id=m.customer_id,
                email=m.email,
                order_numbers=list(m.order_numbers),
                wrote=m.wrote,
            )
            for m in audience.members[:AUDIENCE_LIMIT]
        ],
    )


@proactive_router.post("/campaigns/{campaign_id}/send", response=SendOut)
def send_campaign(request: HttpRequest, campaign_id: int) -> SendOut:
    authorize(request, CAPABILITY)
    result = campaign_send(
        campaign_id=campaign_id, actor=Actor.of_user(request.user), now=timezone.now()
    )
    return SendOut(
        campaign_id=result.campaign_id,
        notified=result.notified,
        already=result.already,
        no_contact=result.no_contact,
    )


def csv_response(campaign: ProactiveCampaign) -> HttpResponse:
    body = campaign_csv(campaign_report(campaign=campaign))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.slug}.csv"'
    return response


@proactive_router.get("/campaigns/{campaign_id}/recipients", response=list[RecipientOut])
def campaign_recipients(
    request: HttpRequest, campaign_id: int, query: Query[ReportQuery]
) -> list[RecipientOut] | HttpResponse:
    authorize(request, CAPABILITY)
    campaign = _campaign(campaign_id)
    if query.format == "csv":
        return csv_response(campaign)
    return [
        RecipientOut(
            customer_id=row.recipient.customer_id,
            email=row.recipient.email,
            order_numbers=list(row.recipient.order_numbers),
            reference=row.recipient.reference,
            notified_at=row.recipient.notified_at,
            replied_at=row.recipient.replied_at,
            ticket_id=row.recipient.ticket_id,
            contact_reason=row.reason,
            asked_refund=row.asked_refund,
            asked_replacement=row.asked_replacement,
        )
        for row in campaign_report(campaign=campaign).rows
    ]
