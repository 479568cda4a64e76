from django.urls import path

from changeready.integrations import views

webhook = "w/<slug:slug>/settings/webhooks/<uuid:endpoint_id>/"

urlpatterns = [
    path("w/<slug:slug>/settings/webhooks/", views.webhooks, name="webhooks"),
    path(webhook, views.webhook, name="webhook"),
    path(webhook + "enabled/", views.webhook_enabled, name="webhook_enabled"),
    path(webhook + "rotate/", views.webhook_rotate, name="webhook_rotate"),
    path(webhook + "delete/", views.webhook_delete, name="webhook_delete"),
    path(webhook + "test/", views.webhook_test, name="webhook_test"),
    path(
        webhook + "deliveries/<uuid:delivery_id>/replay/",
        views.delivery_replay,
        name="webhook_delivery_replay",
    ),
    path("w/<slug:slug>/calendar-feeds/", views.calendar_feeds, name="calendar_feeds"),
    path(
        "w/<slug:slug>/calendar-feeds/<uuid:feed_id>/revoke/",
        views.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
]
