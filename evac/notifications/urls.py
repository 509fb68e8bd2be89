from django.urls import path

from evac.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("broadcast/", views.broadcast, name="broadcast"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
