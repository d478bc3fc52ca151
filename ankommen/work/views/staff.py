"""The centre's pages: employers to verify, candidates, matching both ways, the pipeline and the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import get_object_for_centre, log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.models import AccessAction
from ankommen.people.models import Consent, Person, Purpose
from ankommen.work import figures, matching, selectors, services
from ankommen.work.forms import (
    AgreeForm,
    CandidateCreateForm,
    CandidateProfileForm,
    CloseProfileForm,
    ContactForm,
    FollowUpForm,
    PauseForm,
    ProposeForm,
    QualificationForm,
    ReasonForm,
    ResumeForm,
)
from ankommen.work.models import (
    PROFILE_STATUS_MOVES,
    Application,
    CandidateProfile,
    CandidateStatus,
    Employer,
    EmployerContact,
    Offer,
    OfferKind,
    Stage,
)
from ankommen.work.views.common import centre_roles_required


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


def _profiles() -> Any:
    return CandidateProfile.objects.select_related("person", "permit").prefetch_related("occupation_wishes")


# --- employers ----------------------------------------------------------------------------------------------------


@centre_roles_required
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    employers = selectors.employers_of_centre(centre=_centre(request))
    return render(request, "work/staff/employer_list.html", {"employers": employers})


@centre_roles_required
@require_GET
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = get_object_for_centre(Employer.objects.all(), _centre(request), pk=employer_id)
    context = {
        "employer": employer,
        "offers": Offer.objects.for_centre(employer.centre).filter(employer=employer).select_related("occupation"),
        "contacts": EmployerContact.objects.for_centre(employer.centre)
        .filter(employer=employer)
        .select_related("user"),
        "reject_form": ReasonForm(),
        "contact_form": ContactForm(),
    }
    return render(request, "work/staff/employer_detail.html", context)


@centre_roles_required
@require_POST
def employer_verify(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = get_object_for_centre(Employer.objects.all(), _centre(request), pk=employer_id)
    try:
        services.employer_verify(employer=employer, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The employer has been verified; the contact gets an e-mail to set a password."))
    return redirect("work:employer_detail", employer_id=employer.pk)


@centre_roles_required
@require_POST
def employer_reject(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = get_object_for_centre(Employer.objects.all(), _centre(request), pk=employer_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.employer_reject(employer=employer, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The sign-up has been rejected."))
        return redirect("work:employer_detail", employer_id=employer.pk)
    return render(
        request,
        "work/staff/employer_detail.html",
        {"employer": employer, "offers": [], "contacts": [], "reject_form": form},
        status=400,
    )


@centre_roles_required
@require_POST
@creates_once
def employer_contact_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    """A further login for the employer: the employer-contact role in the centre, linked to this organisation."""
    employer = get_object_for_centre(Employer.objects.all(), _centre(request), pk=employer_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("work:employer_detail", employer_id=employer.pk)
    try:
        services.employer_contact_add(employer=employer, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contact has been added; a new login gets an e-mail to set a password."))
    return redirect("work:employer_detail", employer_id=employer.pk)


# --- offers and matching ------------------------------------------------------------------------------------------


@centre_roles_required
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = selectors.offers_of_centre(centre=_centre(request))
    return render(request, "work/staff/offer_list.html", {"offers": offers})


@centre_roles_required
@require_GET
def offer_matches(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_for_centre(Offer.objects.select_related("occupation", "employer"), _centre(request), pk=offer_id)
    ranked = matching.candidates_for_offer(offer=offer)
    log_access(request, [row.profile for row in ranked], action=AccessAction.LIST)
    proposed = set(selectors.applications_of_offer(offer).values_list("profile_id", flat=True))
    rows = [(row.profile, row.assessment.score, matching.explained(row.assessment)) for row in ranked]
    applications = list(selectors.applications_of_offer(offer))
    context = {"offer": offer, "rows": rows, "proposed": proposed, "applications": applications}
    return render(request, "work/staff/offer_matches.html", context)


@centre_roles_required
@require_POST
@creates_once
def application_propose(request: HttpRequest, offer_id: int) -> HttpResponse:
    centre = _centre(request)
    offer = get_object_for_centre(Offer.objects.all(), centre, pk=offer_id)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        raise Http404
    profile = get_object_for_centre(CandidateProfile.objects.all(), centre, pk=form.cleaned_data["profile"])
    try:
        application = services.application_propose(offer=offer, profile=profile, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("work:offer_matches", offer_id=offer.pk)
    messages.success(request, _("The candidate has been proposed. Ask them whether they agree to share their profile."))
    return redirect("work:application_detail", application_id=application.pk)


# --- candidates ---------------------------------------------------------------------------------------------------


@centre_roles_required
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    profiles = list(selectors.profiles_of_centre(centre=_centre(request)))
    log_access(request, profiles, action=AccessAction.LIST)
    return render(request, "work/staff/candidate_list.html", {"profiles": profiles})


def _persons_who_may_get_a_profile(centre: Any) -> Any:
    consenting = Consent.objects.for_centre(centre).filter(purpose=Purpose.EMPLOYMENT, withdrawn_on__isnull=True)
    return (
        Person.objects.for_centre(centre)
        .filter(pk__in=consenting.values("person_id"), candidate_profile__isnull=True)
        .order_by("family_name", "given_names")
    )


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def candidate_create(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    persons = _persons_who_may_get_a_profile(centre)
    form = CandidateCreateForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.candidate_profile_create(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                person=form.cleaned_data["person"],
                occupation_wishes=form.occupations(),
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The profile has been created."))
            return redirect("work:candidate_detail", profile_id=profile.pk)
    status = 400 if form.errors else 200
    return render(request, "work/staff/candidate_form.html", {"form": form, "profile": None}, status=status)


PROFILE_MOVES: dict[str, tuple[str, type[Any]]] = {
    "pause": (CandidateStatus.PAUSED, PauseForm),
    "resume": (CandidateStatus.ACTIVE, ResumeForm),
    "close": (CandidateStatus.CLOSED, CloseProfileForm),
}


def _candidate_page(
    request: HttpRequest, profile: CandidateProfile, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    log_access(request, [profile], action=AccessAction.VIEW)
    # Only a looking candidate is matched: a paused or closed profile gets no offers proposed.
    is_looking = profile.status == CandidateStatus.ACTIVE
    ranked = matching.offers_for_candidate(profile=profile) if is_looking else []
    applied = set(selectors.applications_of_profile(profile).values_list("offer_id", flat=True))
    allowed = _moves_allowed(profile)
    context = {
        "profile": profile,
        "is_looking": is_looking,
        "qualifications": selectors.qualifications_of(profile),
        "applications": selectors.applications_of_profile(profile),
        "rows": [(row.offer, row.assessment.score, matching.explained(row.assessment)) for row in ranked],
        "applied": applied,
        "has_consent": services.has_employment_consent(profile.person),
        "status_changes": selectors.status_changes_of(profile),
        "move_forms": [
            (move, forms.get(move) or form_class(prefix=move))
            for move, (_to, form_class) in PROFILE_MOVES.items()
            if move in allowed or move in forms
        ],
    }
    return render(request, "work/staff/candidate_detail.html", context, status=status)


def _moves_allowed(profile: CandidateProfile) -> set[str]:
    targets = PROFILE_STATUS_MOVES.get(profile.status, ())
    return {move for move, (to, _form) in PROFILE_MOVES.items() if to in targets}


@centre_roles_required
@require_GET
def candidate_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    return _candidate_page(request, get_object_for_centre(_profiles(), _centre(request), pk=profile_id))


@centre_roles_required
@require_POST
def candidate_status(request: HttpRequest, profile_id: int, move: str) -> HttpResponse:
    """Pause, resume or close a profile; pausing and closing need a reason, every move is in the history."""
    if move not in PROFILE_MOVES:
        raise Http404
    profile = get_object_for_centre(_profiles(), _centre(request), pk=profile_id)
    _to, form_class = PROFILE_MOVES[move]
    form = form_class(request.POST, prefix=move)
    if form.is_valid():
        by = request.user
        try:
            if move == "pause":
                services.candidate_profile_pause(profile=profile, by=by, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            elif move == "close":
                services.candidate_profile_close(profile=profile, by=by, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            else:
                services.candidate_profile_resume(profile=profile, by=by, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
    if form.errors:
        return _candidate_page(request, profile, {move: form}, status=400)
    done = {
        "pause": _("The profile has been paused; the matching leaves it out until it is resumed."),
        "resume": _("The profile is active again."),
        "close": _("The profile has been closed."),
    }
    messages.success(request, done[move])
    return redirect("work:candidate_detail", profile_id=profile.pk)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    centre = _centre(request)
    profile = get_object_for_centre(_profiles(), centre, pk=profile_id)
    log_access(request, [profile], action=AccessAction.VIEW)
    form = CandidateProfileForm(request.POST or None, initial=CandidateProfileForm.initial_for(profile))
    guard = EditGuard(form, profile, CandidateProfileForm.initial_for)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.candidate_profile_update(
                    profile=profile,
                    by=request.user,  # type: ignore[arg-type]
                    occupation_wishes=form.occupations(),
                    **form.service_fields(),
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("work:candidate_detail", profile_id=profile.pk)
    status = guard.status
    return render(request, "work/staff/candidate_form.html", {"form": form, "profile": profile}, status=status)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def qualification_add(request: HttpRequest, profile_id: int) -> HttpResponse:
    centre = _centre(request)
    profile = get_object_for_centre(CandidateProfile.objects.all(), centre, pk=profile_id)
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qualification_add(profile=profile, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The qualification has been added."))
            return redirect("work:candidate_detail", profile_id=profile.pk)
    status = 400 if form.errors else 200
    return render(request, "work/staff/qualification_form.html", {"form": form, "profile": profile}, status=status)


# --- the pipeline -------------------------------------------------------------------------------------------------

STAFF_STEPS = ("agree", "share", "follow_up", "end")


@centre_roles_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The centre's open applications, follow-ups that are due first."""
    today = timezone.localdate()
    applications = list(
        selectors.applications_of_centre(centre=_centre(request))
        .exclude(stage__in=[Stage.ENDED, Stage.FOLLOWED_UP])
        .order_by("follow_up_due", "-updated_at")
    )
    log_access(request, [application.profile for application in applications], action=AccessAction.LIST)
    due = [a for a in applications if a.follow_up_due is not None and a.follow_up_due <= today]
    context = {"due": due, "applications": [a for a in applications if a not in due]}
    return render(request, "work/staff/application_list.html", context)


