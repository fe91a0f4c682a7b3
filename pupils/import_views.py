from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from progress.htmx import render_page
from pupils.forms import MappingForm, UploadForm
from pupils.importing import importer_for, read_batch, run_batch
from pupils.models import ImportBatch

PROBLEMS_SHOWN = 100


def _require_data_manager(user) -> None:
    if not user.manages_school_data:
        raise PermissionDenied


def import_upload(request: HttpRequest) -> HttpResponse:
    """Renders the upload form and the school's import log; an upload goes to its preview."""
    _require_data_manager(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = ImportBatch.objects.create(
            school=request.user.school,
            uploaded_by=request.user,
            kind=form.cleaned_data["kind"],
            filename=form.cleaned_data["file"].name,
            content=form.content,
        )
        return redirect("pupils:import_preview", pk=batch.pk)
    batches = ImportBatch.objects.for_user(request.user).select_related("uploaded_by")[:20]
    return render(
        request,
        "pupils/import_upload.html",
        {"form": form, "batches": batches},
        status=422 if form.is_bound else 200,
    )


def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Renders the column mapping and what the import would do, row problems first."""
    batch = _pending_batch(request, pk)
    table = read_batch(batch)  # read once for the whole request
    form, importer, outcome = _check(request, batch, table)
    return _render_preview(request, batch, table, form, importer, outcome)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Imports the file with its confirmed mapping: every row, or none."""
    batch = _pending_batch(request, pk)
    table = read_batch(batch)
    importer, outcome = run_batch(
        batch, table, mapping=batch.mapping, today=timezone.localdate(), dry_run=False
    )
    if outcome.ok:
        done = f"Imported {batch.filename}: {outcome.summary()}."
        messages.success(request, " ".join([done, *outcome.notes]))
        return redirect("pupils:import_upload")
    initial = batch.mapping or importer.default_mapping(table.headers)
    form = MappingForm(importer=importer, headers=table.headers, initial=initial)
    return _render_preview(request, batch, table, form, importer, outcome, status=422)


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discards an upload without importing it, and forgets the file."""
    batch = _pending_batch(request, pk)
    batch.close(ImportBatch.Status.DISCARDED, summary="Discarded without importing")
    messages.info(request, f"Discarded {batch.filename}: nothing was imported.")
    return redirect("pupils:import_upload")


def _pending_batch(request: HttpRequest, pk: int) -> ImportBatch:
    _require_data_manager(request.user)
    batches = ImportBatch.objects.for_user(request.user).filter(status=ImportBatch.Status.PENDING)
    return get_object_or_404(batches, pk=pk)


def _check(request: HttpRequest, batch: ImportBatch, table):
    """The mapping form, the importer and a dry run with the mapping as it now stands."""
    importer = importer_for(batch.kind, table, school=batch.school, today=timezone.localdate())
    initial = batch.mapping or importer.default_mapping(table.headers)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        importer=importer,
        headers=table.headers,
        initial=initial,
    )
    if request.method == "POST":
        if not form.is_valid():
            return form, importer, None
        batch.mapping = form.mapping()
        batch.save(update_fields=["mapping"])
    _, outcome = run_batch(
        batch, table, mapping=batch.mapping, today=timezone.localdate(), dry_run=True
    )
    return form, importer, outcome


def _render_preview(request, batch, table, form, importer, outcome, *, status=None):
    mapping = batch.mapping or importer.default_mapping(table.headers)
    columns = [column for column in importer.columns if mapping.get(column.name) is not None]
    # Each cell with its column, which names it on a phone, where the rows are cards.
    sample = [[(column, row[mapping[column.name]]) for column in columns] for row in table.rows[:5]]
    context = {
        "batch": batch,
        "form": form,
        "importer": importer,
        "outcome": outcome,
        "rows": len(table.rows),
        "columns": columns,
        "sample": sample,
        "problems": outcome.problems[:PROBLEMS_SHOWN] if outcome else [],
        "more_problems": max(0, len(outcome.problems) - PROBLEMS_SHOWN) if outcome else 0,
    }
    if status is None:
        status = 200 if outcome and outcome.ok else 422 if request.method == "POST" else 200
    return render_page(
        request, "pupils/import_preview.html", context, partial="import-preview", status=status
    )
