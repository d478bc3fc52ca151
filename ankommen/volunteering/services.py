"""Every write of the volunteers module: typed, keyword-only, one transaction, validated before it saves.

Each change of a support request writes its step in the same transaction; mails leave after the commit.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pghistory
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ankommen.accounts.models import Membership, Role, User
from ankommen.core.row_level_security import centre_scope
from ankommen.matching.volunteers import ALL_SLOTS
from ankommen.people.choices import is_language_code
from ankommen.people.models import Consent, Family, Person, Purpose
from ankommen.regions.models import Postcode
from ankommen.schooling.preregistration import centre_for_postcode
from ankommen.volunteering.models import (
    MAX_PARALLEL_ASSIGNMENTS,
    MAX_RADIUS_KM,
    OPEN_ASSIGNMENT_STATUSES,
    Activity,
    Assignment,
    AssignmentStatus,
    ClearanceInspection,
    CloseReason,
    ExpectedDuration,
    HoursEntry,
    HoursStatus,
    LanguageLevel,
    RequestStatus,
    RequestStep,
    ShiftSignup,
    StepKind,
    SupportRequest,
    Volunteer,
    VolunteerStatus,
)

if TYPE_CHECKING:
    from ankommen.network.models import Organisation
    from ankommen.regions.models import Centre

CONFIRM_SALT = "ankommen.volunteering.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60
DEFAULT_CLEARANCE_VALID_YEARS = 5


def clearance_valid_years() -> int:
    years = int(getattr(settings, "ANKOMMEN_CLEARANCE_VALID_YEARS", DEFAULT_CLEARANCE_VALID_YEARS))
    if not 1 <= years <= 10:
        raise ValueError("ANKOMMEN_CLEARANCE_VALID_YEARS must lie between 1 and 10.")
    return years


def _history(by: User | None) -> Any:
    return pghistory.context(user=by.pk if by else None)


def _same_centre(centre: Centre, *records: Any) -> None:
    for record in records:
        if record is not None and record.centre_id != centre.pk:
            raise ValidationError(_("This record belongs to another centre."))


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _mail_after_commit(*, to: str, language: str, subject: str, body: str, **values: Any) -> None:
    """Translate in the recipient's language and send once the transaction has committed."""

    def send() -> None:
        with translation.override(language):
            send_mail(
                subject=_(subject) % values,
                message=_(body) % values,
                from_email=None,
                recipient_list=[to],
            )

    transaction.on_commit(send)


def _location(postcode: str) -> Postcode:
    found = Postcode.objects.filter(code=postcode).first()
    if found is None:
        raise ValidationError({"postcode": _("We do not know this postcode. Please enter a postcode in NRW.")})
    return found


