"""Contacts, the networking log and outcomes. Views only coordinate: scoping lives in
netlog.access, rules in the models and forms, paging in netlog.pagination."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Model, Prefetch, Q
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.filters import ActivityFilter, ContactFilter
from contacts.forms import ActivityForm, ContactForm, OutcomeForm, QuickActivityForm
from contacts.merge import (
    MergeError,
    contacts_merge,
    describe,
    duplicate_groups,
    merge_preview,
    moves,
)
from contacts.models import (
    FOLLOW_UP_DUE_DAYS,
    Activity,
    Channel,
    Contact,
    Kind,
    Outcome,
    live_consent,
    valid_basis,
)
from netlog.access import (
    can_edit,
    editable_by,
    get_editable_or_404,
    get_visible_or_404,
    recruiter_required,
    visible_to,
)
from netlog.pagination import page_for, query_without_cursor
from netlog.params import parse_id
from privacy.models import Action, DataRequest, RetentionWarning
from privacy.services import audit_log, sensitive_forget
from reviews.models import Review
from reviews.services import attention, balance_of

TIMELINE_LENGTH = 25  # the latest activities on a contact's page; the rest on the activity list
HISTORY_LENGTH = 20
DASHBOARD_ROWS = 10


def _form_page(
    request: HttpRequest, form: ModelForm, template: str, message: str, **context
) -> HttpResponse:
    """Show `form`; on a valid POST save it in one transaction and go to the result."""
    if request.method == "POST" and form.is_valid():
        adding = form.instance._state.adding
        with transaction.atomic():
            obj = form.save()
            audit_log(
                actor=request.user, action=Action.CREATED if adding else Action.CHANGED, obj=obj
            )
        messages.success(request, message)
        if isinstance(obj, Activity):
            _warn_if_notice_due(request, obj)
        return redirect(obj)
    return render(request, template, {"form": form, **context})


def _warn_if_notice_due(request: HttpRequest, activity: Activity) -> None:
    """Art. 14: a person whose details came from elsewhere gets the privacy notice at
    first contact at the latest. No names: messages outlive the page."""
    unsent = sum(1 for contact in activity.contacts.all() if contact.notice_due_on)
    if unsent:
        messages.warning(
            request,
            f"The privacy notice has not been sent to {unsent} of the people in this activity, "
            "and it was due at first contact: record it on their page once sent.",
        )


def _preselect(model: type[Model], request: HttpRequest, param: str):
    """?contact=12 on a create page preselects the user's own contact 12, if it is theirs."""
    pk = parse_id(request.GET.get(param))
    return editable_by(model.objects.filter(pk=pk), request.user) if pk else model.objects.none()


def _visible(
    request: HttpRequest, relation: str, model: type[Model], to_attr: str | None = None
) -> Prefetch:
    """Prefetch a relation through the same scope as the page: an activity a manager
    may read can still involve a contact they may not (a recruiter's personal one).
    `to_attr`: a list on each row, which a template reads without building a query."""
    queryset = visible_to(model.objects.all(), request.user)
    return Prefetch(relation, queryset=queryset, to_attr=to_attr)


def _confirm_delete(
    request: HttpRequest, obj: Model, *, back: str, done: str, consequences: list[str]
) -> HttpResponse:
    if request.method == "POST":
        with transaction.atomic():
            audit_log(actor=request.user, action=Action.DELETED, obj=obj)
            sensitive_forget(obj)
            obj.delete()
        # No name in the message: it is personal data, and messages outlive the row.
        messages.success(request, f"{obj._meta.verbose_name.capitalize()} deleted.")
        return redirect(done)
    return render(
        request,
        "contacts/confirm_delete.html",
        {"object": obj, "what": obj._meta.verbose_name, "back": back, "consequences": consequences},
    )


