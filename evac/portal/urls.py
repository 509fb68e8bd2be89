from django.urls import path

from evac.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/done/", views.registered, name="registered"),
    path("status/", views.status, name="status"),
    path("status/code/", views.send_code, name="send_code"),
    path("status/change/", views.change, name="change"),
    path("status/forget/", views.forget, name="forget"),
]
