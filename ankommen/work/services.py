"""Writes of the work module. Each runs in one transaction, checks its input and leaves its history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pghistory
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ankommen.accounts.models import Membership, Role, User
from ankommen.people.models import Consent, Person, Purpose
from ankommen.regions.models import Occupation, Postcode
from ankommen.work import matching
from ankommen.work.models import (
    MAX_HOURS_PER_WEEK,
    MAX_SEATS,
    PROFILE_STATUS_MOVES,
    Application,
    ApplicationStep,
    CandidateProfile,
    CandidateStatus,
    CandidateStatusChange,
    Employer,
    EmployerContact,
    EmployerStatus,
    Offer,
    OfferKind,
    OfferStatus,
    Qualification,
    ShareableField,
    Stage,
)

if TYPE_CHECKING:
    from ankommen.regions.models import Centre

FOLLOW_UP_AFTER_DAYS = 183
EMPLOYER_FIELDS = ("name", "sector", "description", "street", "postcode", "place", "website", "phone", "email")
OFFER_FIELDS = (
    "kind",
    "occupation",
    "title",
    "description",
    "postcode",
    "place",
    "start_date",
    "application_deadline",
    "seats",
    "hours_per_week",
    "german_level",
    "minimum_age",
    "requirements",
    "useful_languages",
    "driving_licence_needed",
)
PROFILE_FIELDS = (
    "german_level",
    "languages",
    "experience",
    "years_of_experience",
    "driving_licence",
    "permit",
    "postcode",
    "mobility_radius_km",
    "available_from",
)


def _point(postcode: str, field: str = "postcode") -> tuple[float, float]:
    point = Postcode.objects.filter(code=postcode).values_list("latitude", "longitude").first()
    if point is None:
        raise ValidationError({field: _("This postcode does not exist.")})
    return point


def _save(record: Any, by: User | None) -> None:
    with pghistory.context(user=by.pk if by else None):
        record.full_clean()
        record.save()


# --- employers ----------------------------------------------------------------------------------------------------


@transaction.atomic
def employer_register(*, centre: Centre, applicant_name: str, applicant_email: str, **fields: Any) -> Employer:
    """An employer signs up on the public page; staff of the centre verify them before anything is published."""
    unknown = set(fields) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    employer = Employer(centre=centre, applicant_name=applicant_name, applicant_email=applicant_email.lower(), **fields)
    if employer.postcode:
        _point(employer.postcode)
    _save(employer, None)
    return employer


def _decide(employer: Employer, by: User, status: EmployerStatus) -> None:
    if employer.status != EmployerStatus.PENDING:
        raise ValidationError(_("This sign-up has already been decided."))
    employer.status = status
    employer.decided_by = by
    employer.decided_at = timezone.now()


@transaction.atomic
def employer_verify(*, employer: Employer, by: User, login_url: str = "") -> EmployerContact:
    """Verify the sign-up: the applicant becomes the organisation's first contact and gets a link to set a password."""
    employer = Employer.objects.for_centre(employer.centre).select_for_update().get(pk=employer.pk)
    _decide(employer, by, EmployerStatus.VERIFIED)
    _save(employer, by)
    return employer_contact_add(employer=employer, by=by, email=employer.applicant_email, name=employer.applicant_name)


@transaction.atomic
def employer_reject(*, employer: Employer, by: User, reason: str) -> Employer:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    employer = Employer.objects.for_centre(employer.centre).select_for_update().get(pk=employer.pk)
    _decide(employer, by, EmployerStatus.REJECTED)
    employer.rejection_reason = reason.strip()
    _save(employer, by)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, by: User, **fields: Any) -> Employer:
    for name, value in fields.items():
        if name not in EMPLOYER_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(employer, name, value)
    if employer.postcode:
        _point(employer.postcode)
    _save(employer, by)
    return employer


