"""`signaldesk import <kind> FILE`: bulk imports (formats in docs/formats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(
    help="Import Shopify, Zendesk and CSV exports (idempotent: re-run to apply updates).",
    no_args_is_help=True,
)

KINDS = {
    "shopify-orders": "Shopify orders export CSV (one row per line item).",
    "shopify-products": "Shopify products export CSV (one row per variant).",
    "shopify-customers": "Shopify customers export CSV.",
    "zendesk-tickets": 'Zendesk tickets JSON ({"tickets": [...]} or NDJSON), with comments.',
    "shipments": "Shipments CSV (one row per shipment item).",
    "returns": "Returns CSV.",
    "reviews": "Product reviews CSV.",
    "tickets": "Tickets CSV from any helpdesk.",
}
SHOWN_ERRORS = 50


def _parse_pairs(pairs: list[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise typer.BadParameter(f"{flag} takes NAME=VALUE, got {pair!r}")
        out[name.strip()] = value.strip()
    return out


def run(
    kind: str,
    file: Path,
    fields: list[str],
    options: list[str],
    currency: str,
    progress: bool,
) -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.intake.importers import run_import

    console = Console(stderr=True)
    opts = _parse_pairs(options, "--option")
    opts.update({f"field.{k}": v for k, v in _parse_pairs(fields, "--field").items()})
    if currency:
        opts["currency"] = currency
    try:
        report = run_import(
            kind=kind,
            path=file,
            actor=Actor.system(f"import:{file.name}"[:200]),
            options=opts,
            progress=progress,
        )
    except SignalDeskError as exc:
        console.print(f"[red]error:[/red] {exc.detail}", highlight=False)
        raise typer.Exit(2) from None
    for line, column, reason in report.errors[:SHOWN_ERRORS]:
        where = f"{report.file_name}:{line}" + (f": {column}" if column else "")
        typer.echo(f"{where}: {reason}")
    failed = report.counts["failed"]
    if failed > SHOWN_ERRORS:
        typer.echo(f"… {failed - SHOWN_ERRORS} more row error(s): see import run #{report.run_id}")
    c = report.counts
    typer.echo(
        f"{kind} {report.file_name} ({report.encoding}): read {c['read']}, created {c['created']}, "
        f"updated {c['updated']}, unchanged {c['unchanged']}, failed {c['failed']} "
        f"in {report.seconds:.1f}s ({report.rows_per_second:,.0f} rows/s); run #{report.run_id}"
    )


def _command(kind: str) -> None:
    def command(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        field: Annotated[
            list[str] | None,
            typer.Option(help="Zendesk custom field id by name, e.g. order_number=360001."),
        ] = None,
        option: Annotated[
            list[str] | None, typer.Option(help="Extra NAME=VALUE option, e.g. source=freshdesk.")
        ] = None,
        currency: Annotated[
            str, typer.Option(help="Currency when the file names none (default: the store's).")
        ] = "",
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        run(kind, file, field or [], option or [], currency, progress)

    app.command(name=kind, help=KINDS[kind])(command)


for _kind in KINDS:
    _command(_kind)
