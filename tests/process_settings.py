"""Settings of the processes a fault test starts (gunicorn, a procrastinate worker, a drill).

The application's own settings, pointed at the test process's database (`ANKOMMEN_TEST_DATABASE`, JSON of the
connection settings) and, if `ANKOMMEN_TEST_MAIL_DIR` is set, writing mails as files there so that the test can
count them. The processes speak plain HTTP on 127.0.0.1.
"""

import json
import os

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, DATABASES

DATABASES["default"].update(json.loads(os.environ["ANKOMMEN_TEST_DATABASE"]))
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
if os.environ.get("ANKOMMEN_TEST_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["ANKOMMEN_TEST_MAIL_DIR"]
