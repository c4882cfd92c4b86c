"""The portfolio: what an assessor reads of a learner's evidence, pseudonymised, and
where they sign criteria off. Learners and their managers read the same pages."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from netlog.access import learners_for, role_required
from portfolio import services
from portfolio.evidence import portfolio
from portfolio.forms import SignOffForm
from portfolio.models import Export, ExportStatus
from portfolio.pack import verify_zip
from privacy.models import Action
from privacy.services import audit_log
from reviews.models import Criterion, SignOff


def home(request: HttpRequest) -> HttpResponse:
    learners = learners_for(request.user)
    if request.user.role == Role.RECRUITER:
        return redirect("portfolio:learner", pk=request.user.pk)
    return render(request, "portfolio/home.html", {"learners": learners})


def learner(
    request: HttpRequest, pk: int, form: SignOffForm | None = None, failed_criterion: int = 0
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
        },
        status=400 if form is not None else 200,
    )


@require_POST
@role_required(Role.ASSESSOR, "Only an assessor signs criteria off.")
def sign_off(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    person = get_object_or_404(learners_for(request.user), pk=pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return learner(request, pk, form=form, failed_criterion=criterion.pk)
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
    export = services.export_request(learner=person, by=request.user)
    return redirect("portfolio:export_detail", pk=export.pk)


def _export_for(request: HttpRequest, pk: int) -> Export:
    """The person who asked, the learner, or an assessor assigned to them; and only
    while the pack is kept. Anyone else: 404."""
    readers = Q(requested_by=request.user) | Q(learner=request.user)
    readers |= Q(learner__assessed_by__assessor=request.user)
    exports = Export.objects.kept().filter(readers).distinct().select_related("learner")
    return get_object_or_404(exports.defer("data"), pk=pk)


def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a pack; the page refreshes itself until it is ready."""
    export = _export_for(request, pk)
    return render(request, "portfolio/export.html", {"export": export})


def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the pack page polls: the status and progress, nothing else."""
    export = _export_for(request, pk)
    return JsonResponse(
        {
            "status": export.status,
            "label": export.get_status_display(),
            "progress": export.progress,
        },
        headers={"Cache-Control": "no-store"},
    )


def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export_for(request, pk)
    if export.status != ExportStatus.DONE:
        raise Http404("This pack is not ready.")
    data = Export.objects.values_list("data", flat=True).get(pk=export.pk)
    audit_log(actor=request.user, action=Action.EXPORTED, obj=export.learner, detail="pack")
    response = HttpResponse(bytes(data), content_type="application/zip")
    made = timezone.localtime(export.created_at)  # as the page shows it (London time)
    name = f"netlog-portfolio-{export.learner_id}-{made:%Y%m%d-%H%M}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def pack_verify(request: HttpRequest) -> HttpResponse:
    """Upload a pack to check it against its manifest."""
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("pack")
        problems = verify_zip(upload.read()) if upload else ["choose a ZIP file to check"]
    return render(request, "portfolio/verify.html", {"problems": problems})
