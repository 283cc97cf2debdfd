"""Where customer personal data lives: one declaration per model of every installed app.

- `Personal`: rows about a customer (selected from the Subject's ids and addresses), exported
  whole and erased field by field (`How`), or deleted.
- `Special`: models whose rows cannot be selected by a query (theme quotes, note text, the audit
  log): a function exports them and another erases them (privacy/special.py).
- `Exempt`: holds no customer personal data, and why.

tests/test_registry.py fails when a model with a foreign key to Customer, Order, Ticket or Message,
or a field named like an address (email, phone, address), is not declared here, so a new app
cannot forget its personal data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from signaldesk.privacy.subject import Subject


class How(StrEnum):
    TEXT = "text"  # non-empty → "[erased]"
    BLANK = "blank"  # → ""
    NAME_TOKEN = "name_token"  # → "erased-<token>"
    EMAIL_TOKEN = "email_token"  # → "erased-<token>@erased.invalid"
    ROW_TOKEN = "row_token"  # → "erased-<token>-<pk>" (unique columns: Message-IDs, thread keys)
    EMPTY = "empty"  # JSON → the field's default ({} or [])
    SCRUB = "scrub"  # names, e-mails, phones, subjects replaced inside the text or JSON
    ATTACHMENTS = "attachments"  # file names erased, sha256 dropped; the stored files deleted


@dataclass(frozen=True)
class Personal:
    model: str  # app_label.ModelName
    rows: Callable[[Subject], Q]
    holds: str
    erase: Mapping[str, How] = field(default_factory=dict)
    delete: bool = False


@dataclass(frozen=True)
class Special:
    model: str
    holds: str


@dataclass(frozen=True)
class Exempt:
    model: str
    why: str


Declaration = Personal | Special | Exempt


def _customer(s: Subject) -> Q:
    return Q(customer_id__in=s.customer_ids)


def _ticket(s: Subject) -> Q:
    return Q(ticket_id__in=s.ticket_ids)


def _order(s: Subject) -> Q:
    return Q(order_id__in=s.order_ids)


def _help_sessions(s: Subject) -> Q:
    from signaldesk.selfservice.models import SelfServiceSession

    sessions = SelfServiceSession.objects.filter(
        Q(order_id__in=s.order_ids) | Q(ticket_id__in=s.ticket_ids)
    ).exclude(token="")
    return Q(session_ref__in=sessions.values("token"))


REGISTRY: list[Declaration] = [
    # commerce
    Personal(
        "commerce.Customer",
        lambda s: Q(pk__in=s.customer_ids),
        "name, email, phone (country, region, tier and value stay for segments)",
        {"name": How.NAME_TOKEN, "email": How.EMAIL_TOKEN, "phone": How.BLANK},
    ),
    Personal(
        "commerce.CustomerIdentity",
        _customer,
        "email / phone / handle / marketplace ids (search-indexed)",
        delete=True,
    ),
    Personal(
        "commerce.Order",
        _customer,
        "order email and shipping city (amounts, dates, region and SKUs stay)",
        {"email": How.EMAIL_TOKEN, "shipping_city": How.BLANK},
    ),
    Personal("commerce.OrderLine", _order, "what the customer bought (kept for metrics)"),
    Personal("commerce.Shipment", _order, "tracking numbers (kept: carrier reconciliation)"),
    Personal(
        "commerce.Return",
        lambda s: Q(pk__in=s.return_ids),
        "free-text return reason",
        {"reason_text": How.TEXT},
    ),
    Personal("commerce.Refund", _order, "refunds of the customer's orders (amounts kept)"),
    Personal(
        "commerce.Review",
        lambda s: Q(pk__in=s.review_ids),
        "review title and text",
        {"title": How.TEXT, "body": How.TEXT},
    ),
    # tickets
    Personal(
        "tickets.Ticket",
        lambda s: Q(pk__in=s.ticket_ids),
        "subject, satisfaction comment, custom fields (reasons, timestamps, status stay)",
        {"subject": How.TEXT, "satisfaction_comment": How.TEXT, "custom_fields": How.SCRUB},
    ),
    Personal(
        "tickets.TicketThread",
        _ticket,
        "channel thread keys (e-mail Message-IDs, chat ids)",
        {"external_thread_id": How.ROW_TOKEN},
    ),
    Personal(
        "tickets.Message",
        lambda s: Q(pk__in=s.message_ids),
        "message text and HTML, author name, attachment names and stored files",
        {
            "body_text": How.TEXT,
            "body_html": How.TEXT,
            "author_label": How.SCRUB,
            "attachments": How.ATTACHMENTS,
        },
    ),
    # triage, workflow, learning, taxonomy
    Personal(
        "triage.TicketEnrichment",
        _ticket,
        "entities found in the text, provenance, warnings",
        {"entities": How.EMPTY, "provenance": How.SCRUB, "warnings": How.SCRUB},
    ),
    Personal("workflow.SlaClock", _ticket, "SLA timings of the customer's tickets (no text)"),
    Personal("workflow.SlaBreach", _ticket, "SLA breaches (no text)"),
    Personal("workflow.Notification", _ticket, "agent notification text", {"text": How.SCRUB}),
    Personal(
        "triage_learning.ReasonPrediction",
        _ticket,
        "predicted reason labels (no text; the "
        "training texts are the tickets' own subject and messages, erased above)",
    ),
    Personal(
        "triage_learning.ReasonCorrection",
        _ticket,
        "agent corrections: labels only, kept for "
        "counts; erased tickets are left out of training (triage/learning/training.py)",
    ),
    Personal("taxonomy.RelabelItem", _ticket, "relabel history (labels only)"),
    # knowledge and self-service
    Personal(
        "selfservice.SelfServiceSession",
        lambda s: (
            Q(order_id__in=s.order_ids)
            | Q(ticket_id__in=s.ticket_ids)
            | Q(return_request_id__in=s.return_ids)
        ),
        "the question typed and the steps (order lookups with the e-mail)",
        {"question": How.TEXT, "steps": How.SCRUB},
    ),
    Personal(
        "knowledge.KnowledgeQuestion",
        _help_sessions,
        "questions asked in the customer's help sessions",
        {"text": How.TEXT},
    ),
    # replies and quality
    Personal("replies.MacroUse", _ticket, "which macro was used (no text)"),
    Personal(
        "replies.GuardrailReport",
        _ticket,
        "the checked draft text",
        {"text": How.TEXT, "override_reason": How.SCRUB},
    ),
    Personal("quality.Scorecard", _ticket, "scores of replies to the customer (no text)"),
    Personal(
        "quality.QAReview",
        lambda s: Q(scorecard__ticket_id__in=s.ticket_ids),
        "reviewer comment (may quote the customer)",
        {"comment": How.SCRUB},
    ),
    # follow-up, signals, actions, insights
    Personal(
        "followup.Survey",
        lambda s: _customer(s) | _ticket(s),
        "survey address and comment (scores and dates stay for CSAT/NPS)",
        {"email": How.EMAIL_TOKEN, "comment": How.TEXT},
    ),
    Personal(
        "followup.FollowUp",
        _ticket,
        "thread summary and the lead's note",
        {"summary": How.TEXT, "note": How.SCRUB},
    ),
    Special("signals.Theme", "quotes taken from the customer's tickets, reviews and returns"),
    Personal("actions.ActionNotice", _customer, "which action notified the customer"),
    Special("insights.WeeklyNote", "theme quotes copied into weekly notes"),
    Exempt("insights.NoteRecipient", "stakeholder (staff) addresses for weekly notes"),
    # approvals, suppression, proactive
    Personal(
        "approvals.MoneyRequest",
        _ticket,
        "refund/credit request reasons",
        {"reason": How.SCRUB, "decision_reason": How.SCRUB},
    ),
    Personal(
        "suppression.SuppressionEntry",
        lambda s: _customer(s) | Q(source_ticket_id__in=s.ticket_ids),
        "marketing suppression of the customer",
        {"reason": How.SCRUB},
    ),
    Personal(
        "proactive.CampaignRecipient",
        _customer,
        "notice address and order numbers",
        {"email": How.EMAIL_TOKEN},
    ),
    # mail channel
    Personal(
        "mail.MailMessage",
        lambda s: (
            Q(ticket_id__in=s.ticket_ids)
            | Q(ticket_message_id__in=s.message_ids)
            | Q(from_address__in=s.emails)
        ),
        "addresses, subject, text, Message-IDs (so old threads do not re-link)",
        {
            "message_id": How.ROW_TOKEN,
            "from_address": How.EMAIL_TOKEN,
            "to_addresses": How.EMPTY,
            "subject": How.TEXT,
            "in_reply_to": How.BLANK,
            "references": How.EMPTY,
            "classification_text": How.TEXT,
            "detection": How.SCRUB,
            "attachments_rejected": How.SCRUB,
        },
    ),
    Personal(
        "mail.BouncingAddress",
        lambda s: Q(address__in=s.emails) | Q(last_ticket_id__in=s.ticket_ids),
        "the customer's address that bounced",
        delete=True,
    ),
    # core
    Personal(
        "core.OutboxMessage",
        lambda s: Q(kind="email", target__in=s.emails),
        "e-mails to the customer (address, body); pending ones are not sent after erasure",
        {"target": How.EMAIL_TOKEN, "body": How.TEXT, "headers": How.EMPTY},
    ),
    Special("core.AuditEvent", "before/after values of earlier changes (names, e-mails, subjects)"),
    # privacy itself
    Personal("privacy.ErasureRecord", _customer, "when and why the customer was erased"),
]


def declarations() -> dict[str, Declaration]:
    return {d.model: d for d in REGISTRY}
