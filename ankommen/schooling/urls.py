from django.urls import path

from ankommen.schooling.views import intakes, reports, seats

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
]
