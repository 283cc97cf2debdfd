"""Writing imported tickets and their messages, shared by the Zendesk and CSV ticket importers.
Tickets upsert on (external_source, external_id); messages on idempotency_key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from signaldesk.accounts.models import AgentProfile, Team
from signaldesk.commerce.models import Order
from signaldesk.intake.importers.base import Tally
from signaldesk.intake.importers.parse import order_number_variants
from signaldesk.intake.importers.upsert import Table, where_in, worst
from signaldesk.tickets.models import Message, Ticket, TicketStatus

TICKET_FIELDS = (
    "subject",
    "channel",
    "status",
    "priority",
    "ticket_type",
    "tags",
    "custom_fields",
    "customer_id",
    "order_id",
    "variant_id",
    "owner_team_id",
    "assignee_id",
    "language",
    "created_at",
    "updated_at",
    "solved_at",
    "first_response_at",
    "last_customer_message_at",
    "satisfaction_score",
    "satisfaction_comment",
)
MESSAGE_FIELDS = (
    "ticket_id",
    "direction",
    "channel",
    "author_customer_id",
    "author_label",
    "body_text",
    "body_html",
    "external_id",
    "created_at",
    "received_at",
)
SOLVED = {TicketStatus.SOLVED.value, TicketStatus.CLOSED.value}


@dataclass
class MessageDraft:
    key: str  # idempotency key, e.g. zendesk:comment:123
    direction: str
    author_customer_id: int | None
    author_label: str
    body_text: str
    body_html: str
    external_id: str
    created_at: dt.datetime


@dataclass
class TicketDraft:
    line: int
    external_id: str
    values: dict[str, Any]
    messages: list[MessageDraft] = field(default_factory=list)

    def row(self) -> tuple[Any, ...]:
        v = self.values
        if v["status"] in SOLVED and v.get("solved_at") is None:
            v["solved_at"] = v["updated_at"]
        return tuple(v.get(name) if name in v else _DEFAULTS[name] for name in TICKET_FIELDS)


_DEFAULTS: dict[str, Any] = {
    "subject": "",
    "tags": [],
    "custom_fields": {},
    "language": "",
    "satisfaction_score": "",
    "satisfaction_comment": "",
    "solved_at": None,
}


def ticket_table() -> Table:
    return Table(
        Ticket,
        key=("external_source", "external_id"),
        fields=TICKET_FIELDS,
        conflict_where="NOT (\"external_id\" = '')",
        scope=~Q(external_id=""),
    )


def write_tickets(source: str, drafts: list[TicketDraft], tally: Tally) -> None:
    """Upsert a chunk of tickets and their messages; one outcome per ticket."""
    by_key = {(source, d.external_id): d for d in drafts}
    done = ticket_table().upsert({k: d.row() for k, d in by_key.items()})
    rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for key, draft in by_key.items():
        pk = done.pks[key]
        channel = draft.values["channel"]
        for m in draft.messages:
            rows[(m.key,)] = (
                pk,
                m.direction,
                channel,
                m.author_customer_id,
                m.author_label,
                m.body_text,
                m.body_html,
                m.external_id,
                m.created_at,
                m.created_at,
            )
    mdone = Table(Message, key=("idempotency_key",), fields=MESSAGE_FIELDS).upsert(
        rows, need_pks=False
    )
    if len(done.created) == len(by_key):
        tally.created += len(drafts)  # every ticket is new (a first import)
        return
    for draft in drafts:
        states = [mdone.state((m.key,)) for m in draft.messages]
        tally.add(worst(done.state((source, draft.external_id)), *states))


def orders_by_number(numbers: Iterable[str]) -> dict[str, tuple[int, str]]:
    """'#1001' or '1001' as written in the file -> (order id, currency)."""
    wanted = {n for n in numbers if n}
    if not wanted:
        return {}
    forms = {f for n in wanted for f in order_number_variants(n)}
    found = {
        number: (pk, currency)
        for number, pk, currency in where_in(Order.objects.all(), "number", forms).values_list(
            "number", "pk", "currency"
        )
    }
    out = {}
    for n in wanted:
        hit = next((found[f] for f in (n, *order_number_variants(n)) if f in found), None)
        if hit is not None:
            out[n] = hit
    return out


def teams_by_external_id(ids: Iterable[str]) -> dict[str, int]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(Team.objects.filter(external_id__in=wanted).values_list("external_id", "pk"))


def agents_by_external_id(ids: Iterable[str]) -> dict[str, int]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = AgentProfile.objects.filter(external_id__in=wanted)
    return dict(rows.values_list("external_id", "user_id"))


def users_by_login() -> dict[str, int]:
    """username or email (lower-case) -> user id, for all users (agents are few)."""
    out: dict[str, int] = {}
    user_model = get_user_model()
    for pk, username, email in user_model.objects.values_list("pk", "username", "email"):
        for login in (username.lower(), (email or "").lower()):
            if login:
                out.setdefault(login, pk)
    return out


def teams_by_name() -> dict[str, int]:
    """slug, name or external id (lower-case) -> team id; teams are few."""
    out: dict[str, int] = {}
    for pk, slug, name, ext in Team.objects.values_list("pk", "slug", "name", "external_id"):
        for label in (slug, name, ext):
            if label:
                out[label.lower()] = pk
    return out
