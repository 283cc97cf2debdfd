"""Reads for replies: the macro for a reason, macro usage statistics, latest guardrail report."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from signaldesk.replies.models import GuardrailReport, Macro, MacroUse
from signaldesk.tickets.models import Ticket

# Ticket.satisfaction_score is free text from the helpdesk; these map to good/bad.
CSAT_GOOD = frozenset({"good", "satisfied", "positive", "4", "5"})
CSAT_BAD = frozenset({"bad", "unsatisfied", "dissatisfied", "negative", "1", "2"})


def macro_for_reason(reason_id: str, *, language: str = "en") -> Macro | None:
    """The active macro of a reason in the language (default first), else the English one."""
    macros = list(
        Macro.objects.filter(reason_id=reason_id, active=True).order_by("-is_default", "slug")
    )
    for wanted in (language, "en"):
        for macro in macros:
            if macro.language == wanted:
                return macro
    return macros[0] if macros else None


@dataclass(frozen=True)
class MacroStats:
    macro_slug: str
    uses: int
    tickets: int
    reopened_tickets: int
    reopen_rate: float | None
    csat_responses: int
    csat_good: int
    csat_rate: float | None  # good / (good + bad)


def macro_stats(*, macro: Macro) -> MacroStats:
    """Usage count, reopen rate (tickets reopened at least once among the tickets the macro
    was used on) and CSAT after the macro (Ticket.satisfaction_score, when present)."""
    uses = MacroUse.objects.filter(macro=macro).count()
    ticket_ids = MacroUse.objects.filter(macro=macro).values("ticket_id")
    tickets = Ticket.objects.filter(pk__in=ticket_ids)
    total = tickets.count()
    reopened = tickets.filter(reopened_count__gt=0).count()
    scores = [s.strip().lower() for s in tickets.exclude(satisfaction_score="").values_list(
        "satisfaction_score", flat=True)]  # fmt: skip
    good = sum(1 for s in scores if s in CSAT_GOOD)
    bad = sum(1 for s in scores if s in CSAT_BAD)
    return MacroStats(
        macro_slug=macro.slug,
        uses=uses,
        tickets=total,
        reopened_tickets=reopened,
        reopen_rate=reopened / total if total else None,
        csat_responses=good + bad,
        csat_good=good,
        csat_rate=good / (good + bad) if good + bad else None,
    )


def macro_usage_counts() -> dict[str, int]:
    rows = MacroUse.objects.values("macro__slug").annotate(n=Count("id"))
    return {row["macro__slug"]: row["n"] for row in rows}


def latest_guardrail_report(*, ticket_id: int) -> GuardrailReport | None:
    return (
        GuardrailReport.objects.filter(ticket_id=ticket_id).order_by("-created_at", "-id").first()
    )


def macros_used_on(*, ticket_id: int) -> list[str]:
    return list(
        MacroUse.objects.filter(ticket_id=ticket_id)
        .order_by("used_at", "id")
        .values_list("macro__slug", flat=True)
    )
