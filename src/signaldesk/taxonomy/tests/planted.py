"""A hand-built set of tagged tickets with planted problems, shared by the audit and relabel tests.

- "shipping" (ana ×6) and its misspelling "shiping" (ben ×2): lost-parcel tickets.
- "late-delivery" and "late_delivery" (cara): the same tag spelled two ways, delay tickets.
- "wismo" (ana ×5) and "order-query" (ben ×5): different tags for the same where-is-my-order
  tickets, one per agent.
- "general" (cara ×9): a generic tag spread over unrelated tickets.
- "old-promo": used once, 200 days ago. "gift-wrap" is in the tag list but never used.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from signaldesk.accounts.services import user_create
from signaldesk.core.audit import Actor
from signaldesk.tickets.models import Direction, Message, Ticket

LOST = [
    "My parcel is lost, tracking has not moved for two weeks",
    "The carrier says they lost my package",
    "Parcel lost in transit, no tracking update since it left the warehouse",
    "I think my parcel is lost, the courier cannot find it",
    "Package lost somewhere between the depot and my house",
    "Tracking stuck for ten days, the parcel must be lost",
    "Lost parcel: the carrier closed the investigation",
    "Where did my parcel go? Carrier says lost",
]
LATE = [
    "My delivery is late, it was supposed to arrive yesterday",
    "Delivery delayed again, the estimated delivery date has passed",
    "The parcel is late, you promised next day delivery",
    "Late delivery, still waiting for my package after a week",
    "Why is my delivery delayed? It should have arrived on Monday",
    "Delivery is late and I need it for a birthday",
    "The delivery date passed and the parcel is still not here",
]
WISMO_ANA = [
    "Where is my order? No tracking number yet",
    "Has my order shipped yet? I need a status update",
    "Order status please, I have not received a tracking number",
    "Can you tell me the status of my order?",
    "Where is my order, is it on its way?",
]
WISMO_BEN = [
    "Status of my order? Has it shipped?",
    "I have no tracking number for my order, where is it?",
    "Is my order on its way? Please send a status update",
    "Where is my order 4411, has it been dispatched?",
    "Could you check my order status and tracking?",
]
GENERAL = [
    "What size should I get, does this run small?",
    "When will I get my refund for the returned jacket?",
    "My discount code is not working at checkout",
    "The mug arrived broken, the handle is cracked",
    "I want to cancel my order please",
    "How do I assemble the shelf, instructions missing",
    "I can't log in to my account, password reset never arrives",
    "Do you have this in stock in size 10?",
    "I want to pause my subscription for a month",
]


def _user(name: str) -> User:
    return user_create(  # type: ignore[return-value]
        username=name, email="", password="x-" + name, role="agent", actor=Actor.system("test")
    )


def _ticket(subject: str, tags: list[str], agent: User, created_at: dt.datetime) -> Ticket:
    ticket = Ticket.objects.create(
        subject=subject, tags=tags, assignee=agent, created_at=created_at, updated_at=created_at
    )
    Message.objects.create(
        ticket=ticket,
        direction=Direction.INBOUND,
        channel="email",
        body_text=subject,
        created_at=created_at,
        received_at=created_at,
    )
    return ticket


def build_planted_tickets() -> dict[str, list[Ticket]]:
    ana, ben, cara = _user("ana"), _user("ben"), _user("cara")
    now = timezone.now()
    day = dt.timedelta(days=1)
    out: dict[str, list[Ticket]] = {}

    def add(key: str, subjects: list[str], tags: list[str], agent: User, age: int = 3) -> None:
        out.setdefault(key, []).extend(
            _ticket(s, list(tags), agent, now - (age + i) * day) for i, s in enumerate(subjects)
        )

    add("shipping", LOST[:6], ["shipping"], ana)
    add("shiping", LOST[6:], ["shiping"], ben)
    add("late-delivery", LATE[:4], ["late-delivery"], cara)
    add("late_delivery", LATE[4:], ["late_delivery"], cara)
    add("wismo", WISMO_ANA, ["wismo"], ana)
    add("order-query", WISMO_BEN, ["order-query"], ben)
    add("general", GENERAL, ["general"], cara)
    add("old-promo", ["Promo code SPRING20 was not applied"], ["old-promo"], cara, age=200)
    return out
