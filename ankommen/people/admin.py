"""The admin site's view of families and persons: for IT operators, read-only, every read logged.

Case workers never come here: they work in the centre's own pages, which are scoped by
`request.centre`. An operator supports all 54 centres, so these querysets are unscoped on purpose
(`dangerously_unscoped()`, the named bypass), and each page of rows an operator sees is written to
the access log like any other read. Changes go through the services of the application (history
context, search text, validation), so the admin offers none.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from ankommen.core.access import access_log_write
from ankommen.core.models import AccessAction, AccessPurpose
from ankommen.people.models import Family, Person


class _OperatorReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = ["centre"]
    list_filter = ["centre"]
    list_per_page = 50
    # A count of a million rows on every page would cost more than the search itself.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Operators work across centres; the scoped default manager would refuse (see the module docstring).
        return self.model.objects.dangerously_unscoped().select_related("centre")  # type: ignore[attr-defined]

    def _log(self, request: HttpRequest, records: Any, action: AccessAction) -> None:
        access_log_write(
            user=request.user,
            membership=getattr(request, "membership", None),
            records=records,
            action=action,
            purpose=AccessPurpose.SUPERVISION,
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.context_data and "cl" in response.context_data:
            changelist = response.context_data["cl"]
            self._log(
                request, list(changelist.result_list), AccessAction.SEARCH if changelist.query else AccessAction.LIST
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        record = self.get_object(request, object_id)
        if record is not None and response.status_code == 200:
            self._log(request, [record], AccessAction.VIEW)
        return response


@admin.register(Person)
class PersonAdmin(_OperatorReadOnlyAdmin):
    list_display = ["family_name", "given_names", "family_name_latin", "given_names_latin", "centre", "birth_date"]
    search_fields = ["family_name", "given_names", "family_name_latin", "given_names_latin"]
    exclude = ["search_text"]


@admin.register(Family)
class FamilyAdmin(_OperatorReadOnlyAdmin):
    list_display = ["reference", "centre", "postcode", "place", "created_at"]
    search_fields = ["reference", "place", "postcode"]
