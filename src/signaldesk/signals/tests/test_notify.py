"""Alert notifications: a signed Slack-compatible webhook to a real receiver on loopback and an
email, once per alert, again only when the severity escalates."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail

from signaldesk.core.models import OutboxMessage
from signaldesk.core.outbox import outbox_deliver_due
from signaldesk.core.tests.test_outbox import SECRET, free_port, receiver
from signaldesk.signals.models import AlertStatus, SpikeAlert
from signaldesk.signals.notify import AlertNotifySettings, alert_notify
from signaldesk.signals.tests.alerts import make_alert

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 10, 6, 5, 15, tzinfo=dt.UTC)


def settings_for(port: int) -> AlertNotifySettings:
    return AlertNotifySettings(
        webhook_url=f"http://127.0.0.1:{port}/slack",
        webhook_secret=SECRET,
        emails=("leads@example.com",),
        console_url="https://desk.example.com",
    )


def test_a_new_alert_arrives_signed_in_slack_format_and_by_email() -> None:
    port = free_port()
    alert = make_alert()
    report = alert_notify(alerts=[alert], now=NOW, settings=settings_for(port))
    with receiver(port) as received:
        delivered = outbox_deliver_due(now=NOW)
    assert (report.sent, report.escalated, delivered.delivered) == ([alert.pk], [], 2)
    assert [verified for verified, _ in received] == [True]
    payload = json.loads(received[0][1])
    assert payload["text"] == (
        ":warning: Spike (new warning): reason=damaged_item x sku=BAD — 8 contacts vs 1.2 expected"
    )
    assert [b["type"] for b in payload["blocks"]] == ["header", "section", "section", "context"]
    assert payload["blocks"][3]["elements"][0]["text"] == (
        f"<https://desk.example.com/signals/alerts/{alert.pk}/|Open in SignalDesk>"
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["leads@example.com"], "[SignalDesk] warning spike: reason=damaged_item x sku=BAD")
    ]
    assert "Expected: 1.2\nExposure: 5 orders\n" in mail.outbox[0].body


def test_once_per_alert_and_again_only_when_severity_escalates() -> None:
    port = free_port()
    cfg = settings_for(port)
    alert = make_alert()
    first = alert_notify(alerts=[alert], now=NOW, settings=cfg)
    again = alert_notify(alerts=[alert], now=NOW, settings=cfg)
    SpikeAlert.objects.filter(pk=alert.pk).update(severity="critical")
    escalated = alert_notify(alerts=[alert], now=NOW, settings=cfg)
    repeat = alert_notify(alerts=[alert], now=NOW, settings=cfg)
    assert [first.sent, again.sent, escalated.sent, repeat.sent] == [[alert.pk], [], [alert.pk], []]
    assert escalated.escalated == [alert.pk]
    with receiver(port) as received:
        outbox_deliver_due(now=NOW)
    texts = [json.loads(body)["text"].split(":")[2].strip() for _, body in received]
    assert texts == ["Spike (new warning)", "Spike (escalated to critical)"]
    assert OutboxMessage.objects.filter(kind="email").count() == 2
    assert SpikeAlert.objects.get(pk=alert.pk).notified_severity == "critical"


def test_snoozed_resolved_and_rolled_up_alerts_are_not_sent() -> None:
    port = free_port()
    alerts = [
        make_alert(dedup_key="a", status=AlertStatus.SNOOZED),
        make_alert(dedup_key="b", status=AlertStatus.RESOLVED),
        make_alert(dedup_key="c", primary=False),
    ]
    report = alert_notify(alerts=alerts, now=NOW, settings=settings_for(port))
    assert (report.sent, report.skipped, OutboxMessage.objects.count()) == ([], 3, 0)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALDESK_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    monkeypatch.setenv("SIGNALDESK_ALERT_WEBHOOK_SECRET", "k")
    monkeypatch.setenv("SIGNALDESK_ALERT_EMAILS", "a@example.com, b@example.com,")
    monkeypatch.setenv("SIGNALDESK_CONSOLE_URL", "https://x.example/")
    assert AlertNotifySettings.from_env() == AlertNotifySettings(
        "http://127.0.0.1:9/hook", "k", ("a@example.com", "b@example.com"), "https://x.example"
    )
