"""Reads of the work module, each taking the centre or the employer it is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.people.choices import language_name
from ankommen.people.consent import withdrawn
from ankommen.people.models import Purpose
from ankommen.regions.models import Centre, Occupation
from ankommen.work.models import (
    EMPLOYER_VISIBLE_STAGES,
    Application,
    ApplicationStep,
    CandidateProfile,
    CandidateStatusChange,
    Employer,
    EmployerStatus,
    Offer,
    OfferKind,
    OfferStatus,
    Qualification,
    ShareableField,
)

BOARD_LIMIT = 100
SUGGESTION_LIMIT = 15


def occupation_suggestions(*, query: str) -> list[Occupation]:
    words = query.split()
    if not words or len(query) < 2:
        return []
    occupations = Occupation.objects.all()
    for word in words[:5]:
        occupations = occupations.filter(
            Q(label__unaccent__icontains=word) | Q(alternative_labels__unaccent__icontains=word)
        )
    return list(occupations.order_by("label")[:SUGGESTION_LIMIT])


def occupation_by_label(label: str) -> Occupation | None:
    """The ESCO occupation named by its German label, a synonym or its URI."""
    label = label.strip()
    if not label:
        return None
    exact = Occupation.objects.filter(Q(label__iexact=label) | Q(uri=label)).first()
    if exact is not None:
        return exact
    for occupation in Occupation.objects.filter(alternative_labels__icontains=label)[:50]:
        if label.lower() in (synonym.lower() for synonym in occupation.alternative_labels.splitlines()):
            return occupation
    return None


# --- public board -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    kind: str = ""
    centre: Centre | None = None
    words: str = ""


def public_offers(*, filters: BoardFilters) -> QuerySet[Offer]:
    """Published offers of verified employers that have not started: what the public board shows. No person in it."""
    offers = Offer.objects.dangerously_unscoped().filter(
        status=OfferStatus.PUBLISHED,
        employer__status=EmployerStatus.VERIFIED,
        start_date__gte=timezone.localdate(),
    )
    if filters.kind in OfferKind.values:
        offers = offers.filter(kind=filters.kind)
    if filters.centre is not None:
        offers = offers.filter(centre=filters.centre)
    for word in filters.words.split()[:5]:
        offers = offers.filter(
            Q(title__unaccent__icontains=word)
            | Q(occupation__label__unaccent__icontains=word)
            | Q(occupation__alternative_labels__unaccent__icontains=word)
            | Q(place__unaccent__icontains=word)
        )
    return offers.select_related("employer", "occupation").order_by("start_date", "title")


def public_offer(*, offer_id: int) -> Offer:
    offer = public_offers(filters=BoardFilters()).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


# --- centre -------------------------------------------------------------------------------------------------------


def employers_of_centre(*, centre: Centre) -> QuerySet[Employer]:
    return Employer.objects.for_centre(centre).order_by("status", "name")


def offers_of_centre(*, centre: Centre) -> QuerySet[Offer]:
    return (
        Offer.objects.for_centre(centre)
        .select_related("employer", "occupation")
        .order_by("status", "start_date", "title")
    )


def profiles_of_centre(*, centre: Centre) -> QuerySet[CandidateProfile]:
    return (
        CandidateProfile.objects.for_centre(centre)
        .select_related("person", "permit")
        .prefetch_related("occupation_wishes")
        .order_by("person__family_name", "person__given_names")
    )


def applications_of_centre(*, centre: Centre) -> QuerySet[Application]:
    return Application.objects.for_centre(centre).select_related("offer__employer", "profile__person")


def qualifications_of(profile: CandidateProfile) -> QuerySet[Qualification]:
    return Qualification.objects.for_centre(profile.centre).filter(profile=profile)


def status_changes_of(profile: CandidateProfile) -> QuerySet[CandidateStatusChange]:
    return CandidateStatusChange.objects.for_centre(profile.centre).filter(profile=profile).select_related("by")


def steps_of(application: Application) -> QuerySet[ApplicationStep]:
    return ApplicationStep.objects.for_centre(application.centre).filter(application=application).select_related("by")


def applications_of_profile(profile: CandidateProfile) -> QuerySet[Application]:
    return Application.objects.for_centre(profile.centre).filter(profile=profile).select_related("offer__employer")


def applications_of_offer(offer: Offer) -> QuerySet[Application]:
    return Application.objects.for_centre(offer.centre).filter(offer=offer).select_related("profile__person")


# --- employer -----------------------------------------------------------------------------------------------------


def offers_of_employer(*, employer: Employer) -> QuerySet[Offer]:
    return Offer.objects.for_centre(employer.centre).filter(employer=employer).select_related("occupation")


def offer_of_employer(*, employer: Employer, offer_id: int) -> Offer:
    offer = offers_of_employer(employer=employer).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


def shared_applications(*, employer: Employer) -> QuerySet[Application]:
    """Applications for the employer's offers that the centre has shared with them; nothing before that."""
    return (
        Application.objects.for_centre(employer.centre)
        .filter(offer__employer=employer, stage__in=EMPLOYER_VISIBLE_STAGES)
        # A withdrawn consent for training and work hides the profile from the employer at once.
        .exclude(withdrawn(Purpose.EMPLOYMENT, person="profile__person"))
        .select_related("offer", "profile__person")
        .order_by("-updated_at")
    )


def shared_application(*, employer: Employer, application_id: int) -> Application:
    application = shared_applications(employer=employer).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


@dataclass(frozen=True)
class SharedPart:
    label: str
    value: str


def shared_profile_parts(application: Application) -> list[SharedPart]:
    """Only what the candidate agreed to share: the employer's view of the profile."""
    profile = application.profile
    person = profile.person
    shared = set(application.shared_fields)
    parts: list[SharedPart] = []

    def add(field: ShareableField, value: Any) -> None:
        if field.value in shared:
            parts.append(SharedPart(str(field.label), str(value) if value not in (None, "") else "–"))

    given, family = person.given_names_latin or person.given_names, person.family_name_latin or person.family_name
    add(ShareableField.NAME, f"{given} {family}")
    add(ShareableField.AGE, person.age)
    add(ShareableField.GERMAN_LEVEL, profile.get_german_level_display())
    languages = sorted(set(profile.languages) | set(person.languages))
    add(ShareableField.LANGUAGES, ", ".join(language_name(code) for code in languages))
    if ShareableField.QUALIFICATIONS in shared:
        qualifications = "; ".join(f"{q.title} ({q.get_recognition_display()})" for q in qualifications_of(profile))
        add(ShareableField.QUALIFICATIONS, qualifications)
    add(ShareableField.EXPERIENCE, profile.experience)
    add(ShareableField.DRIVING_LICENCE, _("yes") if profile.driving_licence else _("no"))
    add(ShareableField.AVAILABILITY, profile.available_from.strftime("%d.%m.%Y"))
    add(ShareableField.CONTACT, " · ".join(v for v in (person.phone, person.email) if v))
    return parts
