from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that lists and shows, for records only Evac's services write."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
