"""The portfolio: what an assessor reads of a learner's evidence, pseudonymised, and
where they sign criteria off. Learners and their managers read the same pages."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from netlog.access import learners_for, role_required
from netlog.progress import job_status
from netlog.uploads import takes_uploads
from portfolio import services
from portfolio.evidence import portfolio
from portfolio.forms import ExportForm, SignOffForm
from portfolio.models import EXPORT_KEPT_DAYS, Export, ExportStatus
from portfolio.pack import VERIFY_MAX_BYTES, read_pdf, verify_zip
from privacy.models import Action
from privacy.services import audit_log
from reviews.models import Criterion, SignOff


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    learners = learners_for(request.user)
    if request.user.role == Role.RECRUITER:
        return redirect("portfolio:learner", pk=request.user.pk)
    return render(request, "portfolio/home.html", {"learners": learners})


@require_safe
def learner(request: HttpRequest, pk: int) -> HttpResponse:
    return _learner_page(request, pk)


def _learner_page(
    request: HttpRequest,
    pk: int,
    form: SignOffForm | None = None,
    failed_criterion: int = 0,
    export_form: ExportForm | None = None,
) -> HttpResponse:
    person = get_object_or_404(learners_for(request.user), pk=pk)
    audit_log(actor=request.user, action=Action.VIEWED, obj=person, detail="portfolio")
    return render(
        request,
        "portfolio/learner.html",
        {
            "learner": person,
            "outcomes": portfolio(person),
            "can_sign_off": request.user.role == Role.ASSESSOR,
            "form": form or SignOffForm(),
            "failed_criterion": failed_criterion,
            "export_form": export_form or ExportForm(),
            "exports": _exports_for(request).filter(learner=person).defer("data")[:5],
            "kept_days": EXPORT_KEPT_DAYS,
        },
        status=400 if form is not None or export_form is not None else 200,
    )


@require_POST
@role_required(Role.ASSESSOR, "Only an assessor signs criteria off.")
def sign_off(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    person = get_object_or_404(learners_for(request.user), pk=pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return _learner_page(request, pk, form=form, failed_criterion=criterion.pk)
    try:
        with transaction.atomic():
            SignOff.objects.create(
                learner=person,
                criterion=criterion,
                assessor=request.user,
                comment=form.cleaned_data["comment"],
            )
            audit_log(actor=request.user, action=Action.CHANGED, obj=person, detail="sign-off")
    except IntegrityError:
        messages.info(request, f"{criterion.code} was already signed off.")
    else:
        messages.success(request, f"{criterion.code} signed off.")
    return redirect("portfolio:learner", pk=pk)


@require_POST
def export_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(learners_for(request.user), pk=pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _learner_page(request, pk, export_form=form)
    export = services.export_request(learner=person, by=request.user, **form.cleaned_data)
    return redirect("portfolio:export_detail", pk=export.pk)


def _exports_for(request: HttpRequest):
    """Packs kept for their readers: the person who asked, the learner, or an
    assessor assigned to them."""
    readers = Q(requested_by=request.user) | Q(learner=request.user)
    readers |= Q(learner__assessed_by__assessor=request.user)
    return Export.objects.kept().filter(readers).distinct().select_related("learner")


def _export_for(request: HttpRequest, pk: int) -> Export:
    """One of `_exports_for`; anyone else, or a pack past its keeping time: 404."""
    return get_object_or_404(_exports_for(request).defer("data"), pk=pk)


@require_safe
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a pack; the page refreshes itself until it is ready."""
    export = _export_for(request, pk)
    return render(request, "portfolio/export.html", {"export": export})


@require_safe
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the pack page polls: the status and progress, nothing else."""
    export = _export_for(request, pk)
    return job_status(
        status=export.status,
        label=export.get_status_display(),
        progress=export.progress,
        finished=export.finished,
    )


def _pack_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The ZIP, or the PDF inside it, of a ready pack; each fetch is audited."""
    export = _export_for(request, pk)
    if export.status != ExportStatus.DONE:
        raise Http404("This pack is not ready.")
    data = bytes(Export.objects.values_list("data", flat=True).get(pk=export.pk))
    audit_log(
        actor=request.user,
        action=Action.EXPORTED,
        obj=export.learner,
        detail=f"pack {export.pk} {kind}",
    )
    made = timezone.localtime(export.created_at)  # as the page shows it (London time)
    name = f"netlog-portfolio-{export.learner_id}-{made:%Y%m%d-%H%M}.{kind}"
    if kind == "pdf":
        response = HttpResponse(read_pdf(data), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
    else:
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _pack_file(request, pk, "zip")


@require_safe
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pack_file(request, pk, "pdf")


@takes_uploads(lambda: VERIFY_MAX_BYTES)
def pack_verify(request: HttpRequest) -> HttpResponse:
    """Upload a pack to check it against its manifest."""
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("pack")
        if not upload:
            problems = ["choose a ZIP file to check"]
        elif upload.size > VERIFY_MAX_BYTES:  # refused unread
            problems = [f"not a netlog pack: larger than {VERIFY_MAX_BYTES // 2**20} MB"]
        else:
            problems = verify_zip(upload.read())
    return render(request, "portfolio/verify.html", {"problems": problems})
