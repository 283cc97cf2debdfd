"""Reads for the console: queues, their counts, one ticket's workspace, reason choices, search.

Queues stay fast on millions of tickets because every query is bounded: lists are LIMITed
pages over the open subset (status is indexed and open tickets are a small share of the
table), and counts are capped (`COUNT(*)` over a `LIMIT COUNT_CAP + 1` subquery, shown as
"500+"), never a count over the whole table."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import Case, F, IntegerField, OrderBy, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from signaldesk.accounts.models import Team
from signaldesk.commerce.models import Customer, CustomerIdentity, Order
from signaldesk.core.errors import NotFound
from signaldesk.tickets.models import (
    OPEN_STATUSES,
    PRIORITY_RANK,
    Message,
    Ticket,
    TicketStatus,
)
from signaldesk.workflow.selectors import sla_due_subquery

PAGE_SIZE = 25
MAX_PAGE = 200
COUNT_CAP = 500
THREAD_LIMIT = 500
NEEDS_ANSWER_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN)

# The order of every queue, most urgent first: SLA risk (earliest running due time; tickets
# without a running clock last), then priority, then how long the customer has waited.
QUEUE_ORDER: tuple[OrderBy, ...] = (
    F("sla_due_at").asc(nulls_last=True),
    F("priority_rank").desc(),
    F("waiting_since").asc(),
    F("id").asc(),
)

FALLBACK_REASONS = (
    "delivery_delay", "failed_delivery", "wrong_address", "lost_parcel", "damaged_parcel",
    "wrong_item", "missing_item", "damaged_item", "quality_issue", "sizing", "fit",
    "product_instructions", "expectation_mismatch", "return_request", "refund_status",
    "exchange_request", "warranty_request", "order_status", "other", "discount_code",
    "payment_issue", "checkout_problem",
    "account_issue", "stock_availability", "preorder", "back_in_stock", "substitution",
    "review", "complaint", "cancellation", "subscription_change",
)  # fmt: skip


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    condition: Q


@dataclass(frozen=True)
class QueueCount:
    queue: Queue
    count: int

    @property
    def display(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


@dataclass(frozen=True)
class QueuePage:
    queue: Queue
    tickets: list[Ticket]
    page: int
    has_next: bool


def queues_for(*, user: AbstractBaseUser | AnonymousUser) -> list[Queue]:
    """The queues an agent sees: needs an answer now, mine, unassigned, priority (VIP),
    escalated, then one per team."""
    open_q = Q(status__in=OPEN_STATUSES)
    queues = [
        Queue("now", "Needs an answer now", Q(status__in=NEEDS_ANSWER_STATUSES)),
        Queue("mine", "Mine", open_q & Q(assignee_id=user.pk)),
        Queue("unassigned", "Unassigned", open_q & Q(assignee__isnull=True)),
        # VIP tickets routed by the rules (workflow/rules.yaml `route: {queue: priority}`)
        Queue("priority", "Priority (VIP)", open_q & Q(custom_fields__queue="priority")),
        # escalated by an SLA stage (workflow/escalation.py) or by a rule's `escalate` action
        Queue(
            "escalated",
            "Escalated",
            open_q
            & (Q(custom_fields__has_key="escalated") | Q(custom_fields__has_key="escalations")),
        ),
    ]
    for team in Team.objects.only("id", "slug", "name").order_by("name"):
        queues.append(Queue(f"team-{team.slug}", team.name, open_q & Q(owner_team_id=team.pk)))
    return queues


def queue_get(*, key: str, user: AbstractBaseUser | AnonymousUser) -> Queue:
    for queue in queues_for(user=user):
        if queue.key == key:
            return queue
    raise NotFound(f"No queue {key!r}.")


def _ordered(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    rank = Case(
        *(When(priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(
        sla_due_at=sla_due_subquery(),
        priority_rank=rank,
        waiting_since=Coalesce("last_customer_message_at", "created_at"),
    ).order_by(*QUEUE_ORDER)


def queue_page(*, key: str, user: AbstractBaseUser | AnonymousUser, page: int) -> QueuePage:
    queue = queue_get(key=key, user=user)
    page = min(max(page, 1), MAX_PAGE)
    offset = (page - 1) * PAGE_SIZE
    # Two steps: the ordered page of ids over the (narrow) queue rows, then those rows with their
    # customer and assignee. In one query PostgreSQL joins every matching row (20k+ open tickets
    # on a 1M-ticket database) to customers before sorting: 5-10x slower.
    ordered = _ordered(Ticket.objects.filter(queue.condition)).values_list("pk", flat=True)
    ids = list(ordered[offset : offset + PAGE_SIZE + 1])
    by_id = (
        Ticket.objects.select_related("customer", "assignee")
        .annotate(
            sla_due_at=sla_due_subquery(),
            waiting_since=Coalesce("last_customer_message_at", "created_at"),
        )
        .in_bulk(ids)
    )
    rows: list[Ticket] = [by_id[pk] for pk in ids if pk in by_id]
    return QueuePage(
        queue=queue, tickets=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE
    )


def queue_counts(*, user: AbstractBaseUser | AnonymousUser) -> list[QueueCount]:
    counts = []
    for queue in queues_for(user=user):
        capped = Ticket.objects.filter(queue.condition).values("pk")[: COUNT_CAP + 1].count()
        counts.append(QueueCount(queue=queue, count=capped))
    return counts


@dataclass
class TicketWorkspace:
    ticket: Ticket
    messages: list[Message]
    identities: list[CustomerIdentity] = field(default_factory=list)
    prior_tickets: list[Ticket] = field(default_factory=list)
    order: Order | None = None
    other_orders: list[Order] = field(default_factory=list)
    reason_choices: list[tuple[str, str]] = field(default_factory=list)


def ticket_workspace(*, ticket_id: int) -> TicketWorkspace:
    """Everything the ticket page shows, in a fixed number of queries."""
    ticket = (
        Ticket.objects.select_related("customer", "order", "assignee", "owner_team")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound(f"No ticket #{ticket_id}.")
    messages = list(ticket.messages.order_by("created_at", "id")[:THREAD_LIMIT])
    workspace = TicketWorkspace(ticket=ticket, messages=messages, reason_choices=reason_choices())
    customer: Customer | None = ticket.customer
    if customer is not None:
        workspace.identities = list(customer.identities.order_by("kind", "value")[:20])
        workspace.prior_tickets = list(
            Ticket.objects.filter(customer_id=customer.pk)
            .exclude(pk=ticket.pk)
            .order_by("-created_at")
            .only("id", "subject", "status", "created_at", "contact_reason")[:10]
        )
        orders = Order.objects.filter(customer_id=customer.pk)
        if ticket.order_id is not None:
            orders = orders.exclude(pk=ticket.order_id)
        workspace.other_orders = list(
            orders.order_by("-created_at").only(
                "id", "number", "created_at", "total", "currency", "fulfillment_status"
            )[:5]
        )
    if ticket.order_id is not None:
        workspace.order = (
            Order.objects.filter(pk=ticket.order_id)
            .prefetch_related("lines__variant", "shipments", "returns", "refunds")
            .first()
        )
    return workspace


def ticket_get(*, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"No ticket #{ticket_id}.")
    return ticket


def reason_choices() -> list[tuple[str, str]]:
    """(reason id, label) pairs: the active taxonomy when the taxonomy app has one, otherwise
    the retail defaults plus every reason already on tickets (cached for five minutes)."""
    if apps.is_installed("signaldesk.taxonomy"):
        from signaldesk.taxonomy.selectors import active_taxonomy

        try:
            taxonomy = active_taxonomy()
        except NotFound:
            taxonomy = None
        if taxonomy is not None and taxonomy.reasons:
            return [(reason.id, reason.name) for reason in taxonomy.reasons]
    cached = cache.get("console:reason-choices")
    if cached is None:
        seen = set(
            Ticket.objects.exclude(contact_reason="")
            .order_by()
            .values_list("contact_reason", flat=True)
            .distinct()[:500]
        )
        cached = [
            (r, r.replace("_", " ").capitalize()) for r in sorted(seen | set(FALLBACK_REASONS))
        ]
        cache.set("console:reason-choices", cached, 300)
    return list(cached)


@dataclass(frozen=True)
class SearchResult:
    query: str
    tickets: list[Ticket]
    exact_ticket_id: int | None = None


def ticket_search(*, query: str) -> SearchResult:
    """Index-backed lookups only: a ticket number (#123), an order number, or a customer's
    email/phone identity. Full-text search arrives with the search issue."""
    text = query.strip()
    if not text:
        return SearchResult(query=text, tickets=[])
    number = text.lstrip("#")
    if number.isdigit() and Ticket.objects.filter(pk=int(number)).exists():
        return SearchResult(query=text, tickets=[], exact_ticket_id=int(number))
    matches = Q(order__number=text) | Q(order__number=f"#{number}")
    customer_ids = list(
        CustomerIdentity.objects.filter(value=text.lower()).values_list("customer_id", flat=True)[
            :20
        ]
    )
    if customer_ids:
        matches |= Q(customer_id__in=customer_ids)
    tickets = list(
        Ticket.objects.filter(matches)
        .select_related("customer", "assignee")
        .order_by("-created_at")[:50]
    )
    return SearchResult(query=text, tickets=tickets)
