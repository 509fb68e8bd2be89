from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortalConfig(AppConfig):
    name = "evac.portal"
    verbose_name = "Citizen portal"

    def ready(self) -> None:
        from evac.operations.models import Operation
        from evac.operations.signals import operation_status_changed
        from evac.portal.selectors import forget_public_operations

        # The public pages keep each operation for a few seconds; a change saved here shows
        # at once (dispatch_uid: connected once however often ready() runs).
        post_save.connect(forget_public_operations, sender=Operation, dispatch_uid="portal-saved")
        post_delete.connect(
            forget_public_operations, sender=Operation, dispatch_uid="portal-deleted"
        )
        # Closing and reopening write with a conditional UPDATE, which saves nothing.
        operation_status_changed.connect(
            forget_public_operations, sender=Operation, dispatch_uid="portal-status"
        )
