"""Workflow console routes (mounted at /workflow/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.workflow import views

app_name = "workflow"

urlpatterns = [
    path("tickets/<int:ticket_id>/transition/", views.transition, name="transition"),
]
