"""Writes of the network module. Each runs in one transaction; contacts and referrals leave history rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pghistory
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ankommen.accounts.models import Membership, Role, User
from ankommen.network.models import (
    Contact,
    Cooperation,
    Decision,
    FollowUpTask,
    Meeting,
    MeetingPerson,
    Organisation,
    PartnerContact,
    Referral,
    ReferralOutcome,
    Service,
)
from ankommen.people.choices import language_choices
from ankommen.people.models import Consent, Person, Purpose
from ankommen.regions.models import Postcode

if TYPE_CHECKING:
    from ankommen.regions.models import Centre, Municipality

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "welfare_association",
    "description",
    "street",
    "postcode",
    "place",
    "phone",
    "email",
    "website",
    "opening_hours",
    "languages",
    "is_listed",
)

# What a partner organisation may change of its own public entry in the partner portal.
PARTNER_FIELDS = ("description", "street", "phone", "email", "website", "opening_hours", "languages")


def _place_by_postcode(organisation: Organisation) -> None:
    """Coordinates from the postcode reference data: the service finder measures distances from there."""
    postcode = Postcode.objects.filter(code=organisation.postcode).first()
    organisation.latitude = postcode.latitude if postcode else None
    organisation.longitude = postcode.longitude if postcode else None


def _save_organisation(organisation: Organisation, area_served: Iterable[Municipality] | None) -> Organisation:
    organisation.languages = sorted(set(organisation.languages or []))
    organisation.full_clean()
    if not Postcode.objects.filter(code=organisation.postcode).exists():
        raise ValidationError({"postcode": [_("This postcode is not in NRW's postcode list.")]})
    _place_by_postcode(organisation)
    organisation.save()
    if area_served is not None:
        organisation.area_served.set(list(area_served))
    return organisation


@transaction.atomic
def organisation_create(
    *, centre: Centre, by: User, area_served: Iterable[Municipality] = (), **fields: Any
) -> Organisation:
    if unknown := set(fields) - set(ORGANISATION_FIELDS):
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    return _save_organisation(Organisation(centre=centre, **fields), area_served)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: User, area_served: Iterable[Municipality] | None = None, **fields: Any
) -> Organisation:
    organisation = Organisation.objects.for_centre(organisation.centre).select_for_update().get(pk=organisation.pk)
    for name, value in fields.items():
        if name not in ORGANISATION_FIELDS:
            raise TypeError(f"Unknown organisation field: {name}")
        setattr(organisation, name, value)
    return _save_organisation(organisation, area_served)


@transaction.atomic
def service_add(
    *, organisation: Organisation, by: User, category: str, name: str, description: str = "", languages: list[str]
) -> Service:
    service = Service(
        centre=organisation.centre,
        organisation=organisation,
        category=category,
        name=name.strip(),
        description=description.strip(),
        languages=sorted(set(languages)),
    )
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def contact_add(
    *, organisation: Organisation, by: User, name: str, function: str = "", phone: str = "", email: str = ""
) -> Contact:
    contact = Contact(
        centre=organisation.centre,
        organisation=organisation,
        name=name.strip(),
        function=function,
        phone=phone,
        email=email,
    )
    with pghistory.context(user=by.pk):
        contact.full_clean()
        contact.save()
    return contact


@transaction.atomic
def cooperation_create(
    *,
    centre: Centre,
    by: User,
    organisation: Organisation,
    partner: Organisation | None,
    kind: str,
    since: datetime.date,
    until: datetime.date | None,
    topics: list[str],
) -> Cooperation:
    for named in (organisation, partner):
        if named is not None and named.centre_id != centre.pk:
            raise ValidationError(_("This organisation is not in your centre's network."))
    cooperation = Cooperation(
        centre=centre,
        organisation=organisation,
        partner=partner,
        kind=kind,
        since=since,
        until=until,
        topics=sorted(set(topics)),
    )
    cooperation.full_clean()
    cooperation.save()
    return cooperation


@transaction.atomic
def meeting_create(
    *,
    centre: Centre,
    by: User,
    title: str,
    date: datetime.date,
    place: str = "",
    participants: Iterable[Organisation] = (),
    agenda: str = "",
    minutes: str = "",
) -> Meeting:
    participants = list(participants)
    if any(organisation.centre_id != centre.pk for organisation in participants):
        raise ValidationError({"participants": [_("This organisation is not in your centre's network.")]})
    meeting = Meeting(centre=centre, title=title.strip(), date=date, place=place, agenda=agenda, minutes=minutes)
    meeting.full_clean()
    meeting.save()
    meeting.participants.add(*participants)  # a new meeting: add, since set() would read the scoped table unscoped
    return meeting


@transaction.atomic
def meeting_person_add(
    *,
    meeting: Meeting,
    by: User,
    contact: Contact | None = None,
    name: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
) -> MeetingPerson:
    """A named participant: a contact person of the centre's directory, or a name with an organisation."""
    for named in (contact, organisation):
        if named is not None and named.centre_id != meeting.centre_id:
            raise ValidationError(_("This organisation is not in your centre's network."))
    person = MeetingPerson(
        centre=meeting.centre,
        meeting=meeting,
        contact=contact,
        name=name.strip(),
        organisation=organisation,
        organisation_name=organisation_name.strip(),
    )
    if contact is not None and (
        MeetingPerson.objects.for_centre(meeting.centre).filter(meeting=meeting, contact=contact).exists()
    ):
        raise ValidationError({"contact": [_("This person is already listed.")]})
    with pghistory.context(user=by.pk):
        person.full_clean()
        person.save()
    return person


