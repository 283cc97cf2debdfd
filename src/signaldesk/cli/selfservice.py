"""`signaldesk selfservice examples|close-idle`: try the help pages on the demo store."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Self-service: demo orders to try the help pages with; close idle sessions.")
console = Console()


@app.command(help="Print order numbers and emails of this database that show each flow.")
def examples() -> None:
    setup_django()
    from signaldesk.selfservice.examples import demo_examples

    table = Table("flow", "what", "order number", "email")
    rows = demo_examples()
    for e in rows:
        table.add_row(e.flow, e.what, e.order_number, e.email)
    console.print(table)
    if not rows:
        console.print("No orders found: run `signaldesk demo setup` first.")
    console.print("Open http://127.0.0.1:8000/help/ (signaldesk serve).")


@app.command("close-idle", help="End self-service sessions idle for 30 minutes (the job does it).")
def close_idle() -> None:
    setup_django()
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.selfservice.services import sessions_close_idle

    counts = sessions_close_idle(now=timezone.now(), actor=Actor.system("cli"))
    console.print(f"resolved {counts['resolved']}, abandoned {counts['abandoned']}")
