"""Console pages of the taxonomy: the active version (read only) and the legacy tag audit with
mapping decisions, apply and revert. Views parse, authorise, call one selector or service, and
redirect back (POST/redirect/GET).

The audit itself is not stored by the services and costs a full pass over ticket history
(4–8 s on 200,000 tickets), so the audit page keeps the latest report in the default cache:
"Run audit" recomputes it (and stores the proposals); a GET reuses it and only computes it when
the cache has none (first visit, or after AUDIT_CACHE_SECONDS)."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from signaldesk.accounts.permissions import role_allows
from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import NotFound, SignalDeskError
from signaldesk.taxonomy import selectors
from signaldesk.taxonomy.audit import TagAuditReport, tag_audit
from signaldesk.taxonomy.mappings import (
    tag_mapping_approve,
    tag_mapping_reject,
    tag_mappings_propose,
)
from signaldesk.taxonomy.models import MappingStatus
from signaldesk.taxonomy.relabel import relabel_batch_revert, tag_mappings_apply

AUDIT_CACHE_KEY = "taxonomy:tag-audit:latest:v1"
AUDIT_CACHE_SECONDS = 6 * 3600
BATCHES_SHOWN = 20


def latest_report() -> TagAuditReport:
    """The cached latest audit report, computed (and cached) when there is none."""
    report = cache.get(AUDIT_CACHE_KEY)
    if not isinstance(report, TagAuditReport):
        report = tag_audit()
        cache.set(AUDIT_CACHE_KEY, report, AUDIT_CACHE_SECONDS)
    return report


def _can_write(request: HttpRequest) -> bool:
    return role_allows(getattr(request, "console_role", None), "taxonomy.write")


@require_GET
@role_required("taxonomy.read")
def taxonomy_home(request: HttpRequest) -> HttpResponse:
    try:
        taxonomy = selectors.active_taxonomy()
    except NotFound:
        taxonomy = None
    groups = []
    if taxonomy is not None:
        groups = [(g, taxonomy.in_group(g.id)) for g in taxonomy.groups]
    context = {
        "taxonomy": taxonomy,
        "groups": groups,
        "versions": list(selectors.taxonomy_versions().select_related("parent")[:50]),
        "section": "taxonomy",
    }
    return render(request, "taxonomy/home.html", context)


@require_GET
@role_required("taxonomy.read")
def audit_page(request: HttpRequest) -> HttpResponse:
    report = latest_report()
    mappings = list(selectors.tag_mappings())
    taxonomy = selectors.active_taxonomy()
    context = {
        "report": report,
        "mappings": mappings,
        "approved_count": sum(m.status == MappingStatus.APPROVED for m in mappings),
        "reason_ids": taxonomy.ids,
        "batches": list(selectors.relabel_batches()[:BATCHES_SHOWN]),
        "can_write": _can_write(request),
        "section": "taxonomy",
    }
    return render(request, "taxonomy/audit.html", context)


@require_POST
@role_required("taxonomy.write")
def audit_run(request: HttpRequest) -> HttpResponse:
    """Recompute the audit, store its proposals (decided mappings are kept), cache the report."""
    try:
        report = tag_audit()
        counts = tag_mappings_propose(report=report, actor=Actor.of_user(request.user))
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        cache.set(AUDIT_CACHE_KEY, report, AUDIT_CACHE_SECONDS)
        messages.success(
            request,
            f"Audit run on {report.tickets_scanned} tickets: {counts['created']} new and "
            f"{counts['updated']} refreshed proposals.",
        )
    return redirect("taxonomy:audit")


@require_POST
@role_required("taxonomy.write")
def mapping_approve(request: HttpRequest, mapping_id: int) -> HttpResponse:
    reason_id = request.POST.get("reason_id", "").strip() or None
    try:
        mapping = tag_mapping_approve(
            mapping_id=mapping_id, actor=Actor.of_user(request.user), reason_id=reason_id
        )
    except NotFound as exc:
        if reason_id is None:
            raise Http404(exc.detail) from exc
        messages.error(request, exc.detail)  # a reason not in the active taxonomy
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Approved: {mapping.tag} → {mapping.reason_id}.")
    return redirect("taxonomy:audit")


@require_POST
@role_required("taxonomy.write")
def mapping_reject(request: HttpRequest, mapping_id: int) -> HttpResponse:
    try:
        mapping = tag_mapping_reject(mapping_id=mapping_id, actor=Actor.of_user(request.user))
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Rejected the mapping of {mapping.tag}.")
    return redirect("taxonomy:audit")


@require_POST
@role_required("taxonomy.write")
def mappings_apply(request: HttpRequest) -> HttpResponse:
    try:
        result = tag_mappings_apply(actor=Actor.of_user(request.user))
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
        return redirect("taxonomy:audit")
    if result.batch_id is None:
        messages.info(request, "Nothing to relabel: 0 tickets changed.")
    else:
        messages.success(
            request,
            f"Relabelled {result.tickets_changed} tickets (batch #{result.batch_id}).",
        )
    if result.skipped_mappings:
        messages.warning(
            request,
            "Skipped approved mappings whose reason is not in the active taxonomy: "
            + ", ".join(result.skipped_mappings),
        )
    return redirect("taxonomy:audit")


@require_POST
@role_required("taxonomy.write")
def batch_revert(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        result = relabel_batch_revert(batch_id=batch_id, actor=Actor.of_user(request.user))
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except SignalDeskError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            f"Reverted batch #{result.batch_id}: {result.restored} tickets restored, "
            f"{result.skipped} changed since and left alone.",
        )
    return redirect("taxonomy:audit")
