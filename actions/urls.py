from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("mine/", views.my_actions, name="my_actions"),
    path("<int:pk>/review/", views.action_review, name="action_review"),
    path("<int:pk>/start/", views.action_start, name="action_start"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("rules/", views.rules_edit, name="rules_edit"),
]