def _profile_errors(
    *, radius_km: int, max_parallel: int, languages: dict[str, str], activities: list[str], availability: int
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 1 <= radius_km <= MAX_RADIUS_KM:
        errors["radius_km"] = [_("The radius must lie between 1 and %(max)d km.") % {"max": MAX_RADIUS_KM}]
    if not 1 <= max_parallel <= MAX_PARALLEL_ASSIGNMENTS:
        errors["max_parallel"] = [
            _("You can take between 1 and %(max)d assignments at the same time.") % {"max": MAX_PARALLEL_ASSIGNMENTS}
        ]
    if not languages:
        errors["languages"] = [_("Please name at least one language.")]
    elif bad := [code for code, level in languages.items() if not is_language_code(code) or level not in LanguageLevel]:
        errors["languages"] = [_("Unknown language or level: %(codes)s") % {"codes": ", ".join(bad)}]
    known = set(Activity.objects.filter(is_active=True).values_list("code", flat=True))
    if not activities:
        errors["activities"] = [_("Please choose at least one activity.")]
    elif unknown := sorted(set(activities) - known):
        errors["activities"] = [_("Unknown activity: %(codes)s") % {"codes": ", ".join(unknown)}]
    if not 0 < availability <= ALL_SLOTS:
        errors["availability"] = [_("Please choose at least one time of the week when you are available.")]
    return errors


def confirmation_token(volunteer: Volunteer) -> str:
    return signing.dumps(volunteer.pk, salt=CONFIRM_SALT)


@transaction.atomic
def volunteer_sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    phone: str,
    postcode: str,
    radius_km: int,
    max_parallel: int,
    languages: dict[str, str],
    activities: list[str],
    availability: int,
    consent: bool,
    language: str,
) -> Volunteer:
    """A new volunteer from the public page: an inactive account until the e-mail address is confirmed."""
    email = email.strip().lower()
    errors = _profile_errors(
        radius_km=radius_km,
        max_parallel=max_parallel,
        languages=languages,
        activities=activities,
        availability=availability,
    )
    if not consent:
        errors["consent"] = [_("Without your consent we cannot store your details.")]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [
            _(
                "There is already an account with this e-mail address. Please log in, or reset your password "
                "if you have forgotten it."
            )
        ]
    centre = centre_for_postcode(postcode) if len(postcode) == 5 and postcode.isdigit() else None
    if centre is None:
        errors["postcode"] = [_("We do not know this postcode. Please enter a postcode in NRW.")]
    if errors:
        raise ValidationError(errors)
    assert centre is not None
    # The public page names no centre to the database: the volunteer's rows are written for the postcode's centre.
    with centre_scope(centre.pk):
        return _volunteer_create(
            centre=centre,
            email=email,
            password=password,
            display_name=display_name,
            phone=phone,
            postcode=postcode,
            radius_km=radius_km,
            max_parallel=max_parallel,
            languages=languages,
            activities=activities,
            availability=availability,
            language=language,
        )


def _volunteer_create(
    *,
    centre: Centre,
    email: str,
    password: str,
    display_name: str,
    phone: str,
    postcode: str,
    radius_km: int,
    max_parallel: int,
    languages: dict[str, str],
    activities: list[str],
    availability: int,
    language: str,
) -> Volunteer:
    place = _location(postcode)
    user = User.objects.create_user(
        email, password, display_name=display_name.strip(), preferred_language=language, is_active=False
    )
    Membership.objects.create(user=user, role=Role.VOLUNTEER, centre=centre)
    volunteer = Volunteer(
        centre=centre,
        user=user,
        phone=phone.strip(),
        postcode=postcode,
        latitude=place.latitude,
        longitude=place.longitude,
        radius_km=radius_km,
        max_parallel=max_parallel,
        languages=languages,
        activities=list(dict.fromkeys(activities)),
        availability=availability,
        consent_given_at=timezone.now(),
        sign_up_language=language,
    )
    with _history(user):
        volunteer.full_clean()
        volunteer.save()
    link = _site(reverse("volunteering:signup_confirm", kwargs={"token": confirmation_token(volunteer)}))
    _mail_after_commit(
        to=email,
        language=language,
        subject=gettext_noop("Please confirm your e-mail address"),
        body=gettext_noop(
            "Thank you for signing up as a volunteer with %(centre)s.\n\n"
            "Please confirm your e-mail address with this link (valid for three days):\n%(link)s\n\n"
            "Afterwards the integration centre will invite you to verify your identity."
        ),
        centre=centre.name,
        link=link,
    )
    return volunteer


@transaction.atomic
def volunteer_confirm_email(*, token: str) -> Volunteer:
    try:
        volunteer_id = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is invalid or has expired.")) from None
    volunteer = Volunteer.objects.dangerously_unscoped().select_related("user").select_for_update().get(pk=volunteer_id)
    if volunteer.status == VolunteerStatus.UNCONFIRMED:
        volunteer.status = VolunteerStatus.AWAITING_VERIFICATION
        volunteer.email_confirmed_at = timezone.now()
        # The link's visitor names no centre: the signed link names the volunteer, whose centre's row changes.
        with centre_scope(volunteer.centre_id), _history(volunteer.user):
            volunteer.save()
        User.objects.filter(pk=volunteer.user_id).update(is_active=True)
    return volunteer


