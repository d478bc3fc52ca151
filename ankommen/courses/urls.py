from django.urls import path

from ankommen.courses.views import manage, public

app_name = "courses"
urlpatterns = [
    # Public: the catalogue, registration, and the participant's page behind the secret link in the mail.
    path("", public.catalogue, name="catalogue"),
    path("<int:course_id>/", public.course_public, name="course_public"),
    path("<int:course_id>/angemeldet/", public.registered, name="registered"),
    # The mailed link only puts the secret's digest into the session and redirects: the pages after it carry no secret.
    path("teilnahme/", public.participation, name="participation"),
    path("teilnahme/abmelden/", public.participation_cancel, name="participation_cancel"),
    path("teilnahme/bescheinigung.pdf", public.certificate, name="certificate"),
    path("teilnahme/rueckmeldung/", public.feedback, name="feedback"),
    path("teilnahme/<str:token>/", public.participation_link, name="participation_link"),
    # The organising centre.
    path("verwaltung/", manage.course_list, name="course_list"),
    path("verwaltung/neu/", manage.course_create, name="course_create"),
    path("verwaltung/<int:course_id>/", manage.course_detail, name="course_detail"),
    path("verwaltung/<int:course_id>/bearbeiten/", manage.course_edit, name="course_edit"),
    path("verwaltung/<int:course_id>/loeschen/", manage.course_delete, name="course_delete"),
    path("verwaltung/<int:course_id>/termine/neu/", manage.session_create, name="session_create"),
    path("verwaltung/<int:course_id>/anwesenheitsliste.pdf", manage.attendance_list, name="attendance_list"),
    path("verwaltung/<int:course_id>/rueckmeldungen/", manage.feedback_results, name="feedback_results"),
    path("verwaltung/termine/<int:session_id>/entfernen/", manage.session_remove, name="session_remove"),
    path("verwaltung/termine/<int:session_id>/anwesenheit/", manage.attendance_check, name="attendance_check"),
    path(
        "verwaltung/anmeldungen/<int:registration_id>/abmelden/",
        manage.registration_cancel,
        name="registration_cancel",
    ),
]
