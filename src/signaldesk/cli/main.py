"""`signaldesk` console script. Sub-commands live in one module each under signaldesk.cli."""

from __future__ import annotations

import importlib

import typer

from signaldesk.cli.django_setup import setup_django

app = typer.Typer(
    name="signaldesk",
    help="SignalDesk: customer-service workflows that turn tickets into business signals.",
    no_args_is_help=True,
    add_completion=False,
)

# (module, command name): each module exposes `app = typer.Typer(...)`.
SUB_APPS: list[tuple[str, str]] = [
    ("signaldesk.cli.demo", "demo"),
    ("signaldesk.cli.classify", "classify"),
    ("signaldesk.cli.taxonomy", "taxonomy"),
    ("signaldesk.cli.imports", "import"),
    ("signaldesk.cli.triage", "triage"),
    ("signaldesk.cli.learning", "model"),
    ("signaldesk.cli.replies", "replies"),
    ("signaldesk.cli.signals", "signals"),
    ("signaldesk.cli.rules", "rules"),
    ("signaldesk.cli.mail", "mail"),
    ("signaldesk.cli.dashboards", "dashboards"),
    ("signaldesk.cli.selfservice", "selfservice"),
    ("signaldesk.cli.privacy", "privacy"),
]


def _register_sub_apps() -> None:
    for module_name, command in SUB_APPS:
        module = importlib.import_module(module_name)
        app.add_typer(module.app, name=command)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    help="Run any Django management command, e.g. `signaldesk manage migrate`.",
)
def manage(ctx: typer.Context) -> None:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["signaldesk manage", *ctx.args])


@app.command(help="Create or update the database schema.")
def migrate() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


_built = False


def build_app() -> typer.Typer:
    """Register every command group and top-level command once."""
    global _built
    if not _built:
        _register_sub_apps()
        from signaldesk.cli import admin_commands, analyze, backup, ops

        admin_commands.register_top_level(app)
        ops.register_top_level(app)
        backup.register_top_level(app)
        analyze.register_top_level(app)
        _built = True
    return app


def main() -> None:
    build_app()(prog_name="signaldesk")


if __name__ == "__main__":
    main()
