"""Who an export or erasure is about: the customer, the records merged into it, and the ids and
personal values every registry declaration selects its rows by. Built once, before any change."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from signaldesk.commerce.models import Customer, CustomerIdentity, Order, Return, Review
from signaldesk.core.errors import NotFound
from signaldesk.tickets.models import Message, Ticket

MAX_MERGE_DEPTH = 20
NAME_PART_CHARS = 4  # "Jane" of "Jane Doe" is scrubbed on its own; "Li" is not


@dataclass(frozen=True)
class Subject:
    customer_id: int
    customer_ids: tuple[int, ...]  # the customer and every record merged into it
    ticket_ids: tuple[int, ...]
    message_ids: tuple[int, ...]
    order_ids: tuple[int, ...]
    review_ids: tuple[int, ...]
    return_ids: tuple[int, ...]
    emails: tuple[str, ...]  # as stored and lower-cased
    secrets: tuple[str, ...]  # names (+ parts), e-mails, phones, identities, ticket subjects


def customer_find(ref: str | int) -> Customer:
    """A customer by id or e-mail (exact, case-insensitive; identities too). Merged-away records
    resolve to the surviving customer."""
    text = str(ref).strip()
    customer: Customer | None
    if text.isdigit():
        customer = Customer.objects.filter(pk=int(text)).first()
    else:
        customer = (
            Customer.objects.filter(
                Q(email__iexact=text) | Q(identities__kind="email", identities__value=text.lower())
            )
            .order_by("pk")
            .first()
        )
    if customer is None:
        raise NotFound(f"No customer {text!r}.")
    for _ in range(MAX_MERGE_DEPTH):
        if customer.merged_into_id is None:
            break
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


def _merged_ids(customer_id: int) -> tuple[int, ...]:
    ids = [customer_id]
    frontier = [customer_id]
    for _ in range(MAX_MERGE_DEPTH):
        frontier = list(
            Customer.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        )
        if not frontier:
            break
        ids.extend(frontier)
    return tuple(sorted(set(ids)))


def _ids(rows: object) -> tuple[int, ...]:
    return tuple(sorted(int(pk) for pk in rows))  # type: ignore[attr-defined]


def subject_build(customer: Customer) -> Subject:
    customer_ids = _merged_ids(customer.pk)
    ticket_ids = _ids(
        Ticket.objects.filter(customer_id__in=customer_ids).values_list("pk", flat=True)
    )
    message_ids = _ids(
        Message.objects.filter(
            Q(ticket_id__in=ticket_ids) | Q(author_customer_id__in=customer_ids)
        ).values_list("pk", flat=True)
    )
    order_ids = _ids(
        Order.objects.filter(customer_id__in=customer_ids).values_list("pk", flat=True)
    )
    review_ids = _ids(
        Review.objects.filter(
            Q(customer_id__in=customer_ids) | Q(order_id__in=order_ids)
        ).values_list("pk", flat=True)
    )
    return_ids = _ids(Return.objects.filter(order_id__in=order_ids).values_list("pk", flat=True))
    people = list(
        Customer.objects.filter(pk__in=customer_ids).values_list("name", "email", "phone")
    )
    identities = list(
        CustomerIdentity.objects.filter(customer_id__in=customer_ids).values_list("kind", "value")
    )
    order_emails = set(
        Order.objects.filter(pk__in=order_ids).exclude(email="").values_list("email", flat=True)
    )
    emails = {e for _n, e, _p in people if e} | order_emails
    emails |= {value for kind, value in identities if kind == "email"}
    emails |= {e.lower() for e in emails}
    names = {n for n, _e, _p in people if n}
    name_parts = {part for n in names for part in n.split() if len(part) >= NAME_PART_CHARS}
    subjects = set(Ticket.objects.filter(pk__in=ticket_ids).values_list("subject", flat=True))
    secrets = {v for row in people for v in row if v} | {v for _k, v in identities} | emails
    secrets |= name_parts | {s for s in subjects if s}
    return Subject(
        customer_id=customer.pk,
        customer_ids=customer_ids,
        ticket_ids=ticket_ids,
        message_ids=message_ids,
        order_ids=order_ids,
        review_ids=review_ids,
        return_ids=return_ids,
        emails=tuple(sorted(emails)),
        secrets=tuple(sorted(secrets)),
    )
