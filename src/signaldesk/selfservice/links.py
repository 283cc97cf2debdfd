"""Signed links for self-service pages that show a customer's data without a sign-in: the RMA
result and the printable return document. The token is the RMA signed with the SECRET_KEY
(django.core.signing, a salt of its own) and expires after DOCUMENT_MAX_AGE."""

from __future__ import annotations

import datetime as dt

from django.core import signing

from signaldesk.core.errors import NotFound

SALT = "signaldesk.selfservice.return-document"
DOCUMENT_MAX_AGE = dt.timedelta(days=60)


def return_document_token(rma: str) -> str:
    return signing.dumps({"rma": rma}, salt=SALT, compress=True)


def rma_from_token(token: str) -> str:
    """The RMA a token was signed for; a forged, altered or expired token raises NotFound."""
    try:
        data = signing.loads(token, salt=SALT, max_age=DOCUMENT_MAX_AGE)
    except signing.BadSignature as exc:
        raise NotFound("This return link is not valid or has expired.", code="bad_link") from exc
    return str(data.get("rma", "")) if isinstance(data, dict) else ""