@transaction.atomic
def volunteer_verify(*, centre: Centre, by: User, volunteer: Volunteer) -> Volunteer:
    """Staff have seen the volunteer's identity document; only then may the volunteer be matched."""
    _same_centre(centre, volunteer)
    if volunteer.status != VolunteerStatus.AWAITING_VERIFICATION:
        raise ValidationError(
            _("Only a volunteer who has confirmed their e-mail address and is not yet verified can be verified.")
        )
    volunteer.status = VolunteerStatus.VERIFIED
    volunteer.verified_at = timezone.now()
    volunteer.verified_by = by
    with _history(by):
        volunteer.full_clean()
        volunteer.save()
    return volunteer


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def clearance_record(
    *,
    centre: Centre,
    by: User,
    volunteer: Volunteer,
    issued_on: datetime.date,
    no_relevant_entry: bool,
    inspected_on: datetime.date | None = None,
) -> ClearanceInspection:
    """That a certificate was inspected: its date of issue and "no relevant entry", never the document."""
    _same_centre(centre, volunteer)
    today = timezone.localdate()
    inspected_on = inspected_on or today
    valid_until = _add_years(issued_on, clearance_valid_years()) - datetime.timedelta(days=1)
    errors: dict[str, list[str]] = {}
    if issued_on > today:
        errors["issued_on"] = [_("The date of issue lies in the future.")]
    elif valid_until < today:
        errors["issued_on"] = [
            _("This certificate is no longer valid: it was issued more than %(years)d years ago.")
            % {"years": clearance_valid_years()}
        ]
    if inspected_on > today or inspected_on < issued_on:
        errors["inspected_on"] = [_("The inspection must lie between the date of issue and today.")]
    if errors:
        raise ValidationError(errors)
    inspection = ClearanceInspection(
        centre=centre,
        volunteer=volunteer,
        inspected_by=by,
        inspected_on=inspected_on,
        issued_on=issued_on,
        no_relevant_entry=no_relevant_entry,
        valid_until=valid_until,
    )
    with _history(by):
        inspection.full_clean()
        inspection.save()
        # Only a certificate without a relevant entry opens requests that involve minors.
        if no_relevant_entry and (
            volunteer.clearance_valid_until is None or valid_until > volunteer.clearance_valid_until
        ):
            volunteer.clearance_valid_until = valid_until
            volunteer.save()
        elif not no_relevant_entry:
            volunteer.clearance_valid_until = None
            volunteer.save()
    return inspection


def has_volunteer_support_consent(*, centre: Centre, person: Person | None, family: Family | None) -> bool:
    consents = Consent.objects.for_centre(centre).filter(purpose=Purpose.VOLUNTEER_SUPPORT, withdrawn_on__isnull=True)
    if person is not None:
        return consents.filter(person=person).exists()
    if family is not None:
        return consents.filter(person__family=family).exists()
    return False


@transaction.atomic
def support_request_create(
    *,
    centre: Centre,
    by: User,
    activity: str,
    postcode: str,
    expected_duration: ExpectedDuration | str,
    person: Person | None = None,
    family: Family | None = None,
    partner_organisation: str = "",
    languages: list[str] | None = None,
    availability: int = 0,
    involves_minors: bool = False,
    description: str = "",
) -> SupportRequest:
    _same_centre(centre, person, family)
    languages = list(dict.fromkeys(languages or []))
    errors: dict[str, list[str]] = {}
    partner_organisation = partner_organisation.strip()
    if person is None and family is None and not partner_organisation:
        errors["person"] = [_("Name the person or family, or the partner organisation asking for support.")]
    elif (person is not None or family is not None) and not has_volunteer_support_consent(
        centre=centre, person=person, family=family
    ):
        errors["person"] = [
            _("There is no valid consent for support by volunteers. Record the consent first (on the person's page).")
        ]
    if not Activity.objects.filter(code=activity, is_active=True).exists():
        errors["activity"] = [_("Unknown activity: %(codes)s") % {"codes": activity}]
    if bad := [code for code in languages if not is_language_code(code)]:
        errors["languages"] = [_("Unknown language or level: %(codes)s") % {"codes": ", ".join(bad)}]
    if not 0 <= availability <= ALL_SLOTS:
        errors["availability"] = [_("Please choose at least one time of the week when you are available.")]
    place = Postcode.objects.filter(code=postcode).first()
    if place is None:
        errors["postcode"] = [_("We do not know this postcode. Please enter a postcode in NRW.")]
    if errors:
        raise ValidationError(errors)
    assert place is not None
    request = SupportRequest(
        centre=centre,
        person=person,
        family=family,
        partner_organisation=partner_organisation,
        activity=activity,
        languages=languages,
        availability=availability,
        postcode=postcode,
        latitude=place.latitude,
        longitude=place.longitude,
        involves_minors=involves_minors,
        expected_duration=expected_duration,
        description=description.strip(),
        created_by=by,
    )
    with _history(by):
        request.full_clean()
        request.save()
        RequestStep.objects.create(centre=centre, request=request, by=by, kind=StepKind.OPENED)
    return request


