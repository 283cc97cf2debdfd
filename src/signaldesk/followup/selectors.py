"""Reads for follow-up: open follow-ups, CSAT/NPS by reason, agent, channel or macro, and the
outcome of each macro (uses, reopen rate after the use, CSAT/NPS after it, automatic QA score).

A survey counts for a macro when the macro was used on its ticket before the survey was sent. A
macro use counts as reopened when the ticket's reopen counter grew after the use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet

from signaldesk.core.errors import ValidationError
from signaldesk.followup.models import FollowUp, FollowUpStatus, Survey
from signaldesk.followup.stats import Answer, SurveyResult, aggregate_answers
from signaldesk.quality.models import Scorecard
from signaldesk.replies.models import Macro, MacroUse

DIMENSIONS = ("reason", "agent", "channel", "macro")
_SURVEY_KEY = {"reason": "reason_id", "agent": "agent__username", "channel": "channel"}
NONE_LABEL = "(none)"


def followups(*, status: str = FollowUpStatus.OPEN) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(status=status)
        .select_related("survey", "ticket", "closed_by")
        .order_by("created_at", "id")
    )


def _answered(since: dt.datetime | None, until: dt.datetime | None) -> QuerySet[Survey]:
    surveys = Survey.objects.filter(answered_at__isnull=False)
    if since is not None:
        surveys = surveys.filter(answered_at__gte=since)
    if until is not None:
        surveys = surveys.filter(answered_at__lt=until)
    return surveys


def _macro_answers(surveys: QuerySet[Survey], key: str) -> Iterator[tuple[object, Answer]]:
    """(macro key, answer) once per macro and survey."""
    rows = (
        MacroUse.objects.filter(
            ticket__survey__in=surveys, used_at__lt=F("ticket__survey__sent_at")
        )
        .values_list(key, "ticket__survey__id", "ticket__survey__csat", "ticket__survey__nps")
        .distinct()
        .order_by()
    )
    seen: set[tuple[object, int]] = set()
    for macro, survey_id, csat, nps in rows.iterator(chunk_size=2000):
        if (macro, survey_id) not in seen:
            seen.add((macro, survey_id))
            yield macro, Answer(str(macro), csat, nps)


def survey_results(
    *, by: str, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[SurveyResult]:
    """CSAT and NPS of the answered surveys grouped by a dimension (answered in [since, until))."""
    if by not in DIMENSIONS:
        raise ValidationError(f"Group by one of {', '.join(DIMENSIONS)}.", code="invalid_dimension")
    surveys = _answered(since, until)
    if by == "macro":
        return aggregate_answers(answer for _m, answer in _macro_answers(surveys, "macro__slug"))
    rows = surveys.values_list(_SURVEY_KEY[by], "csat", "nps").iterator(chunk_size=2000)
    return aggregate_answers(Answer(key or NONE_LABEL, csat, nps) for key, csat, nps in rows)


@dataclass(frozen=True)
class MacroOutcome:
    slug: str
    title: str
    reason_id: str
    uses: int
    reopened_uses: int
    reopen_rate: float | None  # reopened uses / uses
    surveys: int
    csat_mean: float | None
    csat_satisfied_pct: float | None
    nps: float | None
    auto_score: float | None  # mean automatic QA score of the replies sent with it


def macro_outcomes(
    *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[MacroOutcome]:
    """Every macro used in [since, until) (by use time), most used first."""
    uses = MacroUse.objects.all()
    if since is not None:
        uses = uses.filter(used_at__gte=since)
    if until is not None:
        uses = uses.filter(used_at__lt=until)
    counts = {
        row["macro_id"]: row
        for row in uses.values("macro_id")
        .annotate(
            uses=Count("id"),
            reopened=Count("id", filter=Q(ticket__reopened_count__gt=F("reopened_count_at_use"))),
        )
        .order_by()
    }
    answers: dict[int, list[Answer]] = {}
    surveys = Survey.objects.filter(answered_at__isnull=False)
    for macro_id, answer in _macro_answers(surveys, "macro_id"):
        if macro_id in counts:
            answers.setdefault(int(str(macro_id)), []).append(answer)
    auto = dict(
        Scorecard.objects.filter(macro_id__in=counts)
        .values("macro_id")
        .annotate(mean=Avg("overall"))
        .order_by()
        .values_list("macro_id", "mean")
    )
    macros = Macro.objects.in_bulk(list(counts))
    out: list[MacroOutcome] = []
    for macro_id, row in counts.items():
        macro = macros[macro_id]
        results = aggregate_answers(answers.get(macro_id, []))
        result = results[0] if results else None
        out.append(
            MacroOutcome(
                slug=macro.slug,
                title=macro.title,
                reason_id=macro.reason_id,
                uses=row["uses"],
                reopened_uses=row["reopened"],
                reopen_rate=round(row["reopened"] / row["uses"], 4) if row["uses"] else None,
                surveys=result.responses if result else 0,
                csat_mean=result.csat_mean if result else None,
                csat_satisfied_pct=result.csat_satisfied_pct if result else None,
                nps=result.nps if result else None,
                auto_score=round(float(auto[macro_id]), 2) if macro_id in auto else None,
            )
        )
    return sorted(out, key=lambda o: (-o.uses, o.slug))
