import typer
from typer.testing import CliRunner

from signaldesk.cli import ops


def test_worker_and_scheduler_refuse_to_start_without_a_broker() -> None:
    app = typer.Typer()
    ops.register_top_level(app)

    for command in ("worker", "scheduler"):
        result = CliRunner().invoke(app, [command])

        assert result.exit_code == 2
        assert "set SIGNALDESK_REDIS_URL" in result.output