def _lock_volunteer(centre: Centre, volunteer: Volunteer) -> Volunteer:
    locked: Volunteer = (
        Volunteer.objects.for_centre(centre).select_for_update().select_related("user").get(pk=volunteer.pk)
    )
    return locked


def _change_load(volunteer: Volunteer, delta: int) -> None:
    volunteer.open_assignments = max(volunteer.open_assignments + delta, 0)
    volunteer.save()


@transaction.atomic
def assignment_propose(
    *,
    centre: Centre,
    by: User,
    request: SupportRequest,
    volunteer: Volunteer,
    score: dict[str, Any] | None = None,
) -> Assignment:
    """Propose a volunteer for an open request; the volunteer accepts or declines in their portal."""
    _same_centre(centre, request, volunteer)
    request = SupportRequest.objects.for_centre(centre).select_for_update().get(pk=request.pk)
    volunteer = _lock_volunteer(centre, volunteer)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only an open request can be proposed to a volunteer."))
    if volunteer.status != VolunteerStatus.VERIFIED:
        raise ValidationError(_("This volunteer's identity has not been verified yet."))
    if volunteer.open_assignments >= volunteer.max_parallel:
        raise ValidationError(_("This volunteer has no capacity left for another assignment."))
    if request.involves_minors and (
        volunteer.clearance_valid_until is None or volunteer.clearance_valid_until < timezone.localdate()
    ):
        raise ValidationError(
            _("This request involves minors: only volunteers with a valid clearance certificate can take it.")
        )
    assignment = Assignment(centre=centre, request=request, volunteer=volunteer, proposed_by=by, score=score or {})
    with _history(by):
        assignment.full_clean()
        assignment.save()
        request.status = RequestStatus.PROPOSED
        request.save()
        _change_load(volunteer, +1)
        RequestStep.objects.create(centre=centre, request=request, assignment=assignment, by=by, kind=StepKind.PROPOSED)
    _mail_after_commit(
        to=volunteer.user.email,
        language=volunteer.user.preferred_language,
        subject=gettext_noop("A new request for you"),
        body=gettext_noop(
            "The integration centre asks whether you can take on a request. Please accept or decline it in your "
            "portal:\n%(link)s"
        ),
        link=_site(reverse("volunteering:portal")),
    )
    return assignment


def _locked_assignment(volunteer: Volunteer, assignment: Assignment) -> Assignment:
    if assignment.volunteer_id != volunteer.pk:
        raise ValidationError(_("This record belongs to another centre."))
    locked: Assignment = (
        Assignment.objects.for_centre(volunteer.centre)
        .select_for_update()
        .select_related("request")
        .get(pk=assignment.pk)
    )
    return locked


@transaction.atomic
def assignment_accept(*, volunteer: Volunteer, assignment: Assignment) -> Assignment:
    assignment = _locked_assignment(volunteer, assignment)
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))
    now = timezone.now()
    request = assignment.request
    with _history(volunteer.user):
        assignment.status = AssignmentStatus.ACTIVE
        assignment.decided_at = now
        assignment.started_on = timezone.localdate()
        assignment.save()
        request.status = RequestStatus.ACTIVE
        request.matched_at = now
        request.save()
        RequestStep.objects.create(
            centre=assignment.centre, request=request, assignment=assignment, by=volunteer.user, kind=StepKind.ACCEPTED
        )
    return assignment


