from django.urls import path

from ankommen.volunteering.views import partner, portal, public, shift_views, staff

app_name = "volunteering"
urlpatterns = [
    # Public sign-up in seven languages.
    path("mitmachen/", public.signup, name="signup"),
    path("mitmachen/danke/", public.signup_thanks, name="signup_thanks"),
    path("mitmachen/bestaetigen/<str:token>/", public.signup_confirm, name="signup_confirm"),
    # The volunteer's own portal.
    path("mein-engagement/", portal.portal, name="portal"),
    path("mein-engagement/anfragen/<int:assignment_id>/antwort/", portal.assignment_respond, name="assignment_respond"),
    path("mein-engagement/stunden/", portal.hours_log, name="hours_log"),
    path("mein-engagement/profil/", portal.profile_edit, name="profile_edit"),
    path("mein-engagement/einwilligung-widerrufen/", portal.consent_withdraw, name="consent_withdraw"),
    path("mein-engagement/schichten/", shift_views.shift_board, name="shift_board"),
    path("mein-engagement/schichten/<int:shift_id>/anmelden/", shift_views.shift_sign_up, name="shift_sign_up"),
    path("mein-engagement/schichten/absagen/<int:signup_id>/", shift_views.shift_cancel, name="shift_cancel"),
    path("mein-engagement/schichten/stunden/<int:signup_id>/", shift_views.shift_hours_log, name="shift_hours_log"),
    path("kalender/<str:token>.ics", shift_views.calendar_feed, name="calendar_feed"),
    # Partner organisations of the network directory.
    path("partner/anfragen/", partner.partner_request_list, name="partner_request_list"),
    path("partner/anfragen/neu/", partner.partner_request_create, name="partner_request_create"),
    # Coordinators of the centre.
    path("schichten/", shift_views.shift_plan, name="shift_plan"),
    path("schichten/<int:shift_id>/", shift_views.shift_edit, name="shift_edit"),
    path("schichten/<int:shift_id>/loeschen/", shift_views.shift_delete, name="shift_delete"),
    path("schichten/<int:shift_id>/stunden/", shift_views.shift_hours, name="shift_hours"),
    path("ehrenamtliche/", staff.volunteer_list, name="volunteer_list"),
    path("ehrenamtliche/<int:volunteer_id>/", staff.volunteer_detail, name="volunteer_detail"),
    path("ehrenamtliche/<int:volunteer_id>/bearbeiten/", staff.volunteer_edit, name="volunteer_edit"),
    path("ehrenamtliche/<int:volunteer_id>/pruefen/", staff.volunteer_verify, name="volunteer_verify"),
    path("ehrenamtliche/<int:volunteer_id>/fuehrungszeugnis/", staff.clearance_record, name="clearance_record"),
    path("ehrenamtliche/<int:volunteer_id>/nachweis.pdf", staff.engagement_certificate, name="engagement_certificate"),
    path("anfragen/", staff.request_list, name="request_list"),
    path("anfragen/neu/", staff.request_create, name="request_create"),
    path("anfragen/<int:request_id>/", staff.request_detail, name="request_detail"),
    path("anfragen/<int:request_id>/vorschlagen/", staff.request_propose, name="request_propose"),
    path("anfragen/<int:request_id>/schliessen/", staff.request_close, name="request_close"),
    path("vermittlung/", staff.batch, name="batch"),
    path("vermittlung/<int:run_id>/", staff.batch_run_detail, name="batch_run_detail"),
    path("vermittlung/<int:run_id>/status/", staff.batch_run_progress, name="batch_run_progress"),
    path("vermittlung/<int:run_id>/anwenden/", staff.batch_run_apply, name="batch_run_apply"),
    path("stunden/", staff.hours_list, name="hours_list"),
    path("stunden/<int:entry_id>/", staff.hours_decide, name="hours_decide"),
]
