"""Ticket-type state machines: every transition of the shipped YAML, fields, and YAML errors."""

from __future__ import annotations

import pytest

from signaldesk.core.errors import ValidationError
from signaldesk.core.yamlnodes import ConfigError
from signaldesk.tickets.models import TicketStatus, TicketType
from signaldesk.workflow.config import DEFAULT_TICKET_TYPES
from signaldesk.workflow.machines import STATUSES, TypeWorkflow, parse_ticket_types

TYPES = parse_ticket_types(
    DEFAULT_TICKET_TYPES.read_text(encoding="utf-8"), source="ticket_types.yaml"
)
SAMPLE = {"amount": "12.50", "reference": "RMA-1001", "text": "A note"}
PAIRS = [
    (type_id, from_state, to_state)
    for type_id, workflow in sorted(TYPES.workflows.items())
    for from_state in workflow.states
    for to_state in workflow.states
]
VALID = [p for p in PAIRS if p[2] in TYPES.workflows[p[0]].transitions.get(p[1], ())]
INVALID = [p for p in PAIRS if p not in VALID]
REQUIRED = [
    (type_id, from_state, to_state, name)
    for type_id, from_state, to_state in VALID
    for name in TYPES.workflows[type_id].states[to_state].requires
]


def sample_fields(workflow: TypeWorkflow, state: str) -> dict[str, str]:
    return {name: SAMPLE[workflow.fields[name].kind] for name in workflow.states[state].requires}


def test_shipped_types_and_statuses() -> None:
    assert sorted(TYPES.workflows) == ["complaint", "general", "refund", "replacement", "return"]
    assert TYPES.for_type(TicketType.QUESTION).type == "general"
    assert tuple(TicketStatus.values) == STATUSES
    assert all("missing_data" in w.states for w in TYPES.workflows.values())


def test_return_workflow_as_documented() -> None:
    workflow = TYPES.workflows["return"]
    assert workflow.initial == "requested"
    assert workflow.transitions["requested"] == ("missing_data", "awaiting_item", "rejected")
    assert workflow.transitions["item_received"] == ("refunded", "exchanged", "rejected")
    assert workflow.states["awaiting_item"].requires == ("rma",)
    assert workflow.states["refunded"].requires == ("refund_amount", "approval_ref")
    assert TYPES.workflows["complaint"].states["resolved"].requires == ("resolution_note",)


@pytest.mark.parametrize(("type_id", "from_state", "to_state"), VALID)
def test_valid_transition(type_id: str, from_state: str, to_state: str) -> None:
    workflow = TYPES.workflows[type_id]
    given = sample_fields(workflow, to_state)
    cleaned = workflow.check_transition(
        from_state=from_state, to_state=to_state, given=given, stored={}
    )
    assert sorted(cleaned) == sorted(given)


@pytest.mark.parametrize(("type_id", "from_state", "to_state"), INVALID)
def test_invalid_transition(type_id: str, from_state: str, to_state: str) -> None:
    workflow = TYPES.workflows[type_id]
    allowed = ", ".join(workflow.transitions.get(from_state, ())) or "none (final state)"
    with pytest.raises(ValidationError) as info:
        workflow.check_transition(
            from_state=from_state,
            to_state=to_state,
            given=sample_fields(workflow, to_state),
            stored={},
        )
    assert info.value.code == "transition_not_allowed"
    assert info.value.detail == (
        f"Cannot move a {type_id} ticket from {from_state!r} to {to_state!r}; allowed: {allowed}."
    )


@pytest.mark.parametrize(("type_id", "from_state", "to_state", "name"), REQUIRED)
def test_required_field_missing(type_id: str, from_state: str, to_state: str, name: str) -> None:
    workflow = TYPES.workflows[type_id]
    given = {k: v for k, v in sample_fields(workflow, to_state).items() if k != name}
    with pytest.raises(ValidationError) as info:
        workflow.check_transition(from_state=from_state, to_state=to_state, given=given, stored={})
    assert info.value.code == "field_missing"
    assert info.value.detail == (
        f"{workflow.fields[name].label} ({name}) is required to move to {to_state!r}."
    )


