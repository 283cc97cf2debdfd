"""What `demo setup` does after the imports, so the agent's queue is ready: taxonomy, macros and
articles; tag audit → mappings (auto-approved above a threshold) → relabel history; the first
classifier model; batch triage and SLA clocks for the open tickets.

Every step goes through the same services an operator would call (no back door), is printed with
its wall and CPU time, and is recorded in the setup marker so a rerun skips it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AUTO_APPROVE_CONFIDENCE = 0.6
"""Tag mappings proposed with at least this confidence are approved by `demo setup`: the demo's
stand-in for the human review of `signaldesk taxonomy mappings` / `approve`."""

Advance = Callable[[int], None]
BarFactory = Callable[[str, int], AbstractContextManager[Advance]]
"""`bar(label, total)` → a context manager yielding `advance(n)`; the CLI draws a rich bar."""


@contextmanager
def no_bar(_label: str, _total: int) -> Iterator[Advance]:
    yield lambda _n: None


@dataclass(frozen=True)
class StepTiming:
    name: str
    wall: float
    cpu: float
    detail: str
    skipped: bool = False


@dataclass
class StepRunner:
    """Runs named steps once: a step recorded in the marker's `steps` is skipped on a rerun."""

    state: dict[str, Any]
    marker: Path
    log: Callable[[str], None]
    timings: list[StepTiming] = field(default_factory=list)

    def done(self, name: str) -> bool:
        return name in self.state.get("steps", [])

    def run(self, name: str, fn: Callable[[], str], *, record: bool = True) -> None:
        if record and self.done(name):
            self.log(f"{name}: already done, skipped")
            self.timings.append(StepTiming(name, 0.0, 0.0, "already done", skipped=True))
            return
        self.log(f"{name} …")
        wall, cpu = time.perf_counter(), time.process_time()
        detail = fn()
        timing = StepTiming(name, time.perf_counter() - wall, time.process_time() - cpu, detail)
        self.timings.append(timing)
        self.log(f"{name}: {detail} ({timing.wall:.1f} s wall, {timing.cpu:.1f} s CPU)")
        if record:
            self.state["steps"] = [*self.state.get("steps", []), name]
            self.marker.write_text(json.dumps(self.state, indent=2))


def _actor() -> Any:
    from signaldesk.core.audit import Actor

    return Actor.system("demo")


def step_taxonomy() -> str:
    from signaldesk.taxonomy.selectors import active_taxonomy

    taxonomy = active_taxonomy()  # loads and activates the shipped default on first use
    return f"taxonomy {taxonomy.version} active, {len(taxonomy.ids)} reasons"


def step_macros() -> str:
    from signaldesk.replies.services import macros_sync_from_taxonomy

    counts = macros_sync_from_taxonomy(actor=_actor())
    return "macros " + ", ".join(f"{k} {v}" for k, v in counts.items())


def step_articles() -> str:
    from signaldesk.knowledge.services import articles_load

    counts = articles_load(actor=_actor())
    return "articles " + ", ".join(f"{k} {v}" for k, v in counts.items())


def step_tag_mappings(log: Callable[[str], None]) -> str:
    """Audit the imported tags, store the proposals, approve the confident ones."""
    from signaldesk.taxonomy.audit import tag_audit
    from signaldesk.taxonomy.mappings import tag_mapping_approve, tag_mappings_propose
    from signaldesk.taxonomy.models import MappingStatus, TagMapping

    actor = _actor()
    report = tag_audit()
    tag_mappings_propose(report=report, actor=actor)
    proposed = TagMapping.objects.filter(status=MappingStatus.PROPOSED)
    confident = list(
        proposed.exclude(reason_id="")
        .filter(confidence__gte=AUTO_APPROVE_CONFIDENCE)
        .order_by("tag")
        .values_list("pk", flat=True)
    )
    for mapping_id in confident:
        tag_mapping_approve(mapping_id=mapping_id, actor=actor)
    left = proposed.count()
    log(
        f"  auto-approved {len(confident)} tag mappings with confidence ≥ "
        f"{AUTO_APPROVE_CONFIDENCE} (the demo's stand-in for a human review); {left} stay "
        "proposed: review them with `signaldesk taxonomy mappings --status proposed`"
    )
    return (
        f"{len(report.usage)} tags on {report.tickets_tagged} tickets, "
        f"{len(report.proposals)} proposals, {len(confident)} approved"
    )


