"""The thin Django layer: generate the demo files, import them through the intake importers and
create one login per role. Idempotent: a marker records what was generated and imported."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from signaldesk.demo.config import DemoConfig
from signaldesk.demo.generator import Summary, generate

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
# (username, role, team, languages)
DEMO_USERS: tuple[tuple[str, str, str, list[str]], ...] = (
    ("agent", "agent", "support", ["en"]),
    ("agent_de", "agent", "support", ["de", "en"]),
    ("agent_fr", "agent", "support", ["fr", "en"]),
    ("lead", "lead", "support", ["en"]),
    ("manager", "manager", "support", ["en"]),
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
    progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] = print,
) -> SetupResult:
    from signaldesk.cli.django_setup import setup_django

    setup_django()
    marker = out_dir / MARKER
    state = json.loads(marker.read_text()) if marker.exists() else {}
    generated: Summary | None = None
    if state.get("fingerprint") != cfg.fingerprint():
        log(f"generating demo data into {out_dir} …")
        generated = generate(cfg, out_dir, progress=progress)
        state = {"fingerprint": cfg.fingerprint(), "config": cfg.as_dict(), "imported": []}
        marker.write_text(json.dumps(state, indent=2))
    imported = _import_all(out_dir, state, marker, log)
    password = demo_password(out_dir)
    created = _ensure_users(password)
    (out_dir / LOGINS).write_text(
        "SignalDesk demo logins\n"
        f"url: {URL}\n"
        f"users: {', '.join(u[0] for u in DEMO_USERS)}\n"
        f"password: {password}\n"
    )
    return SetupResult(generated, imported, created, password)


def _import_all(
    out_dir: Path, state: dict[str, object], marker: Path, log: Callable[[str], None]
) -> list[str]:
    from signaldesk.core.audit import Actor
    from signaldesk.intake.importers import run_import  # type: ignore[import-not-found]

    done = list(state.get("imported", []))  # type: ignore[call-overload]
    newly: list[str] = []
    for kind, filename in IMPORT_ORDER:
        if kind in done:
            log(f"{kind}: already imported, skipped")
            continue
        log(f"importing {kind} from {filename} …")
        run_import(kind=kind, path=out_dir / filename, actor=Actor.system("demo"), progress=True)
        done.append(kind)
        newly.append(kind)
        state["imported"] = done
        marker.write_text(json.dumps(state, indent=2))
    return newly


def _ensure_users(password: str) -> list[str]:
    from django.contrib.auth import get_user_model

    from signaldesk.accounts.services import team_ensure, user_create
    from signaldesk.core.audit import Actor

    actor = Actor.system("demo")
    for slug, kind in TEAMS:
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
            team_slug=team,
            languages=languages,
            is_senior=role in ("lead", "manager"),
        )
        created.append(username)
    return created
