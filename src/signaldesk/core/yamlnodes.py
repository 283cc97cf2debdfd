"""Reading YAML config with errors that name the file, the line and the field (Django-free).

The text is composed into PyYAML nodes, which keep their start marks, and each checker walks the
nodes, collecting every problem as a `ConfigIssue` before raising one `ConfigError`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from signaldesk.core.errors import ValidationError

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ConfigIssue:
    source: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.path}: {self.message}"


class ConfigError(ValidationError):
    code = "config_invalid"

    def __init__(self, issues: list[ConfigIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def compose(text: str, *, source: str, error: type[ConfigError] = ConfigError) -> Node:
    """The root node of a YAML document; a syntax error or an empty file raises `error` (a
    ConfigError subclass chosen by the caller) naming the line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise error([ConfigIssue(source, line, "(yaml)", f"syntax error: {problem}")]) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control byte
        line = _line_of(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problem = f"character U+{char:04X} is not allowed in YAML"
        raise error([ConfigIssue(source, line, "(yaml)", problem)]) from exc
    if root is None:
        raise error([ConfigIssue(source, 1, "(file)", "the file is empty")])
    return root


class NodeReader:
    """Typed accessors over YAML nodes that record issues instead of raising."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[ConfigIssue] = []

    def fail(self, node: Node, path: str, message: str) -> None:
        self.issues.append(ConfigIssue(self.source, node.start_mark.line + 1, path, message))

    def raise_if_issues(self) -> None:
        if self.issues:
            raise ConfigError(self.issues)

    def mapping(
        self,
        node: Node,
        path: str,
        *,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
        free_keys: bool = False,
    ) -> dict[str, tuple[Node, Node]] | None:
        """Key -> (key node, value node). Unknown keys are errors unless `free_keys`."""
        if not isinstance(node, MappingNode):
            self.fail(node, path, "expected a mapping")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, path, "keys must be plain strings")
                continue
            if key in out:
                self.fail(key_node, f"{path}.{key}", "duplicate key")
                continue
            if not free_keys and key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.fail(key_node, f"{path}.{key}", f"unknown field; allowed: {allowed}")
                continue
            out[key] = (key_node, value_node)
        for key in required:
            if key not in out:
                self.fail(node, f"{path}.{key}", "required field is missing")
        return out

    def sequence(self, node: Node, path: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.fail(node, path, "expected a list")
            return []
        return list(node.value)

    def string(self, node: Node, path: str, *, pattern: re.Pattern[str] | None = None) -> str:
        """Any non-empty scalar, as text (dates and numbers are kept as written)."""
        if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.fail(node, path, "expected a string")
            return ""
        return self._checked(str(node.value), node, path, pattern)

    def _checked(self, value: str, node: Node, path: str, pattern: re.Pattern[str] | None) -> str:
        if pattern is not None and not pattern.match(value):
            self.fail(node, path, f"{value!r} does not match {pattern.pattern}")
        return value

    def slug(self, node: Node, path: str) -> str:
        return self.string(node, path, pattern=SLUG_RE)

    def integer(self, node: Node, path: str, *, minimum: int = 0) -> int:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:int":
            self.fail(node, path, "expected a whole number")
            return minimum
        value = int(str(node.value).replace("_", ""))
        if value < minimum:
            self.fail(node, path, f"must be at least {minimum}")
            return minimum
        return value

    def boolean(self, node: Node, path: str) -> bool:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            self.fail(node, path, "expected true or false")
            return False
        return str(node.value).lower() in {"true", "yes", "on"}

    def string_list(self, node: Node, path: str, *, slugs: bool = False) -> list[str]:
        """A list of strings; a single scalar is accepted as a one-item list."""
        items = [node] if isinstance(node, ScalarNode) else self.sequence(node, path)
        out: list[str] = []
        for index, item in enumerate(items):
            item_path = f"{path}[{index}]"
            out.append(self.slug(item, item_path) if slugs else self.string(item, item_path))
        return out
