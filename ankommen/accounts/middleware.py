from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Set in the session once the user has passed the second factor in this session.
SECOND_FACTOR_VERIFIED_KEY = "second_factor_verified"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
