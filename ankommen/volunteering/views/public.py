"""The public sign-up of volunteers (seven languages) and the confirmation of their e-mail address."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.concurrency import creates_once
from ankommen.core.languages import family_page
from ankommen.volunteering import services
from ankommen.volunteering.forms import SignUpForm


def _page_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in settings.FAMILY_LANGUAGES else settings.LANGUAGE_CODE


@family_page
@require_http_methods(["GET", "POST"])
@creates_once
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_honeypot_filled:
        # A script: it sees the same confirmation as a person and learns nothing; nothing is stored.
        return redirect("volunteering:signup_thanks")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.volunteer_sign_up(
                email=data["email"],
                password=data["password"],
                display_name=data["display_name"],
                phone=data["phone"],
                postcode=data["postcode"],
                radius_km=data["radius_km"],
                max_parallel=data["max_parallel"],
                languages=form.languages(),
                activities=data["activities"],
                availability=form.availability_mask(),
                consent=data["consent"],
                language=_page_language(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("volunteering:signup_thanks")
    status = 400 if form.errors else 200
    return render(request, "volunteering/signup.html", {"form": form, "family_page": True}, status=status)


@family_page
@require_GET
def signup_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteering/signup_thanks.html", {"family_page": True})


@family_page
@require_GET
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.volunteer_confirm_email(token=token)
    except ValidationError as error:
        context = {"family_page": True, "error": " ".join(error.messages)}
        return render(request, "volunteering/signup_confirmed.html", context, status=400)
    return render(request, "volunteering/signup_confirmed.html", {"family_page": True})