@transaction.atomic
def employer_contact_add(*, employer: Employer, by: User, email: str, name: str) -> EmployerContact:
    """A login for someone acting for the employer: the employer-contact role in the employer's centre."""
    if not employer.is_verified:
        raise ValidationError(_("The employer has not been verified yet."))
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(email, None, display_name=name[:150])
    membership = Membership.objects.filter(user=user, role=Role.EMPLOYER_CONTACT, centre=employer.centre).first()
    if membership is None:
        membership = Membership(user=user, role=Role.EMPLOYER_CONTACT, centre=employer.centre)
        membership.full_clean()
        membership.save()
    contact = EmployerContact.objects.for_centre(employer.centre).filter(employer=employer, user=user).first()
    if contact is None:
        contact = EmployerContact(centre=employer.centre, employer=employer, user=user)
        _save(contact, by)
    if created:
        _mail_password_link(user, employer)
    return contact


def _mail_password_link(user: User, employer: Employer) -> None:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    subject = _("Your access to Ankommen for %(employer)s") % {"employer": employer.name}
    body = _(
        "The integration centre has verified %(employer)s. Set your password here to post offers and see the "
        "candidates shared with you: %(path)s"
    ) % {"employer": employer.name, "path": path}
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


def employer_of(user: Any, centre: Centre) -> Employer | None:
    """The verified organisation the user acts for in the centre, or None."""
    contact = (
        EmployerContact.objects.for_centre(centre)
        .select_related("employer")
        .filter(user=user, is_active=True, employer__status=EmployerStatus.VERIFIED)
        .first()
    )
    return contact.employer if contact else None


# --- offers -------------------------------------------------------------------------------------------------------


def _offer_errors(values: dict[str, Any], *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in OfferKind.values:
        errors["kind"] = [_("Unknown kind of offer.")]
    if not isinstance(values.get("occupation"), Occupation):
        errors["occupation"] = [_("Unknown occupation. Choose one from the ESCO list.")]
    start = values.get("start_date")
    if not isinstance(start, datetime.date):
        errors["start_date"] = [_("Enter a start date.")]
    elif start < today:
        errors["start_date"] = [_("The start date lies in the past.")]
    elif start > today + datetime.timedelta(days=3 * 366):
        errors["start_date"] = [_("The start date lies more than three years ahead.")]
    deadline = values.get("application_deadline")
    if isinstance(deadline, datetime.date) and isinstance(start, datetime.date) and deadline > start:
        errors["application_deadline"] = [_("The application deadline cannot be after the start date.")]
    seats = values.get("seats")
    if not isinstance(seats, int) or not 1 <= seats <= MAX_SEATS:
        errors["seats"] = [_("An offer has between 1 and %(max)d places.") % {"max": MAX_SEATS}]
    hours = values.get("hours_per_week")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS_PER_WEEK:
        errors["hours_per_week"] = [_("Hours per week lie between 1 and %(max)d.") % {"max": MAX_HOURS_PER_WEEK}]
    return errors


def _offer_apply(offer: Offer, fields: dict[str, Any]) -> None:
    for name in fields:
        if name not in OFFER_FIELDS:
            raise TypeError(f"unknown field: {name}")
    values = {name: getattr(offer, name, None) for name in OFFER_FIELDS if name != "occupation"}
    values["occupation"] = offer.occupation if offer.occupation_id else None
    values.update(fields)
    errors = _offer_errors(values, today=timezone.localdate())
    if values.get("postcode"):
        try:
            offer.latitude, offer.longitude = _point(str(values["postcode"]))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(offer, name, value)


@transaction.atomic
def offer_create(*, employer: Employer, by: User, **fields: Any) -> Offer:
    if not employer.is_verified:
        raise ValidationError(_("The employer has not been verified yet."))
    offer = Offer(centre=employer.centre, employer=employer)
    _offer_apply(offer, fields)
    _save(offer, by)
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, by: User, **fields: Any) -> Offer:
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(_("A closed offer cannot be changed."))
    _offer_apply(offer, fields)
    _save(offer, by)
    return offer