@transaction.atomic
def meeting_person_remove(*, person: MeetingPerson, by: User) -> None:
    with pghistory.context(user=by.pk):
        person.delete()


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, agenda: str, minutes: str) -> Meeting:
    """The agenda and the minutes, written during or after the meeting."""
    meeting = Meeting.objects.for_centre(meeting.centre).select_for_update().get(pk=meeting.pk)
    meeting.agenda = agenda
    meeting.minutes = minutes
    meeting.full_clean()
    meeting.save(update_fields=["agenda", "minutes", "updated_at"])
    return meeting


@transaction.atomic
def meeting_minutes_set(*, meeting: Meeting, by: User, minutes: str) -> Meeting:
    meeting.minutes = minutes
    meeting.full_clean()
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    by: User,
    text: str,
    task: str = "",
    responsible: Organisation | None = None,
    due_on: datetime.date | None = None,
) -> Decision:
    """A decision of the meeting, with its follow-up task when one was agreed (a task needs a due date)."""
    if task.strip() and due_on is None:
        raise ValidationError({"due_on": [_("A follow-up task needs a due date.")]})
    if responsible is not None and responsible.centre_id != meeting.centre_id:
        raise ValidationError({"responsible": [_("This organisation is not in your centre's network.")]})
    decision = Decision(centre=meeting.centre, meeting=meeting, text=text.strip())
    decision.full_clean()
    decision.save()
    if task.strip() and due_on is not None:
        follow_up = FollowUpTask(
            centre=meeting.centre, decision=decision, description=task.strip(), responsible=responsible, due_on=due_on
        )
        follow_up.full_clean()
        follow_up.save()
    return decision


@transaction.atomic
def task_mark_done(*, task: FollowUpTask, by: User, done_on: datetime.date | None = None) -> FollowUpTask:
    task.done_on = done_on or timezone.localdate()
    task.save(update_fields=["done_on"])
    return task


def has_referral_consent(*, person: Person, on: datetime.date) -> bool:
    return (
        Consent.objects.for_centre(person.centre)
        .filter(person=person, purpose=Purpose.REFERRAL, withdrawn_on__isnull=True, given_on__lte=on)
        .exists()
    )


@transaction.atomic
def referral_create(
    *, centre: Centre, by: User, person: Person, service: Service, referred_on: datetime.date, note: str = ""
) -> Referral:
    if person.centre_id != centre.pk or service.centre_id != centre.pk:
        raise ValidationError(_("The person or the service belongs to another centre."))
    if not has_referral_consent(person=person, on=referred_on):
        raise ValidationError(
            _("There is no consent to referrals for this person. Record the consent first (purpose: referral).")
        )
    referral = Referral(
        centre=centre, person=person, service=service, referred_on=referred_on, referred_by=by, note=note.strip()
    )
    with pghistory.context(user=by.pk):
        referral.full_clean()
        referral.save()
    return referral


@transaction.atomic
def referral_outcome_set(*, referral: Referral, by: User, outcome: str, outcome_on: datetime.date) -> Referral:
    referral = Referral.objects.for_centre(referral.centre).select_for_update().get(pk=referral.pk)
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": [_("Unknown outcome.")]})
    if outcome_on < referral.referred_on:
        raise ValidationError({"outcome_on": [_("The outcome cannot come before the referral.")]})
    referral.outcome = outcome
    referral.outcome_on = None if outcome == ReferralOutcome.OPEN else outcome_on
    with pghistory.context(user=by.pk):
        referral.full_clean()
        referral.save(update_fields=["outcome", "outcome_on", "updated_at"])
    return referral


