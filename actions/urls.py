from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_log, name="action_log"),
    path("mine/", views.my_actions, name="my_actions"),
    path("check/", views.action_check, name="action_check"),
    path("<int:pk>/review/", views.action_review, name="action_review"),
]
