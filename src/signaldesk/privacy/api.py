"""GET /api/v1/privacy/customers/{id}/export (streamed JSON document) and
POST /api/v1/privacy/customers/{id}/erase {"reason"}: managers and admins (privacy.manage)."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Router, Schema

from signaldesk.accounts.api_auth import api_auth, authorize
from signaldesk.core.audit import Actor
from signaldesk.privacy.selectors import customer_export_chunks
from signaldesk.privacy.services import customer_erase, customer_export_record
from signaldesk.privacy.subject import customer_find

privacy_router = Router(auth=api_auth, tags=["privacy"])


class EraseIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="Why (kept in the record).")


class EraseOut(Schema):
    customer_id: int
    already_erased: bool
    erasure_record_id: int
    counts: dict[str, int]
    files_deleted: int


@privacy_router.get("/customers/{customer_id}/export", response={200: None})
def customer_export_api(request: HttpRequest, customer_id: int) -> StreamingHttpResponse:
    authorize(request, "privacy.manage")
    customer = customer_find(customer_id)
    customer_export_record(customer=customer, actor=Actor.of_user(request.user), via="api")
    response = StreamingHttpResponse(
        customer_export_chunks(customer), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
    return response


@privacy_router.post("/customers/{customer_id}/erase", response=EraseOut)
def customer_erase_api(request: HttpRequest, customer_id: int, payload: EraseIn) -> EraseOut:
    authorize(request, "privacy.manage")
    result = customer_erase(
        customer=customer_find(customer_id),
        reason=payload.reason,
        actor=Actor.of_user(request.user),
    )
    return EraseOut(
        customer_id=result.customer_id,
        already_erased=result.already_erased,
        erasure_record_id=result.record_id,
        counts=result.counts,
        files_deleted=result.files_deleted,
    )