@transaction.atomic
def offer_close(*, offer: Offer, by: User) -> Offer:
    offer.status = OfferStatus.CLOSED
    _save(offer, by)
    return offer


# --- candidate profiles -------------------------------------------------------------------------------------------


def has_employment_consent(person: Person) -> bool:
    return (
        Consent.objects.for_centre(person.centre)
        .filter(person=person, purpose=Purpose.EMPLOYMENT, withdrawn_on__isnull=True)
        .exists()
    )


def _profile_apply(profile: CandidateProfile, fields: dict[str, Any]) -> None:
    from ankommen.people.choices import is_language_code

    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(profile, name, value)
    errors: dict[str, list[str]] = {}
    if unknown := [code for code in profile.languages if not is_language_code(code)]:
        errors["languages"] = [_("Unknown language code: %(codes)s") % {"codes": ", ".join(unknown)}]
    try:
        profile.latitude, profile.longitude = _point(profile.postcode)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _wishes(occupations: Iterable[Occupation]) -> list[Occupation]:
    wishes = list(dict.fromkeys(occupations))
    if not wishes:
        raise ValidationError({"occupation_wishes": _("Name at least one occupation the person wishes to work in.")})
    if len(wishes) > matching.MAX_WISHES:
        raise ValidationError(
            {"occupation_wishes": _("Name at most %(max)d occupations.") % {"max": matching.MAX_WISHES}}
        )
    return wishes


@transaction.atomic
def candidate_profile_create(
    *, centre: Centre, by: User, person: Person, occupation_wishes: Iterable[Occupation], **fields: Any
) -> CandidateProfile:
    """A person's profile for work and training. Only with their consent for this purpose."""
    if person.centre_id != centre.pk:
        raise ValidationError({"person": _("This record belongs to another centre.")})
    if not has_employment_consent(person):
        raise ValidationError(
            {"person": _("The person has not consented to the use of their data for training and work.")}
        )
    if CandidateProfile.objects.for_centre(centre).filter(person=person).exists():
        raise ValidationError({"person": _("The person already has a profile.")})
    wishes = _wishes(occupation_wishes)
    profile = CandidateProfile(centre=centre, person=person, created_by=by)
    _profile_apply(profile, fields)
    _save(profile, by)
    profile.occupation_wishes.set(wishes)
    return profile


@transaction.atomic
def candidate_profile_update(
    *, profile: CandidateProfile, by: User, occupation_wishes: Iterable[Occupation] | None = None, **fields: Any
) -> CandidateProfile:
    _profile_apply(profile, fields)
    _save(profile, by)
    if occupation_wishes is not None:
        profile.occupation_wishes.set(_wishes(occupation_wishes))
    return profile


def _profile_move(profile: CandidateProfile, by: User, to: str, reason: str) -> CandidateProfile:
    profile = CandidateProfile.objects.for_centre(profile.centre).select_for_update().get(pk=profile.pk)
    if to not in PROFILE_STATUS_MOVES.get(profile.status, ()):
        raise ValidationError(
            _("This is not possible while the profile is “%(status)s”.") % {"status": profile.get_status_display()}
        )
    before = profile.status
    profile.status = to
    _save(profile, by)
    CandidateStatusChange.objects.create(
        centre=profile.centre, profile=profile, from_status=before, to_status=to, by=by, reason=reason[:255]
    )
    return profile


def _open_before_contract(profile: CandidateProfile) -> list[Application]:
    return list(
        Application.objects.for_centre(profile.centre)
        .filter(profile=profile, stage__in=[Stage.PROPOSED, Stage.AGREED, Stage.SHARED, Stage.INTERVIEW, Stage.OFFERED])
        .order_by("pk")
    )


