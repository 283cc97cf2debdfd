"""`signaldesk rules check|load|show|simulate`: workflow rules (docs/rules.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(help="Workflow rules: validate, load a new version, simulate on past tickets.")
console = Console()


def _since_days(value: str) -> int:
    text = value.strip().lower()
    if not (text.endswith("d") and text[:-1].isdigit()):
        raise typer.BadParameter(f"--since must look like 30d, got {value!r}")
    return int(text[:-1])


def _default_file() -> Path:
    return Path(__file__).resolve().parent.parent / "workflow" / "rules.yaml"


def _read(path: Path | None) -> tuple[str, str]:
    target = path or _default_file()
    return target.read_text(encoding="utf-8"), str(target)


@app.command(help="Validate a rules file (default: the packaged workflow/rules.yaml).")
def check(path: Annotated[Path | None, typer.Argument()] = None) -> None:
    from signaldesk.core.yamlnodes import ConfigError
    from signaldesk.workflow.rules.parse import parse_rules

    text, source = _read(path)
    try:
        rules = parse_rules(text, source=source)
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue))
        raise typer.Exit(1) from exc
    console.print(f"{len(rules)} rules OK")


@app.command(help="Store a rules file as a new active RuleSet version.")
def load(
    path: Annotated[Path | None, typer.Argument()] = None,
    comment: Annotated[str, typer.Option(help="Why this version.")] = "",
) -> None:
    setup_django()
    from django.utils import timezone

    from signaldesk.core.audit import Actor
    from signaldesk.core.yamlnodes import ConfigError
    from signaldesk.workflow.rules.services import ruleset_save

    text, source = _read(path)
    try:
        row = ruleset_save(
            yaml_text=text, actor=Actor.system("cli"), now=timezone.now(), comment=comment
        )
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue))
        raise typer.Exit(1) from exc
    console.print(f"rules v{row.version} active ({source})")


@app.command(help="Replay rules over tickets created in the period; writes nothing.")
def simulate(
    since: Annotated[str, typer.Option(help="Window ending now, e.g. 30d.")] = "30d",
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Rules file (default: the active set).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    days = _since_days(since)
    setup_django()
    from django.utils import timezone

    from signaldesk.core.yamlnodes import ConfigError
    from signaldesk.workflow.models_rules import RuleSet
    from signaldesk.workflow.rules.parse import parse_rules
    from signaldesk.workflow.rules.simulate import simulate as run

    if rules is not None:
        text, source = _read(rules)
    else:
        row = RuleSet.objects.filter(active=True).first()
        text, source = (row.yaml_text, f"ruleset v{row.version}") if row else _read(None)
    try:
        parsed = parse_rules(text, source=source)
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue))
        raise typer.Exit(1) from exc
    report = run(rules=parsed, since=timezone.now() - dt.timedelta(days=days)).as_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    console.print(f"{report['tickets']} tickets since {report['since']} ({source})")
    table = Table("rule", "fired", "examples")
    for rule_id, stats in report["rules"].items():
        table.add_row(rule_id, str(stats["fired"]), ", ".join(map(str, stats["examples"])))
    console.print(table)
    for name in ("priority", "team", "assignee"):
        dist = report[name]
        keys = sorted(set(dist["actual"]) | set(dist["simulated"]))
        t = Table(name, "actual", "simulated")
        for key in keys:
            t.add_row(key, str(dist["actual"].get(key, 0)), str(dist["simulated"].get(key, 0)))
        console.print(t)
