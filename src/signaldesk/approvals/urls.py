"""Approvals console routes (mounted at /approvals/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path("tickets/<int:ticket_id>/request/", views.ticket_request, name="ticket_request"),
]
