"""The automatic scorecard of every sent reply and the human QA reviews of a sample of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from signaldesk.replies.models import GuardrailReport, Macro
from signaldesk.tickets.models import Message, Ticket


class Scorecard(models.Model):
    """One per outbound message. Agent, reason and macro are kept as they were when the reply
    was sent, so results by those dimensions do not move when the ticket changes later."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="scorecard")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="scorecards")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason_id = models.CharField(max_length=60, blank=True)
    macro = models.ForeignKey(
        Macro, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guardrail_report = models.ForeignKey(
        GuardrailReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall = models.PositiveSmallIntegerField()
    factual = models.PositiveSmallIntegerField()
    policy = models.PositiveSmallIntegerField()
    next_step = models.PositiveSmallIntegerField()
    personalisation = models.PositiveSmallIntegerField()
    tone = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=dict, blank=True)
    scorer_version = models.CharField(max_length=10)
    sent_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["agent", "sent_at"]),
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self) -> str:
        return f"scorecard {self.overall} on message {self.message_id}"


class SampleReason(models.TextChoices):
    RANDOM = "random", "Random sample"
    LOW_SCORE = "low_score", "Low automatic score"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    DONE = "done", "Reviewed"


class QAReview(models.Model):
    """A reply in the QA review queue and, once a lead scored it, the rubric scores (1–5)."""

    scorecard = models.OneToOneField(Scorecard, on_delete=models.CASCADE, related_name="review")
    week = models.DateField(help_text="Monday of the ISO week the reply was sent in.")
    sample_reason = models.CharField(max_length=10, choices=SampleReason.choices)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rubric_version = models.CharField(max_length=10, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    mean_score = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"QA review of scorecard {self.scorecard_id} ({self.status})"
