"""Customers: set-based resolution by identity (lower-cased email or an external id) and the
Shopify customers export. Order stats are recomputed set-based for touched customers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from signaldesk.commerce.models import Customer, CustomerIdentity, IdentityKind, LoyaltyTier, Order
from signaldesk.intake.importers.base import CsvImporter, CsvSpec, Row, Tally
from signaldesk.intake.importers.parse import RowProblem, parse_money, parse_qty, split_tags
from signaldesk.intake.importers.upsert import Table, where_in

NEW_CUSTOMER_FIELDS = ("created_at", "name", "phone", "country", "currency")


def clean_email(raw: str, column: str) -> str:
    email = raw.strip().lower()
    if email.startswith("mailto:"):
        email = email[7:]
    if email and ("@" not in email or len(email) > 254 or " " in email):
        raise RowProblem(column, f"not an email address: {raw.strip()!r}")
    return email


def identities(kind: str, values: Iterable[str]) -> dict[str, int]:
    """value -> customer id for the identities that exist (one query)."""
    wanted = set(values)
    if not wanted:
        return {}
    rows = where_in(CustomerIdentity.objects.filter(kind=kind), "value", wanted)
    return dict(rows.values_list("value", "customer_id"))


def link_identities(kind: str, pairs: Mapping[str, int]) -> None:
    """Add identities that do not exist yet; an identity never moves to another customer."""
    if not pairs:
        return
    table = Table(
        CustomerIdentity, key=("kind", "value"), fields=("customer_id", "created_at"), update=False
    )
    now = timezone.now()
    table.write(((kind, value), (cid, now)) for value, cid in pairs.items())


def ensure_customers(
    wanted: Mapping[str, Mapping[str, Any]], *, currency: str
) -> tuple[dict[str, int], set[str]]:
    """email -> customer id, creating a Customer and its email identity for unknown emails.
    `wanted[email]` may give created_at, name, phone, country for new customers."""
    found = identities(IdentityKind.EMAIL, wanted)
    missing = [e for e in wanted if e not in found]
    if not missing:
        return found, set()
    now = timezone.now()
    table = Table(Customer, key=("email",), fields=NEW_CUSTOMER_FIELDS)
    rows = {}
    for email in missing:
        attrs = wanted[email]
        rows[(email,)] = (
            attrs.get("created_at") or now,
            attrs.get("name", ""),
            attrs.get("phone", ""),
            attrs.get("country", ""),
            currency,
        )
    created = table.insert_returning(rows)
    link_identities(IdentityKind.EMAIL, {key[0]: cid for key, cid in created.items()})
    # a concurrent import may have claimed an email first: trust the identity table
    found.update(identities(IdentityKind.EMAIL, missing))
    return found, set(missing)


def recompute_customer_stats(customer_ids: Iterable[int]) -> None:
    """orders_count and lifetime_value (sum of order totals less refunds) from the orders."""
    ids = {cid for cid in customer_ids if cid}
    if not ids:
        return
    orders = Order.objects.filter(customer_id=OuterRef("pk")).order_by().values("customer_id")
    money = DecimalField(max_digits=14, decimal_places=2)
    where_in(Customer.objects.all(), "id", ids).update(
        orders_count=Coalesce(Subquery(orders.annotate(n=Count("pk")).values("n")), 0),
        lifetime_value=Coalesce(
            Subquery(
                orders.annotate(
                    v=Sum(F("total") - F("refunded_amount"), output_field=money)
                ).values("v")
            ),
            Value(Decimal("0.00")),
            output_field=money,
        ),
    )


TIER_RANK = {t: i for i, t in enumerate(LoyaltyTier.values)}


def loyalty_from_tags(tags: list[str]) -> str:
    """`VIP` -> vip; `tier:gold` / `loyalty:silver` -> that tier; the highest wins."""
    best = LoyaltyTier.NONE.value
    for tag in tags:
        low = tag.lower().replace(" ", "")
        tier = low.split(":", 1)[1] if low.startswith(("tier:", "loyalty:")) else low
        if tier in TIER_RANK and tier != "none" and TIER_RANK[tier] > TIER_RANK[best]:
            best = tier
    return best


CUSTOMER_FIELDS = (
    "name",
    "email",
    "phone",
    "country",
    "loyalty_tier",
    "lifetime_value",
    "orders_count",
    "marketing_consent",
    "currency",
)
YES = {"yes", "true", "1", "y", "subscribed"}


class CustomersImporter(CsvImporter):
    kind = "shopify-customers"
    spec = CsvSpec(
        required=("First Name", "Last Name", "Email"),
        optional=(
            "Customer ID",
            "Accepts Email Marketing",
            "Accepts Marketing",
            "Phone",
            "Default Address Country Code",
            "Total Spent",
            "Total Orders",
            "Tags",
        ),
        hint="is this a Shopify customers export?",
    )

    def handle(self, chunk: list[Row], ctx: Any, tally: Tally) -> None:
        c = self.cols
        parsed: list[tuple[Row, str, str, tuple[Any, ...]]] = []
        for row in chunk:
            try:
                email = clean_email(c(row, "Email"), "Email")
                ext = c(row, "Customer ID").strip().lstrip("'")
                if not email and not ext:
                    raise RowProblem("Email", "is empty (and no Customer ID)")
                name = f"{c(row, 'First Name').strip()} {c(row, 'Last Name').strip()}".strip()
                consent = c(row, "Accepts Email Marketing") or c(row, "Accepts Marketing")
                country = c(row, "Default Address Country Code").strip().upper()
                tags = split_tags(c(row, "Tags"))
                values = (
                    name,
                    email,
                    c(row, "Phone").strip().lstrip("'"),
                    country if len(country) == 2 else "",
                    loyalty_from_tags(tags),
                    parse_money(c(row, "Total Spent"), "Total Spent"),
                    parse_qty(c(row, "Total Orders"), "Total Orders", default=0),
                    consent.strip().lower() in YES,
                    ctx.currency,
                )
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            parsed.append((row, email, f"shopify:{ext}" if ext else "", values))
        by_email = identities(IdentityKind.EMAIL, {p[1] for p in parsed if p[1]})
        by_ext = identities(IdentityKind.EXTERNAL, {p[2] for p in parsed if p[2]})
        new_emails = {
            p[1]: {"created_at": timezone.now(), "name": p[3][0], "phone": p[3][2]}
            for p in parsed
            if p[1] and p[1] not in by_email and by_ext.get(p[2]) is None
        }
        created_ids, created = ensure_customers(new_emails, currency=ctx.currency)
        by_email.update(created_ids)
        rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        states: list[tuple[Row, int | None, bool]] = []
        ext_links: dict[str, int] = {}
        email_links: dict[str, int] = {}
        for row, email, ext, values in parsed:
            cid = by_email.get(email) if email else None
            cid = cid or by_ext.get(ext)
            fresh = email in created
            if cid is None:  # no email and an unknown Customer ID
                cid = Customer.objects.create(created_at=timezone.now(), email=email).pk
                fresh = True
            if ext:
                ext_links[ext] = cid
            if email and email not in by_email:
                email_links[email] = cid
            rows[(cid,)] = values
            states.append((row, cid, fresh))
        result = Table(Customer, key=("id",), fields=CUSTOMER_FIELDS).upsert(rows)
        link_identities(IdentityKind.EXTERNAL, ext_links)
        link_identities(IdentityKind.EMAIL, email_links)
        for _, cid, fresh in states:
            tally.add("created" if fresh else result.state((cid,)))
