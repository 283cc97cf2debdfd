"""Who wrote a message: normalising identities, finding (or creating) the customer behind them,
and merging customer records that turn out to be one person. Rules: docs/intake.md."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from signaldesk.commerce.models import Customer, CustomerIdentity, IdentityKind, Order, Review
from signaldesk.core.audit import Actor, audit_record, snapshot
from signaldesk.privacy.models import ErasureRecord
from signaldesk.tickets.models import Message, Ticket

logger = logging.getLogger(__name__)

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_JUNK_RE = re.compile(r"[\s().\-/]")
_MAX_MERGE_HOPS = 20


def normalise_email(raw: str) -> str:
    value = raw.strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    if len(value) > 254 or not _EMAIL_RE.match(value):
        raise ValueError("Not an email address.")
    return value


def normalise_phone(raw: str) -> str:
    """E.164-ish: '+' and 8–15 digits. Accepts spaces, dashes, dots, slashes, brackets and a
    leading '00'. National numbers without a country code are refused, not guessed."""
    value = _PHONE_JUNK_RE.sub("", raw.strip())
    if value.startswith("00"):
        value = "+" + value[2:]
    if not value.startswith("+"):
        raise ValueError("Phone numbers need a country code, e.g. +4915112345678.")
    digits = value[1:]
    if not digits.isdigit() or not 8 <= len(digits) <= 15 or digits.startswith("0"):
        raise ValueError("Not a phone number in international format.")
    return "+" + digits


def normalise_handle(raw: str) -> str:
    value = raw.strip().lower()
    if len(value) > 254 or not value or any(ch.isspace() for ch in value):
        raise ValueError("A social handle is one word of at most 254 characters.")
    return value


def normalise_marketplace_id(raw: str) -> str:
    value = raw.strip()
    if len(value) > 254 or not value or any(ch.isspace() for ch in value):
        raise ValueError("A marketplace id is one word of at most 254 characters.")
    return value


@dataclass(frozen=True)
class IdentityClaims:
    """Normalised identities one message asserts (use the normalise_* functions)."""

    email: str = ""
    phone: str = ""
    social_handle: str = ""
    marketplace_id: str = ""
    name: str = ""

    def pairs(self) -> list[tuple[str, str]]:
        candidates = [
            (IdentityKind.EMAIL.value, self.email),
            (IdentityKind.PHONE.value, self.phone),
            (IdentityKind.SOCIAL.value, self.social_handle),
            (IdentityKind.MARKETPLACE.value, self.marketplace_id),
        ]
        return [(kind, value) for kind, value in candidates if value]


@dataclass(frozen=True)
class CustomerResolution:
    customer: Customer
    matched_by: str  # "identity", "order" or "new"
    created: bool
    merged_customer_ids: tuple[int, ...]
    identities_added: tuple[str, ...]


def customer_surviving(customer: Customer) -> Customer:
    """Follow merged_into to the record that absorbed this one."""
    current = customer
    for _ in range(_MAX_MERGE_HOPS):
        if current.merged_into_id is None:
            return current
        current = Customer.objects.get(pk=current.merged_into_id)
    raise RuntimeError(f"customer {customer.pk}: merged_into chain too long or cyclic")


def _owners_of(claims: IdentityClaims) -> tuple[list[Customer], set[tuple[str, str]]]:
    """Existing customers (surviving records, oldest first) that own any claimed identity, and
    the claimed (kind, value) pairs that already have an identity row. Customers imported with
    an email but no identity row are found by Customer.email."""
    owners: dict[int, Customer] = {}
    owned: set[tuple[str, str]] = set()
    for kind, value in claims.pairs():
        identity = (
            CustomerIdentity.objects.select_related("customer")
            .filter(kind=kind, value=value)
            .first()
        )
        if identity is not None:
            survivor = customer_surviving(identity.customer)
            owners[survivor.pk] = survivor
            owned.add((kind, value))
    if claims.email and (IdentityKind.EMAIL.value, claims.email) not in owned:
        legacy = (
            Customer.objects.filter(email=claims.email, merged_into__isnull=True)
            .order_by("created_at", "pk")
            .first()
        )
        if legacy is not None:
            owners[legacy.pk] = legacy
    return sorted(owners.values(), key=lambda c: (c.created_at, c.pk)), owned


def _order_owner(orders: Sequence[Order]) -> Customer | None:
    """The one customer who placed the quoted orders; None when none or several. Customers
    whose data was erased (privacy) are never re-linked by quoting their old orders."""
    owners = {
        survivor.pk: survivor
        for survivor in (customer_surviving(o.customer) for o in orders if o.customer is not None)
    }
    erased = ErasureRecord.objects.filter(customer_id__in=list(owners)).values_list(
        "customer_id", flat=True
    )
    for customer_id in list(erased):
        owners.pop(customer_id, None)
    if len(owners) != 1:
        return None
    return next(iter(owners.values()))


@transaction.atomic
def customer_resolve(
    *,
    claims: IdentityClaims,
    quoted_orders: Sequence[Order],
    at: dt.datetime,
    actor: Actor,
) -> CustomerResolution:
    """The customer behind a message, creating, linking or merging records as docs/intake.md
    describes. Raises IntegrityError when a concurrent request claimed an identity first; the
    caller retries."""
    if not claims.pairs():
        raise ValueError("At least one identity (email, phone, social handle or marketplace id).")
    owners, owned = _owners_of(claims)
    merged: tuple[int, ...] = ()
    created = False
    if owners:
        customer, matched_by = owners[0], "identity"
        if len(owners) > 1:
            customers_merge(
                survivor=customer,
                duplicates=owners[1:],
                actor=actor,
                reason="identities proven by one message: "
                + ", ".join(f"{k}:{v}" for k, v in claims.pairs()),
            )
            merged = tuple(c.pk for c in owners[1:])
            customer.refresh_from_db()
    else:
        order_owner = _order_owner(quoted_orders)
        if order_owner is not None:
            customer, matched_by = order_owner, "order"
        else:
            customer = Customer.objects.create(
                name=claims.name[:200], email=claims.email, phone=claims.phone, created_at=at
            )
            created, matched_by = True, "new"
            audit_record(
                actor=actor,
                action="customer.created",
                obj=customer,
                after=snapshot(customer, ["name", "email", "phone"]),
                context={"source": "intake"},
            )
    added = _identities_add(
        customer=customer, claims=claims, owned=owned, at=at, actor=actor, via=matched_by
    )
    if not created:
        _fill_blank_contact_fields(customer=customer, claims=claims, actor=actor)
    return CustomerResolution(
        customer=customer,
        matched_by=matched_by,
        created=created,
        merged_customer_ids=merged,
        identities_added=added,
    )


def _identities_add(
    *,
    customer: Customer,
    claims: IdentityClaims,
    owned: set[tuple[str, str]],
    at: dt.datetime,
    actor: Actor,
    via: str,
) -> tuple[str, ...]:
    """Create the identity rows that did not exist when the owners were looked up. Pairs that
    did exist belong to `customer` by now (directly or through the merge). No re-check here on
    purpose: if a concurrent request created one of these rows meanwhile, the insert must fail
    (IntegrityError) so the whole attempt is retried, instead of committing a second customer."""
    added: list[str] = []
    for kind, value in claims.pairs():
        if (kind, value) in owned:
            continue
        identity = CustomerIdentity.objects.create(
            customer=customer, kind=kind, value=value, created_at=at
        )
        audit_record(
            actor=actor,
            action="customer.identity_added",
            obj=customer,
            after={"kind": kind, "value": value},
            context={"identity_id": identity.pk, "matched_by": via},
        )
        added.append(f"{kind}:{value}")
    return tuple(added)


def _fill_blank_contact_fields(*, customer: Customer, claims: IdentityClaims, actor: Actor) -> None:
    fields = ["name", "email", "phone"]
    before = snapshot(customer, fields)
    customer.name = customer.name or claims.name[:200]
    customer.email = customer.email or claims.email
    customer.phone = customer.phone or claims.phone
    after = snapshot(customer, fields)
    if after != before:
        customer.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor, action="customer.updated", obj=customer, before=before, after=after
        )


@transaction.atomic
def customers_merge(
    *, survivor: Customer, duplicates: Sequence[Customer], actor: Actor, reason: str
) -> Customer:
    """Fold `duplicates` into `survivor`: identities, tickets, orders, reviews and authored
    messages move over, blank contact fields are filled, order counts and lifetime value are
    added up (same currency only), and each duplicate gets merged_into=survivor."""
    ids = [survivor.pk, *(d.pk for d in duplicates)]
    locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=ids)}
    target = locked[survivor.pk]
    if target.merged_into_id is not None:
        raise ValueError(f"customer {target.pk} was itself merged; merge into its survivor")
    for duplicate in (locked[d.pk] for d in duplicates if d.pk != target.pk):
        if duplicate.merged_into_id is not None:
            continue
        moved = {
            "identities": CustomerIdentity.objects.filter(customer=duplicate).update(
                customer=target
            ),
            "tickets": Ticket.objects.filter(customer=duplicate).update(customer=target),
            "orders": Order.objects.filter(customer=duplicate).update(customer=target),
            "reviews": Review.objects.filter(customer=duplicate).update(customer=target),
            "messages": Message.objects.filter(author_customer=duplicate).update(
                author_customer=target
            ),
            "earlier_merges": Customer.objects.filter(merged_into=duplicate).update(
                merged_into=target
            ),
        }
        target_before = snapshot(target, ["name", "email", "phone", "orders_count"])
        for field in ("name", "email", "phone", "country", "region"):
            if not getattr(target, field):
                setattr(target, field, getattr(duplicate, field))
        target.orders_count += duplicate.orders_count
        if duplicate.currency == target.currency:
            target.lifetime_value += duplicate.lifetime_value
        target.abuse_flag = target.abuse_flag or duplicate.abuse_flag
        target.save()
        duplicate.merged_into = target
        duplicate.save(update_fields=["merged_into", "updated_at"])
        audit_record(
            actor=actor,
            action="customer.merged",
            obj=duplicate,
            before={"merged_into": None, "survivor": target_before},
            after={"merged_into": target.pk},
            context={"reason": reason, "moved": moved},
        )
        logger.info(
            "customer.merged", extra={"customer_id": duplicate.pk, "survivor_id": target.pk}
        )
    survivor.refresh_from_db()
    return survivor
