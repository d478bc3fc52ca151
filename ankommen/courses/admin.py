"""The state-wide lists of topics and audiences are kept by the operators in the admin."""

from django.contrib import admin

from ankommen.courses.models import Audience, Topic


@admin.register(Topic, Audience)
class ConfigurableListAdmin(admin.ModelAdmin):
    list_display = ["key", "name_de", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
