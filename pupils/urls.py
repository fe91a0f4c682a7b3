from django.urls import path

from pupils import import_views, pattern_views, views

app_name = "pupils"

urlpatterns = [
    path("", views.pupil_list, name="pupil_list"),
    path("<int:pk>/", views.pupil_detail, name="pupil_detail"),
    path("patterns/", pattern_views.school_patterns, name="school_patterns"),
    path("patterns/pupils/", pattern_views.pattern_pupils, name="pattern_pupils"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
