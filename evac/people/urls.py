from django.urls import path

from evac.people import import_views, merge_views, views

app_name = "people"
urlpatterns = [
    path("", views.citizen_list, name="list"),
    path("new/", views.citizen_new, name="new"),
    path("names-to-fix/", views.names_to_fix, name="names_to_fix"),
    path("duplicates/", import_views.duplicate_queue, name="duplicates"),
    path("duplicates/scan/", import_views.duplicate_scan, name="duplicates_scan"),
    path("duplicates/<int:pk>/dismiss/", import_views.duplicate_dismiss, name="duplicate_dismiss"),
    path(
        "duplicates/dismissed/<int:pk>/undo/",
        import_views.duplicate_undismiss,
        name="duplicate_undismiss",
    ),
    path("merges/", merge_views.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", merge_views.merge_undo, name="merge_undo"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:pk>/", import_views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", import_views.import_errors, name="import_errors"),
    # <code> is the person's reference code, so a URL read out on the phone finds them.
    path("<str:code>/", views.citizen_detail, name="detail"),
    path("<str:code>/edit/", views.citizen_edit, name="edit"),
    path("<str:code>/status/", views.citizen_status, name="status"),
    path("<str:code>/merge/", merge_views.citizen_merge, name="merge"),
    path("<str:code>/contact/", views.citizen_contact, name="contact"),
    path("<str:code>/needs/confirm/", views.citizen_needs_confirm, name="confirm_needs"),
]
