"""Follow-up console routes (mounted at /followup/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:followup_id>/close/", views.close, name="close"),
    path("results/", views.results, name="results"),
    path("macros/", views.macros, name="macros"),
]