@transaction.atomic
def assignment_decline(*, volunteer: Volunteer, assignment: Assignment, reason: str) -> Assignment:
    assignment = _locked_assignment(volunteer, assignment)
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a short reason.")})
    request = assignment.request
    with _history(volunteer.user):
        assignment.status = AssignmentStatus.DECLINED
        assignment.decided_at = timezone.now()
        assignment.reason = reason[:255]
        assignment.full_clean()
        assignment.save()
        request.status = RequestStatus.OPEN
        request.save()
        _change_load(_lock_volunteer(volunteer.centre, volunteer), -1)
        RequestStep.objects.create(
            centre=assignment.centre,
            request=request,
            assignment=assignment,
            by=volunteer.user,
            kind=StepKind.DECLINED,
            note=reason[:255],
        )
    return assignment


@transaction.atomic
def support_request_close(
    *, centre: Centre, by: User, request: SupportRequest, reason: CloseReason | str, note: str = ""
) -> SupportRequest:
    _same_centre(centre, request)
    request = SupportRequest.objects.for_centre(centre).select_for_update().get(pk=request.pk)
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_("This request is already closed."))
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Please choose a reason.")})
    with _history(by):
        for assignment in Assignment.objects.for_centre(centre).filter(
            request=request, status__in=OPEN_ASSIGNMENT_STATUSES
        ):
            assignment.status = (
                AssignmentStatus.ENDED if assignment.status == AssignmentStatus.ACTIVE else AssignmentStatus.WITHDRAWN
            )
            assignment.ended_on = timezone.localdate()
            assignment.reason = reason
            assignment.save()
            _change_load(_lock_volunteer(centre, assignment.volunteer), -1)
        request.status = RequestStatus.CLOSED
        request.close_reason = reason
        request.closed_at = timezone.now()
        request.save()
        RequestStep.objects.create(centre=centre, request=request, by=by, kind=StepKind.CLOSED, note=note.strip()[:255])
    return request


@transaction.atomic
def hours_log(*, volunteer: Volunteer, assignment: Assignment, date: datetime.date, hours: Any) -> HoursEntry:
    """A volunteer logs hours for one of their active (or ended) assignments."""
    if assignment.volunteer_id != volunteer.pk:
        raise ValidationError(_("This record belongs to another centre."))
    if volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN:
        raise ValidationError(_("Your consent has been withdrawn."))
    errors: dict[str, list[str]] = {}
    if assignment.status not in (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED):
        errors["assignment"] = [_("Hours can be logged only for an accepted assignment.")]
    if date > timezone.localdate():
        errors["date"] = [_("This date lies in the future.")]
    if errors:
        raise ValidationError(errors)
    entry = HoursEntry(
        centre=volunteer.centre,
        volunteer=volunteer,
        assignment=assignment,
        date=date,
        hours=hours,
        activity=assignment.request.activity,
    )
    with _history(volunteer.user):
        entry.full_clean()
        entry.save()
    return entry


@transaction.atomic
def hours_decide(*, centre: Centre, by: User, entry: HoursEntry, confirm: bool) -> HoursEntry:
    _same_centre(centre, entry)
    if entry.status != HoursStatus.LOGGED:
        raise ValidationError(_("These hours have already been decided."))
    entry.status = HoursStatus.CONFIRMED if confirm else HoursStatus.REJECTED
    entry.confirmed_by = by
    entry.confirmed_at = timezone.now()
    with _history(by):
        entry.full_clean()
        entry.save()
    return entry


def batch_propose(*, centre: Centre, by: User) -> int:
    """Propose the optimal batch for every open request: one transaction, all proposals or none."""
    from ankommen.volunteering import selectors

    comparison = selectors.batch_comparison(centre=centre)
    pool = selectors.volunteer_pool(centre=centre)
    volunteers = Volunteer.objects.for_centre(centre).in_bulk(list(comparison.optimal.assignments.values()))
    with transaction.atomic():
        for request_id, volunteer_id in sorted(comparison.optimal.assignments.items()):
            request = comparison.requests[request_id]
            suggestion = next(
                iter(selectors.matching.suggest_for_volunteer(pool, selectors.need_of(request), volunteer_id)), None
            )
            assignment_propose(
                centre=centre,
                by=by,
                request=request,
                volunteer=volunteers[volunteer_id],
                score={**(suggestion or {}), "method": "batch"},
            )
    return comparison.optimal.matched


