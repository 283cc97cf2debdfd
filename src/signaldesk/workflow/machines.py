"""Per-ticket-type state machines, read from ticket_types.yaml (Django-free).

Each type has states (each mapped to a ticket status so queues keep working), an initial state,
the transitions allowed out of each state, and the fields a ticket must carry to enter a state.
`check_transition` is the whole rule: it returns the field values to store or raises a
ValidationError whose message names the allowed moves or the missing field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from yaml.nodes import Node

from signaldesk.core.errors import ValidationError
from signaldesk.core.yamlnodes import SLUG_RE, NodeReader, compose

SCHEMA_VERSION = 1
# Ticket.status values (tickets.models.TicketStatus); a test keeps the two in step.
STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
FIELD_KINDS = ("text", "amount", "reference")
MISSING_DATA = "missing_data"
MAX_FIELD_CHARS = 500


@dataclass(frozen=True)
class FieldSpec:
    id: str
    label: str
    kind: str = "text"
    pattern: str = ""

    def clean(self, raw: str) -> str:
        """The stored form of a value, or ValidationError naming the field."""
        value = raw.strip()
        if not value:
            raise ValidationError(f"{self.label} ({self.id}) is required.", code="field_missing")
        if len(value) > MAX_FIELD_CHARS:
            raise ValidationError(
                f"{self.label} ({self.id}) is longer than {MAX_FIELD_CHARS} characters.",
                code="field_invalid",
            )
        if self.kind == "amount":
            try:
                amount = Decimal(value.replace(",", "."))
            except InvalidOperation:
                amount = Decimal("NaN")
            if not amount.is_finite() or amount <= 0:
                raise ValidationError(
                    f"{self.label} ({self.id}) must be a positive amount, got {value!r}.",
                    code="field_invalid",
                )
            return str(amount.quantize(Decimal("0.01")))
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise ValidationError(
                f"{self.label} ({self.id}) must match {self.pattern}, got {value!r}.",
                code="field_invalid",
            )
        return value


@dataclass(frozen=True)
class StateSpec:
    id: str
    label: str
    status: str
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class TypeWorkflow:
    type: str
    name: str
    initial: str
    states: Mapping[str, StateSpec]
    transitions: Mapping[str, tuple[str, ...]]
    fields: Mapping[str, FieldSpec]

    def current(self, workflow_state: str) -> str:
        """The ticket's state; a blank or unknown stored state counts as the initial one."""
        return workflow_state if workflow_state in self.states else self.initial

    def allowed(self, workflow_state: str) -> tuple[str, ...]:
        return self.transitions.get(self.current(workflow_state), ())

    def check_transition(
        self, *, from_state: str, to_state: str, given: Mapping[str, str], stored: Mapping[str, str]
    ) -> dict[str, str]:
        """Validate a move; returns the cleaned values of the fields given (only known ones).

        A required field is satisfied by a value given now or one stored by an earlier move."""
        current = self.current(from_state)
        allowed = self.transitions.get(current, ())
        if to_state not in allowed:
            choices = ", ".join(allowed) if allowed else "none (final state)"
            raise ValidationError(
                f"Cannot move a {self.type} ticket from {current!r} to {to_state!r}; "
                f"allowed: {choices}.",
                code="transition_not_allowed",
            )
        unknown = sorted(set(given) - set(self.fields))
        if unknown:
            raise ValidationError(
                f"Unknown field(s) for a {self.type} ticket: {', '.join(unknown)}.",
                code="field_unknown",
            )
        cleaned = {
            name: self.fields[name].clean(value) for name, value in given.items() if value.strip()
        }
        for name in self.states[to_state].requires:
            if name not in cleaned and not str(stored.get(name, "")).strip():
                spec = self.fields[name]
                raise ValidationError(
                    f"{spec.label} ({name}) is required to move to {to_state!r}.",
                    code="field_missing",
                )
        return cleaned


@dataclass(frozen=True)
class TicketTypes:
    workflows: Mapping[str, TypeWorkflow]
    fallback: str

    def for_type(self, ticket_type: str) -> TypeWorkflow:
        """The type's workflow; types without their own use the fallback (general)."""
        return self.workflows.get(ticket_type) or self.workflows[self.fallback]


TOP_KEYS = ("schema_version", "fallback", "fields", "types")
FIELD_KEYS = ("label", "kind", "pattern")
TYPE_KEYS = ("name", "initial", "states", "transitions")
STATE_KEYS = ("label", "status", "requires")


def parse_ticket_types(
    text: str, *, source: str, known_types: tuple[str, ...] | None = None
) -> TicketTypes:
    """Validate ticket_types.yaml; raises ConfigError listing every problem with its line."""
    reader = NodeReader(source)
    top = reader.mapping(
        compose(text, source=source),
        "(file)",
        required=("schema_version", "fields", "types"),
        optional=("fallback",),
    )
    if top is None:
        reader.raise_if_issues()
        raise AssertionError("unreachable")
    if "schema_version" in top:
        node = top["schema_version"][1]
        if reader.integer(node, "schema_version") != SCHEMA_VERSION:
            reader.fail(node, "schema_version", f"only version {SCHEMA_VERSION} is supported")
    fields = _fields(reader, top["fields"][1]) if "fields" in top else {}
    workflows: dict[str, TypeWorkflow] = {}
    types_map = reader.mapping(top["types"][1], "types", free_keys=True) if "types" in top else {}
    for type_id, (key_node, value_node) in (types_map or {}).items():
        if known_types is not None and type_id not in known_types:
            reader.fail(
                key_node,
                f"types.{type_id}",
                f"unknown ticket type; known: {', '.join(known_types)}",
            )
            continue
        workflow = _type(reader, type_id, value_node, fields)
        if workflow is not None:
            workflows[type_id] = workflow
    fallback = "general"
    if "fallback" in top:
        fallback = reader.slug(top["fallback"][1], "fallback")
    if fallback not in workflows and "types" in top:
        reader.fail(top["types"][1], "fallback", f"the fallback type {fallback!r} is not defined")
    reader.raise_if_issues()
    return TicketTypes(workflows=workflows, fallback=fallback)