def test_message_from_the_brief() -> None:
    with pytest.raises(ValidationError) as info:
        TYPES.workflows["return"].check_transition(
            from_state="requested", to_state="refunded", given={}, stored={}
        )
    assert info.value.detail == (
        "Cannot move a return ticket from 'requested' to 'refunded'; "
        "allowed: missing_data, awaiting_item, rejected."
    )


def test_blank_state_is_the_initial_state_and_stored_fields_count() -> None:
    workflow = TYPES.workflows["return"]
    assert workflow.allowed("") == ("missing_data", "awaiting_item", "rejected")
    cleaned = workflow.check_transition(
        from_state="item_received",
        to_state="refunded",
        given={"refund_amount": "19,9"},
        stored={"approval_ref": "APR-7"},
    )
    assert cleaned == {"refund_amount": "19.90"}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"refund_amount": "-3", "approval_ref": "A1"}, "must be a positive amount, got '-3'"),
        ({"refund_amount": "ten", "approval_ref": "A1"}, "must be a positive amount, got 'ten'"),
        ({"refund_amount": "1", "approval_ref": "  "}, "Approval reference (approval_ref) is req"),
        ({"refund_amount": "1", "colour": "red"}, "Unknown field(s) for a return ticket: colour."),
    ],
)
def test_field_values_are_checked(given: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        TYPES.workflows["return"].check_transition(
            from_state="item_received", to_state="refunded", given=given, stored={}
        )
    assert message in info.value.detail


def test_pattern_is_enforced() -> None:
    with pytest.raises(ValidationError) as info:
        TYPES.workflows["return"].check_transition(
            from_state="requested", to_state="awaiting_item", given={"rma": "#1"}, stored={}
        )
    assert info.value.detail == "RMA number (rma) must match [A-Za-z0-9-]{3,40}, got '#1'."


BAD_YAML = """\
schema_version: 1
fields:
  rma: {label: RMA, kind: barcode}
types:
  return:
    initial: requested
    states:
      requested: {status: open}
      waiting: {status: paused, requires: [rma, photo]}
      done: {status: solved}
    transitions:
      requested: [done, shipped]
      done: [done]
  gadget:
    initial: a
    states: {a: {status: open}}
    transitions: {}
"""


def test_yaml_errors_name_file_line_and_field() -> None:
    with pytest.raises(ConfigError) as info:
        parse_ticket_types(BAD_YAML, source="bad.yaml", known_types=tuple(TicketType.values))
    assert [str(issue) for issue in info.value.issues] == [
        "bad.yaml:3: fields.rma.kind: must be one of text, amount, reference",
        "bad.yaml:9: types.return.states.waiting.status: 'paused' is not a ticket status; "
        "use one of new, open, pending, on_hold, solved, closed",
        "bad.yaml:9: types.return.states.waiting.requires: field 'photo' is not defined under "
        "fields",
        "bad.yaml:8: types.return.states: every type needs a 'missing_data' state",
        "bad.yaml:12: types.return.transitions.requested: target 'shipped' is not one of the "
        "states",
        "bad.yaml:13: types.return.transitions.done: 'done' cannot move to itself",
        "bad.yaml:8: types.return.states.waiting: no transition leads here",
        "bad.yaml:14: types.gadget: unknown ticket type; known: general, return, refund, "
        "replacement, complaint, question, incident, problem, task",
        "bad.yaml:5: fallback: the fallback type 'general' is not defined",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "t.yaml:1: (file): the file is empty"),
        (
            "types: [\n",
            "t.yaml:2: (yaml): syntax error: expected the node content, but found '<stream end>'",
        ),
        (
            "schema_version: 2\nfields: {}\ntypes: {}\nextra: 1\n",
            "t.yaml:4: (file).extra: unknown field; allowed: schema_version, fields, types, "
            "fallback",
        ),
    ],
)
def test_yaml_syntax_and_top_level_errors(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_ticket_types(text, source="t.yaml")
    assert str(info.value.issues[0]) == expected
