"""The generic tickets CSV (any helpdesk's export reshaped to our columns; see docs/formats.md)."""

from __future__ import annotations

from typing import Any

from signaldesk.intake.importers.base import CsvImporter, CsvSpec, Row, Tally
from signaldesk.intake.importers.customers import clean_email, ensure_customers
from signaldesk.intake.importers.parse import (
    RowProblem,
    choice,
    parse_dt,
    required,
    split_tags,
    synonyms,
)
from signaldesk.intake.importers.shopify import variant_ids
from signaldesk.intake.importers.ticketwrite import (
    MessageDraft,
    TicketDraft,
    orders_by_number,
    teams_by_name,
    users_by_login,
    write_tickets,
)
from signaldesk.tickets.models import Channel, Direction, Priority, TicketStatus, TicketType

CHANNELS = synonyms(
    Channel.values,
    {
        "web": "form",
        "web_form": "form",
        "webform": "form",
        "contact_form": "form",
        "voice": "phone",
        "call": "phone",
        "phone_call": "phone",
        "sms": "chat",
        "live_chat": "chat",
        "messenger": "social",
        "facebook": "social",
        "instagram": "social",
        "twitter": "social",
        "x": "social",
        "tiktok": "social",
        "amazon": "marketplace",
        "ebay": "marketplace",
        "help_center": "self_service",
        "self-service": "self_service",
    },
)
STATUSES = synonyms(
    TicketStatus.values,
    {
        "hold": "on_hold",
        "waiting": "pending",
        "waiting_on_customer": "pending",
        "resolved": "solved",
    },
)
PRIORITIES = synonyms(Priority.values, {"medium": "normal", "critical": "urgent"})
TYPES = synonyms(TicketType.values, {"refund_request": "refund", "exchange": "replacement"})


class TicketsImporter(CsvImporter):
    kind = "tickets"
    spec = CsvSpec(
        required=("ticket_id", "created_at", "channel", "body"),
        optional=(
            "subject",
            "status",
            "priority",
            "type",
            "updated_at",
            "customer_email",
            "customer_name",
            "customer_phone",
            "order_number",
            "sku",
            "tags",
            "assignee",
            "group",
            "language",
            "satisfaction",
        ),
        hint="is this a tickets CSV (see docs/formats.md)?",
    )

    def prepare(self, source: Any, ctx: Any) -> None:
        super().prepare(source, ctx)
        self.source_name = ctx.options.get("source", "csv")[:30]
        self.teams = teams_by_name()
        self.users = users_by_login()

    def handle(self, chunk: list[Row], ctx: Any, tally: Tally) -> None:
        c = self.cols
        parsed: list[tuple[Row, str, dict[str, Any], str, str]] = []
        wanted: dict[str, dict[str, Any]] = {}
        for row in chunk:
            try:
                tid = required(c(row, "ticket_id"), "ticket_id", max_len=64)
                created = parse_dt(c(row, "created_at"), "created_at", required=True)
                body = required(c(row, "body"), "body", max_len=10_000_000)
                email = clean_email(c(row, "customer_email"), "customer_email")
                values: dict[str, Any] = {
                    "subject": c(row, "subject").strip(),
                    "channel": choice(c(row, "channel"), "channel", CHANNELS),
                    "status": choice(c(row, "status"), "status", STATUSES, default="new"),
                    "priority": choice(
                        c(row, "priority"), "priority", PRIORITIES, default="normal"
                    ),
                    "ticket_type": choice(c(row, "type"), "type", TYPES, default="general"),
                    "tags": split_tags(c(row, "tags")),
                    "language": c(row, "language").strip().lower(),
                    "created_at": created,
                    "updated_at": parse_dt(c(row, "updated_at"), "updated_at") or created,
                    "satisfaction_score": c(row, "satisfaction").strip().lower(),
                    "first_response_at": None,
                    "last_customer_message_at": created,
                }
            except RowProblem as exc:
                tally.problem(row.line, exc)
                continue
            if email:
                wanted.setdefault(
                    email,
                    {
                        "created_at": created,
                        "name": c(row, "customer_name").strip(),
                        "phone": c(row, "customer_phone").strip()[:32],
                    },
                )
            parsed.append((row, tid, values, email, body))
        customers, _ = ensure_customers(wanted, currency=ctx.currency)
        orders = orders_by_number(c(row, "order_number").strip() for row, *_ in parsed)
        skus = variant_ids(c(row, "sku").strip() for row, *_ in parsed)
        drafts = []
        for row, tid, values, email, body in parsed:
            number = c(row, "order_number").strip()
            assignee = c(row, "assignee").strip()
            group = c(row, "group").strip()
            custom = {
                k: v
                for k, v in (("order_number", number), ("assignee", assignee), ("group", group))
                if v
            }
            order = orders.get(number)
            customer_id = customers.get(email) if email else None
            values.update(
                custom_fields=custom,
                customer_id=customer_id,
                order_id=order[0] if order else None,
                variant_id=skus.get(c(row, "sku").strip()),
                owner_team_id=self.teams.get(group.lower()),
                assignee_id=self.users.get(assignee.lower()),
            )
            draft = TicketDraft(line=row.line, external_id=tid, values=values)
            draft.messages.append(
                MessageDraft(
                    key=f"{self.source_name}:ticket:{tid}:body",
                    direction=Direction.INBOUND,
                    author_customer_id=customer_id,
                    author_label=c(row, "customer_name").strip() or email,
                    body_text=body,
                    body_html="",
                    external_id=f"{tid}:body",
                    created_at=values["created_at"],
                )
            )
            drafts.append(draft)
        write_tickets(self.source_name, drafts, tally)
