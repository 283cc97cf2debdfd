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
    path("", include("signaldesk.console.urls")),
]

handler403 = "signaldesk.console.views.permission_denied"