def step_relabel() -> str:
    from signaldesk.taxonomy.relabel import tag_mappings_apply

    result = tag_mappings_apply(actor=_actor())
    if result.batch_id is None:
        return "no approved mappings to apply"
    return f"relabel batch {result.batch_id}: {result.tickets_changed} tickets relabelled"


def step_classifier() -> str:
    """Train the first model synchronously with the training service (not the background task)
    and activate it. An install that already has an active model keeps it."""
    from signaldesk.core.errors import ValidationError
    from signaldesk.triage.learning.models import ModelVersion
    from signaldesk.triage.learning.services import model_train, model_version_create

    active = ModelVersion.objects.filter(is_active=True).first()
    if active is not None:
        return f"model v{active.version} already active, kept"
    actor = _actor()
    version = model_version_create(actor=actor)
    version = model_train(version_id=version.pk, actor=actor, activate=True)
    if version.status != "ready":
        raise ValidationError(f"classifier v{version.version} failed: {version.error}")
    m, summary = version.metrics, version.training_summary
    scores = ", ".join(
        f"{name} {m[key]:.3f}"
        for key, name in (("accuracy", "hold-out accuracy"), ("macro_f1", "macro F1"))
        if isinstance(m.get(key), float)
    )
    return (
        f"model v{version.version} ({version.kind}) active, "
        f"{summary.get('n_examples')} examples; {scores or 'no hold-out evaluation'}"
    )


def open_ticket_ids() -> list[int]:
    from signaldesk.tickets.models import OPEN_STATUSES, Ticket

    return list(
        Ticket.objects.filter(status__in=OPEN_STATUSES).order_by("pk").values_list("pk", flat=True)
    )


def step_triage(bar: BarFactory) -> str:
    from signaldesk.triage.services import ticket_triage_many

    ids = open_ticket_ids()
    with bar("triage", len(ids)) as advance:
        summary = ticket_triage_many(ticket_ids=ids, actor=_actor(), progress=advance)
    return f"{summary.tickets} open tickets triaged, {summary.changed} changed"


def step_rules() -> str:
    """Activate the packaged routing rules (workflow/rules.yaml): the SLA step below runs them
    on every open ticket before starting its clocks, as the live pipeline does after triage."""
    from django.db import transaction
    from django.utils import timezone

    from signaldesk.workflow.rules.services import DEFAULT_RULES, ruleset_save

    with transaction.atomic():
        rules = ruleset_save(
            yaml_text=DEFAULT_RULES.read_text(encoding="utf-8"),
            actor=_actor(),
            now=timezone.now(),
            comment="demo: packaged default rules",
        )
    return f"routing rules v{rules.version} active"


def step_sla(bar: BarFactory) -> str:
    """As when triage finishes on a live ticket (triage.tasks): the rules, then the SLA clocks
    counted from the customer's first message (`workflow.sla.clock_start_for`: tickets older
    than 7 days start now), then the rules' approval requests and auto-replies."""
    from django.utils import timezone

    from signaldesk.workflow.services import ticket_workflow_start

    ids = open_ticket_ids()
    now = timezone.now()
    with bar("SLA clocks", len(ids)) as advance:
        for ticket_id in ids:
            ticket_workflow_start(ticket_id=ticket_id, now=now)
            advance(1)
    return f"rules applied and SLA clocks started for {len(ids)} open tickets"


