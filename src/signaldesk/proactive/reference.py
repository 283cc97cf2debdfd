"""The reply reference of a campaign notice, `PC-<campaign id>-<recipient token>`, carried in
the subject as `[PC-12-0a1b2c3d4e5f]` (Django-free). A reply that keeps the subject, or an API
message that names the reference in `metadata.campaign_ref`, threads into a ticket tagged with
the campaign (proactive.services.campaign_reply_link)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = r"PC-(\d{1,12})-([0-9a-f]{12})"
REFERENCE_RE = re.compile(rf"^{_REF}$")
IN_SUBJECT_RE = re.compile(rf"\[{_REF}\]")


@dataclass(frozen=True)
class Reference:
    campaign_id: int
    token: str

    def __str__(self) -> str:
        return f"PC-{self.campaign_id}-{self.token}"


def reference_parse(text: str) -> Reference | None:
    match = REFERENCE_RE.match(text.strip().strip("[]"))
    return Reference(int(match.group(1)), match.group(2)) if match else None


def reference_in_subject(subject: str) -> Reference | None:
    match = IN_SUBJECT_RE.search(subject)
    return Reference(int(match.group(1)), match.group(2)) if match else None


def subject_with_reference(subject: str, reference: str) -> str:
    return f"{subject} [{reference}]"
