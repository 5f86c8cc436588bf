from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can show the audit log but never change it."""

    list_display = ["at", "username", "action", "object_type", "object_label", "purpose"]
    list_filter = ["action"]
    search_fields = ["username", "action", "object_label", "purpose"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
