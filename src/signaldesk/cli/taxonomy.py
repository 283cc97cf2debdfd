"""`signaldesk taxonomy …`: load/validate/activate taxonomy versions, audit legacy tags,
review tag mappings, apply them to history and revert a relabel batch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from signaldesk.cli.django_setup import setup_django

if TYPE_CHECKING:
    from signaldesk.core.audit import Actor

app = typer.Typer(help="Contact-reason taxonomy, legacy tag audit and tag mapping.")
console = Console()


def _actor() -> Actor:
    from signaldesk.core.audit import Actor

    return Actor.system("cli")


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]{message}[/red]", highlight=False)
    return typer.Exit(1)


@app.command(help="Validate a taxonomy YAML file without storing it.")
def validate(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    from signaldesk.taxonomy.schema import TaxonomyValidationError, parse_taxonomy

    try:
        parsed = parse_taxonomy(file.read_text(encoding="utf-8"), source=file.name)
    except TaxonomyValidationError as exc:
        raise _fail(exc.detail) from exc
    typer.echo(f"{file.name}: valid, {len(parsed.doc['reasons'])} reasons")


@app.command(help="Load a taxonomy YAML (default: the shipped retail taxonomy).")
def load(
    file: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False)] = None,
    activate: bool = typer.Option(True, help="Make the loaded version active."),
    notes: str = typer.Option("", help="Why this version exists."),
) -> None:
    setup_django()
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.taxonomy.models import TaxonomyVersion
    from signaldesk.taxonomy.services import taxonomy_load_yaml

    before = TaxonomyVersion.objects.count()
    try:
        version = taxonomy_load_yaml(path=file, actor=_actor(), activate=activate, notes=notes)
    except SignalDeskError as exc:
        raise _fail(exc.detail) from exc
    state = "created" if TaxonomyVersion.objects.count() > before else "unchanged, existing"
    active = " (active)" if version.is_active else ""
    typer.echo(f"taxonomy {version.label}{active}: {state} version")


@app.command(help="List taxonomy versions.")
def versions() -> None:
    setup_django()
    from signaldesk.taxonomy.selectors import taxonomy_versions

    table = Table("label", "active", "created", "by", "source", "notes")
    for v in taxonomy_versions():
        table.add_row(
            v.label,
            "yes" if v.is_active else "",
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.created_by_label,
            v.source_name,
            v.notes,
        )
    console.print(table)


@app.command(help="Activate a taxonomy version by label.")
def activate(label: str) -> None:
    setup_django()
    from signaldesk.taxonomy.models import TaxonomyVersion
    from signaldesk.taxonomy.services import taxonomy_activate

    version = TaxonomyVersion.objects.filter(label=label).first()
    if version is None:
        raise _fail(f"No taxonomy version {label!r}.")
    taxonomy_activate(version_id=version.pk, actor=_actor())
    typer.echo(f"taxonomy {label} is active")


@app.command(help="Show the active taxonomy's reasons.")
def show() -> None:
    setup_django()
    from signaldesk.taxonomy.selectors import active_taxonomy

    taxonomy = active_taxonomy()
    table = Table("id", "group", "owner", "cadence", "type", "priority", "auto-action")
    for r in taxonomy.reasons:
        auto = r.auto_action
        limit = f" ≤ {auto.limit}" if auto.limit is not None else ""
        table.add_row(
            r.id,
            r.group,
            r.owner_team,
            r.review_cadence,
            r.ticket_type,
            r.priority,
            f"{auto.action}{limit}" if auto.allowed else "no",
        )
    console.print(f"taxonomy {taxonomy.version}")
    console.print(table)


def _read_tags_file(path: Path | None) -> list[str]:
    if path is None:
        return []
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
        items = data.get("tags", data) if isinstance(data, dict) else data
        return [str(t["name"] if isinstance(t, dict) else t) for t in items]
    return [line.split(",")[0].strip() for line in text.splitlines() if line.strip()]


@app.command(help="Audit legacy ticket tags and propose a contact reason for each.")
def audit(
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    out: Annotated[Path | None, typer.Option("--out", help="Also write the JSON report.")] = None,
    tags_file: Annotated[
        Path | None,
        typer.Option(
            "--tags-file",
            exists=True,
            dir_okay=False,
            help="The helpdesk's full tag list (one per line, or JSON), to find unused tags.",
        ),
    ] = None,
    since: Annotated[dt.datetime | None, typer.Option(help="Only tickets created since.")] = None,
    save: bool = typer.Option(True, help="Store the proposed mappings for review."),
    embeddings: bool = typer.Option(False, help="Also compare tags with MiniLM embeddings."),
) -> None:
    setup_django()
    from django.utils import timezone

    from signaldesk.taxonomy.audit import tag_audit
    from signaldesk.taxonomy.mappings import tag_mappings_propose

    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since, dt.UTC)
    with console.status("auditing tags…"):
        report = tag_audit(
            since=since, defined_tags=_read_tags_file(tags_file), use_embeddings=embeddings
        )
    data = report.to_dict()
    if out is not None:
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    if save:
        counts = tag_mappings_propose(report=report, actor=_actor())
        if not as_json:
            console.print(f"mappings: {counts['created']} new, {counts['updated']} refreshed")
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print_report(report)


def _print_report(report: object) -> None:
    from signaldesk.taxonomy.audit.report import TagAuditReport

    assert isinstance(report, TagAuditReport)
    console.print(
        f"{report.tickets_tagged} tagged of {report.tickets_scanned} tickets, "
        f"{len(report.usage)} tags, taxonomy {report.taxonomy_version}"
    )
    t = Table("tag", "uses", "last used", "→ reason", "confidence", title="Tags")
    proposals = {p.tag: p for p in report.proposals}
    for u in report.usage[:60]:
        p = proposals.get(u.tag)
        t.add_row(
            u.tag,
            str(u.uses),
            f"{u.last_used:%Y-%m-%d}" if u.last_used else "",
            (p.reason_id or f"({p.note})") if p else "",
            f"{p.confidence:.2f}" if p else "",
        )
    console.print(t)
    for d in report.duplicates:
        console.print(f"duplicate ({d.kind} {d.score:.2f}): {d.tag_a} ~ {d.tag_b}; keep {d.keep}")
    for b in report.broad:
        console.print(f"too broad: {b.tag} ({'; '.join(b.why)})")
    for u2 in report.unused:
        console.print(f"unused: {u2.tag} ({u2.why})")
    for inc in report.inconsistent:
        who = ", ".join(f"{a.agent} uses {a.tag} ({a.share:.0%})" for a in inc.agents)
        console.print(f"inconsistent: {' / '.join(inc.tags)}: {who}")


@app.command(help="List tag mappings.")
def mappings(status: str = typer.Option("", help="proposed, approved or rejected")) -> None:
    setup_django()
    from signaldesk.taxonomy.selectors import tag_mappings

    table = Table("id", "tag", "reason", "confidence", "status")
    for m in tag_mappings(status=status or None):
        table.add_row(str(m.pk), m.tag, m.reason_id, f"{m.confidence:.2f}", m.status)
    console.print(table)


@app.command(help="Approve a tag's mapping (optionally to another reason).")
def approve(tag: str, reason: str = typer.Option("", help="Override the proposed reason.")) -> None:
    setup_django()
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.taxonomy.mappings import tag_mapping_approve
    from signaldesk.taxonomy.models import TagMapping

    mapping = TagMapping.objects.filter(tag=tag.strip().lower()).first()
    if mapping is None:
        raise _fail(f"No mapping for tag {tag!r}; run `signaldesk taxonomy audit` first.")
    try:
        m = tag_mapping_approve(mapping_id=mapping.pk, actor=_actor(), reason_id=reason or None)
    except SignalDeskError as exc:
        raise _fail(exc.detail) from exc
    typer.echo(f"approved {m.tag} → {m.reason_id}")


@app.command(help="Reject a tag's mapping.")
def reject(tag: str) -> None:
    setup_django()
    from signaldesk.taxonomy.mappings import tag_mapping_reject
    from signaldesk.taxonomy.models import TagMapping

    mapping = TagMapping.objects.filter(tag=tag.strip().lower()).first()
    if mapping is None:
        raise _fail(f"No mapping for tag {tag!r}.")
    tag_mapping_reject(mapping_id=mapping.pk, actor=_actor())
    typer.echo(f"rejected {tag}")


@app.command(help="Relabel ticket history with the approved mappings (reversible).")
def apply() -> None:
    setup_django()
    from signaldesk.taxonomy.relabel import tag_mappings_apply

    with console.status("relabelling tickets…"):
        result = tag_mappings_apply(actor=_actor())
    if result.batch_id is None:
        typer.echo("no approved mappings to apply")
        return
    typer.echo(f"relabel batch {result.batch_id}: {result.tickets_changed} tickets changed")
    for reason_id, n in result.by_reason.items():
        typer.echo(f"  {reason_id}: {n}")


@app.command(help="Revert a relabel batch, restoring the exact previous values.")
def revert(batch_id: int) -> None:
    setup_django()
    from signaldesk.core.errors import SignalDeskError
    from signaldesk.taxonomy.relabel import relabel_batch_revert

    try:
        result = relabel_batch_revert(batch_id=batch_id, actor=_actor())
    except SignalDeskError as exc:
        raise _fail(exc.detail) from exc
    typer.echo(f"batch {batch_id}: {result.restored} restored, {result.skipped} changed since")
