"""A small valid taxonomy whose line numbers the validation tests rely on."""

MINIMAL = """\
schema_version: 1
groups:
  - {id: delivery, name: Delivery}
  - {id: other, name: Other}
reasons:
  - id: delivery_delay
    name: Delivery delay
    group: delivery
    description: Late parcel.
    examples: [Where is it, It is late, Still not here]
    required_context: [order, tracking]
    response: {macro: delay_update, template: "Hi {customer_name}, it ships {expected_date}."}
    auto_action: {allowed: true, action: send_tracking_update, limit: 20}
    escalation: {value_threshold: 100, repeat_contacts: 2, vip: true}
    owner_team: operations
    review_cadence: daily
    ticket_type: general
    priority: normal
  - id: other
    name: Other
    group: other
    description: Anything else.
    examples: [Hello, Are you hiring, Opening hours]
    required_context: []
    response: {macro: general_reply, template: "Hi {customer_name}."}
    auto_action: {allowed: false}
    owner_team: operations
    review_cadence: weekly
    ticket_type: general
    priority: normal
"""


def variant(old: str, new: str) -> str:
    assert MINIMAL.count(old) >= 1
    return MINIMAL.replace(old, new, 1)
