"""`demo setup` end to end on a small store: generate, import, logins, then the queue steps
(taxonomy, macros, articles, tag mappings, relabel, first model, triage, routing rules,
SLA clocks)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.db.models import F

from signaldesk.core.models import AuditEvent
from signaldesk.demo.config import DemoConfig
from signaldesk.demo.setup import MARKER, demo_setup, setup_start
from signaldesk.demo.setup_steps import AUTO_APPROVE_CONFIDENCE
from signaldesk.knowledge.models import Article
from signaldesk.knowledge.services import ARTICLES_DIR
from signaldesk.replies.models import Macro
from signaldesk.taxonomy.models import MappingStatus, RelabelBatch, TagMapping
from signaldesk.taxonomy.selectors import active_taxonomy
from signaldesk.tickets.models import OPEN_STATUSES, Ticket
from signaldesk.triage.learning import registry
from signaldesk.triage.learning.models import ModelVersion, ReasonPrediction
from signaldesk.triage.models import TicketEnrichment
from signaldesk.workflow.models import RuleSet, SlaClock, SlaMetric

SMALL_SETUP = DemoConfig(days=30, orders_per_day=40, seed=7, start=dt.date(2026, 10, 1))
QUEUE_STEPS = [
    "taxonomy",
    "macros",
    "articles",
    "tag mappings",
    "relabel history",
    "classifier",
    "triage",
    "routing rules",
    "SLA clocks",
    "SLA sweep",
    "proactive campaign",
    "dashboards",
    "signals and actions",
    "quality and surveys",
]


@pytest.fixture(autouse=True)
def _model_dir(settings: LazySettings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.SIGNALDESK_CLASSIFIER_KIND = "tfidf"
    registry.clear_cache()


@pytest.mark.django_db
@pytest.mark.slow
def test_setup_leaves_a_triaged_queue_with_sla_clocks(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    lines: list[str] = []
    result = demo_setup(SMALL_SETUP, out, log=lines.append, import_progress=False)

    assert [t.name for t in result.timings][-len(QUEUE_STEPS) :] == QUEUE_STEPS
    assert json.loads((out / MARKER).read_text())["steps"] == QUEUE_STEPS
    assert sum(1 for line in lines if "auto-approved" in line) == 1

    taxonomy = active_taxonomy()
    assert Macro.objects.filter(is_default=True).count() == len(taxonomy.ids)
    assert Article.objects.count() == len(list(ARTICLES_DIR.glob("*.md")))

    approved = TagMapping.objects.filter(status=MappingStatus.APPROVED)
    assert approved.count() > 0
    assert approved.filter(confidence__lt=AUTO_APPROVE_CONFIDENCE).count() == 0
    assert approved.filter(reason_id="").count() == 0
    assert (
        TagMapping.objects.filter(
            status=MappingStatus.PROPOSED, confidence__gte=AUTO_APPROVE_CONFIDENCE
        )
        .exclude(reason_id="")
        .count()
        == 0
    )
    assert RelabelBatch.objects.count() == 1
    assert Ticket.objects.filter(reason_source="tag_mapping").count() > 0

    model = ModelVersion.objects.get(is_active=True)
    assert (model.version, model.status, model.kind) == (1, "ready", "tfidf")

    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    open_ids = set(open_tickets.values_list("pk", flat=True))
    assert len(open_ids) > 10
    # open tickets by triage, closed history by the dashboards step
    assert set(TicketEnrichment.objects.values_list("ticket_id", flat=True)) >= open_ids
    assert open_tickets.filter(language="").count() == 0
    assert open_tickets.filter(contact_reason="").count() == 0
    assert set(open_tickets.values_list("reason_source", flat=True)) == {"model", "tag_mapping"}
    model_owned = set(open_tickets.filter(reason_source="model").values_list("pk", flat=True))
    assert set(ReasonPrediction.objects.values_list("ticket_id", flat=True)) >= model_owned
    assert open_tickets.filter(reason_confidence__isnull=True).count() == 0

    # every open ticket has its clocks (solved ones keep their stopped clocks); the sweep in
    # setup records a breach only after the due time
    resolution = SlaClock.objects.filter(metric=SlaMetric.RESOLUTION)
    assert set(resolution.values_list("ticket_id", flat=True)) >= open_ids
    unanswered = set(open_tickets.filter(first_response_at=None).values_list("pk", flat=True))
    first = SlaClock.objects.filter(metric=SlaMetric.FIRST_RESPONSE)
    assert set(first.values_list("ticket_id", flat=True)) >= unanswered
    assert SlaClock.objects.filter(breached_at__lt=F("due_at")).count() == 0
    # the packaged routing rules are active and ran on the open tickets before their clocks
    assert list(RuleSet.objects.filter(active=True).values_list("version", flat=True)) == [1]
    routed = AuditEvent.objects.filter(action="workflow.rules_applied")
    assert routed.count() > 0
    auto_solved = AuditEvent.objects.filter(action="workflow.auto_action_executed")
    ran_on = {str(pk) for pk in open_ids} | set(auto_solved.values_list("object_id", flat=True))
    assert set(routed.values_list("object_id", flat=True)) <= ran_on

    # A rerun resumes from the marker: nothing is generated, imported, trained or triaged again.
    clocks, predictions = SlaClock.objects.count(), ReasonPrediction.objects.count()
    again = demo_setup(SMALL_SETUP, out, log=lines.append, import_progress=False)
    assert (again.generated, again.imported, again.created_users) == (None, [], [])
    assert [t.name for t in again.timings if not t.skipped] == ["users"]
    assert ModelVersion.objects.count() == 1
    assert (SlaClock.objects.count(), ReasonPrediction.objects.count()) == (clocks, predictions)
    assert again.password == result.password


def test_setup_start_ends_the_period_today_and_is_kept_on_rerun(tmp_path: Path) -> None:
    cfg = DemoConfig(days=120, orders_per_day=400, seed=7)
    today = dt.date(2026, 11, 22)
    assert setup_start(cfg, tmp_path, today=today) == dt.date(2026, 7, 25)
    recorded = DemoConfig(days=120, orders_per_day=400, seed=7, start=dt.date(2026, 7, 20))
    (tmp_path / MARKER).write_text(json.dumps({"config": recorded.as_dict()}))
    assert setup_start(cfg, tmp_path, today=today) == dt.date(2026, 7, 20)
    other = DemoConfig(days=120, orders_per_day=400, seed=8)
    assert setup_start(other, tmp_path, today=today) == dt.date(2026, 7, 25)
