"""Console routes of the taxonomy (included under /taxonomy/ by config/urls.py)."""

from django.urls import path

from signaldesk.taxonomy import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.taxonomy_home, name="home"),
    path("audit/", views.audit_page, name="audit"),
    path("audit/run/", views.audit_run, name="audit_run"),
    path("mappings/<int:mapping_id>/approve/", views.mapping_approve, name="mapping_approve"),
    path("mappings/<int:mapping_id>/reject/", views.mapping_reject, name="mapping_reject"),
    path("mappings/apply/", views.mappings_apply, name="mappings_apply"),
    path("relabels/<int:batch_id>/revert/", views.batch_revert, name="batch_revert"),
]
