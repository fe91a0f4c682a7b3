from django.contrib import admin
from django.urls import include, path

from meetings import audit, log_views
from meetings import views as meetings_views
from progress import views

urlpatterns = [
    path("", meetings_views.home, name="home"),
    path("meetings/", include("meetings.urls")),
    # The school's log filters actions by their meeting's focus, so the meetings app serves it.
    path("actions/", log_views.action_log, name="action_log"),
    path("actions/", include("actions.urls")),
    path("school/calendar/", views.calendar, name="calendar"),
    path("school/audit/", audit.audit_log, name="audit_log"),
    path("school/calendar/add/", views.academic_year_create, name="academic_year_create"),
    path("school/calendar/<int:pk>/edit/", views.academic_year_edit, name="academic_year_edit"),
    # Everything held about a pupil comes from every app, so the meetings app serves it.
    path(
        "pupils/<int:pk>/subject-access/",
        meetings_views.pupil_subject_access,
        name="pupil_subject_access",
    ),
    path("pupils/", include("pupils.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
