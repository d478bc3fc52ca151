from django.urls import path

from ankommen.staffing.views import posts, state

app_name = "staffing"
urlpatterns = [
    # The centre's own posts.
    path("", posts.post_list, name="post_list"),
    path("neu/", posts.post_create, name="post_create"),
    path("<int:post_id>/bearbeiten/", posts.post_edit, name="post_edit"),
    path("<int:post_id>/beenden/", posts.post_end, name="post_end"),
    path("export/<str:fmt>/", posts.post_export, name="post_export"),
    # The state's view.
    path("land/", state.state_table, name="state_table"),
    path("land/export/<str:fmt>/", state.state_export, name="state_export"),
    path("land/<slug:slug>/", state.state_centre, name="state_centre"),
    path("regeln/", state.rule_list, name="rule_list"),
    path("regeln/neu/", state.rule_create, name="rule_create"),
    path("regeln/<int:rule_id>/bearbeiten/", state.rule_edit, name="rule_edit"),
]
