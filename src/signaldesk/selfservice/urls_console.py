"""Self-service console routes (mounted at /selfservice/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.selfservice import views_console

app_name = "selfservice_console"

urlpatterns = [
    path("deflection/", views_console.deflection, name="deflection"),
    path("deflection.csv", views_console.deflection_csv, name="deflection_csv"),
]
