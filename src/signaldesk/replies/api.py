"""GET /api/v1/replies/tickets/{id}/draft and POST /api/v1/replies/tickets/{id}/check
(guardrails on a text without sending it)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.errors import NotFound
from signaldesk.replies.drafts import draft_build
from signaldesk.replies.grounding import guardrail_policy, ticket_grounding
from signaldesk.replies.guardrails import Finding, check_reply
from signaldesk.tickets.models import Ticket

replies_router = Router(auth=api_auth, tags=["replies"])


class FindingOut(Schema):
    check: str
    severity: str
    message: str
    span: list[int]


class SentenceOut(Schema):
    text: str
    sources: list[str]
    missing: list[str]


class DraftOut(Schema):
    ticket_id: int
    macro_id: str
    text: str
    sentences: list[SentenceOut]
    missing: list[str]
    articles: list[str]
    findings: list[FindingOut]


class CheckIn(Schema):
    text: str


class CheckOut(Schema):
    blocked: bool
    findings: list[FindingOut]


def _ticket(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("customer").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"No ticket #{ticket_id}.")
    return ticket


def _findings(findings: tuple[Finding, ...] | list[Finding]) -> list[FindingOut]:
    return [FindingOut(**f.as_dict()) for f in findings]


@replies_router.get("/tickets/{ticket_id}/draft", response=DraftOut)
def ticket_draft(request: HttpRequest, ticket_id: int) -> DraftOut:
    authorize(request, "tickets.read")
    ticket = _ticket(ticket_id)
    draft = draft_build(ticket=ticket)
    return DraftOut(
        ticket_id=ticket.pk,
        macro_id=draft.macro_id,
        text=draft.text,
        sentences=[
            SentenceOut(text=s.text, sources=list(s.sources), missing=list(s.missing))
            for s in draft.sentences
        ],
        missing=list(draft.missing),
        articles=list(draft.articles),
        findings=_findings(draft.findings),
    )


@replies_router.post("/tickets/{ticket_id}/check", response=CheckOut)
def ticket_check(request: HttpRequest, ticket_id: int, payload: CheckIn) -> CheckOut:
    authorize(request, "tickets.read")
    grounding = ticket_grounding(ticket=_ticket(ticket_id))
    findings = check_reply(payload.text, grounding.context, guardrail_policy())
    return CheckOut(
        blocked=any(f.severity == "block" for f in findings), findings=_findings(findings)
    )
