from django.urls import path

from meetings import effectiveness_views, live_views, nomination_views, rhythm_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("year/", rhythm_views.year_view, name="year_view"),
    path("working/", effectiveness_views.meetings_working, name="meetings_working"),
    path("working/repeated/", effectiveness_views.repeated_concerns, name="repeated_concerns"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("<int:pk>/shortlist/", views.meeting_shortlist, name="meeting_shortlist"),
    path(
        "<int:pk>/shortlist/add/",
        nomination_views.meeting_shortlist_add,
        name="meeting_shortlist_add",
    ),
    path("<int:pk>/put-forward/", nomination_views.meeting_put_forward, name="meeting_put_forward"),
    path(
        "nominations/<int:pk>/withdraw/",
        nomination_views.nomination_withdraw,
        name="nomination_withdraw",
    ),
    path("<int:pk>/send/", views.meeting_send, name="meeting_send"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/remind/", views.meeting_remind, name="meeting_remind"),
    path("<int:pk>/pack.pdf", views.meeting_pack, name="meeting_pack"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("<int:pk>/live/", live_views.meeting_live, name="meeting_live"),
    path("<int:pk>/live/state/", live_views.meeting_live_state, name="meeting_live_state"),
    path("<int:pk>/start/", live_views.meeting_start, name="meeting_start"),
    path("<int:pk>/move/", live_views.meeting_move, name="meeting_move"),
    path("<int:pk>/close/", live_views.meeting_close, name="meeting_close"),
    path("<int:pk>/defer/<int:action_pk>/", live_views.meeting_defer, name="meeting_defer"),
    path(
        "<int:pk>/review/<int:action_pk>/",
        live_views.meeting_action_review,
        name="meeting_action_review",
    ),
    path("<int:pk>/actions/check/", live_views.meeting_action_check, name="meeting_action_check"),
    path("<int:pk>/actions/new/", live_views.meeting_action_create, name="meeting_action_create"),
    path("<int:pk>/park/<int:item_pk>/", live_views.meeting_park, name="meeting_park"),
    path(
        "<int:pk>/actions/<int:action_pk>/edit/",
        live_views.meeting_action_edit,
        name="meeting_action_edit",
    ),
    path(
        "<int:pk>/actions/<int:action_pk>/delete/",
        live_views.meeting_action_delete,
        name="meeting_action_delete",
    ),
    path(
        "<int:pk>/findings/new/",
        live_views.meeting_finding_create,
        name="meeting_finding_create",
    ),
    path("summaries/<int:pk>/", views.summary_edit, name="summary_edit"),
]
