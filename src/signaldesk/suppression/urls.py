"""Suppression console routes (mounted at /suppressions/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.suppression import views

app_name = "suppression"

urlpatterns = [
    path("", views.suppression_list, name="list"),
    path("export.csv", views.suppression_export, name="export"),
]
