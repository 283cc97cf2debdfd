"""`signaldesk privacy export|erase`: a customer's data as one JSON file; erasure (GDPR-style)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Customer data export and erasure (docs/privacy.md).")
console = Console()


def _find(ref: str) -> Any:
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.privacy.subject import customer_find

    try:
        return customer_find(ref)
    except SignalDeskError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(1) from exc


@app.command(help="Write everything stored about a customer (id or e-mail) to one JSON file.")
def export(
    customer: Annotated[str, typer.Option("--customer", help="Customer id or e-mail address.")],
    out: Annotated[Path, typer.Option("--out", help="File to write (JSON).")],
) -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.privacy.selectors import customer_export_chunks
    from signaldesk.privacy.services import customer_export_record

    found = _find(customer)
    customer_export_record(customer=found, actor=Actor.system("cli"), via="cli")
    size = 0
    with out.open("wb") as fh:
        for chunk in customer_export_chunks(found):
            fh.write(chunk)
            size += len(chunk)
    console.print(f"customer {found.pk}: {size} bytes written to {out}")


@app.command(help="Erase a customer's personal data everywhere (keeps aggregate metrics).")
def erase(
    customer: str = typer.Option(..., "--customer", help="Customer id or e-mail address."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the erasure record)."),
    yes: bool = typer.Option(False, "--yes", help="Really erase (otherwise: a dry run)."),
) -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.privacy.services import customer_erase, customer_erasure_preview

    found = _find(customer)
    if not yes:
        table = Table("model", "rows")
        for model, count in customer_erasure_preview(customer=found).items():
            table.add_row(model, str(count))
        console.print(table)
        console.print(f"Dry run for customer {found.pk}: add --yes to erase.")
        return
    result = customer_erase(customer=found, reason=reason, actor=Actor.system("cli"))
    if result.already_erased:
        console.print(f"customer {found.pk} was already erased: nothing changed.")
        return
    table = Table("model", "rows erased")
    for model, count in result.counts.items():
        table.add_row(model, str(count))
    console.print(table)
    console.print(f"customer {found.pk} erased; {result.files_deleted} stored file(s) deleted.")
