from __future__ import annotations

import pytest

from signaldesk.core.yamlnodes import ConfigError, compose


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: 1\nb: [1,\n",
            "rules.yaml:3: (yaml): syntax error: "
            "expected the node content, but found '<stream end>'",
        ),
        ("a: 1\nb: \x1f\n", "rules.yaml:2: (yaml): character U+001F is not allowed in YAML"),
        ("", "rules.yaml:1: (file): the file is empty"),
    ],
)
def test_unreadable_yaml_names_the_line_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as failure:
        compose(text, source="rules.yaml")
    assert str(failure.value) == message