# Dashboard


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if request.user.is_assessor:  # an assessor's work is the portfolios, nothing else
        return redirect("portfolio:home")
    today = timezone.localdate()
    contacts = visible_to(Contact.objects.all(), request.user)
    activities = visible_to(Activity.objects.all(), request.user).prefetch_related(
        _visible(request, "contacts", Contact, "contact_list")
    )
    # One query: per kind, the contacts, those without a valid lawful basis, those with
    # live consent, and those whose data came from elsewhere (Art. 14) and were sent the
    # privacy notice.
    indirect = Q(source_channel__in=Channel.indirect())
    rows = contacts.values_list("kind").order_by()
    rows = rows.annotate(
        n=Count("id"),
        invalid=Count("id", filter=~valid_basis(today)),
        consented=Count("id", filter=live_consent(today)),
        indirect=Count("id", filter=indirect),
        noticed=Count("id", filter=indirect & Q(notice_delivered_on__isnull=False)),
    )
    by_kind = {row[0]: row[1] for row in rows}
    total, without_basis, consented, indirect_total, noticed = (
        sum(row[i] for row in rows) for i in range(1, 6)
    )
    kinds = [(label, by_kind.get(value, 0), value) for value, label in Kind.choices]
    warnings = RetentionWarning.objects.filter(contact__in=contacts)
    return render(
        request,
        "contacts/dashboard.html",
        {
            "today": today,
            "overdue": activities.follow_ups_overdue(today).order_by("follow_up_on", "id")[
                :DASHBOARD_ROWS
            ],
            "due": activities.follow_ups_due(today).order_by("follow_up_on", "id")[:DASHBOARD_ROWS],
            "recent": activities.order_by("-date", "-id")[:DASHBOARD_ROWS],
            # Review next actions are follow-ups too: due this week or overdue.
            "review_actions": visible_to(Review.objects.all(), request.user)
            .actions_open()
            .filter(next_action_on__lte=today + datetime.timedelta(days=FOLLOW_UP_DUE_DAYS))
            .select_related("contact")
            .order_by("next_action_on", "id")[:DASHBOARD_ROWS],
            "kinds": kinds,
            "professional_total": sum(by_kind.get(k, 0) for k in Kind.professional()),
            "without_basis": without_basis,
            "coverage": {
                "basis": _percent(total - without_basis, total),
                "consented": consented,
                "notice": _percent(noticed, indirect_total),
                "noticed": noticed,
                "indirect": indirect_total,
                "total": total,
            },
            "open_requests": (
                DataRequest.objects.open().order_by("due_on", "id")[:DASHBOARD_ROWS]
                if request.user.is_dpo
                else []
            ),
            "retention_warnings": warnings.select_related("contact").order_by("erase_on", "id")[
                :DASHBOARD_ROWS
            ],
            "personal_total": by_kind.get(Kind.PERSONAL, 0),
        },
    )


# Contacts


@require_safe
def contact_list(request: HttpRequest) -> HttpResponse:
    contacts = visible_to(Contact.objects.all(), request.user).select_related("owner")
    filterset = ContactFilter(request.GET, queryset=contacts, user=request.user)
    # A list rather than contact.tags.all(), which builds a manager on every row.
    contacts = filterset.qs.prefetch_related(Prefetch("tags", to_attr="tag_list"))
    page = page_for(request, contacts, filterset.ordering, narrowed=filterset.searching)
    return render(
        request,
        "contacts/contact_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_cursor(request),
            "today": timezone.localdate(),
        },
    )


@require_safe
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_page(request, pk)


def _contact_page(
    request: HttpRequest, pk: int, form: QuickActivityForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    contacts = Contact.objects.select_related("owner", "retention_warning")
    contact = get_visible_or_404(contacts, request.user, pk=pk)
    editable = can_edit(contact, request.user)
    if editable and form is None:
        form = QuickActivityForm(contact=contact)
    timeline = contact.activities.order_by("-date", "-id")[:TIMELINE_LENGTH]
    if request.method == "GET":
        audit_log(actor=request.user, action=Action.VIEWED, obj=contact)
    return render(
        request,
        "contacts/contact_detail.html",
        {
            "contact": contact,
            "editable": editable,
            "form": form,
            "timeline": timeline,
            "timeline_limit": TIMELINE_LENGTH,
            "outcomes": contact.outcomes.order_by("-date", "-id")[:20],
            "basis_history": contact.basis_history.select_related("recorded_by")[:HISTORY_LENGTH],
            "consent_history": contact.consent_history.select_related("notice", "recorded_by")[
                :HISTORY_LENGTH
            ],
            "disclosures": contact.disclosures.all()[:HISTORY_LENGTH],
            "in_touch": next(iter(attention(Contact.objects.filter(pk=contact.pk), today)), None),
            "reviews": contact.reviews.all()[:HISTORY_LENGTH],
            "balance": balance_of(contact),
            "retention_warning": getattr(contact, "retention_warning", None),
            "tags": contact.tags.all(),
            "today": today,
        },
    )


@recruiter_required
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, owner=request.user)
    return _form_page(request, form, "contacts/contact_form.html", "Contact added.")


def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    return _form_page(
        request, form, "contacts/contact_form.html", "Contact saved.", contact=contact
    )


def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    logged = contact.activities.count()
    consequences = (
        [
            f"{logged} logged activit{'y' if logged == 1 else 'ies'} stay in your networking log, "
            "without this contact.",
        ]
        if logged
        else []
    )
    return _confirm_delete(
        request,
        contact,
        back=contact.get_absolute_url(),
        done=reverse("contacts:contact_list"),
        consequences=consequences,
    )


