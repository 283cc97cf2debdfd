"""Knowledge console routes (mounted at /knowledge/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("gaps/", views.gaps, name="gaps"),
]
