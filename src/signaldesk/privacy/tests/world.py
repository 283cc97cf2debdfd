"""A customer with data in every app (tickets via intake, orders, review, return, survey, help
session, theme quote, queued e-mail, stored attachment) and a bystander who must stay intact."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from signaldesk.commerce.models import Customer, Order, Return, Review
from signaldesk.core.audit import Actor
from signaldesk.core.models import OutboxMessage
from signaldesk.followup.models import Survey
from signaldesk.intake.identity import IdentityClaims
from signaldesk.intake.services import InboundAttachment, InboundMessage, message_ingest
from signaldesk.knowledge.models import KnowledgeQuestion
from signaldesk.mail.attachments import attachment_path
from signaldesk.mail.models import BouncingAddress, MailMessage
from signaldesk.selfservice.models import SelfServiceSession
from signaldesk.signals.models import Theme, ThemeRun
from signaldesk.testing.factories import OrderFactory, OrderLineFactory
from signaldesk.tickets.models import Ticket
from signaldesk.triage.models import TicketEnrichment

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
JANE_EMAIL = "jane.roe@example.com"
JANE_PHONE = "+4915112345678"
JANE_TEXT = "My parcel never arrived. Call me on +4915112345678, Jane Roe"
FILE_BYTES = b"%PDF-1.4 receipt of Jane Roe"
FILE_SHA = hashlib.sha256(FILE_BYTES).hexdigest()


@dataclass
class World:
    jane: Customer
    max: Customer
    order: Order
    ticket: Ticket
    ticket2: Ticket
    max_ticket: Ticket
    review: Review
    return_request: Return
    survey: Survey
    theme: Theme
    session: SelfServiceSession
    question: KnowledgeQuestion
    outbox: OutboxMessage


def _ingest(*, email: str, name: str, phone: str, subject: str, text: str, thread: str,
            attachments: tuple[InboundAttachment, ...] = ()) -> Ticket:  # fmt: skip
    result = message_ingest(
        inbound=InboundMessage(
            channel="email",
            identity=IdentityClaims(email=email, phone=phone, name=name),
            subject=subject,
            text=text,
            external_thread_id=thread,
            attachments=attachments,
            sent_at=T0,
        ),
        actor=Actor.system("test"),
    )
    return Ticket.objects.get(pk=result.ticket_id)


def build_world() -> World:
    default_storage.save(attachment_path(FILE_SHA), ContentFile(FILE_BYTES))
    receipt = InboundAttachment(
        filename="receipt-jane-roe.pdf", content_type="application/pdf", size=len(FILE_BYTES),
        sha256=FILE_SHA,
    )  # fmt: skip
    ticket = _ingest(
        email=JANE_EMAIL, name="Jane Roe", phone=JANE_PHONE, subject="Parcel for Jane Roe lost",
        text=JANE_TEXT, thread="<t1@mail.example>", attachments=(receipt,),
    )  # fmt: skip
    jane = Customer.objects.get(pk=ticket.customer_id)
    ticket2 = _ingest(
        email=JANE_EMAIL, name="Jane Roe", phone="", subject="Invoice address",
        text="Please change the invoice to Jane Roe, Elbchaussee 1", thread="<t2@mail.example>",
    )  # fmt: skip
    max_ticket = _ingest(
        email="max.other@example.com", name="Max Other", phone="", subject="Parcel late",
        text="My parcel never arrived either", thread="<t3@mail.example>",
    )  # fmt: skip
    Ticket.objects.filter(pk__in=[ticket.pk, max_ticket.pk]).update(
        contact_reason="delivery_delay", reason_source="agent", created_at=T0
    )
    Ticket.objects.filter(pk=ticket2.pk).update(
        contact_reason="payment_issue", reason_source="agent", created_at=T0
    )
    order = OrderFactory(
        customer=jane, number="#50001", shipping_city="Hamburg", region="north",
        created_at=T0 - dt.timedelta(days=3), total=Decimal("89.90"),
    )  # fmt: skip
    OrderLineFactory(order=order, sku="SKU-PRIV-1", variant=None, name="Shoe")
    OrderFactory(customer=max_ticket.customer, number="#50002", created_at=T0)
    for t, sku in ((ticket, "SKU-PRIV-1"), (max_ticket, "SKU-PRIV-2"), (ticket2, "")):
        TicketEnrichment.objects.create(
            ticket=t, order=order if t is ticket else None, sku=sku, region="north",
            carrier="DHL", as_of=T0, computed_at=T0,
            entities={"emails": [JANE_EMAIL]} if t is ticket else {},
            provenance={"order": "quoted #50001 (Jane Roe)"} if t is ticket else {},
        )  # fmt: skip
    review = Review.objects.create(
        external_id="rv-1", sku="SKU-PRIV-1", customer=jane, order=order, rating=2,
        title="Jane Roe says: too small", body="Too small for me, Jane", created_at=T0,
    )  # fmt: skip
    return_request = Return.objects.create(
        rma="RMA-P1", order=order, sku="SKU-PRIV-1", reason_code="too_small",
        reason_text="Jane Roe needs a bigger size", requested_at=T0,
    )  # fmt: skip
    survey = Survey.objects.create(
        ticket=ticket, customer=jane, email=JANE_EMAIL, nonce="n1", reason_id="delivery_delay",
        channel="email", resolved_at=T0, sent_at=T0, answered_at=T0, csat=2, nps=4,
        comment="Jane Roe is unhappy",
    )  # fmt: skip
    run = ThemeRun.objects.create(
        as_of=T0.date(), window_days=28, n_texts=2, n_themes=1, created_at=T0
    )
    theme = Theme.objects.create(
        run=run, scope="all", label="parcel / arrived", size=2, recent_count=2,
        previous_count=0,
        quotes=[
            {"text": JANE_TEXT, "kind": "ticket", "id": ticket.pk},
            {"text": "My parcel never arrived either", "kind": "ticket", "id": max_ticket.pk},
        ],
        ticket_ids=[ticket.pk, max_ticket.pk],
    )  # fmt: skip
    session = SelfServiceSession.objects.create(
        token="tok-p1", flow="order_status", order=order, question="where is parcel of Jane Roe",
        steps=[{"step": "lookup", "email": JANE_EMAIL}], started_at=T0, updated_at=T0,
    )  # fmt: skip
    question = KnowledgeQuestion.objects.create(
        text="where is parcel of Jane Roe", asked_at=T0, session_ref="tok-p1"
    )
    MailMessage.objects.create(
        message_id="<t1@mail.example>", direction="inbound", kind="customer", ticket=ticket,
        ticket_message=ticket.messages.first(), from_address=JANE_EMAIL,
        to_addresses=["support@shop.example"], subject="Parcel for Jane Roe lost",
        classification_text=JANE_TEXT, created_at=T0,
        attachments_rejected=[{"filename": "jane-roe.exe", "reason": "type not allowed"}],
    )  # fmt: skip
    BouncingAddress.objects.create(
        address=JANE_EMAIL, bounces=1, first_bounced_at=T0, last_bounced_at=T0,
        last_diagnostic="550 no mailbox jane.roe", last_ticket=ticket2,
    )  # fmt: skip
    outbox = OutboxMessage.objects.create(
        kind="email", target=JANE_EMAIL, body="Dear Jane Roe, your survey", dedupe_key="s-1",
        created_at=timezone.now(), next_attempt_at=timezone.now(),
    )  # fmt: skip
    Customer.objects.filter(pk=jane.pk).update(orders_count=F("orders_count") + 1)
    return World(
        jane=jane, max=Customer.objects.get(pk=max_ticket.customer_id), order=order,
        ticket=ticket, ticket2=ticket2, max_ticket=max_ticket, review=review,
        return_request=return_request, survey=survey, theme=theme, session=session,
        question=question, outbox=outbox,
    )  # fmt: skip
