"""Reading a rules YAML document into `Rule`s, with file/line/field errors (Django-free).

rules:
  - id: legal_risk            # slug, unique
    order: 10                 # evaluation order (ties broken by id)
    description: ...
    when: {field: risk_flags, op: contains, value: legal}   # or {all|any: [...]}, {not: ...}
    then:
      - set_priority: urgent
      - escalate: {to: lead}
    override: false           # may replace an earlier routing/assignment/SLA/macro
    stop: false               # end evaluation after this rule
    enabled: true
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from signaldesk.core.yamlnodes import NodeReader, compose
from signaldesk.workflow.rules.engine import (
    ACTIONS,
    FIELDS,
    OPERATORS,
    PRIORITIES,
    Action,
    Condition,
    Group,
    Leaf,
    Rule,
)

RULE_KEYS = ("description", "override", "stop", "enabled")
NUMERIC_OPS = ("gt", "gte", "lt", "lte")
# action -> (params allowed, params required, the param a bare scalar stands for)
ACTION_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "set_priority": (("priority",), ("priority",), "priority"),
    "route": (("team", "queue"), (), "team"),
    "assign": (("team", "skill", "language", "senior"), (), ""),
    "apply_sla": (("policy",), ("policy",), "policy"),
    "escalate": (("to", "reason"), ("to",), "to"),
    "require_approval": (("reason",), ("reason",), "reason"),
    "tag": (("tags",), ("tags",), "tags"),
    "suggest_macro": (("macro",), ("macro",), "macro"),
    "auto_action": (("action",), ("action",), "action"),
    "webhook": (("url",), ("url",), "url"),
    "suppress_marketing": (("days",), ("days",), "days"),
}


def _scalar(node: Node) -> Any:
    """A scalar node as its YAML-typed Python value."""
    tag = node.tag.rsplit(":", 1)[-1]
    text = str(node.value)
    if tag == "int":
        return int(text.replace("_", ""))
    if tag == "float":
        return float(text)
    if tag == "bool":
        return text.lower() in {"true", "yes", "on"}
    if tag == "null":
        return None
    return text


def _value(reader: NodeReader, node: Node, path: str) -> Any:
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_value(reader, item, f"{path}[{i}]") for i, item in enumerate(node.value)]
    reader.fail(node, path, "expected a value or a list of values")
    return None


def _leaf(reader: NodeReader, node: Node, path: str) -> Condition | None:
    keys = reader.mapping(node, path, required=("field", "op"), optional=("value",))
    if keys is None or "field" not in keys or "op" not in keys:
        return None
    field_node, op_node = keys["field"][1], keys["op"][1]
    name, op = reader.string(field_node, f"{path}.field"), reader.string(op_node, f"{path}.op")
    ok = True
    if name not in FIELDS:
        reader.fail(field_node, f"{path}.field", f"unknown field {name!r}")
        ok = False
    if op not in OPERATORS:
        reader.fail(
            op_node, f"{path}.op", f"unknown operator {op!r}; allowed: {', '.join(OPERATORS)}"
        )
        ok = False
    if "value" not in keys:
        reader.fail(node, f"{path}.value", "required field is missing")
        return None
    value_node = keys["value"][1]
    value = _value(reader, value_node, f"{path}.value")
    vpath = f"{path}.value"
    if not ok:
        return None
    if op in ("in", "not_in") and not isinstance(value, list):
        reader.fail(value_node, vpath, f"{op} needs a list")
    elif op in NUMERIC_OPS and (FIELDS[name] != "num" or not isinstance(value, int | float)):
        reader.fail(value_node, vpath, f"{op} needs a numeric field and a number")
    elif op == "exists" and not isinstance(value, bool):
        reader.fail(value_node, vpath, "exists needs true or false")
    elif op == "contains" and FIELDS[name] not in ("list", "str"):
        reader.fail(op_node, f"{path}.op", f"contains needs a list or text field, not {name!r}")
    return Leaf(name, op, value)


def _condition(reader: NodeReader, node: Node, path: str) -> Condition | None:
    if isinstance(node, MappingNode) and len(node.value) == 1:
        key = node.value[0][0].value
        child = node.value[0][1]
        if key in ("all", "any"):
            items = [
                _condition(reader, c, f"{path}.{key}[{i}]")
                for i, c in enumerate(reader.sequence(child, f"{path}.{key}"))
            ]
            if not items and isinstance(child, SequenceNode):
                reader.fail(child, f"{path}.{key}", "needs at least one condition")
            return Group(key, tuple(c for c in items if c is not None))
        if key == "not":
            inner = _condition(reader, child, f"{path}.not")
            return Group("not", (inner,)) if inner is not None else None
    return _leaf(reader, node, path)


def _action(reader: NodeReader, node: Node, path: str) -> Action | None:
    if not isinstance(node, MappingNode) or len(node.value) != 1:
        reader.fail(node, path, "an action is a one-key mapping, e.g. `set_priority: high`")
        return None
    key_node, params_node = node.value[0]
    kind = str(key_node.value)
    if kind not in ACTIONS:
        reader.fail(key_node, f"{path}.{kind}", f"unknown action; allowed: {', '.join(ACTIONS)}")
        return None
    allowed, required, bare = ACTION_PARAMS[kind]
    apath = f"{path}.{kind}"
    params: dict[str, Any] = {}
    if isinstance(params_node, MappingNode):
        keys = reader.mapping(params_node, apath, required=required, optional=allowed) or {}
        params = {k: _value(reader, v, f"{apath}.{k}") for k, (_, v) in keys.items()}
    elif bare and (isinstance(params_node, ScalarNode) or kind == "tag"):
        params = {bare: _value(reader, params_node, apath)}
    else:
        reader.fail(params_node, apath, "expected a mapping of parameters")
        return None
    if kind == "set_priority" and params.get("priority") not in PRIORITIES:
        reader.fail(params_node, apath, f"priority must be one of {', '.join(PRIORITIES)}")
    if kind == "tag":
        tags = params.get("tags")
        params["tags"] = [str(t) for t in tags] if isinstance(tags, list) else [str(tags)]
    if kind == "suppress_marketing" and not isinstance(params.get("days"), int):
        reader.fail(params_node, apath, "days must be a whole number")
    return Action(kind, params)


def _rule(reader: NodeReader, node: Node, path: str) -> Rule | None:
    """Every present part is checked even when another is missing, so one run lists all."""
    keys = reader.mapping(node, path, required=("id", "order", "when", "then"), optional=RULE_KEYS)
    if keys is None:
        return None
    rule_id = reader.slug(keys["id"][1], f"{path}.id") if "id" in keys else ""
    order = reader.integer(keys["order"][1], f"{path}.order") if "order" in keys else 0
    when = _condition(reader, keys["when"][1], f"{path}.when") if "when" in keys else None
    actions: list[Action | None] = []
    if "then" in keys:
        then_nodes = reader.sequence(keys["then"][1], f"{path}.then")
        actions = [_action(reader, n, f"{path}.then[{i}]") for i, n in enumerate(then_nodes)]
        if not then_nodes and isinstance(keys["then"][1], SequenceNode):
            reader.fail(keys["then"][1], f"{path}.then", "needs at least one action")
    flags = {
        k: reader.boolean(keys[k][1], f"{path}.{k}")
        for k in ("override", "stop", "enabled")
        if k in keys
    }
    description = ""
    if "description" in keys:
        description = reader.string(keys["description"][1], f"{path}.description")
    if when is None or not {"id", "order", "then"} <= set(keys):
        return None
    return Rule(
        id=rule_id,
        order=order,
        when=when,
        then=tuple(a for a in actions if a is not None),
        description=description,
        **flags,
    )


def _id_node(node: Node) -> ScalarNode | None:
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == "id" and isinstance(value, ScalarNode):
            return value
    return None


def parse_rules(text: str, *, source: str) -> list[Rule]:
    """Validate a rules document; raises ConfigError listing every problem with its line."""
    reader = NodeReader(source)
    root = compose(text, source=source)
    keys = reader.mapping(root, "(root)", required=("rules",))
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    if keys is not None and "rules" in keys:
        for index, node in enumerate(reader.sequence(keys["rules"][1], "rules")):
            id_node = _id_node(node)
            if id_node is not None and str(id_node.value) in seen:
                reader.fail(id_node, f"rules[{index}].id", f"duplicate rule id {id_node.value!r}")
            if id_node is not None:
                seen[str(id_node.value)] = index
            rule = _rule(reader, node, f"rules[{index}]")
            if rule is not None:
                rules.append(rule)
    reader.raise_if_issues()
    return sorted(rules, key=lambda r: (r.order, r.id))
