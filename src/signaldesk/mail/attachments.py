"""Attachment policy and storage for inbound e-mail.

An attachment is kept when its type is on SIGNALDESK_MAIL_ALLOWED_TYPES ("type/*" allowed), its
name has no executable extension and it is at most SIGNALDESK_MAIL_MAX_ATTACHMENT_BYTES. Kept
files go to Django's default storage under mail/<sha[:2]>/<sha256> (content-addressed, so a
re-delivery writes nothing new); the ticket message lists them as metadata with the sha256.
Rejected ones are recorded on the MailMessage with the reason."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from signaldesk.intake.services import MAX_ATTACHMENTS, InboundAttachment
from signaldesk.mail.parse import ParsedAttachment

BLOCKED_EXTENSIONS = frozenset(
    {"exe", "bat", "cmd", "com", "js", "jse", "vbs", "vbe", "wsf", "scr", "msi", "ps1", "jar",
     "lnk", "hta", "cpl", "reg", "dll", "iso", "img"}
)  # fmt: skip


@dataclass(frozen=True)
class AttachmentPolicy:
    max_bytes: int
    allowed_types: tuple[str, ...]

    @classmethod
    def from_settings(cls) -> AttachmentPolicy:
        return cls(
            max_bytes=int(settings.SIGNALDESK_MAIL_MAX_ATTACHMENT_BYTES),
            allowed_types=tuple(t.lower() for t in settings.SIGNALDESK_MAIL_ALLOWED_TYPES),
        )

    def type_allowed(self, content_type: str) -> bool:
        major = content_type.split("/", 1)[0]
        return content_type in self.allowed_types or f"{major}/*" in self.allowed_types


def attachment_rejection(attachment: ParsedAttachment, policy: AttachmentPolicy) -> str:
    """Why the attachment is not kept, or "" when it is."""
    extension = attachment.filename.rsplit(".", 1)[-1].lower() if "." in attachment.filename else ""
    if extension in BLOCKED_EXTENSIONS:
        return f"file type .{extension} is not accepted"
    if not policy.type_allowed(attachment.content_type.lower()):
        return f"content type {attachment.content_type} is not accepted"
    if attachment.size > policy.max_bytes:
        return f"{attachment.size} bytes, the limit is {policy.max_bytes}"
    if attachment.size == 0:
        return "empty file"
    return ""


@dataclass(frozen=True)
class AttachmentDecision:
    keep: tuple[tuple[ParsedAttachment, str], ...]  # (attachment, sha256)
    rejected: tuple[dict[str, object], ...]


def attachments_decide(
    attachments: Iterable[ParsedAttachment], policy: AttachmentPolicy
) -> AttachmentDecision:
    keep: list[tuple[ParsedAttachment, str]] = []
    rejected: list[dict[str, object]] = []
    for attachment in attachments:
        reason = attachment_rejection(attachment, policy)
        if not reason and len(keep) >= MAX_ATTACHMENTS:
            reason = f"more than {MAX_ATTACHMENTS} attachments"
        if reason:
            rejected.append(
                {
                    "filename": attachment.filename,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "reason": reason,
                }
            )
        else:
            keep.append((attachment, hashlib.sha256(attachment.payload).hexdigest()))
    return AttachmentDecision(keep=tuple(keep), rejected=tuple(rejected))


def attachment_path(sha256: str) -> str:
    return f"mail/{sha256[:2]}/{sha256}"


def attachments_store(decision: AttachmentDecision) -> tuple[InboundAttachment, ...]:
    """Write the kept files (once each) and return their metadata for intake."""
    stored: list[InboundAttachment] = []
    for attachment, sha in decision.keep:
        path = attachment_path(sha)
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(attachment.payload))
        stored.append(
            InboundAttachment(
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=attachment.size,
                sha256=sha,
            )
        )
    return tuple(stored)