@transaction.atomic
def volunteer_profile_update(
    *,
    volunteer: Volunteer,
    phone: str,
    postcode: str,
    radius_km: int,
    max_parallel: int,
    languages: dict[str, str],
    activities: list[str],
    availability: int,
    by: User | None = None,
) -> Volunteer:
    """The volunteer changes their own profile, or staff of their centre (`by`) change it; the area stays in the centre.

    Staff edits speak of "the volunteer" in the messages; the history records who changed the profile.
    """
    by_staff = by is not None and by.pk != volunteer.user_id
    errors = _profile_errors(
        radius_km=radius_km,
        max_parallel=max_parallel,
        languages=languages,
        activities=activities,
        availability=availability,
    )
    place = Postcode.objects.filter(code=postcode).first()
    centre = centre_for_postcode(postcode) if place is not None else None
    if centre is None:
        errors["postcode"] = [_("We do not know this postcode. Please enter a postcode in NRW.")]
    elif centre.pk != volunteer.centre_id:
        errors["postcode"] = [
            _("This postcode belongs to another integration centre.")
            if by_staff
            else _("This postcode belongs to another integration centre. Please sign up there, or ask your centre.")
        ]
    if max_parallel < volunteer.open_assignments and "max_parallel" not in errors:
        message = (
            _("The volunteer has %(count)d open assignments: the number cannot be lower.")
            if by_staff
            else _("You have %(count)d open assignments: the number cannot be lower.")
        )
        errors["max_parallel"] = [message % {"count": volunteer.open_assignments}]
    if volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN:
        errors["__all__"] = [_("The consent has been withdrawn: the profile can no longer be changed.")]
    if errors:
        raise ValidationError(errors)
    assert place is not None
    volunteer = (
        Volunteer.objects.for_centre(volunteer.centre).select_for_update().select_related("user").get(pk=volunteer.pk)
    )
    volunteer.phone = phone.strip()
    volunteer.postcode = postcode
    volunteer.latitude, volunteer.longitude = place.latitude, place.longitude
    volunteer.radius_km = radius_km
    volunteer.max_parallel = max_parallel
    volunteer.languages = languages
    volunteer.activities = list(dict.fromkeys(activities))
    volunteer.availability = availability
    with _history(by or volunteer.user):
        volunteer.full_clean()
        volunteer.save()
    return volunteer


@dataclass(frozen=True)
class Withdrawal:
    volunteer: Volunteer
    proposals_withdrawn: int
    assignments_ended: int
    shifts_cancelled: int


def _coordinators(volunteer: Volunteer, assignments: list[Assignment]) -> list[str]:
    """Who is told: whoever verified the volunteer or proposed the affected requests, else the centre's lead."""
    candidates = [volunteer.verified_by_id, *(assignment.proposed_by_id for assignment in assignments)]
    users: set[int] = {user_id for user_id in candidates if user_id is not None}
    if not users:
        users = set(
            Membership.objects.filter(centre=volunteer.centre, role=Role.CENTRE_LEAD).values_list("user_id", flat=True)
        )
    return sorted(User.objects.filter(pk__in=users, is_active=True).values_list("email", flat=True))


