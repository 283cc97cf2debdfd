"""`signaldesk analyze`: the insight report from export files, in a temporary database.

    signaldesk analyze --orders shopify_orders.csv --tickets zendesk_tickets.json \\
        [--products …] [--customers …] [--shipments …] [--returns …] [--reviews …] --out report/

The database is a fresh SQLite file in a temporary folder (SIGNALDESK_HOME and
SIGNALDESK_DATABASE_URL are pointed there before Django starts), so the install's own var/
database is never touched; it is deleted afterwards unless --keep-db is given."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(stderr=True)


def register_top_level(root: typer.Typer) -> None:
    root.command(
        name="analyze",
        help="Import export files into a temporary database and write the whole insight report "
        "(index.html with charts, report.md, CSVs) into --out.",
    )(analyze)


def use_temporary_database(folder: Path) -> None:
    """Point the settings at a new SQLite database in ``folder`` (before Django starts)."""
    os.environ["SIGNALDESK_HOME"] = str(folder)
    os.environ["SIGNALDESK_DATABASE_URL"] = f"sqlite:///{folder / 'analyze.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "signaldesk.config.settings.embedded"
    os.environ.pop("SIGNALDESK_REDIS_URL", None)  # jobs in-process: no broker, no workers


@contextmanager
def _bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=False,
    ) as bar:  # fmt: skip
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def analyze(
    orders: Annotated[Path, typer.Option(help="Shopify orders export CSV.", dir_okay=False)],
    tickets: Annotated[
        Path, typer.Option(help="Zendesk tickets JSON (or a generic tickets CSV).", dir_okay=False)
    ],
    out: Annotated[Path, typer.Option(help="Folder for the report files.")] = Path("report"),
    products: Annotated[
        Path | None, typer.Option(help="Shopify products CSV.", dir_okay=False)
    ] = None,
    customers: Annotated[
        Path | None, typer.Option(help="Shopify customers CSV.", dir_okay=False)
    ] = None,
    shipments: Annotated[Path | None, typer.Option(help="Shipments CSV.", dir_okay=False)] = None,
    returns: Annotated[Path | None, typer.Option(help="Returns CSV.", dir_okay=False)] = None,
    reviews: Annotated[Path | None, typer.Option(help="Reviews CSV.", dir_okay=False)] = None,
    scan_days: Annotated[int, typer.Option(help="Spike-scan each of the last N days.")] = 28,
    keep_db: Annotated[
        bool, typer.Option(help="Keep the temporary database (its path is printed).")
    ] = False,
) -> None:
    from signaldesk.insights.analyze_inputs import AnalyzeInputs, check_inputs

    inputs = AnalyzeInputs(
        orders=orders, tickets=tickets, products=products, customers=customers,
        shipments=shipments, returns=returns, reviews=reviews,
    )  # fmt: skip
    problems = check_inputs(inputs)
    if problems:
        for problem in problems:
            console.print(f"[red]error:[/red] {problem}", highlight=False)
        raise typer.Exit(2)
    if out.exists() and not out.is_dir():
        console.print(f"[red]error:[/red] --out {out} exists and is not a folder", highlight=False)
        raise typer.Exit(2)
    folder = Path(tempfile.mkdtemp(prefix="signaldesk-analyze-"))
    started = time.perf_counter()
    try:
        use_temporary_database(folder)
        from signaldesk.cli.django_setup import setup_django

        setup_django()
        from django.core.management import call_command

        from signaldesk.core.errors import SignalDeskError
        from signaldesk.insights.analyze import analyze_run

        with console.status("creating the temporary database"):
            call_command("migrate", interactive=False, verbosity=0)
        try:
            result = analyze_run(inputs, out, scan_days=scan_days, bar=_bar, log=console.print)
        except SignalDeskError as exc:
            console.print(f"[red]error:[/red] {exc.detail}", highlight=False)
            raise typer.Exit(2) from None
    finally:
        if keep_db:
            console.print(f"database kept: {folder / 'analyze.sqlite3'}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    d = result.data
    console.print(
        f"{d.orders:,} orders, {d.tickets:,} tickets, {len(d.spikes)} spikes, "
        f"{len(d.themes)} themes, {len(d.import_errors)} import row errors; "
        f"{time.perf_counter() - started:.1f} s in total"
    )
    typer.echo(str(out / "index.html"))
