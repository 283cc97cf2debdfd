"""Background jobs of response quality: the scorecard of a sent reply (enqueued on commit by
replies.services.reply_send) and the periodic QA sample (declared in config/schedule.py)."""

from __future__ import annotations

from django.utils import timezone

from signaldesk.config.celery import celery_app


@celery_app.task(name="quality.scorecard_record")
def scorecard_record_task(message_id: int) -> int | None:
    from signaldesk.quality.services import scorecard_record

    scorecard = scorecard_record(message_id=message_id)
    return scorecard.pk if scorecard is not None else None


@celery_app.task(name="quality.sample_reviews")
def reviews_sample_task() -> int:
    from signaldesk.quality.services import reviews_sample

    return reviews_sample(now=timezone.now())
