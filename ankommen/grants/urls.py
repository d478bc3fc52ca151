from django.urls import path

from ankommen.grants.views import centre, partner, state

app_name = "grants"
urlpatterns = [
    # The centre: applications, decisions, payments, proofs of use, budget.
    path("", centre.grant_list, name="grant_list"),
    path("antraege/neu/", centre.grant_create, name="grant_create"),
    path("antraege/<int:grant_id>/", centre.grant_detail, name="grant_detail"),
    path("antraege/<int:grant_id>/entscheidung/", centre.grant_decide, name="grant_decide"),
    path("antraege/<int:grant_id>/bescheid.pdf", centre.grant_letter, name="grant_letter"),
    path("antraege/<int:grant_id>/zahlung/", centre.payment_create, name="payment_create"),
    path("antraege/<int:grant_id>/nachweis/", centre.proof_check, name="proof_check"),
    path("antraege/<int:grant_id>/nachweis/anlage", centre.proof_attachment, name="proof_attachment"),
    path("haushalt/", centre.centre_budget, name="centre_budget"),
    path("haushalt/export.<str:file_format>", centre.centre_budget_export, name="centre_budget_export"),
    # The state: programmes, budgets, allocations, all centres' figures.
    path("land/", state.state_budget, name="state_budget"),
    path("land/export.<str:file_format>", state.state_budget_export, name="state_budget_export"),
    path("land/programme/", state.programme_list, name="programme_list"),
    path("land/programme/<int:programme_id>/", state.programme_detail, name="programme_detail"),
    path("land/programme/<int:programme_id>/haushalt/", state.budget_edit, name="budget_edit"),
    path("land/programme/<int:programme_id>/zuweisung/", state.allocation_edit, name="allocation_edit"),
    # The partner organisation's own applications.
    path("partner/", partner.application_list, name="partner_application_list"),
    path("partner/neu/", partner.apply, name="partner_apply"),
    path("partner/<int:grant_id>/", partner.application_detail, name="partner_application_detail"),
    path("partner/<int:grant_id>/bescheid.pdf", partner.letter, name="partner_letter"),
    path("partner/<int:grant_id>/nachweis/", partner.proof_submit, name="partner_proof"),
    path("partner/<int:grant_id>/nachweis/anlage", partner.proof_attachment, name="partner_proof_attachment"),
]