@transaction.atomic
def service_update(
    *, service: Service, by: User, category: str, name: str, description: str = "", languages: list[str]
) -> Service:
    service = Service.objects.for_centre(service.centre).select_for_update().get(pk=service.pk)
    service.category = category
    service.name = name.strip()
    service.description = description.strip()
    service.languages = sorted(set(languages))
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def service_remove(*, service: Service, by: User) -> None:
    """Take a service out of the directory; one that people have been referred to stays (the referrals name it)."""
    if Referral.objects.for_centre(service.centre).filter(service=service).exists():
        raise ValidationError(_("People have been referred to this service; the centre's staff can change it."))
    service.delete()


# --- the partner portal -------------------------------------------------------------------------------------------


@transaction.atomic
def partner_invite(
    *, organisation: Organisation, by: User, email: str, name: str = "", base_url: str = ""
) -> PartnerContact:
    """Give someone of the organisation access to the partner portal.

    Creates the user when the address is new (and mails a link to set a password), gives them the partner-contact
    role in the organisation's centre and links them to the organisation; an earlier, deactivated link is active
    again. A user who already has a password gets a note that the portal is open for them.
    """
    email = email.strip().lower()
    if not email:
        raise ValidationError({"email": [_("Give an e-mail address.")]})
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, display_name=(name.strip() or email)[:150])
    membership = Membership.objects.filter(user=user, role=Role.PARTNER_CONTACT, centre=organisation.centre).first()
    if membership is None:
        membership = Membership(user=user, role=Role.PARTNER_CONTACT, centre=organisation.centre)
        membership.full_clean()
        membership.save()
    elif not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    contact = (
        PartnerContact.objects.for_centre(organisation.centre).filter(organisation=organisation, user=user).first()
    )
    with pghistory.context(user=by.pk):
        if contact is None:
            contact = PartnerContact(centre=organisation.centre, organisation=organisation, user=user)
            contact.full_clean()
            contact.save()
        elif not contact.is_active:
            contact.is_active = True
            contact.save(update_fields=["is_active", "updated_at"])
    _mail_partner_access(user, organisation, base_url)
    return contact


def _mail_partner_access(user: User, organisation: Organisation, base_url: str) -> None:
    base = (base_url or settings.SITE_URL).rstrip("/")
    with translation.override(user.preferred_language or "de"):
        subject = _("Your access to the Ankommen partner portal for %(organisation)s") % {
            "organisation": organisation.name
        }
        if user.has_usable_password():
            body = _(
                "The integration centre has opened the partner portal for %(organisation)s to you. Sign in with your "
                "e-mail address and password: %(url)s"
            ) % {"organisation": organisation.name, "url": base + reverse("network:partner_home")}
        else:
            path = reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            body = _(
                "The integration centre has opened the partner portal for %(organisation)s to you. There you keep "
                "your organisation's entry in the service finder up to date. Set your password here: %(url)s"
            ) % {"organisation": organisation.name, "url": base + path}
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


@transaction.atomic
def partner_deactivate(*, contact: PartnerContact, by: User) -> PartnerContact:
    """End a partner's access; without another active link in the centre, their partner role ends as well."""
    contact = PartnerContact.objects.for_centre(contact.centre).select_for_update().get(pk=contact.pk)
    if contact.is_active:
        with pghistory.context(user=by.pk):
            contact.is_active = False
            contact.save(update_fields=["is_active", "updated_at"])
    still_linked = (
        PartnerContact.objects.for_centre(contact.centre).filter(user=contact.user_id, is_active=True).exists()
    )
    if not still_linked:
        Membership.objects.filter(
            user=contact.user_id, role=Role.PARTNER_CONTACT, centre=contact.centre, is_active=True
        ).update(is_active=False)
    return contact


@transaction.atomic
def partner_entry_update(*, organisation: Organisation, by: User, **fields: Any) -> Organisation:
    """The partner changes their organisation's public entry: only the fields in PARTNER_FIELDS."""
    if unknown := set(fields) - set(PARTNER_FIELDS):
        raise TypeError(f"Fields a partner cannot change: {sorted(unknown)}")
    known = {code for code, _name in language_choices()}
    if unknown_languages := set(fields.get("languages") or []) - known:
        raise ValidationError({"languages": [_("Unknown language: %(code)s") % {"code": sorted(unknown_languages)[0]}]})
    organisation = Organisation.objects.for_centre(organisation.centre).select_for_update().get(pk=organisation.pk)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.languages = sorted(set(organisation.languages or []))
    organisation.full_clean()
    organisation.save()
    return organisation
