from django.urls import path

from changeready.portfolio import views

urlpatterns = [
    path("w/<slug:slug>/calendar/", views.calendar_page, name="portfolio_calendar"),
    # A calendar feed's subscription URL (the feeds are managed in the integrations).
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("w/<slug:slug>/insights/", views.insights_page, name="portfolio_insights"),
    path("w/<slug:slug>/digest/", views.digest_settings, name="digest_settings"),
    path("w/<slug:slug>/activity/", views.workspace_activity, name="workspace_activity"),
    path(
        "engagements/<uuid:engagement_id>/activity/",
        views.engagement_activity,
        name="engagement_activity",
    ),
]
