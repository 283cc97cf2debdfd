"""The customer's survey page (mounted at /survey/): public, signed link, rate limited."""

from django.urls import path

from signaldesk.followup import views

app_name = "survey"

urlpatterns = [
    path("<str:token>/", views.survey, name="answer"),
]
