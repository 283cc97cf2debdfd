"""factory_boy factories for the core domain models, for tests in every package.

    customer = CustomerFactory(email="ana@example.com")       # no identity rows by itself
    CustomerIdentityFactory(customer=customer, kind="email", value="ana@example.com")
    customer = CustomerFactory.with_identities(email="ana@example.com", phone="+491511234567")
    order = OrderFactory(customer=customer, number="#10023")
    agent = UserFactory(role="agent")                          # AgentProfile with that role

Timestamps default to now; pass explicit values when a test depends on time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from signaldesk.accounts.models import AgentProfile, Role
from signaldesk.commerce.models import (
    Customer,
    CustomerIdentity,
    IdentityKind,
    Order,
    OrderLine,
    Product,
    Shipment,
    Variant,
)
from signaldesk.tickets.models import Channel, Direction, Message, Ticket, TicketStatus

TEST_PASSWORD = "correct-horse-battery-staple"


def _now() -> dt.datetime:
    return timezone.now()


class UserFactory(DjangoModelFactory):
    """A user with an AgentProfile: UserFactory(role="stakeholder", team=team)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@staff.example.com")
    password = factory.django.Password(TEST_PASSWORD)
    is_active = True

    @factory.post_generation
    def role(obj: Any, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if not create:
            return
        role = extracted or Role.AGENT
        AgentProfile.objects.update_or_create(
            user=obj,
            defaults={"role": role, "team": kwargs.get("team"), "languages": ["en"]},
        )
        if role == Role.ADMIN:
            obj.is_staff = obj.is_superuser = True
            obj.save(update_fields=["is_staff", "is_superuser"])


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    country = "DE"
    created_at = factory.LazyFunction(_now)

    @classmethod
    def with_identities(cls, **kwargs: Any) -> Customer:
        """A customer plus identity rows for the email/phone given (as already normalised)."""
        customer = cast(Customer, cls(**kwargs))
        for kind, value in (
            (IdentityKind.EMAIL, customer.email),
            (IdentityKind.PHONE, customer.phone),
        ):
            if value:
                CustomerIdentityFactory(customer=customer, kind=kind, value=value)
        return customer


class CustomerIdentityFactory(DjangoModelFactory):
    class Meta:
        model = CustomerIdentity

    customer = factory.SubFactory(CustomerFactory)
    kind = IdentityKind.EMAIL
    value = factory.Sequence(lambda n: f"identity{n}@example.com")
    created_at = factory.LazyFunction(_now)


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    handle = factory.Sequence(lambda n: f"product-{n}")
    title = factory.Sequence(lambda n: f"Product {n}")
    product_type = "Apparel"


class VariantFactory(DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    title = factory.LazyAttribute(lambda o: f"{o.product.title} / M")
    size = "M"
    price = Decimal("49.90")
    currency = "EUR"


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"#{10000 + n}")
    customer = factory.SubFactory(CustomerFactory)
    email = factory.LazyAttribute(lambda o: o.customer.email if o.customer else "")
    created_at = factory.LazyFunction(_now)
    financial_status = "paid"
    currency = "EUR"
    subtotal = Decimal("49.90")
    total = Decimal("49.90")
    source = "web"


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    variant = factory.SubFactory(VariantFactory)
    sku = factory.LazyAttribute(lambda o: o.variant.sku if o.variant else "")
    name = factory.LazyAttribute(lambda o: o.variant.title if o.variant else "Item")
    quantity = 1
    price = Decimal("49.90")


class ShipmentFactory(DjangoModelFactory):
    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory)
    tracking_number = factory.Sequence(lambda n: f"TRK{n:09d}")
    carrier = "DHL"
    warehouse = "BER-1"


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    subject = factory.Sequence(lambda n: f"Ticket {n}")
    channel = Channel.EMAIL
    status = TicketStatus.NEW
    customer = factory.SubFactory(CustomerFactory)
    created_at = factory.LazyFunction(_now)
    updated_at = factory.LazyAttribute(lambda o: o.created_at)


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    direction = Direction.INBOUND
    channel = factory.LazyAttribute(lambda o: o.ticket.channel)
    author_customer = factory.LazyAttribute(lambda o: o.ticket.customer)
    body_text = factory.Sequence(lambda n: f"Message {n}")
    created_at = factory.LazyFunction(_now)
    received_at = factory.LazyAttribute(lambda o: o.created_at)
