"""Public help pages, mounted at /help/ (views are public_view and rate limited)."""

from django.urls import path

from signaldesk.selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("", views.help_home, name="home"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("order-status/", views.order_status, name="order_status"),
    path("returns/", views.returns, name="returns"),
    path("returns/<str:token>/", views.return_done, name="return_done"),
    path("returns/<str:token>/document/", views.return_document, name="return_document"),
    path("resolve/", views.resolve, name="resolve"),
    path("still-need-help/", views.handover, name="handover"),
    path("still-need-help/sent/", views.handover_done, name="handover_done"),
]
