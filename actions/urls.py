from django.urls import path
from django.views.generic import RedirectView

from actions import intervention_views, views

app_name = "actions"

urlpatterns = [
    path("mine/", views.my_actions, name="my_actions"),
    path("interventions/", intervention_views.intervention_impact, name="intervention_impact"),
    path("<int:pk>/review/", views.action_review, name="action_review"),
    path("<int:pk>/start/", views.action_start, name="action_start"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    # The rules for actions are on the school's settings screen now: old links still reach it.
    path("rules/", RedirectView.as_view(pattern_name="school_settings"), name="rules_edit"),
]