def _fields(reader: NodeReader, node: Node) -> dict[str, FieldSpec]:
    out: dict[str, FieldSpec] = {}
    for field_id, (key_node, value_node) in (
        reader.mapping(node, "fields", free_keys=True) or {}
    ).items():
        path = f"fields.{field_id}"
        if not SLUG_RE.match(field_id):
            reader.fail(key_node, path, "field ids are lower_snake_case")
        m = reader.mapping(value_node, path, required=("label",), optional=("kind", "pattern"))
        if m is None:
            continue
        label = reader.string(m["label"][1], f"{path}.label") if "label" in m else field_id
        kind = reader.string(m["kind"][1], f"{path}.kind") if "kind" in m else "text"
        if kind not in FIELD_KINDS:
            reader.fail(m["kind"][1], f"{path}.kind", f"must be one of {', '.join(FIELD_KINDS)}")
        pattern = reader.string(m["pattern"][1], f"{path}.pattern") if "pattern" in m else ""
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                reader.fail(m["pattern"][1], f"{path}.pattern", f"invalid regex: {exc}")
                pattern = ""
        out[field_id] = FieldSpec(id=field_id, label=label, kind=kind, pattern=pattern)
    return out


def _type(
    reader: NodeReader, type_id: str, node: Node, fields: Mapping[str, FieldSpec]
) -> TypeWorkflow | None:
    path = f"types.{type_id}"
    m = reader.mapping(
        node, path, required=("initial", "states", "transitions"), optional=("name",)
    )
    if m is None or "states" not in m or "transitions" not in m or "initial" not in m:
        return None
    states: dict[str, StateSpec] = {}
    for state_id, (key_node, state_node) in (
        reader.mapping(m["states"][1], f"{path}.states", free_keys=True) or {}
    ).items():
        state_path = f"{path}.states.{state_id}"
        if not SLUG_RE.match(state_id):
            reader.fail(key_node, state_path, "state ids are lower_snake_case")
        s = reader.mapping(
            state_node, state_path, required=("status",), optional=("label", "requires")
        )
        if s is None or "status" not in s:
            continue
        status = reader.string(s["status"][1], f"{state_path}.status")
        if status not in STATUSES:
            reader.fail(
                s["status"][1],
                f"{state_path}.status",
                f"{status!r} is not a ticket status; use one of {', '.join(STATUSES)}",
            )
        requires: list[str] = []
        if "requires" in s:
            requires = reader.string_list(s["requires"][1], f"{state_path}.requires", slugs=True)
            for name in requires:
                if name not in fields:
                    reader.fail(
                        s["requires"][1],
                        f"{state_path}.requires",
                        f"field {name!r} is not defined under fields",
                    )
        label = reader.string(s["label"][1], f"{state_path}.label") if "label" in s else ""
        states[state_id] = StateSpec(
            id=state_id,
            label=label or state_id.replace("_", " ").capitalize(),
            status=status,
            requires=tuple(requires),
        )
    initial = reader.slug(m["initial"][1], f"{path}.initial")
    if states and initial not in states:
        reader.fail(m["initial"][1], f"{path}.initial", f"{initial!r} is not one of the states")
    if states and MISSING_DATA not in states:
        reader.fail(m["states"][1], f"{path}.states", f"every type needs a {MISSING_DATA!r} state")
    transitions: dict[str, tuple[str, ...]] = {}
    for from_id, (key_node, targets_node) in (
        reader.mapping(m["transitions"][1], f"{path}.transitions", free_keys=True) or {}
    ).items():
        t_path = f"{path}.transitions.{from_id}"
        if from_id not in states:
            reader.fail(key_node, t_path, f"{from_id!r} is not one of the states")
        targets = reader.string_list(targets_node, t_path, slugs=True)
        for target in targets:
            if target not in states:
                reader.fail(targets_node, t_path, f"target {target!r} is not one of the states")
            if target == from_id:
                reader.fail(targets_node, t_path, f"{target!r} cannot move to itself")
        transitions[from_id] = tuple(targets)
    reachable = {initial, *(t for targets in transitions.values() for t in targets)}
    for state_id in states:
        if state_id not in reachable:
            reader.fail(m["states"][1], f"{path}.states.{state_id}", "no transition leads here")
    name = reader.string(m["name"][1], f"{path}.name") if "name" in m else type_id.capitalize()
    return TypeWorkflow(
        type=type_id,
        name=name,
        initial=initial,
        states=states,
        transitions=transitions,
        fields=dict(fields),
    )
