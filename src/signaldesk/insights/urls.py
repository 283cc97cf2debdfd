"""Insights console routes (mounted at /insights/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("draft/", views.draft_now, name="draft"),
    path("<int:note_id>/", views.detail, name="detail"),
    path("<int:note_id>/edit/", views.edit, name="edit"),
    path("<int:note_id>/publish/", views.publish, name="publish"),
]