@transaction.atomic
def candidate_profile_pause(*, profile: CandidateProfile, by: User, reason: str) -> CandidateProfile:
    """The candidate is not looking for now (illness, a course, a move): the matching leaves them out.

    Applications already under way stay as they are; staff end them one by one if they must."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    return _profile_move(profile, by, CandidateStatus.PAUSED, reason.strip())


@transaction.atomic
def candidate_profile_resume(*, profile: CandidateProfile, by: User, note: str = "") -> CandidateProfile:
    """The candidate is looking again. Only with a consent for training and work that still stands."""
    if not has_employment_consent(profile.person):
        raise ValidationError(_("The person has not consented to the use of their data for training and work."))
    return _profile_move(profile, by, CandidateStatus.ACTIVE, note.strip())


@transaction.atomic
def candidate_profile_close(*, profile: CandidateProfile, by: User, reason: str) -> CandidateProfile:
    """The candidate no longer looks through the centre. Applications before a contract end with the same reason;
    a signed contract stays, so that its six-month follow-up still falls due."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    profile = _profile_move(profile, by, CandidateStatus.CLOSED, reason.strip())
    note = _("Profile closed: %(reason)s") % {"reason": reason.strip()}
    for application in _open_before_contract(profile):
        before = application.stage
        application.ended_at_stage = before
        application.end_reason = note[:255]
        application.stage = Stage.ENDED
        _save(application, by)
        ApplicationStep.objects.create(
            centre=application.centre,
            application=application,
            from_stage=before,
            to_stage=Stage.ENDED,
            by=by,
            note=note[:255],
        )
    return profile


@transaction.atomic
def qualification_add(*, profile: CandidateProfile, by: User, **fields: Any) -> Qualification:
    from ankommen.people.choices import is_country_code

    qualification = Qualification(centre=profile.centre, profile=profile, **fields)
    if qualification.country and not is_country_code(qualification.country):
        raise ValidationError({"country": _("Unknown country code: %(codes)s") % {"codes": qualification.country}})
    _save(qualification, by)
    return qualification


# --- the pipeline -------------------------------------------------------------------------------------------------

# Which stage may follow which. Any open stage may also end, with a reason.
NEXT_STAGE: dict[str, tuple[str, ...]] = {
    Stage.PROPOSED: (Stage.AGREED,),
    Stage.AGREED: (Stage.SHARED,),
    Stage.SHARED: (Stage.INTERVIEW, Stage.OFFERED),
    Stage.INTERVIEW: (Stage.OFFERED, Stage.CONTRACT),
    Stage.OFFERED: (Stage.CONTRACT,),
    Stage.CONTRACT: (Stage.FOLLOWED_UP,),
}


def _locked(application: Application) -> Application:
    return Application.objects.for_centre(application.centre).select_for_update().get(pk=application.pk)


def _move(application: Application, by: User, to: Stage, note: str = "") -> Application:
    if to not in NEXT_STAGE.get(application.stage, ()):
        raise ValidationError(
            _("This step is not possible at the stage “%(stage)s”.") % {"stage": application.get_stage_display()}
        )
    before = application.stage
    application.stage = to
    _save(application, by)
    ApplicationStep.objects.create(
        centre=application.centre, application=application, from_stage=before, to_stage=to, by=by, note=note[:255]
    )
    return application


@transaction.atomic
def application_propose(*, offer: Offer, profile: CandidateProfile, by: User) -> Application:
    """Staff propose a candidate for an offer; the match's score and reasons are kept as they were then."""
    if offer.centre_id != profile.centre_id:
        raise ValidationError(_("This record belongs to another centre."))
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(_("The offer is closed."))
    if profile.status != CandidateStatus.ACTIVE:
        raise ValidationError(_("The candidate is not looking at the moment."))
    if not has_employment_consent(profile.person):
        raise ValidationError(_("The person has not consented to the use of their data for training and work."))
    if Application.objects.for_centre(offer.centre).filter(offer=offer, profile=profile).exists():
        raise ValidationError(_("This candidate has already been proposed for this offer."))
    assessment = matching.assess_pair(profile=profile, offer=offer)
    if assessment.is_excluded:
        raise ValidationError(matching.exclusion_message(assessment))
    application = Application(
        centre=offer.centre,
        offer=offer,
        profile=profile,
        score=round(assessment.score, 1),
        reasons=matching.reasons_as_data(assessment),
    )
    _save(application, by)
    ApplicationStep.objects.create(
        centre=application.centre, application=application, from_stage="", to_stage=Stage.PROPOSED, by=by
    )
    return application


