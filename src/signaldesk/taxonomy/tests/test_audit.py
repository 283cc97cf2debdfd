import datetime as dt

import pytest

from signaldesk.core.audit import Actor
from signaldesk.taxonomy.audit import tag_audit
from signaldesk.taxonomy.audit.findings import is_generic_name, tag_key
from signaldesk.taxonomy.audit.report import (
    AgentTagUse,
    DuplicatePair,
    MappingProposal,
    TagAuditReport,
    UnusedTag,
)
from signaldesk.taxonomy.mappings import tag_mappings_propose
from signaldesk.taxonomy.models import MappingStatus, TagMapping
from signaldesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(planted: dict[str, list[Ticket]]) -> TagAuditReport:
    return tag_audit(defined_tags=["gift-wrap", "Shipping"])


def test_usage_counts_and_last_use(
    report: TagAuditReport, planted: dict[str, list[Ticket]]
) -> None:
    assert [(u.tag, u.uses, u.agents) for u in report.usage] == [
        ("general", 9, 1),
        ("shipping", 6, 1),
        ("order-query", 5, 1),
        ("wismo", 5, 1),
        ("late-delivery", 4, 1),
        ("late_delivery", 3, 1),
        ("shiping", 2, 1),
        ("old-promo", 1, 1),
    ]
    usage = {u.tag: u for u in report.usage}
    assert usage["old-promo"].last_used == planted["old-promo"][0].created_at
    assert usage["wismo"].last_used == planted["wismo"][0].created_at
    assert (report.tickets_scanned, report.tickets_tagged) == (35, 35)
    assert report.methods == ("rapidfuzz", "tfidf")


def test_near_duplicates_by_spelling_and_by_meaning(report: TagAuditReport) -> None:
    assert report.duplicates == (
        DuplicatePair("order-query", "wismo", "meaning", 0.726, "wismo"),
        DuplicatePair("late-delivery", "late_delivery", "spelling", 1.0, "late-delivery"),
        DuplicatePair("shiping", "shipping", "spelling", 0.933, "shipping"),
    )


def test_broad_tag(report: TagAuditReport) -> None:
    assert [(b.tag, b.uses, b.reasons, b.top_share, b.why) for b in report.broad] == [
        ("general", 9, 9, 0.111, ("generic name", "spread over 9 contact reasons (top share 11%)"))
    ]


def test_unused_tags(report: TagAuditReport, planted: dict[str, list[Ticket]]) -> None:
    assert report.unused == (
        UnusedTag("gift-wrap", None, "no use in the audited period"),
        UnusedTag("old-promo", planted["old-promo"][0].created_at, "not used in the last 90 days"),
    )


def test_agents_using_different_tags_for_the_same_thing(report: TagAuditReport) -> None:
    assert len(report.inconsistent) == 1
    finding = report.inconsistent[0]
    assert finding.tags == ("order-query", "wismo")
    assert finding.agents == (
        AgentTagUse("ana", "wismo", 1.0, 5),
        AgentTagUse("ben", "order-query", 1.0, 5),
    )
    assert finding.p_value == 0.011412


def test_mapping_proposals(report: TagAuditReport) -> None:
    assert [(p.tag, p.reason_id, p.confidence, p.note) for p in report.proposals] == [
        ("general", "", 0.0, "too broad to map"),
        ("gift-wrap", "", 0.332, "no confident mapping"),
        ("late-delivery", "delivery_delay", 1.0, ""),
        ("late_delivery", "delivery_delay", 1.0, ""),
        ("old-promo", "discount_code", 0.731, ""),
        ("order-query", "order_status", 0.844, ""),
        ("shiping", "lost_parcel", 0.689, ""),
        ("shipping", "lost_parcel", 0.684, ""),
        ("wismo", "order_status", 1.0, ""),
    ]
    assert report.proposal("wismo") == MappingProposal("wismo", "order_status", 1.0, 1.0, 1.0)


def test_since_limits_the_period(planted: dict[str, list[Ticket]]) -> None:
    since = planted["old-promo"][0].created_at + dt.timedelta(days=1)
    report = tag_audit(since=since)
    assert "old-promo" not in {u.tag for u in report.usage}
    assert report.tickets_scanned == 34
    assert report.to_dict()["since"] == since.isoformat()


def test_proposals_are_persisted_and_human_decisions_kept(
    report: TagAuditReport, system_actor: Actor
) -> None:
    assert tag_mappings_propose(report=report, actor=system_actor) == {"created": 9, "updated": 0}
    TagMapping.objects.filter(tag="shipping").update(status=MappingStatus.REJECTED)
    assert tag_mappings_propose(report=report, actor=system_actor) == {"created": 0, "updated": 8}
    wismo = TagMapping.objects.get(tag="wismo")
    assert (wismo.reason_id, wismo.confidence, wismo.status) == ("order_status", 1.0, "proposed")
    assert wismo.taxonomy_version is not None
    assert wismo.taxonomy_version.label == report.taxonomy_version
    assert TagMapping.objects.get(tag="shipping").status == "rejected"


def test_tag_name_helpers() -> None:
    assert tag_key("Late-Delivery") == "late delivery"
    assert [is_generic_name(t) for t in ["general", "product_issue", "misc", "shipping"]] == [
        True,
        True,
        True,
        False,
    ]
