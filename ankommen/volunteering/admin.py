"""The list of activities volunteers can offer is kept by the operators in the admin, with names in seven languages."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ankommen.volunteering.models import Activity


class ActivityForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Activity
        fields = [
            "code",
            "name_de",
            "name_en",
            "name_ar",
            "name_uk",
            "name_ru",
            "name_tr",
            "name_fa",
            "position",
            "is_active",
        ]
        help_texts = {
            "name_de": _("Required. Shown to everyone whose language has no name of its own."),
            "name_en": _("Optional: without it, English visitors see the German name."),
            "name_ar": _("Optional: without it, the English name (or the German one) is shown."),
            "name_uk": _("Optional: without it, the English name (or the German one) is shown."),
            "name_ru": _("Optional: without it, the English name (or the German one) is shown."),
            "name_tr": _("Optional: without it, the English name (or the German one) is shown."),
            "name_fa": _("Optional: without it, the English name (or the German one) is shown."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in ("ar", "fa"):
            self.fields[f"name_{code}"].widget.attrs["dir"] = "rtl"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("name_de", "name_en", "name_ar", "name_uk", "name_ru", "name_tr", "name_fa"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].strip()
        if not cleaned.get("name_de"):
            self.add_error("name_de", _("Please give the German name: it is the fallback for every language."))
        return cleaned


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ActivityForm
    list_display = ["code", "name_de", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
