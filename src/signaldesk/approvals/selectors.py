"""Reads for money requests: the approvals queue and the cost of issues."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet, Sum

from signaldesk.approvals.models import COSTED_STATUSES, MoneyRequest, MoneyStatus


def money_requests(*, status: str | None = None) -> QuerySet[MoneyRequest]:
    qs = MoneyRequest.objects.select_related("ticket", "requested_by", "decided_by")
    return qs.filter(status=status) if status else qs


def approvals_pending() -> QuerySet[MoneyRequest]:
    """Pending requests, oldest first (the approvals queue)."""
    return money_requests(status=MoneyStatus.PENDING).order_by("requested_at", "id")


def ticket_money_requests(*, ticket_id: int) -> list[MoneyRequest]:
    return list(money_requests().filter(ticket_id=ticket_id).order_by("-requested_at", "-id"))


def issue_costs(*, ticket_ids: Iterable[int]) -> dict[int, Decimal]:
    """Approved (or auto-approved, or executed) money per ticket; tickets without any are 0."""
    ids = list(ticket_ids)
    costs = {ticket_id: Decimal("0.00") for ticket_id in ids}
    rows = (
        MoneyRequest.objects.filter(ticket_id__in=ids, status__in=COSTED_STATUSES)
        .values("ticket_id")
        .annotate(total=Sum("cost_amount"))
    )
    for row in rows:
        costs[row["ticket_id"]] = row["total"]
    return costs
