"""The admin page: YAML is validated on save (line numbers shown) and each save is a version."""

from __future__ import annotations

import pytest
from django.test import Client

from signaldesk.testing.factories import UserFactory
from signaldesk.workflow.models_rules import RuleSet

pytestmark = pytest.mark.django_db
GOOD = """\
rules:
  - id: vip
    order: 1
    when: {field: is_vip, op: eq, value: true}
    then:
      - set_priority: high
"""


def test_admin_validates_and_versions(client: Client) -> None:
    client.force_login(UserFactory(username="rules-admin", role="admin"))
    bad = client.post(
        "/admin/workflow/ruleset/add/", {"yaml_text": GOOD.replace("high", "sky"), "comment": ""}
    )
    assert bad.status_code == 200
    assert "rules.yaml:6: rules[0].then[0].set_priority: priority must be one of" in (
        bad.content.decode()
    )
    assert RuleSet.objects.count() == 0
    added = client.post("/admin/workflow/ruleset/add/", {"yaml_text": GOOD, "comment": "first"})
    assert added.status_code == 302
    first = RuleSet.objects.get()
    edited = client.post(
        f"/admin/workflow/ruleset/{first.pk}/change/",
        {"yaml_text": GOOD.replace("high", "urgent"), "comment": "second"},
    )
    assert edited.status_code == 302
    rows = list(RuleSet.objects.order_by("version").values_list("version", "active", "comment"))
    assert rows == [(1, False, "first"), (2, True, "second")]
    assert RuleSet.objects.get(version=1).yaml_text == GOOD
