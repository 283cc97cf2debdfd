"""Action tracker console routes (mounted at /actions/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_new, name="new"),
    path("from-signal/", views.action_create_from, name="create_from"),
    path("<int:action_id>/", views.action_detail, name="detail"),
    path("<int:action_id>/edit/", views.action_edit, name="edit"),
    path("<int:action_id>/status/", views.action_status, name="status"),
    path("<int:action_id>/notify/", views.action_notify, name="notify"),
]
