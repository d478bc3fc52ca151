from django.urls import path

from ankommen.schooling.views import counselling, intakes, placement, preregistration, reports, school_portal, seats

app_name = "schooling"
urlpatterns = [
    path("plaetze/", seats.seat_list, name="seat_list"),
    path("plaetze/neu/", seats.seat_create, name="seat_create"),
    path("plaetze/<int:offer_id>/bearbeiten/", seats.seat_edit, name="seat_edit"),
    path("plaetze/verlauf/", seats.seat_history, name="seat_history"),
    path("kapazitaet/", seats.capacity, name="capacity"),
    path("anmeldungen/", intakes.intake_list, name="intake_list"),
    path("anmeldungen/neu/", intakes.intake_create, name="intake_create"),
    path("anmeldungen/<int:intake_id>/", intakes.intake_detail, name="intake_detail"),
    path("mangel/", reports.shortage, name="shortage"),
    path("mangel.csv", reports.shortage_csv, name="shortage_csv"),
    path("wartezeit/", reports.waiting, name="waiting"),
    # Pre-registration by families (public) and its review by the centre.
    path("anmeldung/", preregistration.preregistration_form, name="preregistration_form"),
    path("anmeldung/danke/", preregistration.preregistration_thanks, name="preregistration_thanks"),
    path("voranmeldungen/", preregistration.preregistration_list, name="preregistration_list"),
    path(
        "voranmeldungen/<int:preregistration_id>/",
        preregistration.preregistration_detail,
        name="preregistration_detail",
    ),
    path(
        "voranmeldungen/<int:preregistration_id>/ablehnen/",
        preregistration.preregistration_reject,
        name="preregistration_reject",
    ),
    # Counselling: slots, invitations with their letter, the assessment.
    path("beratung/termine/", counselling.slot_list, name="slot_list"),
    path("beratung/termine/neu/", counselling.slot_create, name="slot_create"),
    path("beratung/einladen/<int:intake_id>/", counselling.invitation_create, name="invitation_create"),
    path("beratung/einladungen/<int:appointment_id>/", counselling.invitation_sent, name="invitation_sent"),
    path(
        "beratung/einladungen/<int:appointment_id>/brief.pdf",
        counselling.invitation_letter,
        name="invitation_letter",
    ),
    path("beratung/einschaetzung/<int:intake_id>/", counselling.assessment_edit, name="assessment_edit"),
    # Placement runs (centre) and the school contacts' decisions on the proposals.
    path("platzvergabe/", placement.run_list, name="placement_run_list"),
    path("platzvergabe/starten/", placement.run_start, name="placement_run_start"),
    path("platzvergabe/<int:run_id>/", placement.run_detail, name="placement_run_detail"),
    path("platzvergabe/<int:run_id>/fortschritt/", placement.run_progress, name="placement_run_progress"),
    path("platzvergabe/<int:run_id>/freigeben/", placement.run_release, name="placement_run_release"),
    path("platzvergabe/<int:run_id>/verwerfen/", placement.run_discard, name="placement_run_discard"),
    path("platzvergabe/bestaetigt/", placement.confirmed_list, name="placement_confirmed_list"),
    path("platzvergabe/bestaetigt/<int:placement_id>/brief.pdf", placement.placement_letter, name="placement_letter"),
    path("anmeldungen/<int:intake_id>/erster-schultag/", placement.first_school_day, name="first_school_day"),
    path("schule/vorschlaege/", school_portal.proposal_list, name="school_proposal_list"),
    path(
        "schule/vorschlaege/<int:placement_id>/bestaetigen/",
        school_portal.proposal_confirm,
        name="school_proposal_confirm",
    ),
    path(
        "schule/vorschlaege/<int:placement_id>/ablehnen/",
        school_portal.proposal_decline,
        name="school_proposal_decline",
    ),
]
