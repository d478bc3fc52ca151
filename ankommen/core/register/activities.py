"""The processing activities (GDPR Art. 30(1)) and the retention rules of the platform.

Periods are configured in `settings.RETENTION` (environment variables `ANKOMMEN_RETENTION_…`, see the README);
the rules without a setting follow their parent record or are deleted by hand.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ankommen.core.register import Activity, RetentionRule

CASE_FILES = Activity(
    key="case_files",
    name=_("Case files of newcomers and their families"),
    purpose=_("advice and support of newly arrived people and their families by the municipal integration centre"),
    legal_basis=_(
        "GDPR Art. 6(1)(e) and Art. 9(2)(g) with §§ 67a–67c SGB X and the participation and integration law of "
        "North Rhine-Westphalia; for each further purpose the consent or legal basis recorded with the person"
    ),
    data_subjects=_("newcomers, children and their guardians"),
    recipients=_("staff of the centre; no one outside it"),
)
SCHOOL_PLACEMENT = Activity(
    key="school_placement",
    name=_("School counselling and placement of newly arrived children"),
    purpose=_("counselling of the family, assessment and placement of the child at a school"),
    legal_basis=_(
        "GDPR Art. 6(1)(e) with the school law of North Rhine-Westphalia (compulsory schooling); health notes "
        "GDPR Art. 9(2)(a) (the guardians' consent)"
    ),
    data_subjects=_("children of school age and their guardians"),
    recipients=_("staff and teachers of the centre; the proposed school receives name, grade and start date"),
)
VOLUNTEERING = Activity(
    key="volunteering",
    name=_("KOMM-AN volunteers and the support they give"),
    purpose=_("matching volunteers with people asking for support, shifts, hours and certificates of engagement"),
    legal_basis=_(
        "GDPR Art. 6(1)(a) (the volunteer's consent at sign-up; the supported person's consent for the request); "
        "the inspection of the extended police clearance certificate § 72a SGB VIII"
    ),
    data_subjects=_("volunteers; people supported by volunteers"),
    recipients=_("coordinators of the centre; the volunteer sees a family's contact only after accepting"),
)
EMPLOYMENT = Activity(
    key="employment",
    name=_("Training and work: candidate profiles and applications"),
    purpose=_("bringing migrants and employers together for vocational training and work"),
    legal_basis=_("GDPR Art. 6(1)(a) (the candidate's consent for training and work)"),
    data_subjects=_("candidates; contact persons of employers"),
    recipients=_("staff of the centre; an employer receives only the parts of a profile the candidate agreed to share"),
)
COURSES = Activity(
    key="courses",
    name=_("Courses for teachers and pedagogical staff"),
    purpose=_("registration, waiting list, attendance and certificates of the centres' courses"),
    legal_basis=_("GDPR Art. 6(1)(b) (the registration) and Art. 6(1)(e)"),
    data_subjects=_("participants of courses"),
    recipients=_("staff of the organising centre"),
)
NETWORK = Activity(
    key="network",
    name=_("Network of local actors and referrals"),
    purpose=_("cooperation with local organisations, network meetings and referrals of persons to their services"),
    legal_basis=_("GDPR Art. 6(1)(e); a referral of a person GDPR Art. 6(1)(a) (the person's consent)"),
    data_subjects=_("contact persons of organisations, participants of meetings, referred persons"),
    recipients=_("staff of the centre; the organisation receives the referral"),
)
GRANTS = Activity(
    key="grants",
    name=_("Programme funds and grants to organisations"),
    purpose=_("applications, decisions, payments and proof of use of grants"),
    legal_basis=_("GDPR Art. 6(1)(c) and (e) with the state budget code (LHO NRW §§ 23, 44)"),
    data_subjects=_("contact persons of applying organisations"),
    recipients=_("staff of the centre; the state's auditors"),
)
STAFFING = Activity(
    key="staffing",
    name=_("Staff posts of the centres"),
    purpose=_("proof of the posts funded by the state and the districts"),
    legal_basis=_("GDPR Art. 6(1)(c) and Art. 88 with § 18 DSG NRW (employment)"),
    data_subjects=_("employees of the centres"),
    recipients=_("the centre lead; state users see numbers only"),
)
ACCOUNTS = Activity(
    key="accounts",
    name=_("User accounts, login and security"),
    purpose=_("access to the platform, second factor, sessions, protection against misuse"),
    legal_basis=_("GDPR Art. 6(1)(e) and Art. 32"),
    data_subjects=_("users of every role"),
    recipients=_("the operators of the platform"),
)
ACCOUNTABILITY = Activity(
    key="accountability",
    name=_("Access log and history of changes"),
    purpose=_("proof of who read or changed personal data, and when (accountability, security)"),
    legal_basis=_("GDPR Art. 5(2), Art. 6(1)(c) and Art. 32"),
    data_subjects=_("users; the persons whose records were read or changed (by key only)"),
    recipients=_("the centre lead; the data protection officer"),
)
REPORTING = Activity(
    key="reporting",
    name=_("Figures, reports and the research extract"),
    purpose=_("indicators for the centres and the state, annual reports, scientific evaluation"),
    legal_basis=_("GDPR Art. 6(1)(e) and Art. 89 (aggregates with small numbers suppressed, pseudonymised centres)"),
    data_subjects=_("users who request reports (no person is in a report)"),
    recipients=_("the centre, the state ministry, the evaluation team"),
)
ACTIVITIES = (
    CASE_FILES,
    SCHOOL_PLACEMENT,
    VOLUNTEERING,
    EMPLOYMENT,
    COURSES,
    NETWORK,
    GRANTS,
    STAFFING,
    ACCOUNTS,
    ACCOUNTABILITY,
    REPORTING,
)

PERSON = RetentionRule(
    "person",
    _("years after the person's last change and the deletion of their last case (as a guardian: of their wards')"),
    setting="person_years",
)
INTAKE = RetentionRule("intake", _("years after the school case was closed"), setting="intake_years")
PREREGISTRATION = RetentionRule(
    "preregistration", _("years after staff accepted or rejected the pre-registration"), setting="preregistration_years"
)
SUPPORT_REQUEST = RetentionRule(
    "support_request", _("years after the support request was closed"), setting="support_request_years"
)
VOLUNTEER = RetentionRule(
    "volunteer", _("years after the volunteer left (inactive or consent withdrawn)"), setting="volunteer_years"
)
CANDIDATE = RetentionRule("candidate", _("years after the candidate profile was closed"), setting="candidate_years")
REFERRAL = RetentionRule("referral", _("years after the referral (or its outcome)"), setting="referral_years")
COURSE_REGISTRATION = RetentionRule(
    "course_registration", _("years after the course's last session"), setting="course_registration_years"
)
ACCESS_LOG = RetentionRule("access_log", _("years after the read"), setting="access_log_years")
PREPARED_FILE = RetentionRule(
    "prepared_file", _("days after the file was prepared"), setting="prepared_file_days", unit="days"
)
WITH_PARENT = RetentionRule("with_parent", _("deleted with the record it belongs to"))
REQUEST_KEY = RetentionRule(
    "request_key", _("a day after the request (an hourly job deletes the keys of create requests)")
)
ACCOUNT = RetentionRule(
    "account", _("as long as the account exists; a volunteer's account is anonymised with the volunteer")
)
WHILE_LISTED = RetentionRule(
    "while_listed", _("as long as the organisation, employer or post is kept; deleted by the centre")
)
GRANT_FILES = RetentionRule(
    "grant_files", _("10 years after the proof of use (LHO NRW), then deleted by the centre with the grant")
)
RETENTION_RULES = (
    REQUEST_KEY,
    PERSON,
    INTAKE,
    PREREGISTRATION,
    SUPPORT_REQUEST,
    VOLUNTEER,
    CANDIDATE,
    REFERRAL,
    COURSE_REGISTRATION,
    ACCESS_LOG,
    PREPARED_FILE,
    WITH_PARENT,
    ACCOUNT,
    WHILE_LISTED,
    GRANT_FILES,
)
