"""Signals console routes (mounted at /signals/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.signals import views

app_name = "signals"

urlpatterns = [
    path("", views.signals_home, name="home"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<int:alert_id>/change/", views.alert_change, name="alert_change"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<int:theme_id>/propose/", views.theme_propose, name="theme_propose"),
]
