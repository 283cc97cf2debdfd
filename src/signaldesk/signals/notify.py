"""Alert notifications: a signed Slack-compatible webhook and an email, through the outbox.

One notification per alert and severity: ``alert_notify`` sends when the alert has never been
notified, or when its severity rose above the last notified one (info < warning < critical); a
second call for the same state is a no-op (``SpikeAlert.notified_severity`` plus the outbox
dedupe key ``signals.alert:<id>:<severity>:<channel>``). Snoozed, resolved and rolled-up
(non-primary) alerts are not sent.

Settings (environment):

- ``SIGNALDESK_ALERT_WEBHOOK_URL`` — Slack incoming-webhook compatible URL (off when empty).
- ``SIGNALDESK_ALERT_WEBHOOK_SECRET`` — HMAC secret; the body is signed as in core.outbox
  (``X-SignalDesk-Timestamp`` + ``X-SignalDesk-Signature: sha256=<hmac of "ts.body">``).
- ``SIGNALDESK_ALERT_EMAILS`` — comma-separated recipients (off when empty).
- ``SIGNALDESK_CONSOLE_URL`` — base URL for links in the messages (default http://localhost:8000).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse

from signaldesk.core.models import OutboxMessage
from signaldesk.core.outbox import hmac_signature, outbox_enqueue
from signaldesk.signals.models import AlertStatus, SpikeAlert

SIGNATURE_HEADER = "X-SignalDesk-Signature"
TIMESTAMP_HEADER = "X-SignalDesk-Timestamp"
EVENT_HEADER = "X-SignalDesk-Event"
SEVERITY_RANK = {"": 0, "info": 1, "warning": 2, "critical": 3}
SEVERITY_EMOJI = {
    "info": ":information_source:",
    "warning": ":warning:",
    "critical": ":rotating_light:",
}


@dataclass(frozen=True)
class AlertNotifySettings:
    webhook_url: str = ""
    webhook_secret: str = ""
    emails: tuple[str, ...] = ()
    console_url: str = "http://localhost:8000"

    @classmethod
    def from_env(cls) -> AlertNotifySettings:
        emails = os.environ.get("SIGNALDESK_ALERT_EMAILS", "")
        return cls(
            webhook_url=os.environ.get("SIGNALDESK_ALERT_WEBHOOK_URL", "").strip(),
            webhook_secret=os.environ.get("SIGNALDESK_ALERT_WEBHOOK_SECRET", ""),
            emails=tuple(e.strip() for e in emails.split(",") if e.strip()),
            console_url=os.environ.get("SIGNALDESK_CONSOLE_URL", "http://localhost:8000").rstrip(
                "/"
            ),
        )


@dataclass
class NotifyReport:
    sent: list[int] = field(default_factory=list)  # alert ids notified now
    escalated: list[int] = field(default_factory=list)  # of which: re-sent on a higher severity
    skipped: int = 0


def _link(alert: SpikeAlert, cfg: AlertNotifySettings) -> str:
    return cfg.console_url + reverse("signals:alert", kwargs={"alert_id": alert.pk})


def slack_payload(alert: SpikeAlert, *, escalated: bool, link: str) -> dict[str, Any]:
    """{"text": ..., "blocks": [...]} as Slack's incoming webhooks accept it."""
    head = "escalated to" if escalated else "new"
    title = f"{SEVERITY_EMOJI.get(alert.severity, '')} Spike ({head} {alert.severity}): "
    title += alert.segment_label
    facts = (
        f"*Observed* {alert.observed} vs *expected* {alert.expected:.1f} "
        f"over {alert.window_days} day(s) · exposure {alert.exposure:.0f} orders · "
        f"since {alert.onset.isoformat()}"
    )
    return {
        "text": f"{title} — {alert.explanation}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": alert.explanation}},
            {"type": "section", "text": {"type": "mrkdwn", "text": facts}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"<{link}|Open in SignalDesk>"}],
            },
        ],
    }


def email_body(alert: SpikeAlert, *, escalated: bool, link: str) -> str:
    examples = ", ".join(f"#{t}" for t in alert.example_ticket_ids) or "none"
    return (
        f"{'Escalated' if escalated else 'New'} {alert.severity} spike: {alert.segment_label}\n\n"
        f"{alert.explanation}\n\n"
        f"Observed: {alert.observed} contacts over {alert.window_days} day(s)\n"
        f"Expected: {alert.expected:.1f}\n"
        f"Exposure: {alert.exposure:.0f} orders\n"
        f"Onset: {alert.onset.isoformat()}\n"
        f"Example tickets: {examples}\n\n"
        f"{link}\n"
    )


def _should_send(alert: SpikeAlert) -> bool:
    return (
        alert.primary
        and alert.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
        and SEVERITY_RANK.get(alert.severity, 0) > SEVERITY_RANK.get(alert.notified_severity, 0)
    )


def alert_notify(
    *, alerts: list[SpikeAlert], now: dt.datetime, settings: AlertNotifySettings | None = None
) -> NotifyReport:
    """Queue the webhook and email of every alert that is new or escalated (one transaction)."""
    cfg = settings or AlertNotifySettings.from_env()
    report = NotifyReport()
    with transaction.atomic():
        for alert in alerts:
            locked = SpikeAlert.objects.select_for_update().get(pk=alert.pk)
            if not _should_send(locked):
                report.skipped += 1
                continue
            escalated = locked.notified_severity != ""
            link = _link(locked, cfg)
            key = f"signals.alert:{locked.pk}:{locked.severity}"
            if cfg.webhook_url:
                body = json.dumps(slack_payload(locked, escalated=escalated, link=link))
                stamp = str(int(now.timestamp()))
                headers = {TIMESTAMP_HEADER: stamp, EVENT_HEADER: "signals.alert"}
                if cfg.webhook_secret:
                    headers[SIGNATURE_HEADER] = hmac_signature(
                        secret=cfg.webhook_secret, timestamp=stamp, body=body
                    )
                outbox_enqueue(
                    kind=OutboxMessage.Kind.WEBHOOK, target=cfg.webhook_url, body=body,
                    headers=headers, dedupe_key=f"{key}:webhook", now=now,
                )  # fmt: skip
            subject = f"[SignalDesk] {locked.severity} spike: {locked.segment_label}"[:200]
            for address in cfg.emails:
                outbox_enqueue(
                    kind=OutboxMessage.Kind.EMAIL, target=address,
                    body=email_body(locked, escalated=escalated, link=link),
                    headers={"Subject": subject}, dedupe_key=f"{key}:email:{address}", now=now,
                )  # fmt: skip
            locked.notified_severity = locked.severity
            locked.save(update_fields=["notified_severity"])
            report.sent.append(locked.pk)
            if escalated:
                report.escalated.append(locked.pk)
    return report
