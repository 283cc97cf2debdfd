"""Self-service sessions: one customer going through one flow (order status, a return, a
question), the steps reached and how it ended. The deflection rate per flow is read from here."""

from __future__ import annotations

from django.db import models

from signaldesk.commerce.models import Order, Return
from signaldesk.tickets.models import Ticket


class Flow(models.TextChoices):
    ORDER_STATUS = "order_status", "Where is my order"
    RETURNS = "returns", "Return or exchange"
    QUESTION = "question", "Question"


class Outcome(models.TextChoices):
    OPEN = "open", "In progress"
    RESOLVED = "resolved", "Resolved"
    HANDED_OVER = "handed_over", "Handed over to a ticket"
    ABANDONED = "abandoned", "Abandoned"


ENDED = (Outcome.RESOLVED, Outcome.HANDED_OVER, Outcome.ABANDONED)


class SelfServiceSession(models.Model):
    token = models.CharField(max_length=64, unique=True, help_text="Random; the customer's key.")
    flow = models.CharField(max_length=20, choices=Flow.choices)
    steps = models.JSONField(default=list, blank=True, help_text="[{step, at, …}] in order.")
    step_reached = models.CharField(max_length=40, blank=True)
    answered = models.BooleanField(
        default=False, help_text="The flow reached its answer (status shown, RMA issued, …)."
    )
    outcome = models.CharField(
        max_length=12, choices=Outcome.choices, default=Outcome.OPEN, db_index=True
    )
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL)
    return_request = models.ForeignKey(Return, null=True, blank=True, on_delete=models.SET_NULL)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL)
    question = models.TextField(blank=True)
    articles_shown = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["flow", "started_at"])]

    def __str__(self) -> str:
        return f"{self.flow} {self.outcome} ({self.pk})"
