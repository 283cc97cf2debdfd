"""Reads for response quality: the QA review queue, scorecards of a ticket and QA results by
agent, contact reason or macro (with CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence

from django.db.models import QuerySet

from signaldesk.core.errors import ValidationError
from signaldesk.quality.models import QAReview, ReviewStatus, Scorecard
from signaldesk.quality.rubric import ResultRow, ReviewRow, aggregate_reviews, quality_config

DIMENSIONS = ("agent", "reason", "macro")
NONE_LABEL = {"agent": "(no agent)", "reason": "(no reason)", "macro": "(no macro)"}
_RELATED = (
    "scorecard",
    "scorecard__message",
    "scorecard__ticket",
    "scorecard__agent",
    "scorecard__macro",
    "reviewer",
)
_KEY_FIELD = {
    "agent": "scorecard__agent__username",
    "reason": "scorecard__reason_id",
    "macro": "scorecard__macro__slug",
}


def review_queue(*, status: str = ReviewStatus.PENDING) -> QuerySet[QAReview]:
    """Reviews in a status: low scores before random samples, then oldest reply first."""
    return (
        QAReview.objects.filter(status=status)
        .select_related(*_RELATED)
        .order_by("sample_reason", "scorecard__sent_at", "id")
    )


def review_get(*, review_id: int) -> QAReview | None:
    return QAReview.objects.select_related(*_RELATED).filter(pk=review_id).first()


def scorecards_for_ticket(*, ticket_id: int) -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(ticket_id=ticket_id)
        .select_related("agent", "macro")
        .order_by("sent_at", "id")
    )


def _review_rows(
    by: str, since: dt.datetime | None, until: dt.datetime | None
) -> Iterator[ReviewRow]:
    reviews = QAReview.objects.filter(status=ReviewStatus.DONE)
    if since is not None:
        reviews = reviews.filter(scorecard__sent_at__gte=since)
    if until is not None:
        reviews = reviews.filter(scorecard__sent_at__lt=until)
    for key, scores, auto in reviews.values_list(
        _KEY_FIELD[by], "scores", "scorecard__overall"
    ).iterator(chunk_size=2000):
        yield ReviewRow(key=key or NONE_LABEL[by], scores=scores or {}, auto_score=int(auto))


def qa_results(
    *, by: str, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[ResultRow]:
    """Reviewed replies grouped by agent (username), contact reason or macro slug, as the
    scorecard recorded them when the reply was sent."""
    if by not in DIMENSIONS:
        raise ValidationError(f"Group by one of {', '.join(DIMENSIONS)}.", code="invalid_dimension")
    return aggregate_reviews(_review_rows(by, since, until), quality_config().criterion_ids)


def qa_results_csv(rows: Sequence[ResultRow], *, by: str, criteria: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([by, "reviews", "mean_score", *criteria, "auto_score"])
    for row in rows:
        writer.writerow(
            [row.key, row.reviews, f"{row.mean_score:.2f}",
             *(f"{row.criteria[c]:.2f}" if c in row.criteria else "" for c in criteria),
             f"{row.auto_score:.2f}"]
        )  # fmt: skip
    return out.getvalue()
