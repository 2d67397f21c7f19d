# The audit log is read on its own page (/audit/) by the audit administrator only: the Django
# admin offers neither auditlog's entries nor the events, so that nobody edits or deletes them
# there. auditlog registers its admin before this app's admin module is imported.
from auditlog.models import LogEntry
from django.contrib import admin

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
