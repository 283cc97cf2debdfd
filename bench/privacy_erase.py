"""Cost of one customer export and one erasure in a database with many other customers.

    .venv/bin/python bench/privacy_erase.py [--others 20000] [--tickets 50] [--home DIR]

Builds a fresh embedded SQLite database under --home (default: a temporary folder): --others
customers with 2 tickets of 2 messages each plus audit events (bulk inserts, search triggers on),
and one customer with --tickets tickets of 4 messages, identities, orders and audit events. Then
times privacy export (bytes written) and erasure (rows changed), and checks that search no
longer finds the customer. The point: both touch only the customer's rows (indexed lookups),
so their time should follow --tickets, not --others."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _setup(home: str) -> None:
    os.environ["SIGNALDESK_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")
    os.environ.setdefault("SIGNALDESK_SECRET_KEY", "bench-secret-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _build(others: int, tickets: int) -> int:
    from django.utils import timezone

    from signaldesk.commerce.models import Customer, CustomerIdentity, Order
    from signaldesk.core.models import AuditEvent
    from signaldesk.tickets.models import Message, Ticket

    now = timezone.now()
    t0 = now - dt.timedelta(days=10)

    def customers(prefix: str, n: int) -> list[Customer]:
        return Customer.objects.bulk_create(
            [
                Customer(name=f"{prefix} {i}", email=f"{prefix}{i}@example.com", created_at=t0)
                for i in range(n)
            ],
            batch_size=2000,
        )

    def load(owner_ids: list[int], per: int, msgs: int, text: str) -> None:
        ts = Ticket.objects.bulk_create(
            [
                Ticket(subject=f"{text} {c}-{k}", channel="email", status="open", customer_id=c,
                       contact_reason="delivery_delay", created_at=t0, updated_at=t0)
                for c in owner_ids for k in range(per)
            ],
            batch_size=2000,
        )  # fmt: skip
        Message.objects.bulk_create(
            [
                Message(ticket=t, direction="inbound", channel="email",
                        author_customer_id=t.customer_id, body_text=f"{text} message {t.pk}-{k}",
                        created_at=t0, received_at=t0)
                for t in ts for k in range(msgs)
            ],
            batch_size=2000,
        )  # fmt: skip
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(occurred_at=t0, actor_label="bench", action="ticket.created",
                           object_type="tickets.ticket", object_id=str(t.pk),
                           after={"subject": t.subject}, context={})
                for t in ts
            ],
            batch_size=2000,
        )  # fmt: skip

    background = customers("other", others)
    load([c.pk for c in background], 2, 2, "parcel late")
    (jane,) = customers("Jane Privacy", 1)
    CustomerIdentity.objects.create(customer=jane, kind="email", value=jane.email, created_at=t0)
    Order.objects.bulk_create(
        [Order(number=f"#P{i}", customer=jane, email=jane.email, created_at=t0) for i in range(10)]
    )
    AuditEvent.objects.create(
        occurred_at=t0, actor_label="bench", action="customer.created",
        object_type="commerce.customer", object_id=str(jane.pk),
        after={"name": jane.name, "email": jane.email}, context={},
    )  # fmt: skip
    load([jane.pk], tickets, 4, "Jane Privacy wrote")
    return jane.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--others", type=int, default=20000)
    parser.add_argument("--tickets", type=int, default=50)
    parser.add_argument("--home", default="")
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="sd-privacy-bench-")
    _setup(home)
    from signaldesk.commerce.models import Customer
    from signaldesk.core.audit import Actor
    from signaldesk.privacy.selectors import customer_export_chunks
    from signaldesk.privacy.services import customer_erase
    from signaldesk.search.selectors import search_customers, search_tickets

    start = time.perf_counter()
    jane_id = _build(args.others, args.tickets)
    print(
        f"built {args.others} other customers + 1 in {time.perf_counter() - start:.1f} s ({home})"
    )
    jane = Customer.objects.get(pk=jane_id)
    start = time.perf_counter()
    size = sum(len(chunk) for chunk in customer_export_chunks(jane))
    export_s = time.perf_counter() - start
    print(f"export: {size:,} bytes in {export_s * 1000:.0f} ms")
    start = time.perf_counter()
    result = customer_erase(customer=jane, reason="bench", actor=Actor.system("bench"))
    erase_s = time.perf_counter() - start
    print(
        f"erase: {sum(result.counts.values()):,} rows in {erase_s * 1000:.0f} ms: {result.counts}"
    )
    found = (search_customers(query="Jane Privacy"), search_tickets(query="Jane Privacy wrote"))
    print(f"search after erasure: customers {len(found[0])}, tickets {len(found[1])}")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
