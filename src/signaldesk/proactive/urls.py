"""Proactive campaign console routes (mounted at /proactive/). Views are wrapped in
role_required("proactive.manage")."""

from django.urls import path

from signaldesk.proactive import views

app_name = "proactive"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/send/", views.campaign_send_view, name="send"),
    path("<int:campaign_id>/report.csv", views.campaign_export, name="export"),
]
