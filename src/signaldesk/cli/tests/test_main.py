from typer.testing import CliRunner

from signaldesk.cli import main

EXPECTED_COMMANDS = [
    "analyze",
    "backup",
    "classify",
    "createuser",
    "dashboards",
    "demo",
    "import",
    "mail",
    "manage",
    "migrate",
    "model",
    "privacy",
    "replies",
    "restore",
    "rules",
    "scheduler",
    "selfservice",
    "serve",
    "signals",
    "taxonomy",
    "triage",
    "worker",
]


def test_every_command_group_is_registered_on_the_console_script() -> None:
    main.build_app()
    names = sorted(
        [c.name or c.callback.__name__ for c in main.app.registered_commands if c.callback]
        + [g.name for g in main.app.registered_groups if g.name]
    )
    assert names == EXPECTED_COMMANDS


def test_classify_help_runs_without_django() -> None:
    main.build_app()
    result = CliRunner().invoke(main.app, ["classify", "--help"])
    assert result.exit_code == 0
    assert "eval" in result.output
