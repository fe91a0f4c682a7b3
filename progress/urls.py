from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import include, path
from django.utils.module_loading import import_string

from meetings import audit, log_views, nomination_views, school_settings
from meetings import views as meetings_views
from progress import signin, two_step, views
from pupils import group_views


def school_account(view: str):
    """The view at `view` (its dotted path), imported when first asked for where school accounts
    are set up: a school that signs in with passwords never loads the OpenID Connect libraries
    (`progress.school_accounts`), however often their addresses are tried."""

    @login_not_required
    def lazily(request, *args, **kwargs):
        if not settings.OIDC_RP_CLIENT_ID:
            raise Http404("Signing in with a school account is not set up.")
        return import_string(view).as_view()(request, *args, **kwargs)

    return lazily


urlpatterns = [
    path("", meetings_views.home, name="home"),
    path("meetings/", include("meetings.urls")),
    # The school's log filters actions by their meeting's focus, so the meetings app serves it.
    path("actions/", log_views.action_log, name="action_log"),
    path("actions/", include("actions.urls")),
    path("school/calendar/", views.calendar, name="calendar"),
    path("school/audit/", audit.audit_log, name="audit_log"),
    path("school/retention/", views.retention, name="retention"),
    # The settings show every app's defaults, so the meetings app serves them.
    path("school/settings/", school_settings.school_settings, name="school_settings"),
    path("school/calendar/add/", views.academic_year_create, name="academic_year_create"),
    path("school/calendar/<int:pk>/edit/", views.academic_year_edit, name="academic_year_edit"),
    path("school/classes/", group_views.group_list, name="group_list"),
    path("school/classes/<int:pk>/edit/", group_views.group_edit, name="group_edit"),
    # Everything held about a pupil comes from every app, so the meetings app serves it.
    path(
        "pupils/<int:pk>/subject-access/",
        meetings_views.pupil_subject_access,
        name="pupil_subject_access",
    ),
    # Putting a pupil forward for a meeting, from the pupil's page: the meetings app serves it.
    path(
        "pupils/<int:pk>/put-forward/",
        nomination_views.pupil_put_forward,
        name="pupil_put_forward",
    ),
    path("pupils/", include("pupils.urls")),
    path("accounts/two-step/", two_step.manage, name="two_step"),
    path("accounts/two-step/code/", two_step.code, name="two_step_code"),
    path("accounts/two-step/set-up/", two_step.set_up, name="two_step_set_up"),
    path("accounts/two-step/new-codes/", two_step.new_recovery_codes, name="two_step_new_codes"),
    path("accounts/two-step/off/", two_step.turn_off, name="two_step_off"),
    path("accounts/login/", signin.SignIn.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path(
        "accounts/school/",
        school_account("mozilla_django_oidc.views.OIDCAuthenticationRequestView"),
        name="oidc_authentication_init",
    ),
    path(
        "accounts/school/callback/",
        school_account("progress.school_accounts.SchoolAccountCallback"),
        name="oidc_authentication_callback",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
