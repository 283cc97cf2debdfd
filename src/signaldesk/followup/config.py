"""Survey settings (config.yaml) and the signed answer link. The link carries the survey id, a
per-survey nonce and its expiry, signed with django.core.signing (SECRET_KEY, own salt): a
changed character, another survey's nonce or a passed expiry is refused."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core import signing

from signaldesk.core.errors import SignalDeskError

CONFIG_PATH = Path(__file__).with_name("config.yaml")
SALT = "signaldesk.followup.survey"


@dataclass(frozen=True)
class SurveyConfig:
    delay: dt.timedelta
    lookback: dt.timedelta
    link_max_age: dt.timedelta
    low_csat_at_most: int
    low_nps_at_most: int
    skip_tags: frozenset[str]
    skip_reasons: frozenset[str]

    @classmethod
    def from_mapping(cls, doc: Mapping[str, Any]) -> SurveyConfig:
        return cls(
            delay=dt.timedelta(hours=float(doc.get("delay_hours", 24))),
            lookback=dt.timedelta(days=float(doc.get("lookback_days", 7))),
            link_max_age=dt.timedelta(days=float(doc.get("link_max_age_days", 14))),
            low_csat_at_most=int(doc.get("low_csat_at_most", 2)),
            low_nps_at_most=int(doc.get("low_nps_at_most", 6)),
            skip_tags=frozenset(str(t) for t in doc.get("skip_tags") or []),
            skip_reasons=frozenset(str(r) for r in doc.get("skip_reasons") or []),
        )


@functools.cache
def survey_config() -> SurveyConfig:
    return SurveyConfig.from_mapping(yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8")))


def public_url() -> str:
    """Where customers reach the survey page (SIGNALDESK_PUBLIC_URL)."""
    return os.environ.get("SIGNALDESK_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


class SurveyLinkError(SignalDeskError):
    code = "invalid_link"
    status = 400


@dataclass(frozen=True)
class LinkClaims:
    survey_id: int
    nonce: str


def survey_token(*, survey_id: int, nonce: str, expires_at: dt.datetime) -> str:
    payload = {"s": survey_id, "n": nonce, "e": int(expires_at.timestamp())}
    return signing.dumps(payload, salt=SALT, compress=False)


def survey_token_read(token: str, *, now: dt.datetime) -> LinkClaims:
    """The claims of a valid, unexpired token; SurveyLinkError (code invalid_link or
    expired_link) otherwise."""
    try:
        payload = signing.loads(token, salt=SALT)
        claims = LinkClaims(int(payload["s"]), str(payload["n"]))
        expires = int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise SurveyLinkError("This survey link is not valid.") from None
    if int(now.timestamp()) > expires:  # whole seconds, as signed
        raise SurveyLinkError("This survey link has expired.", code="expired_link")
    return claims