@transaction.atomic
def volunteer_consent_withdraw(*, volunteer: Volunteer) -> Withdrawal:
    """The volunteer withdraws their consent themselves; it takes effect in this transaction.

    Open proposals are withdrawn and active assignments end (their requests open again, each with a step saying
    why), sign-ups for shifts from today on are cancelled, and the coordinators are told by mail after the commit.
    Confirmed hours stay: the certificate of engagement rests on them.
    """
    volunteer = _lock_volunteer(volunteer.centre, volunteer)
    if volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN:
        raise ValidationError(_("You have already withdrawn your consent."))
    centre = volunteer.centre
    now, today = timezone.now(), timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The volunteer withdrew their consent.")
    assignments = list(
        Assignment.objects.for_centre(centre)
        .select_for_update()
        .filter(volunteer=volunteer, status__in=OPEN_ASSIGNMENT_STATUSES)
        .order_by("pk")
    )
    proposals = ended = 0
    with _history(volunteer.user):
        for assignment in assignments:
            request = SupportRequest.objects.for_centre(centre).select_for_update().get(pk=assignment.request_id)
            if assignment.status == AssignmentStatus.PROPOSED:
                assignment.status = AssignmentStatus.WITHDRAWN
                assignment.decided_at = now
                proposals += 1
            else:
                assignment.status = AssignmentStatus.ENDED
                assignment.ended_on = today
                ended += 1
            assignment.reason = CloseReason.CONSENT_WITHDRAWN
            assignment.save()
            if request.status != RequestStatus.CLOSED:
                request.status = RequestStatus.OPEN
                request.save()
            RequestStep.objects.create(
                centre=centre,
                request=request,
                assignment=assignment,
                by=volunteer.user,
                kind=StepKind.WITHDRAWN,
                note=note,
            )
        signups = list(
            ShiftSignup.objects.for_centre(centre)
            .select_for_update()
            .filter(volunteer=volunteer, cancelled_at__isnull=True, date__gte=today)
        )
        for signup in signups:
            signup.cancelled_at = now
            signup.save()
        volunteer.status = VolunteerStatus.CONSENT_WITHDRAWN
        volunteer.consent_withdrawn_at = now
        volunteer.open_assignments = 0
        volunteer.save()
    link = _site(reverse("volunteering:volunteer_detail", args=[volunteer.pk]))
    for email in _coordinators(volunteer, assignments):
        # No name in the mail: the coordinator logs in to see who it is.
        _mail_after_commit(
            to=email,
            language=settings.LANGUAGE_CODE,
            subject=gettext_noop("A volunteer has withdrawn their consent"),
            body=gettext_noop(
                "A volunteer has withdrawn their consent to volunteering. It took effect at once: %(proposals)d "
                "open proposals were withdrawn and %(ended)d active assignments ended (their requests are open "
                "again), %(shifts)d shift sign-ups were cancelled.\n\nThe volunteer, after logging in:\n%(link)s"
            ),
            proposals=proposals,
            ended=ended,
            shifts=len(signups),
            link=link,
        )
    return Withdrawal(
        volunteer=volunteer, proposals_withdrawn=proposals, assignments_ended=ended, shifts_cancelled=len(signups)
    )


PARTNER_DESCRIPTION_MAX = 300


