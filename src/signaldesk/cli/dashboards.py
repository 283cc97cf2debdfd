"""`signaldesk dashboards refresh`: rebuild the dashboards' rollups (after an import)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.progress import Progress

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Dashboard rollups (service, backlog, handling, reviews, repurchase).")
console = Console()


@app.command(help="Recompute the dashboard rollups: every day with tickets (--all) or N days.")
def refresh(
    all_days: bool = typer.Option(False, "--all", help="Every day from the first ticket/order."),
    days: int = typer.Option(30, help="Days back from today (ignored with --all)."),
    signals: bool = typer.Option(
        False, "--signals", help="Also refresh the signals rollups (contacts, exposure, cost)."
    ),
) -> None:
    setup_django()
    from signaldesk.dashboards.services import dashboards_refresh, repurchase_refresh
    from signaldesk.dashboards.setup import refresh_span

    first, last = refresh_span(all_days=all_days, days=days)
    if first is None or last is None:
        console.print("no tickets or orders: nothing to roll up")
        return
    span = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    with Progress(console=console) as progress:
        task = progress.add_task("dashboard rollups", total=len(span))
        for day in span:
            if signals:
                from signaldesk.signals.services import rollup_refresh

                rollup_refresh(days=[day])
            dashboards_refresh(days=[day])
            progress.advance(task)
    customers = repurchase_refresh(months=span)
    console.print(
        f"refreshed {len(span)} days ({first} .. {last}); repurchase: {customers} customers"
    )
