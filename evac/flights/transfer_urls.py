from django.urls import path

from evac.flights import transfer_paper_views as paper
from evac.flights import transfer_views as views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_new, name="new"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/edit/", views.transfer_edit, name="edit"),
    path("<int:pk>/status/", views.transfer_status, name="status"),
    path("<int:pk>/add/", views.transfer_add, name="add"),
    path("<int:pk>/cancel-seat/", views.transfer_seat_cancel_view, name="cancel_seat"),
    path("<int:pk>/board/", views.transfer_board, name="board"),
    path("<int:pk>/boarding/", paper.transfer_boarding, name="boarding"),
    path("<int:pk>/print/", paper.transfer_print, name="print"),
    path("<int:pk>/export.<str:fmt>", paper.transfer_export, name="export"),
]