@transaction.atomic
def support_request_create_by_partner(
    *,
    organisation: Organisation,
    by: User,
    activity: str,
    postcode: str,
    expected_duration: ExpectedDuration | str,
    family_consented: bool,
    languages: list[str] | None = None,
    availability: int = 0,
    involves_minors: bool = False,
    description: str = "",
) -> SupportRequest:
    """A partner organisation asks for a volunteer for a family it supports, without the family's personal data.

    The partner confirms that the family consented; the centre learns who the family is only from the partner.
    """
    errors: dict[str, list[str]] = {}
    if not family_consented:
        errors["family_consented"] = [
            _("Please confirm that the family agreed to being supported by a volunteer of the integration centre.")
        ]
    if len(description.strip()) > PARTNER_DESCRIPTION_MAX:
        errors["description"] = [
            _("Please describe the need in at most %(max)d characters.") % {"max": PARTNER_DESCRIPTION_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    request = support_request_create(
        centre=organisation.centre,
        by=by,
        partner_organisation=organisation.name[:200],
        activity=activity,
        postcode=postcode,
        expected_duration=expected_duration,
        languages=languages,
        availability=availability,
        involves_minors=involves_minors,
        description=description,
    )
    request.partner = organisation
    request.partner_confirmed_consent = True
    with _history(by):
        request.save(update_fields=["partner", "partner_confirmed_consent", "updated_at"])
    return request


def volunteer_import_errors(
    *,
    centre: Centre,
    volunteer: Volunteer | None,
    email: str,
    postcode: str,
    radius_km: int,
    max_parallel: int,
    languages: dict[str, str],
    activities: list[str],
    availability: int,
    consent_given_on: datetime.date | None,
) -> dict[str, list[str]]:
    """What keeps a row of a bulk import from becoming (or changing) a volunteer of `centre`: the profile's rules."""
    errors = _profile_errors(
        radius_km=radius_km,
        max_parallel=max_parallel,
        languages=languages,
        activities=activities,
        availability=availability,
    )
    place_centre = centre_for_postcode(postcode) if len(postcode) == 5 and postcode.isdigit() else None
    if place_centre is None:
        errors["postcode"] = [_("We do not know this postcode. Please enter a postcode in NRW.")]
    elif place_centre.pk != centre.pk:
        errors["postcode"] = [_("This postcode belongs to another integration centre.")]
    if volunteer is None:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("This e-mail address belongs to an account that is not a volunteer of this centre.")]
        if consent_given_on is None:
            errors["consent_given_on"] = [_("A new volunteer needs the date of their consent.")]
        elif consent_given_on > timezone.localdate():
            errors["consent_given_on"] = [_("The date of the consent cannot lie in the future.")]
    else:
        if max_parallel < volunteer.open_assignments and "max_parallel" not in errors:
            errors["max_parallel"] = [
                _("The volunteer has %(count)d open assignments: the number cannot be lower.")
                % {"count": volunteer.open_assignments}
            ]
        if volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN:
            errors["__all__"] = [_("The consent has been withdrawn: the profile can no longer be changed.")]
    return errors


@transaction.atomic
def volunteer_import_create(
    *,
    centre: Centre,
    by: User,
    email: str,
    display_name: str,
    consent_given_on: datetime.date,
    phone: str,
    postcode: str,
    radius_km: int,
    max_parallel: int,
    languages: dict[str, str],
    activities: list[str],
    availability: int,
) -> Volunteer:
    """A volunteer the centre already works with, from a bulk import: staff vouch for the consent given on that day.

    The account gets a random password nobody knows; the volunteer sets their own with "forgot password". The
    identity is still verified on the volunteer's page before any matching.
    """
    email = email.strip().lower()
    profile: dict[str, Any] = {
        "phone": phone.strip(),
        "postcode": postcode,
        "radius_km": radius_km,
        "max_parallel": max_parallel,
        "languages": languages,
        "activities": list(dict.fromkeys(activities)),
        "availability": availability,
    }
    rules = {name: value for name, value in profile.items() if name != "phone"}
    errors = volunteer_import_errors(
        centre=centre, volunteer=None, email=email, consent_given_on=consent_given_on, **rules
    )
    if errors:
        raise ValidationError(errors)
    place = _location(postcode)
    user = User.objects.create_user(
        email, secrets.token_urlsafe(32), display_name=display_name.strip(), preferred_language="de"
    )
    Membership.objects.create(user=user, role=Role.VOLUNTEER, centre=centre)
    volunteer = Volunteer(
        centre=centre,
        user=user,
        status=VolunteerStatus.AWAITING_VERIFICATION,
        latitude=place.latitude,
        longitude=place.longitude,
        consent_given_at=timezone.make_aware(datetime.datetime.combine(consent_given_on, datetime.time(12))),
        sign_up_language="de",
        **profile,
    )
    with _history(by):
        volunteer.full_clean()
        volunteer.save()
    return volunteer


@transaction.atomic
def volunteer_import_update(*, volunteer: Volunteer, by: User, display_name: str, **profile: Any) -> Volunteer:
    """A row of a bulk import for a known volunteer: the profile as staff change it on the page, and the name."""
    volunteer = volunteer_profile_update(volunteer=volunteer, by=by, **profile)
    if volunteer.user.display_name != display_name.strip():
        volunteer.user.display_name = display_name.strip()
        volunteer.user.full_clean(exclude=["password"])
        volunteer.user.save(update_fields=["display_name"])
    return volunteer
