"""`signaldesk demo generate|setup`: the demo store as export files, and a ready-to-use install."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from signaldesk.demo.config import DEFAULT_START, DemoConfig
from signaldesk.demo.generator import Summary, generate

app = typer.Typer(help="Generate the demo store (files in real export formats) and set it up.")
console = Console()


def _config(
    days: int, orders_per_day: int, seed: int, start: str | None, contact_scale: float
) -> DemoConfig:
    try:
        start_date = dt.date.fromisoformat(start) if start is not None else DEFAULT_START
    except ValueError as exc:
        raise typer.BadParameter(f"--start must be YYYY-MM-DD, got {start!r}") from exc
    if days < 30:
        raise typer.BadParameter("--days must be at least 30 (incidents need a baseline)")
    if orders_per_day < 1:
        raise typer.BadParameter("--orders-per-day must be positive")
    return DemoConfig(
        days=days,
        orders_per_day=orders_per_day,
        seed=seed,
        start=start_date,
        contact_scale=contact_scale,
    )


def _run(cfg: DemoConfig, out: Path) -> Summary:
    with Progress(
        TextColumn("generating"),
        BarColumn(),
        TextColumn("day {task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("days", total=cfg.days)
        return generate(cfg, out, progress=lambda done, _total: bar.update(task, completed=done))


def _print_summary(summary: Summary) -> None:
    table = Table(title=f"Demo files in {summary.out_dir}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, rows in summary.counts.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(
        f"{summary.orders:,} orders, {summary.tickets:,} tickets "
        f"(contact rate {summary.contact_rate:.1%}) in {summary.seconds:.1f} s"
    )


DAYS = typer.Option(120, help="Length of the period in days (≥ 30).")
OPD = typer.Option(400, "--orders-per-day", help="Average orders per day.")
SEED = typer.Option(7, help="Random seed; the same seed gives the same bytes.")
START = typer.Option(DEFAULT_START.isoformat(), help="First day, YYYY-MM-DD.")
OUT = typer.Option(Path("var/demo"), help="Output directory.")
SETUP_START = typer.Option(
    None,
    help="First day, YYYY-MM-DD. Default: the start of an earlier setup with the same "
    "parameters, else today − days, so the period ends today.",
)
SETUP_OUT = typer.Option(None, help="Where the files go (default: <var>/demo).")
SCALE = typer.Option(1.0, "--contact-scale", help="Multiplier on contact probabilities.")


@app.command(
    name="generate", help="Write the demo store as export files (Shopify, Zendesk, generic CSVs)."
)
def generate_cmd(
    days: int = DAYS,
    orders_per_day: int = OPD,
    seed: int = SEED,
    out: Path = OUT,
    start: str = START,
    contact_scale: float = SCALE,
) -> None:
    cfg = _config(days, orders_per_day, seed, start, contact_scale)
    _print_summary(_run(cfg, out))


@contextmanager
def _bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@app.command(
    help="Generate into var/demo, import everything, create one login per role and prepare the "
    "queue: taxonomy, macros, articles, tag mappings, first model, triage and SLA clocks."
)
def setup(
    days: int = DAYS,
    orders_per_day: int = OPD,
    seed: int = SEED,
    start: str | None = SETUP_START,
    contact_scale: float = SCALE,
    out: Path | None = SETUP_OUT,
) -> None:
    from signaldesk.cli.django_setup import setup_django

    setup_django()
    from django.conf import settings

    from signaldesk.demo.setup import DEMO_USERS, demo_setup, setup_start, with_start

    cfg = _config(days, orders_per_day, seed, start, contact_scale)
    out = out or Path(settings.VAR_DIR) / "demo"
    if start is None:
        cfg = with_start(cfg, setup_start(cfg, out))
    end = cfg.start + dt.timedelta(days=cfg.days)
    console.print(f"demo period {cfg.start} → {end} (seed {cfg.seed})")
    result = demo_setup(cfg, out, bar=_bar, log=console.print)
    if result.generated is not None:
        _print_summary(result.generated)
    console.print(f"imported: {', '.join(result.imported) or 'nothing new'}")
    console.print(f"created users: {', '.join(result.created_users) or 'none (already there)'}")
    timings = Table(title="Setup steps")
    timings.add_column("step")
    timings.add_column("wall s", justify="right")
    timings.add_column("CPU s", justify="right")
    for t in result.timings:
        timings.add_row(t.name, "skipped" if t.skipped else f"{t.wall:.1f}", f"{t.cpu:.1f}")
    timings.add_row(
        "total",
        f"{sum(t.wall for t in result.timings):.1f}",
        f"{sum(t.cpu for t in result.timings):.1f}",
    )
    console.print(timings)
    table = Table(title="Demo logins")
    table.add_column("user")
    table.add_column("role")
    table.add_column("team")
    for username, role, team, _ in DEMO_USERS:
        table.add_row(username, role, team)
    console.print(table)
    console.print(f"password: {result.password}   (also in {out / 'logins.txt'})")
    console.print(f"open {result.url}")
