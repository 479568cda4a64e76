from django.urls import path

from changeready.portfolio import views

urlpatterns = [
    path("w/<slug:slug>/calendar/", views.calendar_page, name="portfolio_calendar"),
    path("w/<slug:slug>/insights/", views.insights_page, name="portfolio_insights"),
]
