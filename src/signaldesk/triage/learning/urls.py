"""Console routes of the learning loop (included at the site root by config/urls.py)."""

from django.urls import path

from signaldesk.triage.learning import views

app_name = "learning"

urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("review/<int:prediction_id>/", views.review_decide, name="review_decide"),
    path("models/", views.models_page, name="models"),
    path("models/retrain/", views.model_retrain, name="model_retrain"),
    path("models/<int:version_id>/activate/", views.model_activate, name="model_activate"),
]
