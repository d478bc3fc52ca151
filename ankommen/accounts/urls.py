from django.urls import path

from ankommen.accounts.views import login, passwords, profile, second_factor, sessions, tokens

app_name = "accounts"
urlpatterns = [
    path("", profile.profile, name="profile"),
    path("anmelden/", login.login_view, name="login"),
    path("abmelden/", login.logout_view, name="logout"),
    path("zwei-faktor/einrichten/", second_factor.second_factor_setup, name="second_factor_setup"),
    path("zwei-faktor/pruefen/", second_factor.second_factor_verify_view, name="second_factor_verify"),
    path(
        "zwei-faktor/wiederherstellungscodes/",
        second_factor.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("sitzungen/", sessions.session_list, name="sessions"),
    path("sitzungen/<int:session_id>/beenden/", sessions.session_end, name="session_end"),
    path("sitzungen/andere-beenden/", sessions.sessions_end_others, name="sessions_end_others"),
    path("rolle/", profile.membership_switch, name="membership_switch"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/widerrufen/", tokens.token_revoke, name="token_revoke"),
    path("passwort/", passwords.password_change, name="password_change"),
    path("passwort/vergessen/", passwords.password_reset, name="password_reset"),
    path("passwort/vergessen/gesendet/", passwords.password_reset_done, name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", passwords.password_reset_confirm, name="password_reset_confirm"),
    path("passwort/neu/fertig/", passwords.password_reset_complete, name="password_reset_complete"),
]
