"""Console: campaigns list, new campaign (prefilled from query parameters, e.g. a spike alert's
"notify affected customers" link), preview of the audience with the report, send, CSV."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from signaldesk.console.access import role_required
from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.proactive.api import csv_response
from signaldesk.proactive.forms import CampaignForm
from signaldesk.proactive.models import ProactiveCampaign
from signaldesk.proactive.selectors import (
    Criteria,
    campaign_audience,
    campaign_get,
    campaign_report,
    campaigns_list,
)
from signaldesk.proactive.services import campaign_create, campaign_send

CAPABILITY = "proactive.manage"
PAGE_LIMIT = 200
SECTION = "proactive"


def _campaign(campaign_id: int) -> ProactiveCampaign:
    campaign = campaign_get(campaign_id=campaign_id)
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


@require_GET
@role_required(CAPABILITY)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaigns_list()[:PAGE_LIMIT])
    return render(request, "proactive/list.html", {"campaigns": campaigns, "section": SECTION})


@require_http_methods(["GET", "POST"])
@role_required(CAPABILITY)
def campaign_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = campaign_create(
                    draft=form.draft(), actor=Actor.of_user(request.user), now=timezone.now()
                )
            except SignalDeskError as exc:
                form.add_error(None, exc.detail)
            else:
                return redirect("proactive:detail", campaign_id=campaign.pk)
    else:
        initial = {k: v for k, v in request.GET.items() if k in CampaignForm.base_fields}
        form = CampaignForm(initial=initial)
    return render(request, "proactive/new.html", {"form": form, "section": SECTION})


@require_GET
@role_required(CAPABILITY)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    audience = campaign_audience(Criteria.of(campaign))
    report = campaign_report(campaign=campaign)
    context = {
        "campaign": campaign,
        "audience": audience,
        "members": audience.members[:PAGE_LIMIT],
        "report": report,
        "counts": report.counts(),
        "rows": report.rows[:PAGE_LIMIT],
        "section": SECTION,
    }
    return render(request, "proactive/detail.html", context)


@require_POST
@role_required(CAPABILITY)
def campaign_send_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    result = campaign_send(
        campaign_id=campaign.pk, actor=Actor.of_user(request.user), now=timezone.now()
    )
    messages.success(
        request,
        f"{result.notified} notices queued; {result.already} customers had been told already.",
    )
    return redirect("proactive:detail", campaign_id=campaign.pk)


@require_GET
@role_required(CAPABILITY)
def campaign_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return csv_response(_campaign(campaign_id))
