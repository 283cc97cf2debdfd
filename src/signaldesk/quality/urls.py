"""Response quality console routes (mounted at /quality/). Views are wrapped in role_required."""

from django.urls import path

from signaldesk.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("results/", views.results, name="results"),
    path("results.csv", views.results_csv, name="results_csv"),
]
