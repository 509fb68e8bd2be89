from django.urls import path

from evac.flights import boarding_views, minor_views, offer_views, views

app_name = "flights"
urlpatterns = [
    path("", views.flight_list, name="list"),
    path("new/", views.flight_new, name="new"),
    path("minors/", minor_views.minors, name="minors"),
    path("offers/", offer_views.operation_offers, name="all_offers"),
    path("offers/answer/", offer_views.answer_offer, name="answer_offer"),
    path("<int:pk>/", views.manifest, name="manifest"),
    path("<int:pk>/edit/", views.flight_edit, name="edit"),
    path("<int:pk>/status/", views.flight_status, name="status"),
    path("<int:pk>/add/", views.add_passengers, name="add_passengers"),
    path("<int:pk>/seats/<int:booking_pk>/cancel/", views.cancel_seat, name="cancel_seat"),
    path("<int:pk>/offers/", offer_views.offers, name="offers"),
    path("<int:pk>/boarding/", boarding_views.boarding, name="boarding"),
    path("<int:pk>/boarding/counts.json", boarding_views.boarding_counts, name="boarding_counts"),
    path("<int:pk>/boarding/<int:booking_pk>/", boarding_views.board, name="board"),
    path("<int:pk>/print/", views.print_manifest, name="print"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
]