@require_POST
def contact_log_activity(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    form = QuickActivityForm(request.POST, contact=contact)
    if form.is_valid():
        with transaction.atomic():
            activity = form.save()
            audit_log(actor=request.user, action=Action.CREATED, obj=activity)
        messages.success(request, "Activity logged.")
        _warn_if_notice_due(request, activity)
        return redirect(contact)
    return _contact_page(request, pk, form=form)


@require_safe
@recruiter_required
def contact_duplicates(request: HttpRequest) -> HttpResponse:
    found, total = duplicate_groups(request.user)
    return render(request, "contacts/duplicates.html", {"groups": found, "total": total})


@require_http_methods(["GET", "POST"])
@recruiter_required
def contact_merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """GET compares the two records; POST merges `other_pk` into `pk` (the one kept)."""
    keep = get_editable_or_404(Contact.objects.all(), request.user, pk=pk)
    other = get_editable_or_404(Contact.objects.all(), request.user, pk=other_pk)
    if keep.pk == other.pk:
        raise Http404("A contact cannot be merged with itself.")
    if request.method == "POST":
        moved = moves(keep=keep, other=other)
        try:
            keep = contacts_merge(keep=keep, other=other, by=request.user)
        except MergeError as error:
            messages.error(request, str(error))
            return redirect("contacts:contact_duplicates")
        # Counts only: messages outlive the page, and names are personal data.
        messages.success(request, f"Contacts merged: {describe(moved)} moved.")
        return redirect(keep)
    for contact in (keep, other):
        audit_log(actor=request.user, action=Action.VIEWED, obj=contact, detail="merge preview")
    preview = merge_preview(keep=keep, other=other)
    return render(
        request, "contacts/merge.html", {"keep": keep, "other": other, "preview": preview}
    )


# Activities


@require_safe
def activity_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    activities = visible_to(Activity.objects.all(), request.user).select_related("owner")
    filterset = ActivityFilter(request.GET, queryset=activities, user=request.user, today=today)
    activities = filterset.qs.prefetch_related(
        _visible(request, "contacts", Contact, "contact_list")
    )
    page = page_for(request, activities, ["-date", "-id"])
    return render(
        request,
        "contacts/activity_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_cursor(request),
            "today": today,
        },
    )


@require_safe
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(Activity.objects.select_related("owner"), request.user, pk=pk)
    return render(
        request,
        "contacts/activity_detail.html",
        {
            "activity": activity,
            "editable": can_edit(activity, request.user),
            "contacts": visible_to(activity.contacts.all(), request.user),
            "outcomes": activity.outcomes.all(),
            "today": timezone.localdate(),
        },
    )


@recruiter_required
def activity_create(request: HttpRequest) -> HttpResponse:
    initial = {"contacts": _preselect(Contact, request, "contact")}
    form = ActivityForm(request.POST or None, owner=request.user, initial=initial)
    return _form_page(request, form, "contacts/activity_form.html", "Activity logged.")


def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_editable_or_404(Activity.objects.all(), request.user, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, owner=request.user)
    return _form_page(
        request, form, "contacts/activity_form.html", "Activity saved.", activity=activity
    )


def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_editable_or_404(Activity.objects.all(), request.user, pk=pk)
    return _confirm_delete(
        request,
        activity,
        back=activity.get_absolute_url(),
        done=reverse("contacts:activity_list"),
        consequences=["It is removed from your networking log and from any outcome it supports."],
    )


@require_POST
def activity_follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_editable_or_404(Activity.objects.all(), request.user, pk=pk)
    # Conditional update: a double click marks it done once, keeping the first time.
    Activity.objects.follow_ups_open().filter(pk=activity.pk).update(
        follow_up_done_at=timezone.now()
    )
    audit_log(actor=request.user, action=Action.CHANGED, obj=activity, detail="follow-up done")
    messages.success(request, "Follow-up marked as done.")
    next_url = request.POST.get("next", "")
    # Only an absolute path on this site: no host, no scheme, nothing relative.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=set()):
        return redirect(next_url)
    return redirect(activity)


# Outcomes


@require_safe
def outcome_list(request: HttpRequest) -> HttpResponse:
    outcomes = visible_to(Outcome.objects.all(), request.user).select_related("owner")
    outcomes = outcomes.prefetch_related(
        _visible(request, "contacts", Contact, "contact_list"),
        _visible(request, "activities", Activity, "activity_list"),
    )
    page = page_for(request, outcomes, ["-date", "-id"])
    return render(request, "contacts/outcome_list.html", {"page": page, "query": ""})


@recruiter_required
def outcome_create(request: HttpRequest) -> HttpResponse:
    initial = {
        "contacts": _preselect(Contact, request, "contact"),
        "activities": _preselect(Activity, request, "activity"),
    }
    form = OutcomeForm(request.POST or None, owner=request.user, initial=initial)
    return _form_page(request, form, "contacts/outcome_form.html", "Outcome recorded.")


def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_editable_or_404(Outcome.objects.all(), request.user, pk=pk)
    form = OutcomeForm(request.POST or None, instance=outcome, owner=request.user)
    return _form_page(
        request, form, "contacts/outcome_form.html", "Outcome saved.", outcome=outcome
    )


def outcome_delete(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_editable_or_404(Outcome.objects.all(), request.user, pk=pk)
    return _confirm_delete(
        request,
        outcome,
        back=reverse("contacts:outcome_list"),
        done=reverse("contacts:outcome_list"),
        consequences=[],
    )
