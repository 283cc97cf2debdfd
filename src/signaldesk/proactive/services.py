"""Writes for proactive campaigns: create a draft, send it (one outbox e-mail per affected
customer, idempotent), and link a customer's reply to the campaign.

`proactive_reply_link` is the one entry point for replies, whatever the channel: intake calls it
for a message whose subject carries `[PC-<campaign>-<token>]` or whose API metadata names the
reference (`metadata.campaign_ref`), so the e-mail channel gets it for free by going through
intake.services.message_ingest. docs/proactive.md."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.core.errors import NotFound, ValidationError
from signaldesk.core.outbox import outbox_enqueue
from signaldesk.proactive.message import render, unknown_variables, values_for
from signaldesk.proactive.models import (
    CampaignKind,
    CampaignRecipient,
    CampaignStatus,
    ProactiveCampaign,
)
from signaldesk.proactive.reference import reference_parse, subject_with_reference
from signaldesk.proactive.selectors import Criteria, campaign_audience
from signaldesk.tickets.actions import ticket_add_tags
from signaldesk.tickets.models import Ticket

logger = logging.getLogger(__name__)
MAX_ITEMS = 50  # SKUs or batches per campaign
MAX_SLUG = 40  # "campaign:" + slug + "-n" stays within the 60 characters of a ticket tag
TRACKED = ["status", "sent_at", "sent_by"]


@dataclass(frozen=True)
class CampaignDraft:
    name: str
    kind: str
    subject: str
    body: str
    carrier: str = ""
    region: str = ""
    shipped_from: dt.date | None = None
    shipped_to: dt.date | None = None
    skus: tuple[str, ...] = ()
    batches: tuple[str, ...] = ()
    ordered_from: dt.date | None = None
    ordered_to: dt.date | None = None
    source_alert_id: int | None = None


@dataclass(frozen=True)
class SendResult:
    campaign_id: int
    notified: int  # e-mails queued by this call
    already: int  # recipients told by an earlier call (nothing queued again)
    no_contact: int
    outbox_ids: list[int] = field(default_factory=list)


def _items(values: tuple[str, ...], label: str) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(cleaned) > MAX_ITEMS or any(len(v) > 100 for v in cleaned):
        raise ValidationError(f"At most {MAX_ITEMS} {label} of up to 100 characters each.")
    return cleaned


def _range(start: dt.date | None, end: dt.date | None, label: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(f"The {label} range ends before it starts.")


def _validate(draft: CampaignDraft) -> None:
    if not draft.name.strip() or len(draft.name) > 200:
        raise ValidationError("Give the campaign a name (up to 200 characters).")
    if draft.kind not in CampaignKind.values:
        raise ValidationError(f"Unknown kind {draft.kind!r}; one of {', '.join(CampaignKind)}.")
    if not draft.subject.strip() or len(draft.subject) > 200 or not draft.body.strip():
        raise ValidationError("The notice needs a subject (up to 200 characters) and a body.")
    unknown = unknown_variables(draft.subject + "\n" + draft.body)
    if unknown:
        raise ValidationError(f"Unknown variables: {', '.join('{' + u + '}' for u in unknown)}.")
    _range(draft.shipped_from, draft.shipped_to, "shipped date")
    _range(draft.ordered_from, draft.ordered_to, "order date")


def _unique_slug(name: str) -> str:
    base = (slugify(name)[:MAX_SLUG] or "campaign").strip("-") or "campaign"
    slug, n = base, 1
    while ProactiveCampaign.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def campaign_create(*, draft: CampaignDraft, actor: Actor, now: dt.datetime) -> ProactiveCampaign:
    """Store a draft campaign (raises ValidationError; at least one audience criterion)."""
    _validate(draft)
    skus = _items(draft.skus, "SKUs")
    batches = _items(draft.batches, "batches")
    criteria = Criteria(
        carrier=draft.carrier.strip(),
        region=draft.region.strip(),
        shipped_from=draft.shipped_from,
        shipped_to=draft.shipped_to,
        skus=tuple(skus),
        batches=tuple(batches),
        ordered_from=draft.ordered_from,
        ordered_to=draft.ordered_to,
    )
    if criteria.empty:
        raise ValidationError("Set at least one audience criterion (carrier, SKU, batch, dates).")
    campaign = ProactiveCampaign.objects.create(
        slug=_unique_slug(draft.name),
        name=draft.name.strip(),
        kind=draft.kind,
        carrier=criteria.carrier,
        region=criteria.region,
        shipped_from=draft.shipped_from,
        shipped_to=draft.shipped_to,
        skus=skus,
        batches=batches,
        ordered_from=draft.ordered_from,
        ordered_to=draft.ordered_to,
        subject=draft.subject.strip(),
        body=draft.body,
        source_alert_id=draft.source_alert_id,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    audit_record(
        actor=actor,
        action="proactive.campaign_created",
        obj=campaign,
        after={"slug": campaign.slug, "kind": campaign.kind, "criteria": criteria.__dict__},
    )
    return campaign


def _new_token() -> str:
    return secrets.token_hex(6)


@transaction.atomic
def campaign_send(*, campaign_id: int, actor: Actor, now: dt.datetime) -> SendResult:
    """Queue one e-mail per affected, contactable customer through the outbox. Idempotent: a
    customer already told is skipped (and the outbox dedupe key `proactive:<campaign>:<customer>`
    would refuse a second message anyway); a later call tells only customers affected since."""
    campaign = ProactiveCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(f"Campaign {campaign_id} does not exist.")
    audience = campaign_audience(Criteria.of(campaign))
    existing = {r.customer_id: r for r in CampaignRecipient.objects.filter(campaign=campaign)}
    before = snapshot(campaign, TRACKED)
    queued: list[int] = []
    already = 0
    for member in audience.members:
        recipient = existing.get(member.customer_id)
        if recipient is None:
            recipient = CampaignRecipient.objects.create(
                campaign=campaign,
                customer_id=member.customer_id,
                token=_new_token(),
                email=member.email,
                order_numbers=list(member.order_numbers),
            )
        if recipient.notified_at is not None:
            already += 1
            continue
        reference = recipient.reference
        values = values_for(
            name=member.name,
            orders=list(member.order_numbers),
            carrier=campaign.carrier,
            region=campaign.region,
            skus=list(campaign.skus),
            batches=list(campaign.batches),
            reference=reference,
        )
        message = outbox_enqueue(
            kind="email",
            target=recipient.email,
            body=render(campaign.body, values),
            headers={
                "Subject": subject_with_reference(render(campaign.subject, values), reference),
                "X-SignalDesk-Campaign": campaign.slug,
                "X-SignalDesk-Reference": reference,
            },
            dedupe_key=f"proactive:{campaign.pk}:{member.customer_id}",
            now=now,
        )
        recipient.notified_at = now
        recipient.outbox_message_id = message.pk
        recipient.save(update_fields=["notified_at", "outbox_message_id"])
        queued.append(message.pk)
    if campaign.status != CampaignStatus.SENT:
        campaign.status = CampaignStatus.SENT
        campaign.sent_at = now
        campaign.sent_by_id = actor.user_id
    campaign.updated_at = now
    campaign.save(update_fields=[*TRACKED, "updated_at"])
    audit_record(
        actor=actor,
        action="proactive.campaign_sent",
        obj=campaign,
        before=before,
        after=snapshot(campaign, TRACKED),
        context={"notified": len(queued), "already": already, "no_contact": audience.no_contact},
    )
    logger.info("proactive.sent", extra={"campaign_id": campaign.pk, "notified": len(queued)})
    return SendResult(campaign.pk, len(queued), already, audience.no_contact, queued)


@transaction.atomic
def proactive_reply_link(
    *, reference: str, ticket: Ticket, customer_id: int | None, at: dt.datetime, actor: Actor
) -> CampaignRecipient | None:
    """Link a customer's reply (already stored on `ticket` by intake) to the campaign recipient
    named by `reference` ("PC-<campaign>-<token>", brackets optional).

    The ticket is tagged `campaign:<slug>`. The recipient row records the first reply time and
    the ticket only when the reply comes from the customer who was told (a forwarded notice
    answered by someone else is tagged but not counted). Unknown references return None and
    change nothing, so a mistyped subject never fails the message."""
    parsed = reference_parse(reference)
    if parsed is None:
        return None
    recipient = (
        CampaignRecipient.objects.select_for_update()
        .select_related("campaign")
        .filter(campaign_id=parsed.campaign_id, token=parsed.token)
        .first()
    )
    if recipient is None:
        return None
    campaign = recipient.campaign
    ticket_add_tags(ticket=ticket, tags=[campaign.tag], actor=actor)
    same_customer = customer_id == recipient.customer_id
    before = snapshot(recipient, ["replied_at", "ticket"])
    if same_customer:
        recipient.replied_at = recipient.replied_at or at
        recipient.ticket_id = recipient.ticket_id or ticket.pk
        recipient.save(update_fields=["replied_at", "ticket"])
    audit_record(
        actor=actor,
        action="proactive.reply_linked",
        obj=recipient,
        before=before,
        after=snapshot(recipient, ["replied_at", "ticket"]),
        context={"ticket_id": ticket.pk, "same_customer": same_customer, "tag": campaign.tag},
    )
    return recipient
