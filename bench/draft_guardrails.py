"""Draft + guardrails latency over N demo-like tickets (no LLM), on a throwaway SQLite database.

.venv/bin/python bench/draft_guardrails.py --tickets 500
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=500)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="sd-bench-")
    os.environ["SIGNALDESK_HOME"] = home
    os.environ.pop("SIGNALDESK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from signaldesk.core.audit import Actor
    from signaldesk.knowledge.services import articles_load
    from signaldesk.replies.drafts import draft_build
    from signaldesk.replies.services import macros_sync_from_taxonomy
    from signaldesk.testing.factories import (
        CustomerFactory,
        MessageFactory,
        OrderFactory,
        OrderLineFactory,
        ShipmentFactory,
        TicketFactory,
    )  # fmt: skip

    actor = Actor.system("bench")
    articles_load(actor=actor)
    macros_sync_from_taxonomy(actor=actor)
    reasons = ["delivery_delay", "damaged_item", "return_request", "refund_status",
               "lost_parcel", "sizing", "discount_code", "warranty_request"]  # fmt: skip
    tickets = []
    for i in range(args.tickets):
        customer = CustomerFactory(name=f"Customer {i}")
        order = OrderFactory(customer=customer, total=Decimal("59.90"))
        OrderLineFactory(order=order)
        ShipmentFactory(order=order, promised_at=dt.date(2026, 11, 20))
        ticket = TicketFactory(customer=customer, order=order, contact_reason=reasons[i % 8])
        MessageFactory(ticket=ticket, body_text=f"Hello, where is my order {order.number}?")
        tickets.append(ticket)
    draft_build(ticket=tickets[0])  # warm caches (taxonomy, knowledge index)
    timings = []
    for ticket in tickets:
        start = time.perf_counter()
        draft_build(ticket=ticket)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"tickets={len(timings)} p50={statistics.median(timings):.1f}ms p95={p95:.1f}ms "
          f"max={timings[-1]:.1f}ms")  # fmt: skip
    sys.exit(0)


if __name__ == "__main__":
    main()
