"""The Django admin: the IT operators' tool across all centres (docs/rls.md)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from ankommen.core.row_level_security import dangerously_all_centres

View = TypeVar("View", bound=Callable[..., Any])


class OperatorAdminSite(admin.AdminSite):
    """An operator supports every centre, so the admin's pages read in every centre's rows.

    Its querysets already name the application's bypass (`dangerously_unscoped()`); the database is opened for the
    whole request of a signed-in operator (`is_staff`), because the pages follow relations and write the access log
    for the centre of each person shown. The page is rendered inside the bypass, before the setting is reset.
    Anyone else reaches only the admin's login page, in no centre.
    """

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def in_every_centre(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not self.has_permission(request):
                return checked(request, *args, **kwargs)  # type: ignore[no-any-return]
            with dangerously_all_centres():
                response = checked(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse):
                    response.render()
                return response  # type: ignore[no-any-return]

        return cast(View, in_every_centre)
