"""The school's action log. It lives with the meetings because it filters actions by the focus of
the meeting that agreed them; the actions app knows nothing of meetings."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions import exports
from actions.models import Action
from meetings import effectiveness
from meetings.forms import ActionLogFilterForm
from progress.htmx import paged, render_page
from progress.models import AccessEvent

# Actions a page: the log is read a page at a time, however long it grows.
PAGE_SIZE = 50


@require_safe
def action_log(request: HttpRequest) -> HttpResponse:
    """Renders the school's action log with filters, a line manager's their pupils' part of
    it; `?format=csv` or `pdf` downloads it."""
    if not (request.user.is_leader or request.user.is_line_manager):
        raise PermissionDenied
    today = timezone.localdate()
    form = ActionLogFilterForm(request.GET or None, school=request.user.school)
    actions = Action.objects.for_user(request.user).select_related("pupil", "owner", "meeting")
    if form.is_valid():
        actions = form.filter(actions, today=today)
    # The actions behind a figure of "Are our meetings working?" (`?meeting=…&figure=…`).
    if figure := effectiveness.log_figure(request.GET, user=request.user, on=today):
        actions = actions.filter(pk__in=figure.action_ids)
    if (wanted := request.GET.get("format")) in ("csv", "pdf"):
        AccessEvent.record(request, AccessEvent.Kind.EXPORT, f"the action log as {wanted.upper()}")
        if wanted == "csv":
            return exports.csv_response(actions)
        return exports.pdf_response(request, actions, today=today)
    page, query = paged(request, actions, PAGE_SIZE)
    context = {"form": form, "page": page, "query": query, "today": today, "figure": figure}
    return render_page(request, "actions/action_log.html", context, partial="action-log")
