"""Console routes. Every view here is wrapped in role_required (see console/access.py)."""

from django.urls import path

from signaldesk.console import views, views_bulk, views_search
from signaldesk.dashboards import views as dashboard_views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("queues/", views.queue, name="queues"),
    path("queues/counts/", views.queue_counts, name="queue_counts"),
    path("queues/<slug:key>/", views.queue, name="queue"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:ticket_id>/note/", views.ticket_note, name="ticket_note"),
    path("tickets/<int:ticket_id>/status/", views.ticket_status, name="ticket_status"),
    path("tickets/<int:ticket_id>/assign-me/", views.ticket_assign_me, name="ticket_assign_me"),
    path("tickets/<int:ticket_id>/reason/", views.ticket_reason, name="ticket_reason"),
    path("search/", views_search.search, name="search"),
    path("search/live/", views_search.search_live, name="search_live"),
    path("tickets/bulk/", views_bulk.queue_bulk, name="queue_bulk"),
    path("tickets/<int:ticket_id>/merge/", views_bulk.ticket_merge, name="ticket_merge"),
    path("tickets/<int:ticket_id>/split/", views_bulk.ticket_split_view, name="ticket_split"),
    path("dashboards/", dashboard_views.index, name="dashboards"),
]
