"""`signaldesk triage run`: (re-)triage tickets in bulk, e.g. imported history."""

from __future__ import annotations

import datetime as dt
import re

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Entities, enrichment join, language, sentiment, urgency for tickets.")
console = Console()

_SINCE_RE = re.compile(r"^(\d+)([dh])$")


def parse_since(value: str) -> dt.timedelta:
    """'30d' → 30 days, '12h' → 12 hours."""
    match = _SINCE_RE.match(value.strip().lower())
    if match is None:
        raise typer.BadParameter(f"--since must look like 30d or 12h, got {value!r}")
    amount = int(match[1])
    return dt.timedelta(days=amount) if match[2] == "d" else dt.timedelta(hours=amount)


@app.command(help="Triage all tickets (--all) or those created in a recent window (--since 30d).")
def run(
    all_tickets: bool = typer.Option(False, "--all", help="Every ticket."),
    since: str | None = typer.Option(None, help="Only tickets created in this window: 30d, 12h."),
    classify: bool = typer.Option(True, help="Call the contact-reason classifier hook."),
    chunk_size: int = typer.Option(1000, help="Tickets per chunk (one transaction each)."),
) -> None:
    if all_tickets == (since is not None):
        raise typer.BadParameter("give exactly one of --all or --since")
    window = parse_since(since) if since is not None else None
    setup_django()
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.triage.selectors import ticket_ids_for_triage
    from signaldesk.triage.services import ticket_triage_many

    start = timezone.now() - window if window is not None else None
    ids = ticket_ids_for_triage(since=start)
    with Progress(
        TextColumn("triage"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("tickets", total=len(ids))
        summary = ticket_triage_many(
            ticket_ids=ids,
            actor=Actor.system("cli"),
            classify=classify,
            chunk_size=chunk_size,
            progress=lambda n: bar.advance(task, n),
        )
    table = Table(title="Triage")
    table.add_column("order found by")
    table.add_column("tickets", justify="right")
    for match, count in sorted(summary.by_order_match.items()):
        table.add_row(match, f"{count:,}")
    console.print(table)
    rate = summary.tickets / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.tickets:,} tickets triaged, {summary.changed:,} changed, "
        f"{summary.warnings:,} with warnings, {summary.seconds:.1f} s ({rate:,.0f}/s)"
    )
