from django.urls import path

from ankommen.people.views import erasure, families, persons, relations, subject_access

app_name = "people"
urlpatterns = [
    path("", persons.person_list, name="person_list"),
    path("neu/", persons.person_create, name="person_create"),
    path("<uuid:person_id>/", persons.person_detail, name="person_detail"),
    path("<uuid:person_id>/bearbeiten/", persons.person_edit, name="person_edit"),
    path("<uuid:person_id>/verlauf/", persons.person_history, name="person_history"),
    path("<uuid:person_id>/auskunft/", subject_access.subject_access_export, name="subject_access_export"),
    path("<uuid:person_id>/loeschen/", erasure.person_erase_view, name="person_erase"),
    path("<uuid:person_id>/einwilligungen/neu/", relations.consent_record, name="consent_record"),
    path(
        "<uuid:person_id>/einwilligungen/<int:consent_id>/widerrufen/",
        relations.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<uuid:person_id>/sorgeberechtigte/neu/", relations.guardian_add, name="guardian_add"),
    path(
        "<uuid:person_id>/sorgeberechtigte/<int:relation_id>/entfernen/",
        relations.guardian_remove,
        name="guardian_remove",
    ),
    path("familien/neu/", families.family_create, name="family_create"),
    path("familien/<uuid:family_id>/", families.family_detail, name="family_detail"),
    path("familien/<uuid:family_id>/bearbeiten/", families.family_edit, name="family_edit"),
]
