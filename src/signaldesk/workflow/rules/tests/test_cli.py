"""`signaldesk rules check` and `rules load`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from signaldesk.cli import main
from signaldesk.workflow.models_rules import RuleSet


def test_check_reports_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: a\n    order: 1\n    when: {field: x, op: eq, value: 1}\n")
    main.build_app()
    result = CliRunner().invoke(main.app, ["rules", "check", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:2: rules[0].then: required field is missing",
        f"{bad}:4: rules[0].when.field: unknown field 'x'",
    ]
    assert CliRunner().invoke(main.app, ["rules", "check"]).output == "9 rules OK\n"


@pytest.mark.django_db
def test_load_stores_a_new_active_version() -> None:
    main.build_app()
    result = CliRunner().invoke(main.app, ["rules", "load", "--comment", "default"])
    assert result.exit_code == 0, result.output
    assert list(RuleSet.objects.values_list("version", "active", "comment")) == [
        (1, True, "default")
    ]
