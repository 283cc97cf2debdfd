"""API schemas for the messages endpoints. Validation errors name the field (422)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime, field_validator, model_validator

from signaldesk.intake.content import MAX_HTML_BYTES, MAX_TEXT_BYTES
from signaldesk.intake.identity import (
    IdentityClaims,
    normalise_email,
    normalise_handle,
    normalise_marketplace_id,
    normalise_phone,
)
from signaldesk.intake.services import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    InboundAttachment,
    InboundMessage,
)
from signaldesk.tickets.models import Channel


def _blank(value: str | None) -> str:
    return (value or "").strip()


def _optional(value: str | None, normalise: Callable[[str], str]) -> str:
    stripped = _blank(value)
    return normalise(stripped) if stripped else ""


class IdentityIn(Schema):
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    social_handle: str | None = Field(None, max_length=254)
    marketplace_id: str | None = Field(None, max_length=254)
    name: str | None = Field(None, max_length=200)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str:
        return _optional(value, normalise_email)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str:
        return _optional(value, normalise_phone)

    @field_validator("social_handle")
    @classmethod
    def _handle(cls, value: str | None) -> str:
        return _optional(value, normalise_handle)

    @field_validator("marketplace_id")
    @classmethod
    def _marketplace(cls, value: str | None) -> str:
        return _optional(value, normalise_marketplace_id)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str:
        return _blank(value)

    @model_validator(mode="after")
    def _at_least_one(self) -> IdentityIn:
        if not (self.email or self.phone or self.social_handle or self.marketplace_id):
            raise ValueError("Give at least one of email, phone, social_handle, marketplace_id.")
        return self

    def to_claims(self) -> IdentityClaims:
        return IdentityClaims(
            email=self.email or "",
            phone=self.phone or "",
            social_handle=self.social_handle or "",
            marketplace_id=self.marketplace_id or "",
            name=self.name or "",
        )


class AttachmentIn(Schema):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(pattern=r"^[\w.+-]+/[\w.+-]+$", max_length=255)
    size: int = Field(ge=0, le=MAX_ATTACHMENT_BYTES)
    url: str = Field("", max_length=2000, pattern=r"^(https?://\S+)?$")
    sha256: str = Field("", pattern=r"^([0-9a-f]{64})?$")


class MessageMetadata(Schema):
    campaign_ref: str = Field(
        "",
        max_length=64,
        description="Reply to a proactive campaign notice: its reference PC-<campaign>-<token> "
        "(docs/proactive.md). The ticket is tagged campaign:<slug> and the reply counted.",
    )


class MessageIn(Schema):
    channel: Channel
    customer: IdentityIn
    subject: str = Field("", max_length=500)
    text: str = ""
    html: str = ""
    external_thread_id: str = Field("", max_length=255)
    external_message_id: str = Field("", max_length=255)
    idempotency_key: str | None = Field(None, max_length=255)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    sent_at: AwareDatetime | None = None
    metadata: MessageMetadata = Field(default_factory=lambda: MessageMetadata(campaign_ref=""))

    @field_validator("text")
    @classmethod
    def _text_size(cls, value: str) -> str:
        if len(value.encode()) > MAX_TEXT_BYTES:
            raise ValueError(f"Text is longer than {MAX_TEXT_BYTES} bytes (UTF-8).")
        return value

    @field_validator("html")
    @classmethod
    def _html_size(cls, value: str) -> str:
        if len(value.encode()) > MAX_HTML_BYTES:
            raise ValueError(f"HTML is longer than {MAX_HTML_BYTES} bytes (UTF-8).")
        return value

    @model_validator(mode="after")
    def _has_content(self) -> MessageIn:
        if not self.text.strip() and not self.html.strip():
            raise ValueError("Give text or html; both are empty.")
        return self

    def to_inbound(self) -> InboundMessage:
        return InboundMessage(
            channel=self.channel.value,
            identity=self.customer.to_claims(),
            text=self.text,
            html=self.html,
            subject=self.subject,
            external_thread_id=self.external_thread_id.strip(),
            external_message_id=self.external_message_id.strip(),
            idempotency_key=self.idempotency_key,
            attachments=tuple(
                InboundAttachment(
                    filename=a.filename,
                    content_type=a.content_type,
                    size=a.size,
                    url=a.url,
                    sha256=a.sha256,
                )
                for a in self.attachments
            ),
            sent_at=self.sent_at,
            campaign_ref=self.metadata.campaign_ref.strip(),
        )


class IngestOut(Schema):
    message_id: int
    ticket_id: int
    customer_id: int | None
    created: bool
    ticket_created: bool
    ticket_reopened: bool


class MessageOut(Schema):
    id: int
    ticket_id: int
    customer_id: int | None
    direction: str
    channel: str
    author_label: str
    body_text: str
    body_html: str
    attachments: list[dict[str, Any]]
    external_id: str
    idempotency_key: str | None
    created_at: dt.datetime
    received_at: dt.datetime