@transaction.atomic
def application_agree(*, application: Application, by: User, shared_fields: Iterable[str]) -> Application:
    """The candidate agreed (in person, to staff) that these parts of the profile go to the employer."""
    fields = sorted(set(shared_fields))
    if not fields:
        raise ValidationError({"shared_fields": _("Choose at least one part of the profile to share.")})
    if unknown := set(fields) - set(ShareableField.values):
        raise ValidationError({"shared_fields": _("Unknown part of the profile: %(parts)s") % {"parts": unknown}})
    application = _locked(application)
    if not has_employment_consent(application.profile.person):
        raise ValidationError(_("The person has not consented to the use of their data for training and work."))
    application.shared_fields = fields
    labels = ", ".join(str(ShareableField(name).label) for name in fields)
    return _move(application, by, Stage.AGREED, labels)


@transaction.atomic
def application_share(*, application: Application, by: User) -> Application:
    application = _locked(application)
    if not has_employment_consent(application.profile.person):
        raise ValidationError(_("The person has not consented to the use of their data for training and work."))
    return _move(application, by, Stage.SHARED)


@transaction.atomic
def application_interview(
    *, application: Application, by: User, interview_at: datetime.datetime, note: str = ""
) -> Application:
    application = _locked(application)
    application.interview_at = interview_at
    return _move(application, by, Stage.INTERVIEW, note)


@transaction.atomic
def application_offer(*, application: Application, by: User, note: str = "") -> Application:
    return _move(_locked(application), by, Stage.OFFERED, note)


@transaction.atomic
def application_contract(
    *,
    application: Application,
    by: User,
    contract_kind: str,
    contract_start: datetime.date,
    signed_on: datetime.date | None = None,
) -> Application:
    """The contract is signed: the candidate is placed, and the follow-up falls due six months after the start."""
    application = _locked(application)
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("This date lies in the future.")})
    if contract_start < signed_on - datetime.timedelta(days=31):
        raise ValidationError({"contract_start": _("The contract cannot start long before it was signed.")})
    application.contract_kind = contract_kind
    application.contract_start = contract_start
    application.contract_signed_on = signed_on
    application.follow_up_due = contract_start + datetime.timedelta(days=FOLLOW_UP_AFTER_DAYS)
    _move(application, by, Stage.CONTRACT)
    profile = application.profile
    profile.status = CandidateStatus.PLACED
    _save(profile, by)
    return application


@transaction.atomic
def application_follow_up(*, application: Application, by: User, still_employed: bool, reason: str = "") -> Application:
    application = _locked(application)
    if not still_employed and not reason.strip():
        raise ValidationError({"reason": _("Say why the person is no longer there.")})
    application.still_employed = still_employed
    application.end_reason = reason.strip()
    return _move(application, by, Stage.FOLLOWED_UP, reason)


@transaction.atomic
def application_end(*, application: Application, by: User, reason: str) -> Application:
    """Any open application may end, always with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    application = _locked(application)
    if not application.is_open:
        raise ValidationError(_("This application has already ended."))
    before = application.stage
    application.ended_at_stage = before
    application.end_reason = reason.strip()
    application.stage = Stage.ENDED
    _save(application, by)
    ApplicationStep.objects.create(
        centre=application.centre,
        application=application,
        from_stage=before,
        to_stage=Stage.ENDED,
        by=by,
        note=reason.strip()[:255],
    )
    if before == Stage.CONTRACT and application.profile.status == CandidateStatus.PLACED:
        profile = application.profile
        profile.status = CandidateStatus.ACTIVE
        _save(profile, by)
    return application
