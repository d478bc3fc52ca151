"""Reads of the accounts app; each takes the user whose data it returns."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ankommen.accounts.models import ApiToken, Membership, TotpDevice, User, UserSession


def confirmed_totp_device(*, user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def second_factor_required(*, user: User) -> bool:
    """Whoever set up an authenticator app uses it; the roles in SECOND_FACTOR_ROLES must have one."""
    if confirmed_totp_device(user=user) is not None:
        return True
    return bool(settings.REQUIRE_SECOND_FACTOR) and user.needs_second_factor


def active_memberships(*, user: User) -> QuerySet[Membership]:
    return user.memberships.filter(is_active=True).select_related("centre", "school").order_by("id")


def live_user_sessions(*, user: User) -> QuerySet[UserSession]:
    """The user's sessions that have not yet run into the idle or absolute timeout."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        last_seen_at__gt=now - settings.SESSION_IDLE_TIMEOUT,
        created_at__gt=now - settings.SESSION_ABSOLUTE_TIMEOUT,
    ).order_by("-last_seen_at")


def api_tokens_of_user(*, user: User) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(membership__user=user)
        .select_related("membership__centre", "membership__school")
        .order_by("revoked_at", "-created_at")
    )
