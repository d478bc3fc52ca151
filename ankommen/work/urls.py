from django.urls import path

from ankommen.work.views import employer, public, staff

app_name = "work"
urlpatterns = [
    # Public: the offer board and the employers' sign-up.
    path("angebote/", public.offer_board, name="offer_board"),
    path("angebote/<int:offer_id>/", public.offer_board_detail, name="offer_board_detail"),
    path("berufe/vorschlaege/", public.occupation_suggest, name="occupation_suggest"),
    path("betriebe/registrieren/", public.employer_signup, name="employer_signup"),
    path("betriebe/registrieren/danke/", public.employer_signup_thanks, name="employer_signup_thanks"),
    # The centre: employers, offers with their matches, candidates, the pipeline, the figures.
    path("betriebe/", staff.employer_list, name="employer_list"),
    path("betriebe/<int:employer_id>/", staff.employer_detail, name="employer_detail"),
    path("betriebe/<int:employer_id>/bestaetigen/", staff.employer_verify, name="employer_verify"),
    path("betriebe/<int:employer_id>/ablehnen/", staff.employer_reject, name="employer_reject"),
    path("betriebe/<int:employer_id>/ansprechperson/", staff.employer_contact_add, name="employer_contact_add"),
    path("stellen/", staff.offer_list, name="offer_list"),
    path("stellen/<int:offer_id>/passende/", staff.offer_matches, name="offer_matches"),
    path("stellen/<int:offer_id>/vorschlagen/", staff.application_propose, name="application_propose"),
    path("bewerbende/", staff.candidate_list, name="candidate_list"),
    path("bewerbende/neu/", staff.candidate_create, name="candidate_create"),
    path("bewerbende/<int:profile_id>/", staff.candidate_detail, name="candidate_detail"),
    path("bewerbende/<int:profile_id>/bearbeiten/", staff.candidate_edit, name="candidate_edit"),
    path("bewerbende/<int:profile_id>/status/<slug:move>/", staff.candidate_status, name="candidate_status"),
    path("bewerbende/<int:profile_id>/abschluss/", staff.qualification_add, name="qualification_add"),
    path("vermittlungen/", staff.application_list, name="application_list"),
    path("vermittlungen/<int:application_id>/", staff.application_detail, name="application_detail"),
    path("vermittlungen/<int:application_id>/<slug:step>/", staff.application_step, name="application_step"),
    path("zahlen/", staff.figures_page, name="figures"),
    # The employer's portal.
    path("betrieb/", employer.portal, name="portal"),
    path("betrieb/profil/", employer.organisation_edit, name="organisation_edit"),
    path("betrieb/angebote/neu/", employer.offer_create, name="offer_create"),
    path("betrieb/angebote/<int:offer_id>/bearbeiten/", employer.offer_edit, name="offer_edit"),
    path("betrieb/angebote/<int:offer_id>/schliessen/", employer.offer_close, name="offer_close"),
    path("betrieb/bewerbungen/<int:application_id>/", employer.shared_profile, name="shared_profile"),
    path(
        "betrieb/bewerbungen/<int:application_id>/<slug:step>/",
        employer.shared_profile_step,
        name="shared_profile_step",
    ),
]
