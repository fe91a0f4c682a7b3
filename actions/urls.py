from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("mine/", views.my_actions, name="my_actions"),
    path("<int:pk>/review/", views.action_review, name="action_review"),
    path("rules/", views.rules_edit, name="rules_edit"),
]
