"""`signaldesk model …`: retrain the contact-reason classifier from the database, list model
versions, activate one, roll back. (CSV-only train/eval/predict: `signaldesk classify`.)"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Classifier model registry: retrain, versions, activate, rollback.")
console = Console()


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]{message}[/red]", highlight=False)
    return typer.Exit(1)


@app.command(help="Train a new version now (in this process) and activate it on success.")
def retrain(
    kind: Annotated[str | None, typer.Option(help="tfidf, embed or combined")] = None,
    no_activate: Annotated[bool, typer.Option("--no-activate")] = False,
) -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.triage.learning.services import model_train, model_version_create

    actor = Actor.system("cli")
    try:
        version = model_version_create(actor=actor, kind=kind)
    except SignalDeskError as exc:
        raise _fail(exc.detail) from exc
    with console.status(f"Training v{version.version} ({version.kind})…"):
        version = model_train(version_id=version.pk, actor=actor, activate=not no_activate)
    if version.status != "ready":
        raise _fail(f"v{version.version} failed: {version.error}")
    m = version.metrics
    console.print(
        f"v{version.version} ready ({version.training_summary.get('n_examples')} examples, "
        f"accuracy {m.get('accuracy', 'n/a')}, macro F1 {m.get('macro_f1', 'n/a')})"
        + (", active" if version.is_active else "")
    )
    for reason, why in version.training_summary.get("skipped_reasons", {}).items():
        console.print(f"[yellow]skipped {reason}: {why}[/yellow]")


@app.command(help="List model versions, newest first.")
def versions() -> None:
    setup_django()
    from signaldesk.triage.learning.selectors import model_versions

    table = Table("version", "kind", "status", "active", "trained", "examples", "accuracy")
    for v in model_versions()[:50]:
        acc = v.metrics.get("accuracy")
        table.add_row(
            str(v.version), v.kind, v.status, "yes" if v.is_active else "",
            v.trained_at.strftime("%Y-%m-%d %H:%M") if v.trained_at else "",
            str(v.training_summary.get("n_examples", "")),
            f"{acc:.3f}" if isinstance(acc, float) else "",
        )  # fmt: skip
    console.print(table)


@app.command(help="Activate a ready model version (by its version number).")
def activate(version: int) -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.triage.learning.models import ModelVersion
    from signaldesk.triage.learning.services import model_activate

    row = ModelVersion.objects.filter(version=version).first()
    if row is None:
        raise _fail(f"No model version {version}.")
    try:
        model_activate(version_id=row.pk, actor=Actor.system("cli"))
    except SignalDeskError as exc:
        raise _fail(exc.detail) from exc
    console.print(f"v{version} is active.")


@app.command(help="Activate the newest ready version older than the active one.")
def rollback() -> None:
    setup_django()
    from signaldesk.core.audit import Actor
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.triage.learning.services import model_rollback

    try:
        version = model_rollback(actor=Actor.system("cli"))
    except SignalDeskError as exc:
        raise _fail(exc.detail) from exc
    console.print(f"Rolled back: v{version.version} is active.")
