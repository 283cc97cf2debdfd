from django.contrib import admin
from django.urls import include, path

from signaldesk.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("signaldesk.accounts.urls")),
    path("workflow/", include("signaldesk.workflow.urls")),
    path("taxonomy/", include("signaldesk.taxonomy.urls")),
    path("", include("signaldesk.triage.learning.urls")),
    path("approvals/", include("signaldesk.approvals.urls")),
    path("suppressions/", include("signaldesk.suppression.urls")),
    path("signals/", include("signaldesk.signals.urls")),
    path("actions/", include("signaldesk.actions.urls")),
    path("quality/", include("signaldesk.quality.urls")),
    path("followup/", include("signaldesk.followup.urls")),
    path("survey/", include("signaldesk.followup.urls_public")),
    path("proactive/", include("signaldesk.proactive.urls")),
    path("insights/", include("signaldesk.insights.urls")),
    path("dashboards/", include("signaldesk.dashboards.urls")),
    path("help/", include("signaldesk.selfservice.urls")),
    path("selfservice/", include("signaldesk.selfservice.urls_console")),
    path("knowledge/", include("signaldesk.knowledge.urls")),
    path("", include("signaldesk.console.urls")),
]

handler403 = "signaldesk.console.views.permission_denied"