def step_sla_sweep() -> str:
    """The periodic SLA sweep (job `sla-sweep`) at the demo's now: clocks past their stages or
    targets fire their reminders and escalations and record breaches."""
    from django.utils import timezone

    from signaldesk.workflow.sla import sla_sweep

    r = sla_sweep(now=timezone.now())
    return (
        f"{r.breaches} breaches, {r.escalations} escalations, {r.reminders} reminders, "
        f"{r.notifications} notifications"
    )


def _step_dashboards() -> str:
    """Enrich the closed history and build the signals and dashboard rollups (dashboards/)."""
    from signaldesk.dashboards.setup import dashboards_demo_step

    return dashboards_demo_step()


def step_proactive(out_dir: Path) -> str:
    """A proactive campaign for the injected carrier delay (ground_truth.json, INC-2): every
    customer with a shipment of that carrier in that region handed over in the window is told,
    including those who have not written (proactive.services; e-mails go through the outbox)."""
    import datetime as dt

    from django.utils import timezone

    from signaldesk.proactive.models import ProactiveCampaign
    from signaldesk.proactive.services import CampaignDraft, campaign_create, campaign_send

    truth = json.loads((out_dir / "ground_truth.json").read_text(encoding="utf-8"))
    incident = next(i for i in truth["incidents"] if i["kind"] == "carrier_delay")
    carrier, region = incident["segment"]["carrier"], incident["segment"]["region"]
    slug = f"{carrier}-delay-{region}".lower()
    if ProactiveCampaign.objects.filter(slug=slug).exists():
        return f"campaign {slug} already there, kept"
    now = timezone.now()
    campaign = campaign_create(
        draft=CampaignDraft(
            name=f"{carrier} delay {region}",
            kind="carrier_delay",
            subject="Your order {orders} is running late",
            body=(
                "Hello {first_name},\n\n{carrier} has a hub problem in region {region}: parcels "
                "handed over in the last days arrive 4–8 days late, including your order "
                "{orders}. You do not need to do anything; reply to this e-mail if you would "
                "rather cancel or need the items sooner.\n"
            ),
            carrier=carrier,
            region=region,
            shipped_from=dt.date.fromisoformat(incident["onset"]),
            shipped_to=dt.date.fromisoformat(incident["end"]),
        ),
        actor=_actor(),
        now=now,
    )
    result = campaign_send(campaign_id=campaign.pk, actor=_actor(), now=now)
    return f"campaign {campaign.slug}: {result.notified} customers told ({incident['id']})"


def step_quality_and_surveys() -> str:
    """Sent replies with QA scores and reviews, surveys sent and answered (followup/demo.py)."""
    from signaldesk.followup.demo import demo_quality_and_surveys

    return demo_quality_and_surveys()


def step_signals(out_dir: Path, bar: BarFactory) -> str:
    """Rollups, spike scan, themes and one measured action on an injected incident
    (signals/demo_step.py)."""
    from signaldesk.signals.demo_step import demo_signals_step

    return demo_signals_step(out_dir, bar)


def run_queue_steps(runner: StepRunner, bar: BarFactory) -> None:
    runner.run("taxonomy", step_taxonomy)
    runner.run("macros", step_macros)
    runner.run("articles", step_articles)
    runner.run("tag mappings", lambda: step_tag_mappings(runner.log))
    runner.run("relabel history", step_relabel)
    runner.run("classifier", step_classifier)
    runner.run("triage", lambda: step_triage(bar))
    runner.run("routing rules", step_rules)
    runner.run("SLA clocks", lambda: step_sla(bar))
    runner.run("SLA sweep", step_sla_sweep)
    runner.run("proactive campaign", lambda: step_proactive(runner.marker.parent))
    runner.run("dashboards", _step_dashboards)
    runner.run("signals and actions", lambda: step_signals(runner.marker.parent, bar))
    runner.run("quality and surveys", step_quality_and_surveys)
