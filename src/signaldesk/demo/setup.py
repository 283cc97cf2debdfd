"""The thin Django layer: generate the demo files, import them through the intake importers,
create one login per role and prepare the queue (setup_steps). Idempotent and resumable: a marker
records what was generated, imported and done."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signaldesk.demo.clock import STORE_TZ
from signaldesk.demo.config import DemoConfig
from signaldesk.demo.generator import Summary, generate
from signaldesk.demo.setup_steps import BarFactory, StepRunner, StepTiming, no_bar, run_queue_steps

if TYPE_CHECKING:
    from signaldesk.intake.importers import ImportReport

IMPORT_ORDER: tuple[tuple[str, str], ...] = (
    ("shopify-products", "shopify_products.csv"),
    ("shopify-customers", "shopify_customers.csv"),
    ("shopify-orders", "shopify_orders.csv"),
    ("shipments", "shipments.csv"),
    ("returns", "returns.csv"),
    ("reviews", "reviews.csv"),
    ("zendesk-tickets", "zendesk_tickets.json"),
    ("tickets", "tickets.csv"),
)
TEAMS: tuple[tuple[str, str], ...] = (
    ("support", "support"),
    ("operations", "operations"),
    ("product", "product"),
    ("ecommerce", "ecommerce"),
    ("finance", "finance"),
    ("lifecycle", "lifecycle"),
    ("merchandising", "merchandising"),
)
# (username, role, team, languages). Leads and managers are the senior agents (VIP routing);
# nobody speaks Dutch, so Dutch tickets show the `needs_translation` fallback (docs/rules.md).
DEMO_USERS: tuple[tuple[str, str, str, list[str]], ...] = (
    ("agent", "agent", "support", ["en"]),
    ("agent_de", "agent", "support", ["de", "en"]),
    ("agent_fr", "agent", "support", ["fr", "en"]),
    ("agent_es", "agent", "support", ["es", "it", "en"]),
    ("lead", "lead", "support", ["en", "de"]),
    ("manager", "manager", "support", ["en", "fr", "es"]),
    ("admin", "admin", "support", ["en"]),
    ("stakeholder", "stakeholder", "operations", ["en"]),
)
MARKER = ".imported.json"
LOGINS = "logins.txt"
URL = "http://127.0.0.1:8000"


@dataclass
class SetupResult:
    generated: Summary | None
    imported: list[str]
    created_users: list[str]
    password: str
    url: str = URL
    timings: list[StepTiming] = field(default_factory=list)


def setup_start(cfg: DemoConfig, out_dir: Path, today: dt.date | None = None) -> dt.date:
    """The first day when `--start` is not given: the one recorded by an earlier run with the same
    other parameters (so a rerun resumes instead of regenerating), else today − days, so the
    period ends at midnight today (store time) and the newest tickets are hours old."""
    marker = out_dir / MARKER
    if marker.exists():
        recorded = json.loads(marker.read_text()).get("config", {})
        wanted = {k: v for k, v in cfg.as_dict().items() if k != "start"}
        if {k: v for k, v in recorded.items() if k != "start"} == wanted and "start" in recorded:
            return dt.date.fromisoformat(recorded["start"])
    today = today or dt.datetime.now(STORE_TZ).date()
    return today - dt.timedelta(days=cfg.days)


def with_start(cfg: DemoConfig, start: dt.date) -> DemoConfig:
    return replace(cfg, start=start)


def demo_password(out_dir: Path) -> str:
    """SIGNALDESK_DEMO_PASSWORD, else the password stored by an earlier run, else a new one."""
    env = os.environ.get("SIGNALDESK_DEMO_PASSWORD")
    if env:
        return env
    logins = out_dir / LOGINS
    if logins.exists():
        for line in logins.read_text().splitlines():
            if line.startswith("password: "):
                return line.removeprefix("password: ").strip()
    return secrets.token_urlsafe(12)


def demo_setup(
    cfg: DemoConfig,
    out_dir: Path,
    *,
    bar: BarFactory = no_bar,
    log: Callable[[str], None] = print,
    import_progress: bool = True,
) -> SetupResult:
    """Generate (unless the marker holds this fingerprint), import, create the logins, then
    prepare the queue. Each step is logged with its wall and CPU time."""
    from signaldesk.cli.django_setup import setup_django

    setup_django()
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / MARKER
    state: dict[str, Any] = json.loads(marker.read_text()) if marker.exists() else {}
    runner = StepRunner(state, marker, log)
    generated: list[Summary] = []
    if state.get("fingerprint") != cfg.fingerprint():
        state.clear()
        state.update({"fingerprint": cfg.fingerprint(), "config": cfg.as_dict(), "imported": []})

        def _generate() -> str:
            with bar(f"generating {cfg.days} days", cfg.days) as advance:
                seen = [0]

                def progress(done: int, _total: int) -> None:
                    advance(done - seen[0])
                    seen[0] = done

                summary = generate(cfg, out_dir, progress=progress)
            generated.append(summary)
            return f"{summary.orders:,} orders, {summary.tickets:,} tickets into {out_dir}"

        runner.run("generate", _generate, record=False)
        marker.write_text(json.dumps(state, indent=2))
    else:
        log(f"generate: {out_dir} already holds these parameters, skipped")
    imported = _import_all(out_dir, runner, import_progress)
    password = demo_password(out_dir)
    created: list[str] = []
    runner.run("users", lambda: _users_step(password, created), record=False)
    (out_dir / LOGINS).write_text(
        "SignalDesk demo logins\n"
        f"url: {URL}\n"
        f"users: {', '.join(u[0] for u in DEMO_USERS)}\n"
        f"password: {password}\n"
    )
    run_queue_steps(runner, bar)
    return SetupResult(
        generated[0] if generated else None, imported, created, password, timings=runner.timings
    )


def _users_step(password: str, created: list[str]) -> str:
    created.extend(_ensure_users(password))
    return f"teams ensured, support team {_support_team_slug()}, {len(created)} users created"


def _import_all(out_dir: Path, runner: StepRunner, progress: bool) -> list[str]:
    from signaldesk.core.audit import Actor
    from signaldesk.intake.importers import run_import

    state = runner.state
    newly: list[str] = []
    for kind, filename in IMPORT_ORDER:
        if kind in state.get("imported", []):
            runner.log(f"import {kind}: already imported, skipped")
            continue

        def _one(kind: str = kind, filename: str = filename) -> str:
            report = run_import(
                kind=kind, path=out_dir / filename, actor=Actor.system("demo"), progress=progress
            )
            return _report_text(report)

        runner.run(f"import {kind}", _one, record=False)
        newly.append(kind)
        state["imported"] = [*state.get("imported", []), kind]
        runner.marker.write_text(json.dumps(state, indent=2))
    return newly


def _report_text(report: ImportReport) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in report.counts.items() if v)


def _support_team_slug() -> str:
    """The imported Zendesk "Support" group when there is one, so the demo agents belong to the
    team their tickets are routed to (and the console lists one Support team, not two)."""
    from signaldesk.accounts.models import Team
    from signaldesk.demo.tickets import GROUPS

    slug = Team.objects.filter(external_id=str(GROUPS[0][0])).values_list("slug", flat=True).first()
    return slug or "support"


def _ensure_users(password: str) -> list[str]:
    from django.contrib.auth import get_user_model

    from signaldesk.accounts.services import team_ensure, user_create
    from signaldesk.core.audit import Actor

    actor = Actor.system("demo")
    support = _support_team_slug()
    for slug, kind in TEAMS:
        if slug != "support" or support == "support":
            team_ensure(slug=slug, name=slug.title(), kind=kind, actor=actor)
    existing = set(
        get_user_model()
        .objects.filter(username__in=[u[0] for u in DEMO_USERS])
        .values_list("username", flat=True)
    )
    created: list[str] = []
    for username, role, team, languages in DEMO_USERS:
        if username in existing:
            continue
        user_create(
            username=username,
            email=f"{username}@demo.signaldesk.example",
            password=password,
            role=role,
            actor=actor,
            team_slug=support if team == "support" else team,
            languages=languages,
            is_senior=role in ("lead", "manager"),
        )
        created.append(username)
    return created
