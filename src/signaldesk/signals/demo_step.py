"""Demo set-up step "signals and actions" (called from demo.setup_steps.run_queue_steps).

On the imported demo store (after the dashboards step, which enriches the history and builds
the rollups; done here otherwise): enrich tickets that were never triaged, rebuild every
rollup day, run the daily spike scan over the last ``SCAN_DAYS`` days of
the period in order (as the daily job would have), discover themes at the period end, and
create one completed action on the damaged-batch incident (INC-1) of ``ground_truth.json``:
linked to its alert when the scan found one, done on the incident's last day, measured with
the difference-in-differences service. The console then shows alerts, themes, ranked signals
and "a completed action with its measured impact"."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signaldesk.core.audit import Actor

SCAN_DAYS = 45
INCIDENT = "INC-1-damaged-batch"

Advance = Callable[[int], None]
BarFactory = Callable[[str, int], AbstractContextManager[Advance]]


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for k in range((last - first).days + 1):
        yield first + dt.timedelta(days=k)


def demo_signals_step(out_dir: Path, bar: BarFactory) -> str:
    from django.db.models import Max, Min

    from signaldesk.commerce.models import Order
    from signaldesk.core.audit import Actor
    from signaldesk.signals.models import ContactRollup
    from signaldesk.signals.scan import signals_scan
    from signaldesk.signals.services import local_day, rollup_refresh
    from signaldesk.signals.themes_service import themes_discover
    from signaldesk.tickets.models import Ticket
    from signaldesk.triage.services import ticket_triage_many

    actor = Actor.system("demo")
    missing = list(
        Ticket.objects.filter(enrichment__isnull=True, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with bar("enrich history", len(missing)) as advance:
        ticket_triage_many(ticket_ids=missing, actor=actor, progress=advance)
    span = Order.objects.aggregate(lo=Min("created_at"), hi=Max("created_at"))
    if span["lo"] is None:
        return "no orders: skipped"
    first, end = local_day(span["lo"]), local_day(span["hi"])
    days = list(_days(first, end + dt.timedelta(days=14)))  # shipments trail orders
    if missing or not ContactRollup.objects.exists():  # else the dashboards step built them
        with bar("rollups", len(days)) as advance:
            for day in days:
                rollup_refresh(days=[day])
                advance(1)
    scan_days = list(_days(max(first, end - dt.timedelta(days=SCAN_DAYS - 1)), end))
    alerts = 0
    with bar("spike scan", len(scan_days)) as advance:
        for day in scan_days:
            alerts += len(signals_scan(as_of=day, actor=actor).new)
            advance(1)
    run = themes_discover(as_of=end, actor=actor)
    action = _incident_action(out_dir, end, actor)
    return (
        f"{len(missing)} tickets enriched, {len(days)} rollup days, {alerts} incidents alerted "
        f"in {len(scan_days)} scanned days, {run.n_themes} themes; {action}"
    )


def _incident_action(out_dir: Path, end: dt.date, actor: Actor) -> str:
    from signaldesk.actions.measure import action_measure_impact
    from signaldesk.actions.services import (
        ActionDraft,
        action_create,
        action_create_from_signal,
        action_transition,
        action_update,
    )
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.signals.models import SpikeAlert
    from signaldesk.signals.rollups import day_bounds

    truth_file = out_dir / "ground_truth.json"
    if not truth_file.exists():
        return "no ground truth: no demo action"
    truth = json.loads(truth_file.read_text())
    incident = next((i for i in truth["incidents"] if i["id"] == INCIDENT), None)
    if incident is None:
        return f"no {INCIDENT} in the ground truth: no demo action"
    seg = incident["segment"]
    onset, last = dt.date.fromisoformat(incident["onset"]), dt.date.fromisoformat(incident["end"])
    alert = (
        SpikeAlert.objects.filter(reason=seg["reason"], primary=True)
        .filter(value__in=[seg["sku"], seg["batch"], seg["supplier"]])
        .order_by("onset")
        .first()
    )
    if alert is not None:
        action = action_create_from_signal(signal=f"spike:{alert.pk}", actor=actor)
    else:
        action = action_create(
            draft=ActionDraft(
                title=f"Repack batch {seg['batch']} with inner protection",
                action_type="packaging", owner_team="operations", reasons=[seg["reason"]],
                skus=[seg["sku"]], description=incident["description"],
            ),
            actor=actor,
        )  # fmt: skip
    action = action_update(action=action, changes={"skus": [seg["sku"]]}, actor=actor)
    _, onset_end = day_bounds(onset + dt.timedelta(days=1))
    _, done_at = day_bounds(last)
    action_transition(action=action, to="in_progress", actor=actor, at=onset_end)
    action = action_transition(
        action=action, to="done", actor=actor, at=done_at - dt.timedelta(hours=6)
    )
    try:
        impact = action_measure_impact(action=action, actor=actor, as_of=end)
    except SignalDeskError as exc:
        return f"action #{action.pk} done, not measurable: {exc.detail}"
    return f"action #{action.pk} measured: {impact.verdict}"
