"""`signaldesk signals rollup|scan|themes`: rebuild rollups, run the spike scan (optionally
notifying), discover themes."""

from __future__ import annotations

import datetime as dt
import json

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Rollups and spike alerts (contact rates by SKU, batch, carrier, ...).")
console = Console()


def _since_days(value: str) -> int:
    text = value.strip().lower()
    if not (text.endswith("d") and text[:-1].isdigit()):
        raise typer.BadParameter(f"--since must look like 30d, got {value!r}")
    return int(text[:-1])


@app.command(help="Recompute rollups: every day with data (--all) or the last N days.")
def rollup(
    all_days: bool = typer.Option(False, "--all", help="Every day that has tickets or orders."),
    since: str = typer.Option("30d", help="Window ending today, e.g. 30d (ignored with --all)."),
) -> None:
    setup_django()
    from django.db.models import Max, Min
    from django.utils import timezone

    from signaldesk.commerce.models import Order
    from signaldesk.signals.services import local_day, rollup_refresh
    from signaldesk.tickets.models import Ticket

    today = local_day(timezone.now())
    if all_days:
        spans = [
            Ticket.objects.aggregate(lo=Min("created_at"), hi=Max("created_at")),
            Order.objects.aggregate(lo=Min("created_at"), hi=Max("created_at")),
        ]
        los = [local_day(s["lo"]) for s in spans if s["lo"] is not None]
        his = [local_day(s["hi"]) for s in spans if s["hi"] is not None]
        if not los:
            console.print("no tickets or orders: nothing to roll up")
            return
        first, last = min(los), max(his) + dt.timedelta(days=14)  # shipments trail orders
    else:
        first, last = today - dt.timedelta(days=_since_days(since)), today
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    with Progress(console=console) as progress:
        task = progress.add_task("rollups", total=len(days))
        for day in days:
            rollup_refresh(days=[day])
            progress.advance(task)
    console.print(f"refreshed {len(days)} days ({first} .. {last})")


@app.command(
    help="Discover themes in the feedback of the 56 days up to --as-of (default yesterday)."
)
def themes(
    as_of: str | None = typer.Option(None, "--as-of", help="Last day, YYYY-MM-DD."),
    window: int = typer.Option(28, help="Days per window (recent vs previous)."),
) -> None:
    setup_django()
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.signals.services import local_day
    from signaldesk.signals.themes_service import themes_discover

    day = dt.date.fromisoformat(as_of) if as_of else local_day(timezone.now()) - dt.timedelta(1)
    run = themes_discover(as_of=day, actor=Actor.system("cli:signals themes"), window_days=window)
    table = Table(title=f"themes at {run.as_of}: {run.n_texts} texts, {run.seconds:.1f} s")
    for col in ("scope", "label", "size", "recent", "previous", "sources"):
        table.add_column(col)
    for t in run.themes.order_by("scope", "-recent_count"):
        sources = ", ".join(f"{k} {v}" for k, v in t.sources.items())
        table.add_row(
            t.scope, t.label, str(t.size), str(t.recent_count), str(t.previous_count), sources
        )
    console.print(table)


@app.command(help="Run the spike scan at --as-of (default yesterday) and print the alerts.")
def scan(
    as_of: str | None = typer.Option(None, "--as-of", help="Scan day, YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    notify: bool = typer.Option(
        False, "--notify", help="Queue webhook/email of new or escalated alerts (outbox)."
    ),
) -> None:
    setup_django()
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.signals.notify import alert_notify
    from signaldesk.signals.scan import signals_scan

    day = dt.date.fromisoformat(as_of) if as_of else None
    result = signals_scan(as_of=day, actor=Actor.system("cli:signals scan"))
    if notify:
        alert_notify(alerts=result.alerts, now=timezone.now())
    rows = [
        {
            "id": a.id,
            "segment": a.segment_label,
            "onset": str(a.onset),
            "first_alert_day": str(a.first_alert_day),
            "last_alert_day": str(a.last_alert_day),
            "observed": a.observed,
            "expected": round(a.expected, 2),
            "ratio": round(a.ratio, 2),
            "q_value": a.q_value,
            "severity": a.severity,
            "status": a.status,
            "primary": a.primary,
            "explanation": a.explanation,
            "example_ticket_ids": a.example_ticket_ids,
        }
        for a in result.alerts
    ]
    if as_json:
        payload = {
            "as_of": str(result.as_of), "series": result.n_series, "skipped": result.skipped,
            "seconds": round(result.seconds, 3), "alerts": rows,
        }  # fmt: skip
        typer.echo(json.dumps(payload, indent=2))
        return
    table = Table(title=f"spike alerts at {result.as_of} ({result.n_series} series)")
    for col in ("id", "segment", "onset", "severity", "status", "explanation"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]), str(r["segment"]), str(r["onset"]), str(r["severity"]),
            str(r["status"]), str(r["explanation"]),
        )  # fmt: skip
    console.print(table)
    if result.skipped:
        console.print(f"skipped: {result.skipped}")
