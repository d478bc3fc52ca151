from django.urls import path

from ankommen.network.views import cooperation, organisations, partner, public, referrals

app_name = "network"
urlpatterns = [
    # Public: the service finder for families.
    path("angebote/", public.finder, name="finder"),
    path("angebote/<int:organisation_id>/", public.organisation_public, name="organisation_public"),
    # The centre's network.
    path("organisationen/", organisations.organisation_list, name="organisation_list"),
    path("organisationen/neu/", organisations.organisation_create, name="organisation_create"),
    path("organisationen/<int:organisation_id>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisationen/<int:organisation_id>/bearbeiten/", organisations.organisation_edit, name="organisation_edit"),
    path("organisationen/<int:organisation_id>/angebote/neu/", organisations.service_create, name="service_create"),
    path("organisationen/<int:organisation_id>/kontakte/neu/", organisations.contact_create, name="contact_create"),
    path("organisationen/<int:organisation_id>/partnerportal/einladen/", partner.partner_invite, name="partner_invite"),
    path(
        "organisationen/<int:organisation_id>/partnerportal/<int:contact_id>/beenden/",
        partner.partner_deactivate,
        name="partner_deactivate",
    ),
    path("kooperationen/", cooperation.cooperation_list, name="cooperation_list"),
    path("netzwerkbild/", cooperation.network_view, name="network_view"),
    path("treffen/", cooperation.meeting_list, name="meeting_list"),
    path("treffen/<int:meeting_id>/", cooperation.meeting_detail, name="meeting_detail"),
    path("treffen/<int:meeting_id>/protokoll/", cooperation.meeting_edit, name="meeting_edit"),
    path("treffen/<int:meeting_id>/protokoll.pdf", cooperation.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("treffen/<int:meeting_id>/teilnehmende/", cooperation.meeting_person_add, name="meeting_person_add"),
    path(
        "treffen/teilnehmende/<int:person_id>/entfernen/",
        cooperation.meeting_person_remove,
        name="meeting_person_remove",
    ),
    path("aufgaben/<int:task_id>/erledigt/", cooperation.task_done, name="task_done"),
    # The partner portal: an organisation keeps its own entry up to date.
    path("partner/", partner.partner_home, name="partner_home"),
    path("partner/eintrag/", partner.partner_entry_edit, name="partner_entry_edit"),
    path("partner/angebote/neu/", partner.partner_service_create, name="partner_service_create"),
    path("partner/angebote/<int:service_id>/", partner.partner_service_edit, name="partner_service_edit"),
    path("partner/angebote/<int:service_id>/entfernen/", partner.partner_service_remove, name="partner_service_remove"),
    path("vermittlungen/", referrals.referral_list, name="referral_list"),
    path("vermittlungen/neu/<uuid:person_id>/", referrals.referral_create, name="referral_create"),
    path("vermittlungen/<int:referral_id>/ergebnis/", referrals.referral_outcome, name="referral_outcome"),
]
