"""Dashboard routes under /dashboards/ (the index itself is console:dashboards)."""

from django.urls import path

from signaldesk.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("tickets/", views.tickets, name="tickets"),
    path("<slug:audience>/", views.audience, name="audience"),
]