def _application(request: HttpRequest, application_id: int) -> Application:
    centre = _centre(request)
    return get_object_for_centre(
        Application.objects.select_related("offer__employer", "offer__occupation", "profile__person"),
        centre,
        pk=application_id,
    )


def _detail(request: HttpRequest, application: Application, forms: dict[str, Any], status: int = 200) -> HttpResponse:
    log_access(request, [application.profile], action=AccessAction.VIEW)
    context = {
        "application": application,
        "steps": selectors.steps_of(application),
        "reasons": [(matching.reason_text(r), r["points"]) for r in application.reasons],
        "shared_labels": [
            label
            for value, label in AgreeForm.base_fields["shared_fields"].choices  # type: ignore[attr-defined]
            if value in application.shared_fields
        ],
        "agree_form": forms.get("agree") or AgreeForm(initial={"shared_fields": ["name", "german_level"]}),
        "follow_up_form": forms.get("follow_up") or FollowUpForm(),
        "end_form": forms.get("end") or ReasonForm(),
        "today": timezone.localdate(),
        "Stage": Stage,
    }
    return render(request, "work/staff/application_detail.html", context, status=status)


@centre_roles_required
@require_GET
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    return _detail(request, _application(request, application_id), {})


@centre_roles_required
@require_POST
def application_step(request: HttpRequest, application_id: int, step: str) -> HttpResponse:
    application = _application(request, application_id)
    if step not in STAFF_STEPS:
        raise Http404
    by = request.user
    form: Any = None
    try:
        if step == "agree":
            form = AgreeForm(request.POST)
            if form.is_valid():
                services.application_agree(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
        elif step == "share":
            services.application_share(application=application, by=by)  # type: ignore[arg-type]
        elif step == "follow_up":
            form = FollowUpForm(request.POST)
            if form.is_valid():
                services.application_follow_up(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
        else:
            form = ReasonForm(request.POST)
            if form.is_valid():
                services.application_end(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("work:application_detail", application_id=application.pk)
        form.add_service_errors(error)
    if form is not None and form.errors:
        return _detail(request, application, {step: form}, status=400)
    messages.success(request, _("The step has been recorded."))
    return redirect("work:application_detail", application_id=application.pk)


# --- figures ------------------------------------------------------------------------------------------------------


@centre_roles_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    summary = figures.centre_summary(centre=centre)
    context = {
        "summary": summary,
        "kinds": [(OfferKind(kind).label, count) for kind, count in summary.placements.items()],
        "months": figures.centre_months(centre=centre),
    }
    return render(request, "work/staff/figures.html", context)
