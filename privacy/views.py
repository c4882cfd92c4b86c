"""The DPO's workspace: requests from receipt to completion, the access report, the
audit log and the retention policy with its dry run. Only the DPO uses these pages."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role, User
from contacts.models import Contact
from netlog.access import dpo_required, visible_to
from netlog.pagination import page_for, query_without_cursor
from netlog.params import parse_id
from privacy import services
from privacy.forms import (
    ApproveForm,
    ExtendForm,
    ReceiveForm,
    RefuseForm,
    RetentionPolicyForm,
    VerifyForm,
)
from privacy.models import Action, AuditEvent, DataRequest, RequestKind, RetentionPolicy, Status
from privacy.report import subject_data

CLOSED_SHOWN = 50


@require_safe
@dpo_required
def request_list(request: HttpRequest) -> HttpResponse:
    requests = DataRequest.objects.order_by("due_on", "id")
    closed = requests.exclude(status__in=[Status.RECEIVED, Status.APPROVED])
    return render(
        request,
        "privacy/request_list.html",
        {
            "open": requests.open(),
            "closed": closed.order_by("-received_on", "-id")[:CLOSED_SHOWN],
            "closed_shown": CLOSED_SHOWN,
            "today": timezone.localdate(),
        },
    )


@dpo_required
def request_new(request: HttpRequest) -> HttpResponse:
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data_request = services.request_receive(by=request.user, **form.cleaned_data)
        messages.success(request, f"Request received: due {data_request.due_on:%d/%m/%Y}.")
        return redirect(data_request)
    return render(request, "privacy/request_form.html", {"form": form})


@require_safe
@dpo_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, pk)


def _request_page(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    data_request = get_object_or_404(DataRequest.objects.select_related("received_by"), pk=pk)
    linked = data_request.contacts.select_related("owner").order_by("last_name", "id")
    erasure = getattr(data_request, "erasure", None)
    waiting = data_request.kind == RequestKind.ERASURE and data_request.status == Status.APPROVED
    queued_at = data_request.erasure_queued_at
    context = {
        "others": services.unlinked_same_details(data_request) if waiting else [],
        # A job that has not finished in STUCK_AFTER (broker down, retries spent) can be
        # started again: it is idempotent.
        "running": bool(
            waiting and queued_at and timezone.now() - queued_at < services.STUCK_AFTER
        ),
        "req": data_request,
        "linked": linked,
        "matches": services.request_matches(data_request) if data_request.is_open else [],
        "erasure": erasure,
        "today": timezone.localdate(),
        "verify_form": VerifyForm(),
        "extend_form": ExtendForm(),
        "approve_form": ApproveForm(),
        "refuse_form": RefuseForm(),
        **forms,
    }
    return render(request, "privacy/request_detail.html", context, status=400 if forms else 200)


def _step(request: HttpRequest, pk: int, form_class, service, name: str, done: str):
    """One step of a request's lifecycle: a valid form calls `service`; a refused step
    says why; an invalid form shows the request page again with its errors."""
    data_request = get_object_or_404(DataRequest, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _request_page(request, pk, **{name: form})
    try:
        service(request=data_request, by=request.user, **(form.cleaned_data if form else {}))
    except services.RequestError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect(data_request)


@require_POST
@dpo_required
def request_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, VerifyForm, services.request_verify, "verify_form", "Identity check recorded."
    )


@require_POST
@dpo_required
def request_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, ExtendForm, services.request_extend, "extend_form", "Deadline extended."
    )


@require_POST
@dpo_required
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, ApproveForm, services.request_approve, "approve_form", "Request approved."
    )


@require_POST
@dpo_required
def request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, RefuseForm, services.request_refuse, "refuse_form", "Request refused."
    )


@require_POST
@dpo_required
def request_carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    others_checked = request.POST.get("others_checked") == "on"
    return _step(
        request,
        pk,
        None,
        lambda **kw: services.erasure_queue(others_checked=others_checked, **kw),
        "",
        "Erasure started: it runs as a job.",
    )


@require_POST
@dpo_required
def request_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, None, services.access_complete, "", "Access request marked as answered."
    )


@require_POST
@dpo_required
def request_link(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = get_object_or_404(DataRequest, pk=pk)
    ids = [i for i in map(parse_id, request.POST.getlist("contact")) if i]
    contacts = list(visible_to(Contact.objects.all(), request.user).filter(pk__in=ids))
    if not contacts:
        messages.error(request, "Choose at least one record to link.")
        return redirect(data_request)
    return _step(
        request,
        pk,
        None,
        lambda **kw: services.request_link(contacts=contacts, **kw),
        "",
        f"{len(contacts)} record(s) linked.",
    )


@require_POST
@dpo_required
def request_unlink(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    data_request = get_object_or_404(DataRequest, pk=pk)
    contact = get_object_or_404(data_request.contacts, pk=contact_pk)
    return _step(
        request,
        pk,
        None,
        lambda **kw: services.request_unlink(contact=contact, **kw),
        "",
        "Record unlinked.",
    )


def _access_request(request: HttpRequest, pk: int) -> DataRequest:
    """An access request that may be answered: approved, or answered already."""
    return get_object_or_404(
        DataRequest,
        pk=pk,
        kind=RequestKind.ACCESS,
        status__in=[Status.APPROVED, Status.COMPLETED],
    )


@require_safe
@dpo_required
def access_report(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = _access_request(request, pk)
    data = subject_data(data_request)
    services.audit_log(
        actor=request.user, action=Action.EXPORTED, obj=data_request, detail="access report page"
    )
    response = render(request, "privacy/access_report.html", {"req": data_request, "data": data})
    response["Cache-Control"] = "no-store"  # a copy of someone's data: not for caches
    return response


@require_safe
@dpo_required
def access_download(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = _access_request(request, pk)
    data = subject_data(data_request)
    services.audit_log(
        actor=request.user, action=Action.EXPORTED, obj=data_request, detail="access JSON"
    )
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"netlog-access-request-{data_request.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@dpo_required
def audit_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "")
    actor = parse_id(request.GET.get("actor"))
    if action in Action.values:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor=actor)
    page = page_for(request, events, ["-at", "-id"])
    return render(
        request,
        "privacy/audit_list.html",
        {
            "page": page,
            "query": query_without_cursor(request),
            "actions": Action.choices,
            "action": action,
            "actors": User.objects.exclude(role=Role.ASSESSOR).order_by("username"),
            "actor": actor,
        },
    )


@dpo_required
def retention(request: HttpRequest) -> HttpResponse:
    """The policy, and what the next daily run would do under it (a dry run)."""
    policy = RetentionPolicy.current()
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        services.retention_policy_save(policy=form.save(commit=False), by=request.user)
        messages.success(request, "Retention policy saved.")
        return redirect("privacy:retention")
    plan = services.retention_plan(today=timezone.localdate())
    return render(request, "privacy/retention.html", {"form": form, "plan": plan})
