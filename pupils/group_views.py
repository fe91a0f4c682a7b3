from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_text_list
from django.views.decorators.http import require_safe

from progress.models import StaleEdit, User
from pupils.forms import GroupTeachersForm
from pupils.models import Group


@require_safe
def group_list(request: HttpRequest) -> HttpResponse:
    """Renders the school's classes and sets: year, subject, pupils on roll and teachers."""
    if not (request.user.is_leader or request.user.manages_school_data):
        raise PermissionDenied
    groups = (
        Group.objects.for_user(request.user)
        .annotate(on_roll=Count("pupils", filter=Q(pupils__date_left__isnull=True)))
        .prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("display_name")))
        .order_by(F("year_group").asc(nulls_last=True), "name")
    )
    return render(request, "pupils/group_list.html", {"groups": groups})


def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders and saves who teaches one class or set, ticked among the school's staff."""
    groups = Group.objects.for_user(request.user).prefetch_related("teachers")
    group = get_object_or_404(groups, pk=pk)
    if not request.user.manages_school_data:
        raise PermissionDenied
    form = GroupTeachersForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        teachers = form.cleaned_data["teachers"]
        try:
            group.set_teachers(teachers, were=form.cleaned_data["were"])
        except StaleEdit:
            form.add_error(None, STALE_TEACHERS)
        else:
            who = get_text_list([str(teacher) for teacher in teachers], "and") or "nobody"
            messages.success(request, f"Saved: {group} is taught by {who}.")
            return redirect("group_list")
    left = [teacher for teacher in group.teachers.all() if not teacher.is_active]
    context = {"group": group, "form": form, "left": left}
    return render(request, "pupils/group_edit.html", context, status=422 if form.errors else 200)


STALE_TEACHERS = (
    "Someone else changed this class's teachers while you were choosing. Nothing was saved: "
    "open the page again to see theirs, then make your change."
)
