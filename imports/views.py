"""Importing contacts: upload, (map the columns of another CSV,) watch the file being
read, look through the preview and choose what to do with duplicates, then import.
Only the recruiter who uploaded a file ever sees it or its preview."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from consent.deadlines import add_months
from imports import services
from imports.forms import MappingForm, UploadForm
from imports.models import Batch, PreviewRow, RowAction, Status
from imports.parsers import ImportFileError, headers, open_text
from netlog.access import recruiter_required
from netlog.pagination import page_for, query_without_cursor
from netlog.progress import get_progress, job_status
from netlog.uploads import takes_uploads

# The preview's tabs: (label, the rows it shows, the count in services.counts()).
SHOWN = {
    "all": ("All rows", Q(), "rows"),
    "new": (
        "New",
        Q(action=RowAction.CREATE) | Q(action=RowAction.MERGE, match__isnull=True),
        "to_create",
    ),
    "duplicates": ("Duplicates", Q(match__isnull=False), "duplicates"),
    "skipped": ("Skipped", Q(action=RowAction.SKIP), "to_skip"),
}


def _batch(request: HttpRequest, pk: int) -> Batch:
    return get_object_or_404(Batch.objects.defer("data"), pk=pk, owner=request.user)


@recruiter_required
@takes_uploads(lambda: settings.IMPORT_MAX_MB * 2**20)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            batch = services.upload(
                owner=request.user,
                source=form.cleaned_data["source"],
                kind=form.cleaned_data["kind"],
                channel=form.cleaned_data["channel"],
                file_name=file.name,
                data=file.read(),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:detail", pk=batch.pk)
    recent = Batch.objects.filter(owner=request.user).defer("data")[:10]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "recent": recent, "max_mb": settings.IMPORT_MAX_MB},
        status=400 if form.errors else 200,
    )


@require_safe
@recruiter_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whatever the import is at: reading, its preview, or what it did."""
    batch = _batch(request, pk)
    if batch.status == Status.MAPPING:
        return redirect("imports:columns", pk=batch.pk)
    if batch.working:
        return render(
            request,
            "imports/progress.html",
            {"batch": batch, "progress": get_progress("import", batch.pk, batch.progress)},
        )
    if batch.status == Status.READY:
        return _preview(request, batch)
    notices_due = None
    if batch.status == Status.DONE and batch.created:
        # Every new contact came from elsewhere: a notice is due within a month (Art. 14).
        notices_due = add_months(timezone.localtime(batch.finished_at).date(), 1)
    return render(request, "imports/result.html", {"batch": batch, "notices_due": notices_due})


def _preview(request: HttpRequest, batch: Batch) -> HttpResponse:
    shown = request.GET.get("show", "all")
    if shown not in SHOWN:
        shown = "all"
    rows = PreviewRow.objects.filter(SHOWN[shown][1], batch=batch).select_related("match")
    now = services.counts(batch)
    page = page_for(request, rows, ["line", "id"])
    return render(
        request,
        "imports/preview.html",
        {
            "batch": batch,
            "counts": now,
            "page": page,
            "shown": shown,
            "tabs": [(key, label, now[count]) for key, (label, _, count) in SHOWN.items()],
            "query": query_without_cursor(request),
        },
    )


@require_safe
@recruiter_required
def status(request: HttpRequest, pk: int) -> JsonResponse:
    batch = _batch(request, pk)
    progress = get_progress("import", batch.pk, batch.progress) if batch.working else 100
    return job_status(
        status=batch.status,
        label=batch.get_status_display(),
        progress=progress,
        finished=not batch.working,
    )


@recruiter_required
def columns(request: HttpRequest, pk: int) -> HttpResponse:
    """Another CSV: say which column holds what."""
    batch = _batch(request, pk)
    if batch.status != Status.MAPPING:
        return redirect("imports:detail", pk=batch.pk)
    data = Batch.objects.values_list("data", flat=True).get(pk=batch.pk)
    names = headers(open_text(bytes(data)))
    form = MappingForm(request.POST or None, columns=names, initial=batch.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.map_columns(batch=batch, mapping=form.cleaned_data["mapping"])
        except ImportFileError as error:
            form.add_error(None, str(error))
        else:
            return redirect("imports:detail", pk=batch.pk)
    return render(
        request,
        "imports/columns.html",
        {"batch": batch, "form": form, "columns": names},
        status=400 if form.errors else 200,
    )


def _back(request: HttpRequest, batch: Batch) -> HttpResponse:
    """To the preview page the person was on."""
    url = redirect("imports:detail", pk=batch.pk).url
    show = request.POST.get("show")
    return redirect(f"{url}?show={show}" if show in SHOWN else url)


@require_POST
@recruiter_required
def choose(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    row = get_object_or_404(PreviewRow, pk=row_pk, batch=batch)
    action = request.POST.get("action")
    if action not in {RowAction.MERGE, RowAction.SKIP}:
        messages.error(request, "Choose merge or skip.")
        return _back(request, batch)
    try:
        services.choose(batch=batch, row=row, action=action)
    except ValueError as error:
        messages.error(request, str(error))
    return _back(request, batch)


@require_POST
@recruiter_required
def choose_all(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    action = request.POST.get("action")
    if action not in {RowAction.MERGE, RowAction.SKIP}:
        messages.error(request, "Choose merge or skip.")
        return _back(request, batch)
    try:
        services.choose_all(batch=batch, action=action)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        verb = "merged into the contacts you have" if action == RowAction.MERGE else "skipped"
        messages.success(request, f"Every duplicate will be {verb}.")
    return _back(request, batch)


@require_POST
@recruiter_required
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if not services.commit_request(batch=batch):
        messages.error(request, "This import is not waiting to be confirmed.")
    return redirect("imports:detail", pk=batch.pk)


@require_POST
@recruiter_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if services.cancel(batch=batch):
        messages.info(request, "Import cancelled; nothing was imported and the file is deleted.")
    else:
        messages.error(request, "This import can no longer be cancelled.")
    return redirect("imports:upload")
